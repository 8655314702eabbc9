import AdvisorTestSupport
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("Router scaling (correctness only)")
struct RouterScalingTests {
    static let ruleCount = 20_000
    /// Built once for the suite (a knowledge base is a value; each test builds its own router).
    static let fixture = makeKnowledgeBase()

    /// Made-up words of consonant-vowel syllables, all distinct.
    static func vocabulary(count: Int) -> [String] {
        let consonants = Array("bdgkmpvz")
        let vowels = Array("aiou")
        var words: [String] = []
        var index = 0
        while words.count < count {
            var value = index
            var word = ""
            for _ in 0..<3 {
                word.append(consonants[value % consonants.count])
                value /= consonants.count
                word.append(vowels[value % vowels.count])
                value /= vowels.count
            }
            word.append(consonants[value % consonants.count])
            words.append(word)
            index += 1
        }
        return words
    }

    /// A knowledge base of `ruleCount` one-pattern topics, each pattern 2 to 4 made-up words.
    static func makeKnowledgeBase() -> (KnowledgeBase, [[String]]) {
        var rng = SplitMix64(seed: 42)
        let words = vocabulary(count: 4_000)
        var seen = Set<[String]>()
        var rules: [[String]] = []
        while rules.count < ruleCount {
            let length = Int.random(in: 2...4, using: &rng)
            var rule: [String] = []
            while rule.count < length {
                let word = words[Int.random(in: 0..<words.count, using: &rng)]
                if !rule.contains(word) { rule.append(word) }
            }
            if seen.insert(rule.sorted()).inserted { rules.append(rule) }
        }
        let location = AdvisorKnowledge.SourceLocation(file: "synthetic.yaml", line: 1, column: 1)
        let topics = rules.enumerated().map { index, rule in
            Topic(
                id: "r\(index)", title: "Rule \(index)", answer: "Synthetic answer.", more: nil, advice: [:],
                glossary: nil, facts: [], sources: ["syn"], related: [],
                patterns: [Pattern(rule.joined(separator: " "), at: location)], samples: [], location: location)
        }
        let base = KnowledgeBase(
            directory: "/synthetic", sources: [Source(id: "syn", seed: "syn.txt", title: "Synthetic")],
            concepts: [], topics: topics, fingerprint: "synthetic")
        return (base, rules)
    }

    @Test("20,000 rules: questions still reach their intended rule")
    func twentyThousandRules() throws {
        let (base, rules) = Self.fixture
        let router = Router(knowledgeBase: base)
        #expect(router.diagnostics.isEmpty)
        #expect(router.ruleCount == Self.ruleCount)
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let index = Int.random(in: 0..<rules.count, using: &rng)
            let rule = rules[index]
            let question = "please tell me about " + rule.shuffled(using: &rng).joined(separator: " ") + "?"
            let routing = router.route(question)
            #expect(routing.topic == "r\(index)", "\(question) -> \(routing.topic)")
            #expect(routing.candidates.first?.topic == "r\(index)")
            #expect((0...1).contains(routing.confidence))
        }
        // The first and last rules too.
        for index in [0, rules.count - 1] {
            #expect(router.route(rules[index].joined(separator: " ")).topic == "r\(index)")
        }
    }

    @Test("20,000 rules: a question sharing no word with any rule gives none")
    func noMatch() {
        let base = Self.fixture.0
        let router = Router(knowledgeBase: base)
        let routing = router.route("what is the weather like in Reykjavik")
        #expect(routing.topic == KnowledgeBase.noneTopic)
        #expect(routing.confidence == 0)
    }
}
