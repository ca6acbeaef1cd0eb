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
/// Parts use the two halves of `commit` apart: `close` as soon as a part is complete (a
/// run of 10,000 parts must not hold 10,000 open files), `publish` when the whole run
/// succeeds.
// @unchecked: one task writes at a time (the writer loop, or the deflate task it hands the file to).
package final class AtomicFile: @unchecked Sendable {
    package let finalPath: String
    package let temporaryPath: String
    private var fd: Int32
    package private(set) var bytesWritten: Int64 = 0
    /// Rows written, for a manifest's `record_count`.
    package var rows = 0

    /// A device, pipe, socket or symbolic link (`/dev/null`, `/dev/stdout`, a FIFO) is
    /// written in place: renaming a file over it would replace it with a regular file.
    package let isSpecial: Bool

    package init(path: String) throws {
        finalPath = path
        var info = stat()
        isSpecial = lstat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG && (info.st_mode & S_IFMT) != S_IFDIR
        if isSpecial {
            temporaryPath = path
            // `/dev/stdout` is this process's fd 1, whatever it points to.
            fd = path == "/dev/stdout" ? dup(1) : open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
            guard fd >= 0 else {
                throw ExportError(.other, "cannot open output: \(String(cString: strerror(errno)))", at: path)
            }
            return
        }
        let url = URL(fileURLWithPath: path)
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

    /// Complete: closed, still under its temporary name until `publish`.
    package func close() throws {
        guard fd >= 0 else { return }
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
        guard rename(temporaryPath, finalPath) == 0 else {
            let reason = String(cString: strerror(errno))
            remove()
            throw ExportError(.other, "cannot finish output: \(reason)", at: finalPath)
        }
        TemporaryFiles.unregister(temporaryPath)
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
