import AdvisorTestSupport
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorText

/// Typo correction weighed as what it is: a clean correction of one word stands, a
/// match that rests on corrections chosen among rivals, or on two corrections or more
/// with no word typed as the knowledge base writes it, is a guess.
@Suite("Matches that rest on corrected words")
struct CorrectionGuessTests {
    /// One-pattern topics from `patterns` (topic id to pattern).
    static func router(_ patterns: [(String, String)]) -> Router {
        let location = AdvisorKnowledge.SourceLocation(file: "guess.yaml", line: 1, column: 1)
        let topics = patterns.map { id, pattern in
            Topic(
                id: id, title: id, answer: "Answer of \(id).", more: nil, advice: [:], glossary: nil, facts: [],
                sources: ["syn"], related: [], patterns: [Pattern(pattern, at: location)], samples: [],
                location: location)
        }
        let base = KnowledgeBase(
            directory: "/guess", sources: [Source(id: "syn", seed: "syn.txt", title: "Synthetic")], concepts: [],
            topics: topics, fingerprint: "guess")
        return Router(knowledgeBase: base)
    }

    @Test("a pattern of three words matches with one missing, unless it requires all")
    func requiresAll() {
        let location = AdvisorKnowledge.SourceLocation(file: "all.yaml", line: 1, column: 1)
        let topics = [("loose", false), ("strict", true)].map { id, all in
            Topic(
                id: id, title: id, answer: "Answer of \(id).", more: nil, advice: [:], glossary: nil, facts: [],
                sources: ["syn"], related: [],
                patterns: [
                    Pattern(id == "loose" ? "zebra yak quokka" : "walrus yak quokka", requiresAll: all, at: location)
                ],
                samples: [], location: location)
        }
        let base = KnowledgeBase(
            directory: "/all", sources: [Source(id: "syn", seed: "syn.txt", title: "Synthetic")], concepts: [],
            topics: topics, fingerprint: "all")
        let router = Router(knowledgeBase: base)
        #expect(router.diagnostics.isEmpty, "\(router.diagnostics)")
        // Two of three words: the loose pattern matches at a discount, the strict one not at all
        // (its topic may still be found by retrieval over its text, with no rule behind it).
        #expect(router.route("zebra yak").matchedRules == ["zebra yak quokka"])
        #expect(router.route("walrus yak").matchedRules.isEmpty)
        #expect(router.route("walrus yak quokka").matchedRules == ["walrus yak quokka"])
        // Every word: both match.
        #expect(router.route("walrus yak quokka").topic == "strict")
        #expect(router.route("zebra yak quokka").topic == "loose")
    }

    @Test("'all' on a pattern of under three words is reported: it changes nothing")
    func requiresAllNeedsThreeWords() {
        let location = AdvisorKnowledge.SourceLocation(file: "all.yaml", line: 7, column: 5)
        let topic = Topic(
            id: "short", title: "short", answer: "Answer.", more: nil, advice: [:], glossary: nil, facts: [],
            sources: ["syn"], related: [], patterns: [Pattern("walrus yak", requiresAll: true, at: location)],
            samples: [], location: location)
        let base = KnowledgeBase(
            directory: "/all", sources: [Source(id: "syn", seed: "syn.txt", title: "Synthetic")], concepts: [],
            topics: [topic], fingerprint: "short")
        let diagnostics = Router(knowledgeBase: base).diagnostics
        #expect(diagnostics.contains { $0.message.contains("'all' changes nothing") && $0.location.line == 7 })
    }

    @Test("a pattern whose other words are stop words is reported: it would match its one word anywhere")
    func oneWordLeft() {
        let location = AdvisorKnowledge.SourceLocation(file: "one.yaml", line: 4, column: 5)
        let patterns = [
            Pattern("see you", at: location),
            Pattern("walrus yak", at: AdvisorKnowledge.SourceLocation(file: "one.yaml", line: 5, column: 5)),
            Pattern("walrus", at: AdvisorKnowledge.SourceLocation(file: "one.yaml", line: 6, column: 5)),
        ]
        let topic = Topic(
            id: "one", title: "one", answer: "Answer.", more: nil, advice: [:], glossary: nil, facts: [],
            sources: ["syn"], related: [], patterns: patterns, samples: [], location: location)
        let base = KnowledgeBase(
            directory: "/one", sources: [Source(id: "syn", seed: "syn.txt", title: "Synthetic")], concepts: [],
            topics: [topic], fingerprint: "one")
        let diagnostics = Router(knowledgeBase: base).diagnostics
        #expect(diagnostics.map(\.location.line) == [4], "\(diagnostics)")
        #expect(diagnostics.first?.message.contains("is read as 'see' alone") == true)
    }

    @Test("the corrector lists every word as close as the best, preferred first")
    func rivals() {
        var speller = SpellCorrector()
        for word in ["bokub", "zokab", "zokab", "mobile"] { speller.add(word) }
        #expect(speller.candidates(for: "zokub") == ["zokab", "bokub"])
        #expect(speller.correction(for: "zokub") == "zokab")
        #expect(speller.candidates(for: "moblie") == ["mobile"])
        #expect(speller.candidates(for: "mobile").isEmpty)
    }

    @Test("a correction chosen among rivals of other stems is marked a guess; one without rivals is not")
    func normalizerMarksGuesses() {
        let normalizer = Normalizer()
        normalizer.learnVocabulary(from: "bokub zokab mobile budget")
        let words = normalizer.normalize("zokub moblie budjet", correctTypos: true)
        // Equally frequent rivals: the first in alphabetical order is taken, and marked a guess.
        #expect(words.map(\.correction) == ["bokub", "mobile", "budget"])
        #expect(words.map(\.correctionIsGuess) == [true, false, false])
    }

    @Test("two corrected words with nothing typed as written: discounted to none; one clean correction stands")
    func compoundGuess() {
        let router = Self.router([("r1", "bakaz bakup"), ("r2", "mobile strategy")])
        // As typed, the rule is found with confidence.
        let typed = router.route("bakaz bakup")
        #expect(typed.topic == "r1")
        #expect(!typed.restsOnCorrections)
        // Every word one letter from a rule word, one of them nobody's: a reading, not the asker's words.
        let noise = router.route("pakaz vakup vuvom")
        #expect(noise.corrections.count == 2)
        #expect(noise.restsOnCorrections)
        #expect(noise.topic == KnowledgeBase.noneTopic)
        #expect(noise.candidates.first?.topic == "r1")
        #expect(noise.confidence < typed.confidence * 0.5)
        #expect(noise.evidence.hasSuffix("discounted: rests on corrected words only"))
        // One typo beside a word typed as written is an everyday typo, not a guess.
        let typo = router.route("our moblie strategy")
        #expect(typo.topic == "r2")
        #expect(!typo.restsOnCorrections)
        // A single clean correction carries the match alone.
        let single = Self.router([("r3", "omnichannel")]).route("omnichanel?")
        #expect(single.topic == "r3")
        #expect(!single.restsOnCorrections)
    }

    @Test("a match resting on a correction chosen among rivals is discounted")
    func rivalGuess() {
        let router = Self.router([("r1", "bokub"), ("r2", "zokab")])
        let clean = router.route("bokub")
        let guessed = router.route("zokub")
        #expect(guessed.restsOnCorrections)
        #expect(guessed.confidence <= clean.confidence * Router.guessDiscount + 0.01)
    }
}
