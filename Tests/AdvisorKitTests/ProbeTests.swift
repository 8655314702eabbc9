import Foundation
import Testing

@testable import AdvisorKit

@Test func probe() throws {
    let s = Stemmer()
    for w in ["platforms", "budgets", "ownership", "owning", "marketing", "agile", "running", "communication", "omnichannel", "relationship", "caresses", "generously"] {
        print("STEM \(w) -> \(s.stem(w))")
    }
    print("BASE", TestSupport.shippedKnowledgeBase, TestSupport.shippedBase.topics.count)
    let advisor = TestSupport.advisor()
    for q in ["our platform budget keeps growing", "what's the weather in Paris", "hello", "What is IT's budget?"] {
        let a = advisor.ask(q)
        print("ASK", q, "->", a.topic, a.confidence, a.note ?? "-", a.why)
    }
    print(Tokenizer.tokenize("Don't what's CMO's IT it Café ｆｕｌｌ e\u{301}te"))
}
