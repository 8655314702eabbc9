import AdvisorTestSupport
import Testing

@testable import AdvisorEngine

/// The router's per-question shortcuts.
///
/// Rule signatures that pass over rules unread, the question-sized tables and sets, and the
/// top-five pick: each must give what the plain computation gives.
@Suite("Routing shortcuts")
struct RoutingScratchTests {
    @Test("a signature never passes over a rule that can match, and passes over most that cannot")
    func signaturesAreSafe() {
        var random = SplitMix64(seed: 7)
        var cannot = 0
        var passedOver = 0
        for _ in 0..<20_000 {
            let terms = (0..<Int.random(in: 1...6, using: &random)).map { _ in Int32.random(in: 0..<400, using: &random)
            }
            let distinct = Array(Set(terms))
            let stopOnly = Int.random(in: 0..<10, using: &random) == 0
            let rule = RouterIndex.DraftRule(topic: 0, terms: distinct, text: "", weight: 1, stopOnly: stopOnly)
            // A question holding some of the rule's terms and some others.
            var question = Set(distinct.filter { _ in Bool.random(using: &random) })
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                question.insert(Int32.random(in: 0..<400, using: &random))
            }
            var questionSignature: UInt64 = 0
            for term in question { questionSignature |= RouterIndex.signatureBit(term) }
            let missing = distinct.filter { !question.contains($0) }.count
            let allowed = distinct.count >= 3 && !stopOnly ? 1 : 0
            let may = RouterIndex.mayMatch(RouterIndex.signature(of: rule), question: questionSignature)
            if missing <= allowed {
                #expect(may, "rule \(distinct) (stop only: \(stopOnly)) against \(question.sorted())")
            } else {
                cannot += 1
                if !may { passedOver += 1 }
            }
        }
        #expect(cannot > 5_000)
        #expect(Double(passedOver) > 0.7 * Double(cannot), "the filter passes over \(passedOver) of \(cannot)")
    }

    @Test("term bits are spread over bits 1 to 63, bit 0 left for the one-missing flag")
    func signatureBits() {
        var seen: UInt64 = 0
        for term in Int32(0)..<Int32(2_000) {
            let bit = RouterIndex.signatureBit(term)
            #expect(bit.nonzeroBitCount == 1 && bit != 1)
            seen |= bit
        }
        #expect(seen == ~UInt64(1))
    }

    @Test("term slots behave as a set, past 64 slots too")
    func termSlots() {
        var a = TermSlots()
        #expect(a.isEmpty)
        for slot in [0, 5, 63, 64, 130, 200] { a.insert(slot) }
        #expect(a.slots == [0, 5, 63, 64, 130, 200])
        #expect(a.contains(130) && !a.contains(129) && !a.contains(1_000))
        var b = TermSlots()
        for slot in [5, 64, 300] { b.insert(slot) }
        #expect(a.subtracting(b).slots == [0, 63, 130, 200])
        #expect(b.subtracting(a).slots == [300])
        #expect(!a.subtracting(a).slots.contains { _ in true } && a.subtracting(a).isEmpty)
        a.formUnion(b)
        #expect(a.slots == [0, 5, 63, 64, 130, 200, 300])
        var c = TermSlots()
        c.insert(70)
        #expect(!c.subtracting(a).isEmpty && c.subtracting(a).slots == [70])
    }

    @Test("the rule trail gives each chain's rules in the order they came")
    func ruleTrail() {
        var trail = RuleTrail()
        trail.start()
        var first: Int32 = -1
        var second: Int32 = -1
        for rule in Int32(0)..<Int32(10) {
            if rule % 3 == 0 {
                second = trail.append(rule, after: second)
            } else {
                first = trail.append(rule, after: first)
            }
        }
        #expect(trail.rules(endingAt: first) == [1, 2, 4, 5, 7, 8])
        #expect(trail.rules(endingAt: second) == [0, 3, 6, 9])
        #expect(trail.rules(endingAt: -1).isEmpty)
        trail.start()
        let only = trail.append(42, after: -1)
        #expect(trail.rules(endingAt: only) == [42])
    }

    @Test("the retrieval tally sums like a dictionary, across questions and colliding topics")
    func textTally() {
        var random = SplitMix64(seed: 11)
        var tally = TextTally()
        for mark in UInt32(1)...UInt32(50) {
            let postings = (0..<Int.random(in: 0..<300, using: &random)).map { _ in
                (
                    topic: Int32.random(in: 0..<100_000, using: &random) & ~0xFF
                        | Int32.random(in: 0..<4, using: &random),
                    impact: Double.random(in: 0..<3, using: &random), ownTerm: Bool.random(using: &random)
                )
            }
            let patternTopics = Set(postings.prefix(5).map(\.topic))
            tally.start(topics: postings.count + patternTopics.count, mark: mark)
            for topic in patternTopics { tally.markPatternTopic(topic) }
            var expected: [Int32: (score: Double, terms: Int)] = [:]
            for posting in postings {
                tally.add(posting.topic, impact: posting.impact) { posting.ownTerm }
                if patternTopics.contains(posting.topic), posting.ownTerm { continue }
                expected[posting.topic, default: (0, 0)].score += posting.impact
                expected[posting.topic, default: (0, 0)].terms += 1
            }
            var found: [Int32: (score: Double, terms: Int)] = [:]
            tally.forEachTouched { topic, score, terms, hasPattern in
                #expect(found[topic] == nil, "each topic once")
                #expect(hasPattern == patternTopics.contains(topic))
                found[topic] = (score, terms)
            }
            #expect(found.count == expected.count)
            for (topic, sum) in expected {
                #expect(found[topic]?.score == sum.score && found[topic]?.terms == sum.terms, "topic \(topic)")
            }
        }
    }

    @Test("candidates are the five best, best first, ties to the id that sorts first")
    func topFive() {
        // Nine topics share the question's word; "b…" topics also hold its second word.
        let patterns = (1...9).map { ("a\(10 - $0)", "zanzibar") } + (1...3).map { ("b\($0)", "zanzibar quokka") }
        let router = CorrectionGuessTests.router(patterns)
        let routing = router.route("zanzibar quokka")
        #expect(routing.candidates.map(\.topic) == ["b1", "b2", "b3", "a1", "a2"])
        let all = router.route("zanzibar")
        #expect(all.candidates.count == 5)
        #expect(zip(all.candidates, all.candidates.dropFirst()).allSatisfy { $0.score >= $1.score })
    }
}
