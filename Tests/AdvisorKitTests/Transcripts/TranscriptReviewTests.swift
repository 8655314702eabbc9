import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("Transcript review: replay and gaps")
struct TranscriptReviewTests {
    @Test("replay against the same knowledge base reports no change")
    func replaySame() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let id = try TranscriptFixtures.record(
            ["Who owns mobile?", "/role cmo", "What does agile mean?", "and to a CIO?", "flashpoint", "asdfgh"],
            in: temp.path)
        let transcript = try TranscriptStore(directory: temp.path).read(id)
        #expect(transcript.turns.count == 5)
        #expect(TranscriptReview.replay(transcript, advisor: TestSupport.advisor()).isEmpty)
    }

    @Test("replay against a knowledge base with an edited pattern reports the changed topic")
    func replayChanged() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let id = try TranscriptFixtures.record(["Who owns mobile?", "flashpoint", "tech budget?"], in: temp.path)
        let transcript = try TranscriptStore(directory: temp.path).read(id)
        try #require(transcript.turns.map(\.answer.topic) == ["mobile-ownership", "mobile-ownership", "tech-budget"])

        // Move the pattern "flashpoint" from mobile-ownership to healthy-conflict.
        let kb = try TestSupport.copyShippedKnowledgeBase()
        defer { kb.remove() }
        let mobilePath = kb.file("topics/mobile-ownership.yaml")
        let mobile = try String(contentsOfFile: mobilePath, encoding: .utf8)
        let edited = mobile.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { $0 != "  - flashpoint" && $0 != "  - omnichannel flashpoint" }.joined(separator: "\n")
        try #require(edited != mobile, "mobile-ownership.yaml has a 'flashpoint' pattern")
        try kb.write("topics/mobile-ownership.yaml", edited)
        let conflictPath = kb.file("topics/healthy-conflict.yaml")
        let conflict = try String(contentsOfFile: conflictPath, encoding: .utf8)
        try #require(conflict.contains("\npatterns:\n"))
        try kb.write(
            "topics/healthy-conflict.yaml",
            conflict.replacingOccurrences(of: "\npatterns:\n", with: "\npatterns:\n  - flashpoint\n"))

        let advisor = try Advisor.load(directory: kb.path)
        let changes = TranscriptReview.replay(transcript, advisor: advisor)
        #expect(changes.count == 1)
        let change = try #require(changes.first)
        #expect(change.turn == 2)
        #expect(change.question == "flashpoint")
        #expect(change.oldTopic == "mobile-ownership")
        #expect(change.newTopic == "healthy-conflict")
        #expect(change.topicChanged)
        #expect(change.oldAnswer != change.newAnswer)
    }

    @Test("replay runs the commands too, so framing by role is reproduced")
    func replayCommands() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let id = try TranscriptFixtures.record(
            ["/role cio", "What does platform mean?", "/reset", "/quit"], in: temp.path)
        let transcript = try TranscriptStore(directory: temp.path).read(id)
        #expect(transcript.turns.first?.answer.answer.hasPrefix("To a CIO") == true)
        #expect(TranscriptReview.replay(transcript, advisor: TestSupport.advisor()).isEmpty)
    }

    @Test("gaps group repeated out-of-scope questions, most asked first")
    func gaps() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let first = try TranscriptFixtures.record(
            ["recipe for lasagne", "Who owns mobile?", "Recipe for lasagne!", "hello"], in: temp.path)
        let second = try TranscriptFixtures.record(["RECIPE   for lasagne?", "asdfgh"], in: temp.path)
        let (gaps, asked) = try TranscriptReview.gaps(
            in: TranscriptStore(directory: temp.path), threshold: Router.answerThreshold, warn: { _ in })
        #expect(gaps.count == 2)
        let lasagne = try #require(gaps.first)
        #expect(lasagne.count == 3)
        #expect(lasagne.question == "recipe for lasagne")
        #expect(lasagne.topic == KnowledgeBase.noneTopic)
        #expect(lasagne.examples == ["\(first)#1", "\(first)#3", "\(second)#1"])
        #expect(gaps.last?.question == "asdfgh")
        #expect(gaps.last?.count == 1)
        #expect(asked.isSuperset(of: ["none", "mobile-ownership", "smalltalk"]))
    }

    @Test("gaps include low-confidence answers under the threshold")
    func lowConfidence() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        try TranscriptFixtures.record(["who does what, cio or cmo"], in: temp.path)
        let store = TranscriptStore(directory: temp.path)
        #expect(try TranscriptReview.gaps(in: store, threshold: 0.3, warn: { _ in }).gaps.isEmpty)
        let strict = try TranscriptReview.gaps(in: store, threshold: 0.99, warn: { _ in }).gaps
        #expect(strict.count == 1)
        #expect(strict.first?.topic == "roles-and-responsibilities")
    }
}
