import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("LineReader")
struct LineReaderTests {
    private func lines(_ data: Data) throws -> [ScriptLine] {
        let feeder = try PipeFeeder(data)
        let reader = feeder.reader()
        var result: [ScriptLine] = []
        while let line = reader.next() { result.append(line) }
        return result
    }

    private func lines(_ text: String) throws -> [ScriptLine] { try lines(Data(text.utf8)) }

    @Test("splits lines and numbers them; the last line may lack a newline")
    func basic() throws {
        let feeder = try PipeFeeder("first\n\nthird\nlast")
        let reader = feeder.reader()
        #expect(reader.next() == .text("first"))
        #expect(reader.lineNumber == 1)
        #expect(reader.next() == .text(""))
        #expect(reader.next() == .text("third"))
        #expect(reader.next() == .text("last"))
        #expect(reader.lineNumber == 4)
        #expect(reader.next() == nil)
        #expect(reader.next() == nil)
    }

    @Test("empty input gives no lines")
    func empty() throws {
        #expect(try lines("").isEmpty)
        #expect(try lines("\n") == [.text("")])
    }

    @Test("CRLF line endings are stripped")
    func crlf() throws {
        #expect(try lines("one\r\ntwo\r\n") == [.text("one"), .text("two")])
        #expect(try lines("a\rb\r\n") == [.text("a\rb")])
    }

    @Test("a byte order mark at the start is dropped, and only there")
    func bom() throws {
        #expect(try lines("\u{FEFF}# comment\nquestion\n") == [.text("# comment"), .text("question")])
        #expect(try lines("first\n\u{FEFF}second\n") == [.text("first"), .text("\u{FEFF}second")])
    }

    @Test("after an over-long first line, a byte order mark on the next line is kept")
    func bomAfterLongFirstLine() throws {
        var data = Data(repeating: UInt8(ascii: "x"), count: LineReader.maximumLineLength * 4)
        data.append(Data("\n\u{FEFF}second\n".utf8))
        let result = try lines(data)
        #expect(result.count == 2)
        #expect(result.last == .text("\u{FEFF}second"))
    }

    @Test("invalid UTF-8 and NUL bytes make a line invalid, not the rest")
    func invalid() throws {
        var data = Data("good\n".utf8)
        data.append(contentsOf: [0x62, 0x61, 0x64, 0xFF, 0xFE, 0x0A])
        data.append(Data("nul\0here\nafter\n".utf8))
        let result = try lines(data)
        #expect(result == [.text("good"), .invalid("invalid UTF-8"), .invalid("NUL byte in line"), .text("after")])
    }

    @Test("a line longer than the limit is reported by its length and skipped")
    func tooLong() throws {
        let length = LineReader.maximumLineLength * 16 + 123
        var data = Data("before\n".utf8)
        data.append(Data(repeating: UInt8(ascii: "x"), count: length))
        data.append(Data("\nafter\n".utf8))
        let feeder = try PipeFeeder(data)
        let reader = feeder.reader()
        #expect(reader.next() == .text("before"))
        #expect(reader.next() == .tooLong(length))
        #expect(reader.lineNumber == 2)
        #expect(reader.next() == .text("after"))
        #expect(reader.lineNumber == 3)
        #expect(reader.next() == nil)
    }

    @Test("a line one byte over the limit is reported, however the input is chunked")
    func oneOverLimit() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        var data = Data("first\n".utf8)
        data.append(Data(repeating: UInt8(ascii: "x"), count: LineReader.maximumLineLength + 1))
        data.append(Data("\nlast\n".utf8))
        let descriptor = open(try temp.write("script", data), O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let reader = LineReader(descriptor: descriptor)
        #expect(reader.next() == .text("first"))
        let long = reader.next()
        #expect(long == .tooLong(LineReader.maximumLineLength + 1))
        #expect(reader.next() == .text("last"))
    }

    @Test("a line exactly at the limit is accepted")
    func atLimit() throws {
        let text = String(repeating: "y", count: LineReader.maximumLineLength)
        #expect(try lines(text + "\nz\n") == [.text(text), .text("z")])
    }

    @Test("an over-long last line without a newline is reported")
    func tooLongAtEnd() throws {
        let length = LineReader.maximumLineLength * 3
        #expect(try lines(Data(repeating: UInt8(ascii: "x"), count: length)) == [.tooLong(length)])
    }

    @Test("a 16 MB line is skipped")
    func hugeLineBoundedMemory() throws {
        let length = 16 << 20
        var data = Data(repeating: UInt8(ascii: "q"), count: length)
        data.append(Data("\nok\n".utf8))
        let feeder = try PipeFeeder(data)
        data = Data()
        let reader = feeder.reader()
        #expect(reader.next() == .tooLong(length))
        #expect(reader.next() == .text("ok"))
    }

    @Test("each line is returned as soon as it arrives, before the input ends")
    func streaming() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let reader = LineReader(descriptor: fds[0])
        func send(_ text: String) {
            let bytes = Array(text.utf8)
            #expect(write(fds[1], bytes, bytes.count) == bytes.count)
        }
        send("first question\n")
        #expect(reader.next() == .text("first question"))  // the writer is still open
        send("second")
        send(" question\n")
        #expect(reader.next() == .text("second question"))
        close(fds[1])
        #expect(reader.next() == nil)
    }

    @Test("reads from a file descriptor of a regular file")
    func regularFile() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let path = try temp.write("script.txt", "one\ntwo\n")
        let descriptor = open(path, O_RDONLY)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        let reader = LineReader(descriptor: descriptor)
        #expect(reader.next() == .text("one"))
        #expect(reader.next() == .text("two"))
        #expect(reader.next() == nil)
    }
}
