import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("TranscriptParser")
struct TranscriptParserTests {
    private func parse(_ lines: [String], complete: Bool = true) -> Transcript {
        let text = lines.joined(separator: "\n") + (complete ? "\n" : "")
        return TranscriptParser.parse(Data(text.utf8), id: "t1", path: "/dir/t1.jsonl")
    }

    private func validLines() throws -> [String] {
        [
            try TranscriptFixtures.line(TranscriptFixtures.session(id: "t1")),
            try TranscriptFixtures.line(
                TurnEvent(
                    at: "2026-01-01T00:00:01.000Z", n: 1, question: "Who owns mobile?",
                    answer: TranscriptFixtures.answer(topic: "mobile-ownership"))),
            try TranscriptFixtures.line(
                CommandEvent(at: "2026-01-01T00:00:02.000Z", line: "/role cio", effect: "role set to cio")),
            try TranscriptFixtures.line(EndEvent(at: "2026-01-01T00:00:03.000Z", turns: 1)),
        ]
    }

    @Test("a clean transcript reads with no warnings")
    func clean() throws {
        let transcript = parse(try validLines())
        #expect(transcript.warnings.isEmpty)
        #expect(transcript.session?.id == "t1")
        #expect(transcript.turns.count == 1)
        #expect(transcript.turns.first?.answer.topic == "mobile-ownership")
        #expect(transcript.entries.count == 2)
        #expect(transcript.end?.turns == 1)
    }

    @Test("a torn last line is skipped with a warning naming its line")
    func tornLastLine() throws {
        var lines = Array(try validLines().prefix(2))
        lines.append(#"{"type":"turn","at":"2026-01-01T00:00:05.000Z","n":2,"quest"#)
        let transcript = parse(lines, complete: false)
        #expect(transcript.turns.count == 1)
        #expect(transcript.end == nil)
        #expect(transcript.warnings == ["/dir/t1.jsonl:3: torn last line (the session was cut off mid-write); skipped"])
    }

    @Test("an invalid JSON line in the middle is skipped with a warning, the rest is kept")
    func invalidLine() throws {
        var lines = try validLines()
        lines.insert("this is not json", at: 2)
        let transcript = parse(lines)
        #expect(transcript.turns.count == 1)
        #expect(transcript.entries.count == 2)
        #expect(transcript.end != nil)
        #expect(transcript.warnings == ["/dir/t1.jsonl:3: not a valid JSON event; skipped"])
    }

    @Test("an unknown event type is skipped with a warning")
    func unknownType() throws {
        var lines = try validLines()
        lines.insert(#"{"type":"telemetry","at":"2026-01-01T00:00:01.500Z"}"#, at: 1)
        let transcript = parse(lines)
        #expect(transcript.entries.count == 2)
        #expect(transcript.warnings == ["/dir/t1.jsonl:2: unknown event type 'telemetry'; skipped"])
    }

    @Test("a known event with missing fields is skipped with a warning")
    func missingFields() throws {
        var lines = try validLines()
        lines.insert(#"{"type":"turn","at":"2026-01-01T00:00:01.500Z"}"#, at: 2)
        let transcript = parse(lines)
        #expect(transcript.turns.count == 1)
        #expect(transcript.warnings == ["/dir/t1.jsonl:3: a 'turn' event with missing or invalid fields; skipped"])
    }

    @Test("a missing end event is accepted: end is nil, with no warning")
    func missingEnd() throws {
        let transcript = parse(Array(try validLines().dropLast()))
        #expect(transcript.end == nil)
        #expect(transcript.turns.count == 1)
        #expect(transcript.warnings.isEmpty)
    }

    @Test("a missing session event, a second session event and blank lines")
    func sessionEvents() throws {
        let lines = try validLines()
        let withoutSession = parse(Array(lines.dropFirst()))
        #expect(withoutSession.session == nil)
        #expect(withoutSession.warnings == ["/dir/t1.jsonl: no session event"])
        let twice = parse([lines[0], "", "   ", lines[0]] + lines.dropFirst())
        #expect(twice.warnings == ["/dir/t1.jsonl:4: a second session event; skipped"])
    }

    @Test("an unknown event type with control characters is named safely")
    func hostileType() {
        let transcript = parse([#"{"type":"\u001b[31mred","at":"x"}"#])
        #expect(transcript.warnings.allSatisfy { !$0.unicodeScalars.contains("\u{1B}") })
    }

    @Test("empty data gives an empty transcript with a warning")
    func empty() {
        let transcript = TranscriptParser.parse(Data(), id: "t1", path: "/dir/t1.jsonl")
        #expect(transcript.entries.isEmpty)
        #expect(transcript.warnings == ["/dir/t1.jsonl: no session event"])
    }

    @Test("the summary counts turns, reads the header and the first question")
    func summary() throws {
        let lines = try validLines()
        let summary = TranscriptParser.summary(Data((lines.joined(separator: "\n") + "\n").utf8), id: "t1")
        #expect(summary.turns == 1)
        #expect(summary.firstQuestion == "Who owns mobile?")
        #expect(summary.started == "2026-01-01T00:00:00.000Z")
        #expect(summary.mode == "script")
        #expect(summary.ended)
        let torn = TranscriptParser.summary(
            Data((lines.prefix(2).joined(separator: "\n") + "\n{\"type\":\"turn\"").utf8), id: "t1")
        #expect(torn.turns == 1)
        #expect(!torn.ended)
    }
}
