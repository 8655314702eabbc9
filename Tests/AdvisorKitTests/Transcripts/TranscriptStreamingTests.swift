import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

/// Reading transcripts one line at a time, in bounded memory (issue 12).
@Suite("Transcripts read as a stream")
struct TranscriptStreamingTests {
    /// Every line `BoundedFile.forEachLine` gives for `contents`, read `chunkSize` bytes at a time.
    private func lines(_ contents: String, chunkSize: Int, limit: Int = 1 << 20) throws -> [String] {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let path = try temp.write("file", contents)
        var result: [String] = []
        try BoundedFile.forEachLine(path, maximumLineLength: limit, chunkSize: chunkSize) { line, number, end in
            #expect(number == result.count + 1)
            switch end {
            case .newline: result.append(String(decoding: line, as: UTF8.self))
            case .endOfFile: result.append("EOF:" + String(decoding: line, as: UTF8.self))
            case .tooLong(let length): result.append("LONG:\(length)")
            }
            return true
        }
        return result
    }

    @Test("lines come out whole whatever the chunk size", arguments: [1, 2, 3, 7, 64, 1 << 20])
    func chunking(_ chunkSize: Int) throws {
        let text = "first\n\nthird line\nfourth, longer than several chunks\nlast"
        #expect(
            try lines(text, chunkSize: chunkSize) == [
                "first", "", "third line", "fourth, longer than several chunks", "EOF:last",
            ])
        #expect(try lines(text + "\n", chunkSize: chunkSize).last == "last")
        #expect(try lines("", chunkSize: chunkSize).isEmpty)
        #expect(try lines("\n", chunkSize: chunkSize) == [""])
    }

    @Test("a line over the limit is skipped, counted, and the next one read", arguments: [1, 4, 5, 6, 100])
    func tooLong(_ chunkSize: Int) throws {
        let text = "short\n" + String(repeating: "x", count: 25) + "\nafter\n" + String(repeating: "y", count: 11)
        #expect(try lines(text, chunkSize: chunkSize, limit: 10) == ["short", "LONG:25", "after", "LONG:11"])
        #expect(try lines("exactly10!\n", chunkSize: chunkSize, limit: 10) == ["exactly10!"])
    }

    @Test("the reader stops when asked, and refuses what is not a regular file")
    func stopAndRefuse() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let path = try temp.write("file", "a\nb\nc\n")
        var seen: [String] = []
        try BoundedFile.forEachLine(path, maximumLineLength: 100, chunkSize: 1) { line, _, _ in
            seen.append(String(decoding: line, as: UTF8.self))
            return seen.count < 2
        }
        #expect(seen == ["a", "b"])
        #expect(mkfifo(temp.file("fifo"), 0o600) == 0)
        #expect(throws: BoundedFile.Failure.self) {
            try BoundedFile.forEachLine(temp.file("fifo"), maximumLineLength: 100) { _, _, _ in true }
        }
        try FileManager.default.createSymbolicLink(atPath: temp.file("link"), withDestinationPath: path)
        #expect(throws: BoundedFile.Failure.self) {
            try BoundedFile.forEachLine(temp.file("link"), followSymlinks: false, maximumLineLength: 100) { _, _, _ in
                true
            }
        }
    }

    @Test("a file read as a stream gives what its bytes in memory give, warnings included")
    func streamMatchesMemory() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let id = try TranscriptFixtures.record(["Who owns mobile?", "/role cio", "tech budget?"], in: temp.path)
        let path = temp.file(id + ".jsonl")
        var contents = try String(contentsOfFile: path, encoding: .utf8)
        contents += "not json\n{\"type\":\"mystery\"}\n{\"type\":\"turn\",\"n\":9,\"quest"
        try temp.write(id + ".jsonl", contents)
        let inMemory = TranscriptParser.parse(Data(contents.utf8), id: id, path: path)
        let streamed = try TranscriptStore(directory: temp.path).read(id)
        #expect(streamed.warnings == inMemory.warnings)
        #expect(streamed.warnings.count == 3)
        #expect(streamed.warnings.last?.contains("torn last line") == true)
        #expect(streamed.turns == inMemory.turns)
        #expect(streamed.session == inMemory.session && streamed.end == inMemory.end)
        for format in TranscriptFormat.allCases {
            let formatter = TranscriptFormatter()
            let firstQuestion = try TranscriptStore(directory: temp.path).firstQuestion(id)
            var pieces = formatter.begin(id: id, session: streamed.session, firstQuestion: firstQuestion, as: format)
            let header = try TranscriptStore(directory: temp.path).stream(id) { entry, _ in
                pieces += formatter.render(entry, as: format)
                return true
            }
            pieces += formatter.finish(end: header.end, as: format)
            #expect(header.entries.isEmpty, "a stream keeps no entries")
            #expect(pieces == formatter.render(streamed, as: format), "\(format)")
        }
    }

    @Test("an export written as it is read is the document rendered whole, and stops when its output fails")
    func streamedExport() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let id = try TranscriptFixtures.record(["/role cio", "Who owns mobile?", "tech budget?"], in: temp.path)
        let store = TranscriptStore(directory: temp.path)
        let whole = try store.read(id)
        let formatter = TranscriptFormatter()
        for format in TranscriptFormat.allCases {
            var chunks: [Data] = []
            let (header, complete) = try TranscriptExport.write(
                id, in: store, as: format, formatter: formatter, chunkSize: 100
            ) { chunk in
                chunks.append(chunk)
                return true
            }
            #expect(complete && header.entries.isEmpty && header.end == whole.end)
            #expect(chunks.count > 2, "written in pieces")
            #expect(String(decoding: chunks.reduce(Data(), +), as: UTF8.self) == formatter.render(whole, as: format))
        }
        // The page is named by the first question although a command comes first.
        var page = Data()
        _ = try TranscriptExport.write(id, in: store, as: .html, formatter: formatter) { chunk in
            page.append(chunk)
            return true
        }
        #expect(String(decoding: page, as: UTF8.self).contains("<title>Who owns mobile? — "))
        var calls = 0
        let (_, complete) = try TranscriptExport.write(id, in: store, as: .html, formatter: formatter, chunkSize: 10) {
            _ in
            calls += 1
            return false
        }
        #expect(!complete && calls == 1, "nothing more is written once the output failed")
    }

    @Test("replay as a stream finds the changes replay of the whole transcript finds")
    func streamedReplay() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let id = try TranscriptFixtures.record(
            ["Who owns mobile?", "/role cio", "What does platform mean?", "/quit", "tech budget?"], in: temp.path)
        let store = TranscriptStore(directory: temp.path)
        let transcript = try store.read(id)
        // Against a knowledge base that answers differently: the fixture's.
        let advisor = try Advisor.load(directory: try TestSupport.fixtureKnowledgeBase("valid"))
        let whole = TranscriptReview.replay(transcript, advisor: advisor)
        let streamed = try TranscriptReview.replay(id, in: store, advisor: advisor)
        #expect(!whole.isEmpty)
        #expect(streamed.changes == whole)
        #expect(streamed.turns == transcript.turns.count)
        #expect(whole.count == 2, "the turn after /quit is not replayed")
    }

    @Test("'last' passes over a link, a FIFO and a folder named like newer transcripts")
    func lastIsARegularFile() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let real = "20261125-120000.000-1-aaaaaa"
        try temp.write(real + ".jsonl", try TranscriptFixtures.line(TranscriptFixtures.session(id: real)) + "\n")
        try FileManager.default.createSymbolicLink(
            atPath: temp.file("20991231-000000.000-1-aaaaaa.jsonl"), withDestinationPath: temp.file(real + ".jsonl"))
        #expect(mkfifo(temp.file("20991230-000000.000-1-aaaaaa.jsonl"), 0o600) == 0)
        try FileManager.default.createDirectory(
            atPath: temp.file("20991229-000000.000-1-aaaaaa.jsonl"), withIntermediateDirectories: false)
        let store = TranscriptStore(directory: temp.path)
        #expect(try store.resolve("last") == real)
        try FileManager.default.removeItem(atPath: temp.file(real + ".jsonl"))
        #expect(throws: TranscriptError.self) { try store.resolve("last") }
    }
}
