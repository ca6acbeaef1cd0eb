import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One part of a parted output: written as `.NAME.part-PID-N` beside its final name,
/// closed as soon as it is complete (a run of 10,000 parts must not hold 10,000 open
/// files), and renamed only when the whole run commits. Until then it is listed in
/// `TemporaryFiles`, so SIGINT/SIGTERM remove it too.
final class PartFile: @unchecked Sendable {
    let finalPath: String
    let temporaryPath: String
    private var fd: Int32
    private(set) var bytesWritten: Int64 = 0
    var rows = 0

    init(path: String) throws {
        finalPath = path
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        temporaryPath = folder + "/." + url.lastPathComponent + ".part-\(getpid())-\(TemporaryFiles.nextSerial())"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ExportError(
                .other,
                "cannot create output: \(String(cString: strerror(errno)))",
                at: path,
                hint: "check that the folder exists and is writable"
            )
        }
        TemporaryFiles.register(temporaryPath)
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try FileDescriptorWriter.writeAll(fd, bytes, name: finalPath)
        bytesWritten += Int64(bytes.count)
    }

    /// The part is complete; it stays under its temporary name until `publish`.
    func close() throws {
        guard fd >= 0 else { return }
        let closed = Glibc.close(fd)
        fd = -1
        guard closed == 0 else {
            throw ExportError(.other, "cannot finish output: \(String(cString: strerror(errno)))", at: finalPath)
        }
    }

    /// Renames the part to its final name.
    func publish() throws {
        try close()
        guard rename(temporaryPath, finalPath) == 0 else {
            throw ExportError(.other, "cannot finish output: \(String(cString: strerror(errno)))", at: finalPath)
        }
        TemporaryFiles.unregister(temporaryPath)
    }

    /// Removes the temporary file. Safe from another task than the writer's: it does not
    /// close the descriptor (a closed number could be reused by a file opened meanwhile and
    /// receive the writer's bytes); the writer closes it, at the latest in `deinit`.
    func remove() {
        unlink(temporaryPath)
        TemporaryFiles.unregister(temporaryPath)
    }
}
