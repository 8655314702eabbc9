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
        return SyntheticRouter.make(patterns.map { id, pattern in (id, [Pattern(pattern, at: location)]) })
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
