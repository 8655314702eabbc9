import AdvisorTestSupport
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("Router over the shipped knowledge base: behaviour")
struct RouterBehaviourTests {
    @Test(
        "out-of-scope questions give none with suggestions",
        arguments: [
            "what's the weather in Paris", "recipe for lasagne", "asdfgh", "!!!", "🙂🚀", "👍", "", "   ",
            "what's the capital of France", "tell me a joke", "??",
        ])
    func outOfScope(question: String) throws {
        let answer = TestSupport.advisor().ask(question)
        #expect(answer.topic == KnowledgeBase.noneTopic)
        #expect(answer.confidence < Router.answerThreshold)
        #expect(answer.sources.isEmpty)
        #expect(!answer.related.isEmpty, "none suggests the nearest topics, or where to start")
        let scored = answer.why.candidates.map(\.topic).filter { $0 != "none" && $0 != "smalltalk" }
        #expect(answer.answer.contains("Nearest topics:") == !scored.isEmpty)
        for id in answer.related {
            #expect(TestSupport.shippedBase.topic(id) != nil)
            #expect(id != KnowledgeBase.noneTopic && id != KnowledgeBase.smalltalkTopic)
        }
    }

    @Test(
        "an everyday word near a knowledge base word is not a typo",
        arguments: ["who won the world cup", "how do I bake bread", "what happens at night", "is the page slow"])
    func everydayWordsAreNotTypos(question: String) {
        let answer = TestSupport.advisor().ask(question)
        #expect(answer.why.corrections.isEmpty, "\(answer.why.corrections)")
    }

    @Test("a place name near a knowledge base word does not drag a question in scope")
    func placeNames() {
        let answer = TestSupport.advisor().ask("book a flight to Rome")
        #expect(answer.topic == KnowledgeBase.noneTopic)
        #expect(answer.why.corrections.isEmpty)
        #expect(TestSupport.advisor().ask("what's the weather in Paris").why.corrections.isEmpty)
    }

    @Test(
        "greetings and 'what can you do' give smalltalk with how to start",
        arguments: ["hello", "Hi!", "hey", "What can you do?", "who are you"])
    func smalltalk(question: String) {
        let answer = TestSupport.advisor().ask(question)
        #expect(answer.topic == KnowledgeBase.smalltalkTopic)
        #expect(answer.answer.contains("/help"))
        #expect(answer.answer.contains("/role cio"))
        #expect(answer.sources.isEmpty)
    }

    @Test("thanks gets a fitting reply, not the greeting", arguments: ["thanks", "Thank you very much", "cheers"])
    func thanks(question: String) {
        let answer = TestSupport.advisor().ask(question)
        #expect(answer.topic == KnowledgeBase.smalltalkTopic)
        #expect(answer.answer.hasPrefix("You're welcome"))
    }

    @Test("why names the matched words, the rules and the runner-up candidates with scores")
    func why() throws {
        let answer = TestSupport.advisor().ask("Who should own our mobile app, IT or marketing?")
        #expect(answer.topic == "mobile-ownership")
        #expect(answer.why.matched.contains("mobile"))
        #expect(!answer.why.rules.isEmpty)
        #expect(answer.why.rules.contains("own mobile"))
        let first = try #require(answer.why.candidates.first)
        #expect(first.topic == "mobile-ownership")
        #expect(answer.why.candidates.count >= 2, "a runner-up is listed")
        #expect(answer.why.candidates.count <= 5)
        #expect(answer.why.candidates.allSatisfy { $0.score > 0 })
        let scores = answer.why.candidates.map(\.score)
        #expect(scores == scores.sorted(by: >))
        #expect(answer.why.context == nil)
    }

    @Test("why lists the typos it corrected")
    func whyCorrections() {
        let answer = TestSupport.advisor().ask("who owns moblie")
        #expect(answer.topic == "mobile-ownership")
        #expect(answer.why.corrections == ["moblie -> mobile"])
        #expect(answer.why.matched.contains("mobile"))
    }

    @Test("confidence is between 0 and 1, and higher for a clear question than a vague one")
    func confidenceRange() {
        let advisor = TestSupport.advisor()
        for phrasing in Phrasings.all {
            let answer = advisor.ask(phrasing.question)
            #expect((0...1).contains(answer.confidence), "\(phrasing.question): \(answer.confidence)")
        }
        #expect(advisor.ask("define digital product").confidence > advisor.ask("who does what, cio or cmo").confidence)
        #expect(advisor.ask("asdfgh").confidence == 0)
    }

    @Test("jargon watch: a glossary word inside a question about something else gets a note")
    func jargonWatch() throws {
        let advisor = TestSupport.advisor()
        let answer = advisor.ask("our platform budget keeps growing")
        #expect(answer.topic == "tech-budget")
        let note = try #require(answer.note)
        #expect(note.contains("platform"))
        #expect(note.contains("CIO") && note.contains("CMO"), "with no role, both meanings")
        #expect(answer.why.candidates.contains { $0.topic == "term-platform" })
    }

    @Test("jargon watch for a CIO gives the CMO's meaning")
    func jargonWatchForCIO() throws {
        let advisor = TestSupport.advisor()
        let answer = advisor.ask("our platform budget keeps growing", role: .cio)
        #expect(answer.topic == "tech-budget")
        #expect(answer.role == .cio)
        let note = try #require(answer.note)
        #expect(note.contains("to a CMO"))
        #expect(!note.contains("to a CIO"))
        let glossary = try #require(TestSupport.shippedBase.topic("term-platform")?.glossary)
        let cmoMeaning = try #require(glossary.meanings[.cmo])
        let fragment = cmoMeaning.split(separator: " ").dropFirst().prefix(4).joined(separator: " ")
        #expect(note.contains(fragment), "note \(note) gives the CMO meaning")
    }

    @Test("a question about the word itself gets no jargon note")
    func noNoteOnTheTermsOwnTopic() {
        let answer = TestSupport.advisor().ask("what does platform mean?")
        #expect(answer.topic == "term-platform")
        #expect(answer.note == nil)
    }

    @Test("the router compiled the shipped knowledge base without problems")
    func compiled() {
        let router = Router(knowledgeBase: TestSupport.shippedBase)
        #expect(router.diagnostics.isEmpty)
        #expect(router.ruleCount > 100)
        #expect(router.termCount > 50)
    }

    @Test("a very long question is routed on its start and does not crash")
    func longQuestion() {
        let question = "Who owns mobile? " + String(repeating: "blah ", count: 100_000)
        let routing = Router(knowledgeBase: TestSupport.shippedBase).route(question)
        #expect(routing.topic == "mobile-ownership")
        #expect(Router.bounded(question).count == Router.maximumQuestionLength)
    }

    @Test("explainMiss lists a topic's closest patterns and the missing words")
    func explainMiss() throws {
        let router = Router(knowledgeBase: TestSupport.shippedBase)
        let misses = router.explainMiss(topic: "tech-budget", for: "Who owns mobile?")
        #expect(!misses.isEmpty)
        #expect(misses.count <= 5)
        #expect(misses.allSatisfy { !$0.missing.isEmpty })
        #expect(router.explainMiss(topic: "no-such-topic", for: "Who owns mobile?").isEmpty)
    }

    @Test("routing is deterministic")
    func deterministic() {
        let first = TestSupport.advisor()
        let second = TestSupport.advisor()
        for phrasing in Phrasings.all.prefix(40) {
            #expect(first.ask(phrasing.question) == second.ask(phrasing.question))
        }
    }
}
