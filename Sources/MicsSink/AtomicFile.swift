import MicsVocabulary
import MicsDecode
import MicsProject
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An output file that appears only when complete: written as `.NAME.part-PID-N` in the
/// same folder (so the rename is atomic), renamed on `commit`, removed on `abort`, on a
/// failed run and on SIGINT/SIGTERM (see `TemporaryFiles`).
///
/// A symbolic link is resolved: its target is written that way (the temporary file in the
/// target's folder, renamed over the target), and the link stays a link. Durable: the file
/// is fsync'ed before the rename and its folder after, so a machine crash right after a
/// successful run cannot leave an empty or short file under the final name.
///
/// Parts use the two halves of `commit` apart: `close` as soon as a part is complete (a
/// run of 10,000 parts must not hold 10,000 open files), `publish` when the whole run
/// succeeds.
// @unchecked: one task writes at a time (the writer loop, or the deflate task it hands the file to).
package final class AtomicFile: @unchecked Sendable {
    package let finalPath: String
    /// Where the bytes go: `finalPath` with its symbolic links resolved.
    package let targetPath: String
    package let temporaryPath: String
    private var fd: Int32
    package private(set) var bytesWritten: Int64 = 0
    /// Rows written, for a manifest's `record_count`.
    package var rows = 0

    /// A device, pipe or socket (`/dev/null`, `/dev/stdout`, a FIFO), or a link to one, is
    /// written in place: renaming a file over it would replace it with a regular file.
    package let isSpecial: Bool

    package init(path: String) throws {
        finalPath = path
        targetPath = path == "/dev/stdout" ? path : Self.resolvingLinks(path)
        var info = stat()
        isSpecial = path == "/dev/stdout"
            || (lstat(targetPath, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG && (info.st_mode & S_IFMT) != S_IFDIR)
        if isSpecial {
            temporaryPath = targetPath
            // `/dev/stdout` is this process's fd 1, whatever it points to.
            fd = path == "/dev/stdout" ? dup(1) : open(targetPath, O_WRONLY | O_TRUNC | O_CLOEXEC)
            guard fd >= 0 else {
                throw ExportError(.other, "cannot open output: \(String(cString: strerror(errno)))", at: path)
            }
            return
        }
        let url = URL(fileURLWithPath: targetPath)
        let folder = url.deletingLastPathComponent().path
        temporaryPath = folder + "/." + url.lastPathComponent + ".part-\(getpid())-\(TemporaryFiles.nextSerial())"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ExportError(.other, "cannot create output: \(String(cString: strerror(errno)))", at: path,
                              hint: "check that the folder exists and is writable")
        }
        TemporaryFiles.register(temporaryPath)
    }

    /// Still open at the end: the run did not finish it, so it must not stay.
    deinit { abort() }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        try FileDescriptorWriter.writeAll(fd, bytes, name: finalPath)
        bytesWritten += Int64(bytes.count)
    }

    /// Complete: on disk (fsync) and closed, still under its temporary name until `publish`.
    package func close() throws {
        guard fd >= 0 else { return }
        if !isSpecial && Self.sync(fd, temporaryPath) != 0 {
            let reason = String(cString: strerror(errno))
            abort()
            throw ExportError(.other, "cannot finish output: fsync: \(reason)", at: finalPath)
        }
        let closed = POSIX.close(fd)
        fd = -1
        guard closed == 0 else {
            throw ExportError(.other, "cannot finish output: \(String(cString: strerror(errno)))", at: finalPath)
        }
    }

    /// Renames the file to its final name.
    package func publish() throws {
        try close()
        if isSpecial { return }
        guard rename(temporaryPath, targetPath) == 0 else {
            let reason = String(cString: strerror(errno))
            remove()
            throw ExportError(.other, "cannot finish output: \(reason)", at: finalPath)
        }
        TemporaryFiles.unregister(temporaryPath)
        // The rename itself is durable once the folder is.
        let folder = URL(fileURLWithPath: targetPath).deletingLastPathComponent().path
        let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            _ = Self.sync(dir, folder + "/")
            POSIX.close(dir)
        }
    }

    /// `fsync`, noted in `syncLog` when a test asks for it.
    private static func sync(_ fd: Int32, _ what: String) -> Int32 {
        let result = fsync(fd)
        SyncLog.note(what)
        return result
    }

    /// `path` with its symbolic links resolved (the whole chain); a dangling link gives
    /// the path it points to, so the file is made there. Not a link: `path` itself.
    package static func resolvingLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, Int(PATH_MAX))
            guard count > 0 else { return current }
            let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = target.hasPrefix("/") ? target
                : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(target)
                    .standardizedFileURL.path
        }
        return current
    }

    package func commit() throws { try publish() }

    /// Closes (if open) and removes the temporary file.
    package func abort() {
        if fd >= 0 {
            POSIX.close(fd)
            fd = -1
            remove()
        }
    }

    /// Removes the temporary file. Safe from another task than the writer's: it does not
    /// close the descriptor (a closed number could be reused by a file opened meanwhile and
    /// receive the writer's bytes); the writer closes it, at the latest in `deinit`.
    package func remove() {
        if isSpecial { return }
        unlink(temporaryPath)
        TemporaryFiles.unregister(temporaryPath)
    }
}

package enum FileDescriptorWriter {
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, name: String) throws {
        guard var cursor = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = POSIX.write(fd, cursor, left)
            if n < 0 {
                if errno == EINTR { continue }
                throw ExportError(.other, "write failed: \(String(cString: strerror(errno)))", at: name,
                                  hint: errno == ENOSPC ? "the disk is full" : nil)
            }
            cursor += n
            left -= n
        }
    }
}

/// The fsync calls made, in order, for tests (off unless `recording`).
package enum SyncLog {
    private static let lock = NSLock()
    // Both guarded by `lock`.
    nonisolated(unsafe) private static var recording = false
    nonisolated(unsafe) private static var entries: [String] = []

    package static func note(_ what: String) {
        lock.lock()
        if recording { entries.append(what) }
        lock.unlock()
    }

    /// Runs `body` with the log on and returns what it recorded.
    package static func record(_ body: () throws -> Void) rethrows -> [String] {
        lock.lock()
        recording = true
        entries = []
        lock.unlock()
        defer {
            lock.lock()
            recording = false
            lock.unlock()
        }
        try body()
        lock.lock()
        defer { lock.unlock() }
        return entries
    }
}

/// The temporary files of this process, removed if a signal ends the run.
public enum TemporaryFiles {
    private static let lock = NSLock()
    // Guarded by `lock` (NSLock: `Mutex` needs macOS 15, and a signal handler reads these).
    nonisolated(unsafe) private static var paths: Set<String> = []
    nonisolated(unsafe) private static var serial = 0

    package static func nextSerial() -> Int {
        lock.lock()
        defer { lock.unlock() }
        serial += 1
        return serial
    }

    package static func register(_ path: String) {
        lock.lock()
        paths.insert(path)
        lock.unlock()
    }

    package static func unregister(_ path: String) {
        lock.lock()
        paths.remove(path)
        lock.unlock()
    }

    /// Removes every registered file (called on SIGINT/SIGTERM before exiting).
    public static func removeAll() {
        lock.lock()
        for path in paths { unlink(path) }
        paths.removeAll()
        lock.unlock()
    }
}
