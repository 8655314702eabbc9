import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("Advice for the person who asks")
struct AskerFramingTests {
    private func conversation(role: Role? = nil) -> Conversation {
        Conversation(advisor: TestSupport.advisor(), role: role)
    }

    /// The content topics: every topic but `none` and `smalltalk`.
    static let contentTopics: [Topic] = TestSupport.shippedBase.topics.filter {
        $0.id != KnowledgeBase.noneTopic && $0.id != KnowledgeBase.smalltalkTopic
    }

    @Test("A CIO who names marketing gets CIO advice")
    func budgetWithMarketing() {
        let answer = conversation(role: .cio).ask("how do we split the budget with marketing?")
        #expect(answer.topic == "tech-budget")
        #expect(answer.role == .cio)
        #expect(answer.about == .cmo)
        #expect(answer.answer.contains("Next steps for you as a CIO"))
        #expect(!answer.answer.contains("as a CMO"))
        #expect(answer.nextSteps.count >= 2)
        #expect(answer.nextSteps.allSatisfy { $0.role == .cio })
        #expect(answer.why.role == "from --role")
    }

    @Test("A question about the CMO's meaning leads with it, and a follow-up keeps both roles apart")
    func aboutIsNotAsker() {
        let chat = conversation(role: .cio)
        let agile = chat.ask("what does agile mean to a CMO?")
        #expect(agile.topic == "term-agile")
        #expect(agile.role == .cio)
        #expect(agile.about == .cmo)
        #expect(agile.answer.hasPrefix("To a CMO"))
        #expect(agile.nextSteps.allSatisfy { $0.role == .cio })

        let budget = chat.ask("what about the budget?")
        #expect(budget.topic == "tech-budget")
        #expect(budget.role == .cio, "naming the counterpart never changes who asks")
        #expect(budget.about == .cmo)
        #expect(budget.why.about?.contains("carried from turn 1") == true)
        #expect(budget.nextSteps.allSatisfy { $0.role == .cio })
    }

    @Test("'I'm the CMO' sets the asker for the rest of the session, and says so")
    func statementSetsRole() {
        let chat = conversation()
        let first = chat.ask("I'm the CMO. Who should own mobile?")
        #expect(first.topic == "mobile-ownership")
        #expect(first.role == .cmo)
        #expect(first.notice?.contains("you are a CMO") == true)
        #expect(first.why.role?.contains("turn 1") == true)
        let second = chat.ask("how do we split the tech budget?")
        #expect(second.role == .cmo)
        #expect(second.notice == nil, "said once, when it changes")
        #expect(second.why.role?.contains("turn 1") == true)
    }

    @Test("'my CMO ...' makes the asker a CIO unless a role was set")
    func possessive() {
        let unknown = conversation().ask("my CMO keeps buying software without telling IT")
        #expect(unknown.role == .cio)
        let set = conversation(role: .cmo).ask("my CMO keeps buying software without telling IT")
        #expect(set.role == .cmo, "a possessive never overrides a role set with --role or /role")
    }

    @Test("With no asker role known, the advice for both roles is given, labelled")
    func bothRoles() {
        let answer = conversation().ask("who should own mobile?")
        #expect(answer.role == nil)
        #expect(answer.answer.contains("For a CIO:"))
        #expect(answer.answer.contains("For a CMO:"))
        #expect(Set(answer.nextSteps.map(\.role)) == [.cio, .cmo])
    }

    @Test("Every content topic, asked with either role and naming the counterpart, is framed for the asker")
    func everyTopicBothRoles() throws {
        var checked = 0
        for topic in Self.contentTopics {
            for role in Role.allCases {
                let counterpart = role.counterpart.displayName
                // Samples that say who asks ("as a CMO, ...") set the asker themselves.
                let neutral = topic.samples.filter {
                    RoleReading.read(TestSupport.advisor().router.route($0.value).words).asker == nil
                }
                for sample in neutral.prefix(3) {
                    let question = "My \(counterpart) asked me this: \(sample.value)"
                    let chat = conversation(role: role)
                    let answer = chat.ask(question)
                    #expect(answer.role == role, "\(topic.id): \(question)")
                    guard answer.topic == topic.id else { continue }  // routing is checked elsewhere
                    checked += 1
                    #expect(answer.nextSteps.count >= 2, "\(topic.id) as \(role)")
                    #expect(answer.nextSteps.allSatisfy { $0.role == role }, "\(topic.id) as \(role)")
                    #expect(answer.answer.contains("Next steps for you as \(role.article)"), "\(topic.id) as \(role)")
                    #expect(!answer.answer.contains("as \(role.counterpart.article)"), "\(topic.id) as \(role)")
                }
            }
        }
        #expect(checked >= Self.contentTopics.count * 2, "most samples still reach their topic (\(checked))")
    }

    @Test("Every step of every topic cites a source of the topic, and the answer numbers it")
    func stepsCiteTheirSource() {
        let base = TestSupport.shippedBase
        for topic in Self.contentTopics {
            for role in Role.allCases {
                let steps = topic.nextSteps[role] ?? []
                #expect((2...4).contains(steps.count), "\(topic.id) \(role)")
                for step in steps {
                    #expect(topic.sources.contains(step.source), "\(topic.id): \(step.text)")
                    #expect(base.source(step.source) != nil)
                }
            }
            let answer = conversation(role: .cmo).show(topicID: topic.id)
            for step in answer.nextSteps {
                let index = answer.sources.firstIndex { $0.seed == step.seed }
                #expect(index != nil, "\(topic.id): a step's source is listed")
                if let index {
                    #expect(answer.answer.contains("[\(index + 1)]"))
                }
            }
            #expect(!answer.answer.contains("[00"), "\(topic.id): markers are numbered, not raw ids")
        }
    }

    @Test("An inferred step is marked as the advisor's suggestion, never as the article's words")
    func inferredStepsAreMarked() {
        let answer = conversation(role: .cio).ask("who should control the technology budget?")
        for step in answer.nextSteps {
            let line = answer.answer.split(separator: "\n").first { $0.contains(step.step.prefix(30)) }
            #expect(line != nil)
            #expect((line?.contains("our suggestion") ?? false) == step.inferred, "\(step.step)")
        }
    }

    @Test("Answers are short: about 80 to 150 words for a known role")
    func answersAreShort() {
        for topic in Self.contentTopics {
            let answer = conversation(role: .cio).show(topicID: topic.id)
            let words = answer.answer.split(whereSeparator: \.isWhitespace).count
            #expect(words <= 190, "\(topic.id): \(words) words")
        }
    }

    @Test("A 'none' turn does not zero the confidence of the follow-ups after it")
    func noneKeepsConfidence() {
        let chat = conversation()
        let mobile = chat.ask("who owns mobile")
        #expect(mobile.topic == "mobile-ownership")
        #expect(chat.ask("what is the weather in Paris").topic == "none")
        let why = chat.ask("why?")
        #expect(why.topic == "mobile-ownership")
        #expect(why.confidence == mobile.confidence)
        let cmo = chat.ask("and to a CMO?")
        #expect(cmo.topic == "mobile-ownership")
        #expect(cmo.confidence == mobile.confidence)
    }

    @Test(
        "Follow-ups people type are answered from the current topic",
        arguments: [
            ("why?", AnswerMode.more), ("why is that?", .more), ("can you give an example?", .more),
            ("tell me more", .more), ("what should I do first?", .steps),
        ])
    func followUps(question: String, mode: AnswerMode) {
        let chat = conversation(role: .cmo)
        #expect(chat.ask("how do we split the tech budget?").topic == "tech-budget")
        let answer = chat.ask(question)
        #expect(answer.topic == "tech-budget", "\(question)")
        #expect(answer.role == .cmo)
        #expect(answer.why.context?.contains(mode.rawValue) == true, "\(question): \(answer.why.context ?? "")")
        if mode == .steps {
            #expect(answer.answer.hasPrefix("Start with this:"))
        }
    }

    @Test("'thanks' and 'bye' get a fitting reply, not a greeting", arguments: ["thanks!", "thank you", "bye"])
    func thanks(question: String) {
        let answer = conversation().ask(question)
        #expect(answer.topic == "smalltalk")
        #expect(!answer.answer.hasPrefix("Hello"), "\(question): \(answer.answer)")
    }

    @Test("A none answer suggests the topics nearest to the question, not a fixed list")
    func noneSuggestsNearest() {
        let answer = conversation().ask("what is the best CRM system?")
        #expect(answer.topic == "none")
        let candidates = answer.why.candidates.map(\.topic).filter { $0 != "none" && $0 != "smalltalk" }
        #expect(answer.related == Array(candidates.prefix(3)))
    }
}
