import AdvisorTestSupport
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("Conversation follow-ups")
struct ConversationTests {
    private func conversation(role: Role? = nil) -> Conversation {
        Conversation(advisor: TestSupport.advisor(), role: role)
    }

    @Test("'and to a CMO?' after an agile question frames term-agile for the CMO")
    func roleFollowUp() {
        let chat = conversation()
        let first = chat.ask("What does agile mean to a CIO?")
        #expect(first.topic == "term-agile")
        #expect(first.role == nil, "naming a role does not make it the asker's")
        #expect(first.about == .cio)
        #expect(first.answer.hasPrefix("To a CIO"))
        #expect(first.why.context == nil)

        let second = chat.ask("and to a CMO?")
        #expect(second.topic == "term-agile")
        #expect(second.role == nil)
        #expect(second.about == .cmo)
        #expect(second.answer.hasPrefix("To a CMO"))
        #expect(second.why.context != nil)
        #expect(second.why.context?.contains("term-agile") == true)
        #expect(second.why.about?.contains("CMO") == true)
        #expect(second.confidence == first.confidence, "resolved by the conversation, as sure as the turn it follows")
    }

    @Test("'what about platform?' moves to term-platform and keeps the role asked about")
    func whatAbout() {
        let chat = conversation()
        #expect(chat.ask("What does agile mean to a CIO?").topic == "term-agile")
        #expect(chat.ask("and to a CMO?").topic == "term-agile")
        let answer = chat.ask("what about platform?")
        #expect(answer.topic == "term-platform")
        #expect(answer.role == nil)
        #expect(answer.about == .cmo)
        #expect(answer.answer.hasPrefix("To a CMO"))
        #expect(answer.why.about?.contains("carried") == true)
    }

    @Test("'what do the numbers say?' after a mobile question gives mobile-ownership's figures")
    func figuresFollowUp() {
        let chat = conversation()
        #expect(chat.ask("Who should own our mobile app?").topic == "mobile-ownership")
        let answer = chat.ask("what do the numbers say?")
        #expect(answer.topic == "mobile-ownership")
        #expect(answer.answer.contains("86%"))
        #expect(answer.answer.contains("76%"))
        #expect(answer.why.context?.contains("figures") == true)
        #expect(answer.facts?.count == 2)
    }

    @Test(
        "'tell me more' gives the current topic's longer explanation",
        arguments: ["tell me more", "more details please"])
    func tellMeMore(question: String) throws {
        let chat = conversation(role: .cio)
        #expect(chat.ask("Who owns mobile?").topic == "mobile-ownership")
        let answer = chat.ask(question)
        #expect(answer.topic == "mobile-ownership")
        let more = try #require(TestSupport.shippedBase.topic("mobile-ownership")?.more)
        let rendered = SourceMarkers.stripped(more).split(separator: " ").prefix(6).joined(separator: " ")
        #expect(SourceMarkers.stripped(answer.answer).hasPrefix(rendered))
        #expect(answer.answer.contains("Next steps for you as a CIO:"))
        #expect(answer.why.context?.contains("more") == true)
    }

    @Test("a follow-up with stray words still refers back")
    func strayWords() {
        let chat = conversation()
        #expect(chat.ask("What does agile mean to a CIO?").topic == "term-agile")
        let answer = chat.ask("and for the CMO again?")
        #expect(answer.topic == "term-agile")
        #expect(answer.about == .cmo)
        #expect(answer.role == nil)
    }

    @Test("a figures question naming its topic gets the figures without context")
    func figuresDirect() {
        let answer = conversation().ask("budget statistics")
        #expect(answer.topic == "tech-budget")
        #expect(answer.answer.contains("68%"))
        #expect(answer.why.context == nil)
    }

    @Test("figures of a topic without facts say so and still answer")
    func figuresWithoutFacts() {
        let chat = conversation()
        #expect(chat.ask("What does agile mean?").topic == "term-agile")
        let answer = chat.ask("any numbers?")
        #expect(answer.topic == "term-agile")
        #expect(answer.answer.contains("no figures"))
    }

    @Test(
        "follow-ups with no earlier topic are not resolved", arguments: ["and to a CMO?", "what do the numbers say?"])
    func followUpWithoutContext(question: String) {
        let answer = conversation().ask(question)
        #expect(answer.why.context == nil)
        #expect(answer.topic != "term-agile")
    }

    @Test("reset() forgets the topic, so a follow-up no longer resolves; the role stays")
    func reset() {
        let chat = conversation(role: .cio)
        #expect(chat.ask("What does agile mean?").topic == "term-agile")
        #expect(chat.currentTopic == "term-agile")
        chat.reset()
        #expect(chat.currentTopic == nil)
        #expect(chat.lastAnswer == nil)
        #expect(chat.lastQuestion == nil)
        #expect(chat.role == .cio)
        let answer = chat.ask("and to a CMO?")
        #expect(answer.topic != "term-agile")
        #expect(answer.why.context == nil)
    }

    @Test("the session role frames every answer; naming the other role only changes what it is about")
    func sessionRole() {
        let chat = conversation(role: .cmo)
        let answer = chat.ask("What does platform mean?")
        #expect(answer.role == .cmo)
        #expect(answer.answer.hasPrefix("To a CMO"))
        let other = chat.ask("What does platform mean to a CIO?")
        #expect(other.role == .cmo)
        #expect(other.about == .cio)
        #expect(other.answer.hasPrefix("To a CIO"))
        #expect(other.nextSteps.allSatisfy { $0.role == .cmo })
        let advice = chat.ask("Who owns mobile?")
        #expect(advice.role == .cmo)
        #expect(advice.answer.contains("Next steps for you as a CMO:"))
    }

    @Test("IT in capitals names the CIO role; the pronoun does not")
    func itInCapitals() {
        #expect(conversation().ask("What does agile mean to IT?").about == .cio)
        #expect(conversation().ask("what does agile mean? is it new?").about == nil)
        #expect(conversation().ask("What does agile mean in IT's world?").about == .cio)
    }

    @Test("none and smalltalk do not become the topic follow-ups refer to")
    func noneAndSmalltalkKeepTheTopic() {
        let chat = conversation()
        #expect(chat.ask("Who owns mobile?").topic == "mobile-ownership")
        #expect(chat.ask("thanks").topic == KnowledgeBase.smalltalkTopic)
        #expect(chat.ask("recipe for lasagne").topic == KnowledgeBase.noneTopic)
        #expect(chat.currentTopic == "mobile-ownership")
        #expect(chat.lastAnswer?.topic == KnowledgeBase.noneTopic)
        #expect(chat.ask("what do the numbers say?").topic == "mobile-ownership")
        #expect(chat.questions.count == 4)
    }

    @Test("isFollowUp recognises 'and ...' and 'what about ...'")
    func isFollowUp() {
        #expect(Conversation.isFollowUp("and to a CMO?"))
        #expect(Conversation.isFollowUp("What about platform?"))
        #expect(Conversation.isFollowUp("how about mobile"))
        #expect(Conversation.isFollowUp("also the budget"))
        #expect(!Conversation.isFollowUp("Who owns mobile?"))
        #expect(!Conversation.isFollowUp(""))
    }

    @Test("show(topicID:) makes that topic the one follow-ups refer to")
    func show() {
        let chat = conversation()
        let shown = chat.show(topicID: "term-omnichannel")
        #expect(shown.topic == "term-omnichannel")
        #expect(shown.confidence == 1)
        #expect(chat.ask("and to a CIO?").topic == "term-omnichannel")
    }
}
