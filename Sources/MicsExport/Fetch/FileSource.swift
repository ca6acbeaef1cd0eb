import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files and stdin as `InputSource`s: `read(2)` in 256 KiB chunks (FACTS.md: 6–8 GB/s,
/// and a pull-style reader has backpressure for free).
public enum FileSource {
    public static let chunkSize = 256 << 10

    /// `-` is stdin.
    public static func make(path: String) throws -> InputSource {
        if path == "-" { return stdin() }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ExportError(
                .usage,
                "cannot read input: \(String(cString: strerror(errno)))",
                at: path,
                hint: "check the path; use - for standard input"
            )
        }
        guard (info.st_mode & S_IFMT) != S_IFDIR else {
            throw ExportError(.usage, "input is a directory, not a file", at: path)
        }
        let regular = (info.st_mode & S_IFMT) == S_IFREG
        return InputSource(name: path, size: regular ? Int64(info.st_size) : nil, rereadable: regular) {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                throw ExportError(.usage, "cannot open input: \(String(cString: strerror(errno)))", at: path)
            }
            return chunks(fd: fd, name: path, closeAtEnd: true)
        }
    }

    public static func stdin() -> InputSource {
        InputSource(name: "<stdin>", size: nil) { chunks(fd: 0, name: "<stdin>", closeAtEnd: false) }
    }

    package static func chunks(fd: Int32, name: String, closeAtEnd: Bool) -> ByteChunks {
        let reader = FDReader(fd: fd, closeAtEnd: closeAtEnd)
        return .pulling {
            do {
                return try reader.next()
            } catch let error as ExportError {
                var located = error
                located.location = name
                throw located
            }
        }
    }
}

/// Owns a descriptor; reads until EOF, then closes it (or on deinit).
// @unchecked: a pull stream calls `next` from one consumer at a time, never concurrently.
package final class FDReader: @unchecked Sendable {
    private var fd: Int32
    private let closeAtEnd: Bool

    package init(fd: Int32, closeAtEnd: Bool) {
        self.fd = fd
        self.closeAtEnd = closeAtEnd
    }

    deinit { closeNow() }

    package func next() throws -> [UInt8]? {
        guard fd >= 0 else { return nil }
        var failure: Int32 = 0
        let chunk = [UInt8](unsafeUninitializedCapacity: FileSource.chunkSize) { buffer, count in
            count = 0
            while count < buffer.count {
                let n = read(fd, buffer.baseAddress! + count, buffer.count - count)
                if n > 0 {
                    count += n
                } else if n == 0 {
                    break
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
        }
        if failure != 0 {
            throw ExportError(.other, "read failed: \(String(cString: strerror(failure)))")
        }
        if chunk.isEmpty {
            closeNow()
            return nil
        }
        return chunk
    }

    private func closeNow() {
        if fd >= 0 && closeAtEnd { close(fd) }
        fd = -1
    }
}
