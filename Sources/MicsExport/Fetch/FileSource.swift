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
        @Sendable func reader() throws -> FDReader {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                throw ExportError(.usage, "cannot open input: \(String(cString: strerror(errno)))", at: path)
            }
            return FDReader(fd: fd, closeAtEnd: true)
        }
        var source = InputSource(name: path, size: regular ? Int64(info.st_size) : nil, rereadable: regular) {
            chunks(try reader(), name: path)
        }
        source.fillingReader = { try reader() }
        return source
    }

    public static func stdin() -> InputSource {
        var source = InputSource(name: "<stdin>", size: nil) {
            chunks(FDReader(fd: 0, closeAtEnd: false), name: "<stdin>")
        }
        source.fillingReader = { FDReader(fd: 0, closeAtEnd: false) }
        return source
    }

    package static func chunks(fd: Int32, name: String, closeAtEnd: Bool) -> ByteChunks {
        chunks(FDReader(fd: fd, closeAtEnd: closeAtEnd), name: name)
    }

    static func chunks(_ reader: FDReader, name: String) -> ByteChunks {
        .pulling {
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
///
/// A regular file that ends before the size it had when opened was cut while it was read
/// (rows lost): that is an error, not a shorter input. One that grows is read to its end.
// @unchecked: a pull stream calls `next` from one consumer at a time, never concurrently.
package final class FDReader: FillingReader, @unchecked Sendable {
    private var fd: Int32
    private let closeAtEnd: Bool
    /// A regular file's bytes from the descriptor's offset to its end, when opened (stdin
    /// may be a file read from the middle).
    private let sizeAtOpen: Int64?
    private var bytesRead: Int64 = 0

    package init(fd: Int32, closeAtEnd: Bool) {
        self.fd = fd
        self.closeAtEnd = closeAtEnd
        var info = stat()
        let regular = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        let offset = regular ? lseek(fd, 0, SEEK_CUR) : -1
        sizeAtOpen = regular && offset >= 0 ? max(0, Int64(info.st_size) - Int64(offset)) : nil
    }

    deinit { closeNow() }

    package func next() throws -> [UInt8]? {
        let chunk = try chunk(size: FileSource.chunkSize)
        return chunk.isEmpty ? nil : chunk
    }

    /// Fills `buffer` (short only at the end of the file); closes the descriptor at the end.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard fd >= 0, let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        var count = 0
        while count < buffer.count {
            let n = systemRead(fd, base + count, buffer.count - count)
            if n > 0 {
                count += n
                bytesRead += Int64(n)
            } else if n == 0 {
                if let sizeAtOpen, bytesRead < sizeAtOpen {
                    throw ExportError(
                        .badInput,
                        "the file ended after \(bytesRead) bytes, short of the \(sizeAtOpen) it had when opened: "
                            + "it was cut while it was read",
                        hint: "convert a file nothing else is writing")
                }
                break
            } else if errno != EINTR {
                throw ExportError(.other, "read failed: \(String(cString: strerror(errno)))")
            }
        }
        if count == 0 { closeNow() }
        return count
    }

    private func closeNow() {
        if fd >= 0 && closeAtEnd { close(fd) }
        fd = -1
    }
}

/// read(2), under a name FDReader's own `read(into:)` does not hide.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
