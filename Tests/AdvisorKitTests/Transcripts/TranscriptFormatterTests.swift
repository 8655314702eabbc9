import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("TranscriptFormatter")
struct TranscriptFormatterTests {
    static let hostileQuestion =
        "<script>alert('x')</script> \u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m \u{202E}evil & mobile?"

    /// A transcript recorded from a real session with a hostile question and command.
    private func recorded() throws -> (TemporaryDirectory, Transcript) {
        let temp = try TemporaryDirectory()
        let id = try TranscriptFixtures.record(
            [Self.hostileQuestion, "/role \u{1B}[31mcmo", "Who owns mobile?"], in: temp.path, finish: false)
        return (temp, try TranscriptStore(directory: temp.path).read(id))
    }

    /// A transcript whose answer fields themselves are hostile (a tampered file).
    private func tampered() throws -> Transcript {
        var answer = TranscriptFixtures.answer(
            topic: "mobile\u{1B}[31m", text: "line one \u{1B}[1m<b>bold</b>\nline two\u{9D}")
        answer.title = "<img src=x onerror=alert(1)>\u{1B}[5m"
        answer.note = "note \u{1B}]8;;http://evil\u{07}link"
        answer.sources = [Citation(seed: "s\u{1B}.txt", title: "T\u{1B}[0m", author: "A\u{1B}", date: "D\u{1B}")]
        answer.related = ["r\u{1B}"]
        let lines = [
            try TranscriptFixtures.line(TranscriptFixtures.session(id: "t1")),
            try TranscriptFixtures.line(
                TurnEvent(at: "2026-01-01T00:00:01.000Z", n: 1, question: Self.hostileQuestion, answer: answer)),
            try TranscriptFixtures.line(
                CommandEvent(at: "2026-01-01T00:00:02.000Z", line: "/x \u{1B}[31m`rm`", effect: "e\u{1B}")),
        ]
        return TranscriptParser.parse(Data((lines.joined(separator: "\n") + "\n").utf8), id: "t1", path: "/t1.jsonl")
    }

    @Test("no format ever contains a raw ESC byte", arguments: TranscriptFormat.allCases)
    func noEscape(format: TranscriptFormat) throws {
        let (temp, transcript) = try recorded()
        defer { temp.remove() }
        for item in [transcript, try tampered()] {
            let output = TranscriptFormatter().render(item, as: format)
            #expect(!output.utf8.contains(0x1B), "\(format) has a raw ESC")
            #expect(!output.unicodeScalars.contains("\u{07}"))
            // JSON is for programs: it escapes C0 controls and keeps other text as it is.
            if format != .json {
                #expect(!output.unicodeScalars.contains("\u{9B}"))
                #expect(!output.unicodeScalars.contains("\u{202E}"))
            }
        }
    }

    @Test("HTML escapes markup and neutralises control characters")
    func html() throws {
        let (temp, transcript) = try recorded()
        defer { temp.remove() }
        for item in [transcript, try tampered()] {
            let page = TranscriptFormatter().render(item, as: .html)
            #expect(page.hasPrefix("<!DOCTYPE html>"))
            #expect(!page.contains("<script>"))
            #expect(!page.contains("<img"))
            #expect(!page.contains("<b>"))
            #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
            #expect(page.contains("&amp;"))
            #expect(page.contains("Content-Security-Policy"))
        }
        #expect(TranscriptFormatter().render(transcript, as: .html).contains("did not exit cleanly"))
    }

    @Test("text shows each question and answer, and the missing end")
    func text() throws {
        let (temp, transcript) = try recorded()
        defer { temp.remove() }
        let output = TranscriptFormatter().render(transcript, as: .text)
        #expect(output.contains("[2] > Who owns mobile?"))
        #expect(output.contains("[mobile-ownership]"))
        #expect(output.contains("^["))
        #expect(output.contains("(no end event: the session did not exit cleanly)"))
    }

    @Test("markdown escapes its syntax")
    func markdown() throws {
        let output = TranscriptFormatter().render(try tampered(), as: .markdown)
        #expect(output.hasPrefix("# Advisor session t1"))
        #expect(!output.contains("<script>"))
        #expect(output.contains("&lt;script&gt;"))
        #expect(!output.contains("`rm`"))
    }

    @Test("json re-emits every event as one parsable line")
    func json() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let id = try TranscriptFixtures.record(["Who owns mobile?", "/role cio", "tech budget?"], in: temp.path)
        let transcript = try TranscriptStore(directory: temp.path).read(id)
        let output = TranscriptFormatter().render(transcript, as: .json)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 5)
        let types = try lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["type"] as? String
        }
        #expect(types == ["session", "turn", "command", "turn", "end"])
        let reparsed = TranscriptParser.parse(Data(output.utf8), id: id, path: "x")
        #expect(reparsed.warnings.isEmpty)
        #expect(reparsed.turns.map(\.answer) == transcript.turns.map(\.answer))
    }
}
