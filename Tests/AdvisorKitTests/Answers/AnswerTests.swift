import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("Answers: composing, rendering, JSON")
struct AnswerTests {
    @Test("the JSON answer object has the contract's keys, role null when unset")
    func jsonObject() throws {
        let answer = TestSupport.advisor().ask("Who owns mobile?")
        let line = answer.jsonLine()
        #expect(line.hasSuffix("\n"))
        #expect(line.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["topic"] as? String == "mobile-ownership")
        #expect(object["role"] is NSNull)
        let sources = try #require(object["sources"] as? [[String: Any]])
        #expect(!sources.isEmpty)
        #expect(sources.allSatisfy { $0["seed"] is String && $0["title"] is String })
        #expect(object["related"] as? [String] == answer.related)
        let why = try #require(object["why"] as? [String: Any])
        #expect(why["matched"] is [String])
        #expect(why["candidates"] is [[String: Any]])
        #expect(object["confidence"] is Double)
        #expect(object["note"] == nil)
        let decoded = try JSONDecoder().decode(Answer.self, from: Data(line.utf8))
        #expect(decoded == answer)
    }

    @Test("sources may be empty only for smalltalk and none")
    func sourcesContract() {
        let advisor = TestSupport.advisor()
        for phrasing in Phrasings.all {
            let answer = advisor.ask(phrasing.question)
            if answer.topic != KnowledgeBase.noneTopic, answer.topic != KnowledgeBase.smalltalkTopic {
                #expect(!answer.sources.isEmpty, "\(answer.topic)")
            }
        }
    }

    @Test("glossary answers are framed for the role, with the other role's meaning")
    func framing() {
        let advisor = TestSupport.advisor()
        let cio = advisor.ask("What does omnichannel mean?", role: .cio)
        #expect(cio.answer.hasPrefix("To a CIO, \"omnichannel\" means: "))
        #expect(cio.answer.contains("\nTo a CMO, it means something else: "))
        let none = advisor.ask("What does omnichannel mean?")
        #expect(none.answer.hasPrefix("To a CIO, \"omnichannel\" means: "), "with no role, the CIO's meaning first")
        #expect(none.answer.contains("For a CIO:") && none.answer.contains("For a CMO:"))
    }

    @Test("the renderer wraps to its width and keeps line breaks")
    func renderer() {
        let renderer = AnswerRenderer(width: 30)
        let wrapped = renderer.wrap(
            String(repeating: "word ", count: 30) + "\n- item " + String(repeating: "x ", count: 20))
        for line in wrapped.split(separator: "\n") {
            #expect(line.count <= 30)
        }
        #expect(wrapped.contains("\n  x"), "list items hang")
        #expect(AnswerRenderer(width: 5).width == 20)
        let answer = TestSupport.advisor().ask("Who owns mobile?")
        let text = AnswerRenderer().render(answer)
        #expect(text.hasPrefix("Who owns mobile [mobile-ownership]\n"))
        #expect(text.contains("Sources: "))
        #expect(text.contains("Related: "))
        #expect(!text.utf8.contains(0x1B))
        #expect(AnswerRenderer(style: TextStyle(colors: true)).render(answer).utf8.contains(0x1B))
    }

    @Test("lowercasedFirst keeps acronyms")
    func lowercased() {
        #expect(lowercasedFirst("A set of tools.") == "a set of tools")
        #expect(lowercasedFirst("API first.") == "API first")
        #expect(lowercasedFirst("  ") == "")
    }
}
