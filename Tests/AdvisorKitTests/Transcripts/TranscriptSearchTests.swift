import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("Transcript search")
struct TranscriptSearchTests {
    private func hits(_ store: TranscriptStore, _ query: SearchQuery) throws -> [SearchHit] {
        try store.search(query, warn: { _ in })
    }

    @Test("by text, case- and accent-insensitively, in questions and answers")
    func byText() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let first = try TranscriptFixtures.record(["Who owns mobile?", "What does agile mean?"], in: temp.path)
        let second = try TranscriptFixtures.record(["tech budget?", "Café talk about MOBILE apps"], in: temp.path)
        let store = TranscriptStore(directory: temp.path)

        let mobile = try hits(store, SearchQuery(text: "mobile"))
        #expect(mobile.map(\.transcript) == [first, second])
        #expect(mobile.map(\.turn) == [1, 2])
        #expect(mobile.first?.question == "Who owns mobile?")
        #expect(mobile.first?.topic == "mobile-ownership")

        #expect(try hits(store, SearchQuery(text: "MoBiLe")).count == 2)
        // Answer text is searched too: words of the budget answer find the budget question.
        let answer = try #require(TestSupport.shippedBase.topic("tech-budget")?.answer)
        let words = answer.split(separator: " ").prefix(4).joined(separator: " ")
        #expect(try hits(store, SearchQuery(text: words)).map(\.question) == ["tech budget?"])
        #expect(try hits(store, SearchQuery(text: "no such words anywhere")).isEmpty)
        #expect(try hits(store, SearchQuery(text: "")).count == 4)
    }

    @Test("an ASCII search finds accented and folded text")
    func accentedText() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let id = "20260101-000000.000-1-abcdef"
        let lines = [
            try TranscriptFixtures.line(TranscriptFixtures.session(id: id)),
            try TranscriptFixtures.line(
                TurnEvent(
                    at: "2026-01-01T00:00:01.000Z", n: 1, question: "Café crème budget",
                    answer: TranscriptFixtures.answer(topic: "tech-budget"))),
            try TranscriptFixtures.line(
                TurnEvent(
                    at: "2026-01-01T00:00:02.000Z", n: 2, question: "Naïve question",
                    answer: TranscriptFixtures.answer(topic: "none"))),
        ]
        try temp.write(id + ".jsonl", lines.joined(separator: "\n") + "\n")
        let store = TranscriptStore(directory: temp.path)
        #expect(try hits(store, SearchQuery(text: "budget")).map(\.turn) == [1])
        var found: [String: [Int]] = [:]
        for text in ["café", "CAFÉ", "cafe", "naive", "Naïve"] {
            found[text] = try hits(store, SearchQuery(text: text)).map(\.turn)
        }
        #expect(found["café"] == [1])
        #expect(found["CAFÉ"] == [1])
        #expect(found["cafe"] == [1])
        #expect(found["naive"] == [2])
        #expect(found["Naïve"] == [2])
    }

    @Test("by topic")
    func byTopic() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        try TranscriptFixtures.record(["Who owns mobile?", "What does agile mean?"], in: temp.path)
        try TranscriptFixtures.record(["define agile", "asdfgh"], in: temp.path)
        let store = TranscriptStore(directory: temp.path)
        #expect(
            try hits(store, SearchQuery(text: "", topic: "term-agile")).map(\.question) == [
                "What does agile mean?", "define agile",
            ])
        #expect(try hits(store, SearchQuery(text: "", topic: "none")).map(\.question) == ["asdfgh"])
        #expect(try hits(store, SearchQuery(text: "mobile", topic: "term-agile")).isEmpty)
    }

    @Test("since a date")
    func since() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let id = "20200101-000000.000-1-abcdef"
        let lines = [
            try TranscriptFixtures.line(TranscriptFixtures.session(id: id, at: "2020-01-01T00:00:00.000Z")),
            try TranscriptFixtures.line(
                TurnEvent(
                    at: "2020-01-01T00:00:01.000Z", n: 1, question: "old mobile question",
                    answer: TranscriptFixtures.answer(topic: "mobile-ownership"))),
            try TranscriptFixtures.line(
                TurnEvent(
                    at: "2026-06-01T00:00:01.000Z", n: 2, question: "new mobile question",
                    answer: TranscriptFixtures.answer(topic: "mobile-ownership"))),
        ]
        try temp.write(id + ".jsonl", lines.joined(separator: "\n") + "\n")
        let store = TranscriptStore(directory: temp.path)
        #expect(try hits(store, SearchQuery(text: "mobile", since: "2019-12-31")).count == 2)
        #expect(
            try hits(store, SearchQuery(text: "mobile", since: "2025-01-01")).map(\.question) == ["new mobile question"]
        )
        #expect(try hits(store, SearchQuery(text: "", since: "2026-06-01T00:00:01.000Z")).map(\.turn) == [2])
        #expect(try hits(store, SearchQuery(text: "mobile", since: "2999-01-01")).isEmpty)
    }

    @Test("a damaged transcript is searched as far as it goes")
    func damaged() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let id = try TranscriptFixtures.record(["Who owns mobile?"], in: temp.path, finish: false)
        let path = TranscriptStore(directory: temp.path).path(of: id)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("not json at all mobile\n{\"type\":\"turn\",\"question\":\"mob".utf8))
        try handle.close()
        let found = try hits(TranscriptStore(directory: temp.path), SearchQuery(text: "mobile"))
        #expect(found.map(\.question) == ["Who owns mobile?"])
    }

    @Test(
        "isValidDate",
        arguments: [
            ("2026-11-01", true), ("2026-11-01T10:00:00Z", true), ("2026/11/01", false), ("yesterday", false),
            ("", false),
        ])
    func isValidDate(date: String, valid: Bool) {
        #expect(TranscriptStore.isValidDate(date) == valid)
    }
}
