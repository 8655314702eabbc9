import Foundation

/// One line read from a script.
public enum ScriptLine: Sendable, Equatable {
    /// A line of valid UTF-8, without its line ending.
    case text(String)
    /// The line is not valid UTF-8 (or holds a NUL byte).
    case invalid(String)
    /// The line was longer than the limit; it was skipped.
    case tooLong(Int)
}

/// Reads lines from a file descriptor as they arrive, in bounded memory.
///
/// Nothing is read ahead of the line asked for beyond one buffer, so a program driving
/// the advisor through a pipe sees each answer before it sends the next question.
public final class LineReader {
    /// The longest line accepted, in bytes.
    public static let maximumLineLength = 64 * 1024
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private var isFirstLine = true
    /// The number of the line last returned (1-based).
    public private(set) var lineNumber = 0

    /// Makes a reader of `descriptor`, which it reads from but never closes.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The next line, or nil at the end of the input.
    public func next() -> ScriptLine? {
        var skipped = 0
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                compact()
                lineNumber += 1
                if skipped > 0 || line.count > Self.maximumLineLength {
                    isFirstLine = false
                    return .tooLong(skipped + line.count)
                }
                return decode(line)
            }
            let pending = buffer.count - start
            if pending > Self.maximumLineLength {
                skipped += pending
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            if atEnd {
                guard buffer.count > start || skipped > 0 else { return nil }
                let line = Array(buffer[start...])
                buffer.removeAll()
                start = 0
                lineNumber += 1
                if skipped > 0 || line.count > Self.maximumLineLength {
                    isFirstLine = false
                    return .tooLong(skipped + line.count)
                }
                return decode(line)
            }
            fill()
        }
    }

    private func compact() {
        if start > 1 << 16, start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }

    private func fill() {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 {
                atEnd = true
                return
            }
            buffer.append(contentsOf: chunk[0..<count])
            return
        }
    }

    private func decode(_ bytes: [UInt8]) -> ScriptLine {
        var bytes = bytes[...]
        if isFirstLine, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        isFirstLine = false
        if bytes.last == 0x0D { bytes = bytes.dropLast() }
        if bytes.contains(0) { return .invalid("NUL byte in line") }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .invalid("invalid UTF-8") }
        return .text(text)
    }
}
