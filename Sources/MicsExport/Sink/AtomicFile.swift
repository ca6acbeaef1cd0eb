#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An output file that appears only when complete: written as `.NAME.part-PID-N` in the
/// same folder (so the rename is atomic), renamed on `commit`, removed on `abort`, on a
/// failed run and on SIGINT/SIGTERM (see `TemporaryFiles`).
final class AtomicFile: @unchecked Sendable {
    let finalPath: String
    let temporaryPath: String
    private var fd: Int32
    private(set) var bytesWritten: Int64 = 0

    init(path: String) throws {
        finalPath = path
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

    deinit { abort() }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try FileDescriptorWriter.writeAll(fd, bytes, name: finalPath)
        bytesWritten += Int64(bytes.count)
    }

    func commit() throws {
        guard fd >= 0 else { return }
        let closed = close(fd)
        fd = -1
        guard closed == 0, rename(temporaryPath, finalPath) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            TemporaryFiles.unregister(temporaryPath)
            throw ExportError(.other, "cannot finish output: \(reason)", at: finalPath)
        }
        TemporaryFiles.unregister(temporaryPath)
    }

    func abort() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(temporaryPath)
        TemporaryFiles.unregister(temporaryPath)
    }
}

enum FileDescriptorWriter {
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, name: String) throws {
        guard var cursor = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = Glibc.write(fd, cursor, left)
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
    nonisolated(unsafe) private static var paths: Set<String> = []
    nonisolated(unsafe) private static var serial = 0

    static func nextSerial() -> Int {
        lock.lock()
        defer { lock.unlock() }
        serial += 1
        return serial
    }

    static func register(_ path: String) {
        lock.lock()
        paths.insert(path)
        lock.unlock()
    }

    static func unregister(_ path: String) {
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
