import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("TranscriptStore")
struct TranscriptStoreTests {
    static let ids = [
        "20261125-120000.000-1-aaaaaa", "20261125-120000.000-1-aabbbb", "20261126-090000.000-2-cccccc",
    ]

    private func store() throws -> (TemporaryDirectory, TranscriptStore) {
        let temp = try TemporaryDirectory()
        for id in Self.ids {
            try temp.write(id + ".jsonl", try TranscriptFixtures.line(TranscriptFixtures.session(id: id)) + "\n")
        }
        try temp.write("notes.txt", "not a transcript")
        try temp.write("bad name!.jsonl", "{}\n")
        return (temp, TranscriptStore(directory: temp.path))
    }

    @Test("ids lists valid transcript names, oldest first")
    func listing() throws {
        let (temp, store) = try store()
        defer { temp.remove() }
        #expect(try store.ids() == Self.ids)
        #expect(try TranscriptStore(directory: temp.file("missing")).ids().isEmpty)
    }

    @Test("resolve: a full id, a unique prefix, and last")
    func resolve() throws {
        let (temp, store) = try store()
        defer { temp.remove() }
        #expect(try store.resolve(Self.ids[0]) == Self.ids[0])
        #expect(try store.resolve("20261126") == Self.ids[2])
        #expect(try store.resolve("20261125-120000.000-1-aab") == Self.ids[1])
        #expect(try store.resolve("last") == Self.ids[2])
    }

    @Test("resolve: an ambiguous prefix lists the matches")
    func ambiguous() throws {
        let (temp, store) = try store()
        defer { temp.remove() }
        let error = try #require(throws: TranscriptError.self) { try store.resolve("20261125") }
        guard case .ambiguous(let reference, let matches) = error else {
            Issue.record("expected ambiguous, got \(error)")
            return
        }
        #expect(reference == "20261125")
        #expect(matches == Array(Self.ids.prefix(2)))
        #expect(error.description.contains("2 transcripts match"))
    }

    @Test("resolve: an unknown id, and last in an empty directory")
    func unknown() throws {
        let (temp, store) = try store()
        defer { temp.remove() }
        let error = try #require(throws: TranscriptError.self) { try store.resolve("2030") }
        guard case .notFound = error else {
            Issue.record("expected notFound, got \(error)")
            return
        }
        let empty = try TemporaryDirectory()
        defer { empty.remove() }
        #expect(throws: TranscriptError.self) { try TranscriptStore(directory: empty.path).resolve("last") }
    }

    @Test(
        "resolve rejects ids that are paths",
        arguments: ["../x", "/etc/passwd", "a/b", "..", ".", "", "x\u{1B}[31m", "a b"])
    func invalidIDs(reference: String) throws {
        let (temp, store) = try store()
        defer { temp.remove() }
        let error = try #require(throws: TranscriptError.self) { try store.resolve(reference) }
        guard case .invalidID = error else {
            Issue.record("expected invalidID, got \(error)")
            return
        }
        #expect(!error.description.unicodeScalars.contains("\u{1B}"))
    }

    @Test("read returns the parsed transcript; summaries go newest first")
    func readAndSummaries() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let first = try TranscriptFixtures.record(["Who owns mobile?", "/role cio", "tech budget?"], in: temp.path)
        let second = try TranscriptFixtures.record(["hello"], in: temp.path, finish: false)
        let store = TranscriptStore(directory: temp.path)
        let transcript = try store.read(first)
        #expect(transcript.id == first)
        #expect(transcript.turns.map(\.answer.topic) == ["mobile-ownership", "tech-budget"])
        let summaries = try store.summaries(warn: { _ in })
        #expect(summaries.map(\.id) == [second, first])
        #expect(summaries[0].turns == 1)
        #expect(!summaries[0].ended)
        #expect(summaries[1].turns == 2)
        #expect(summaries[1].ended)
        #expect(summaries[1].firstQuestion == "Who owns mobile?")
    }

    @Test("the user's transcripts directory is XDG_DATA_HOME's, else HOME's, never a relative XDG path")
    func userDirectory() {
        #expect(
            TranscriptStore.userDirectory(environment: ["XDG_DATA_HOME": "/data"]) == "/data/advisor/transcripts")
        #expect(
            TranscriptStore.userDirectory(environment: ["HOME": "/home/exec"])
                == "/home/exec/.local/share/advisor/transcripts")
        #expect(
            TranscriptStore.userDirectory(environment: ["XDG_DATA_HOME": "rel", "HOME": "/h"])
                == "/h/.local/share/advisor/transcripts")
    }
}
