import AdvisorTestSupport
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("SpellCorrector")
struct SpellCorrectorTests {
    private func corrector(_ words: [String]) -> SpellCorrector {
        var corrector = SpellCorrector()
        for word in words { corrector.add(word) }
        return corrector
    }

    /// The correction of `typo` against `words`.
    private func correct(_ typo: String, in words: [String]) -> String? {
        var speller = corrector(words)
        return speller.correction(for: typo)
    }

    private let vocabulary = [
        "platform", "mobile", "budget", "agile", "omnichannel", "responsibility", "roadmap", "marketing",
        "literacy", "card", "cart", "cio", "cmo",
    ]

    @Test(
        "corrects typos one edit away",
        arguments: [
            ("platfrom", "platform"),  // transposition
            ("moblie", "mobile"),  // transposition
            ("budjet", "budget"),  // substitution
            ("budgt", "budget"),  // deletion
            ("budgett", "budget"),  // insertion
            ("agiel", "agile"),
            ("roadmpa", "roadmap"),
        ])
    func oneEdit(typo: String, word: String) {
        #expect(correct(typo, in: vocabulary) == word)
    }

    @Test(
        "long words may be two edits away",
        arguments: [
            ("omnichanel1", "omnichannel"),
            ("responsabilty", "responsibility"),
            ("marketnig1", "marketing"),
            ("plaftorm1", "platform"),
        ])
    func twoEdits(typo: String, word: String) {
        #expect(typo.count >= SpellCorrector.twoEditLength)
        #expect(correct(typo, in: vocabulary) == word)
    }

    @Test("shorter words get one edit only")
    func shortWordsOneEditOnly() {
        // "bugdat" is two edits from "budget" and only six letters long.
        #expect(correct("bugdat", in: vocabulary) == nil)
        #expect(correct("mbolie", in: vocabulary) == nil)
    }

    @Test("words shorter than the minimum are never corrected", arguments: ["coi", "cmi", "ci", "a", ""])
    func shortWords(word: String) {
        #expect(word.count < SpellCorrector.minimumLength)
        #expect(correct(word, in: vocabulary) == nil)
    }

    @Test("a known word is not corrected", arguments: ["platform", "card", "cart", "mobile"])
    func knownWord(word: String) {
        var speller = corrector(vocabulary)
        #expect(speller.contains(word))
        #expect(speller.correction(for: word) == nil)
    }

    @Test("words too far from the vocabulary are left alone", arguments: ["weather", "lasagne", "asdfgh", "zzzz"])
    func farWords(word: String) {
        #expect(correct(word, in: vocabulary) == nil)
    }

    @Test("ties go to the more frequent word, then alphabetically, whatever the insertion order")
    func deterministicTieBreak() {
        // "carx" is one substitution from both "card" and "cart".
        #expect(correct("carx", in: ["cart", "card"]) == "card")
        #expect(correct("carx", in: ["card", "cart"]) == "card")
        #expect(correct("carx", in: ["card", "cart", "cart"]) == "cart")
        #expect(correct("carx", in: ["cart", "card", "cart"]) == "cart")
        // A closer word beats a more frequent one.
        #expect(correct("carf", in: ["cards", "cards", "cards", "card"]) == "card")
        for _ in 0..<20 {
            #expect(correct("carx", in: vocabulary.shuffled()) == "card")
        }
    }

    @Test("words added after a lookup are found (the index grows lazily)")
    func addAfterLookup() {
        var speller = SpellCorrector()
        speller.add("budget")
        #expect(speller.correction(for: "budjet") == "budget")
        #expect(speller.correction(for: "moblie") == nil)
        speller.add("mobile")
        #expect(speller.correction(for: "moblie") == "mobile")
        #expect(speller.correction(for: "budjet") == "budget")
    }

    @Test("a corrector rebuilt from its entries corrects the same way, frequencies included")
    func entriesRoundTrip() {
        var original = corrector(["card", "cart", "cart", "platform"])
        var rebuilt = SpellCorrector(entries: original.entries)
        #expect(rebuilt.count == original.count)
        for typo in ["carx", "platfrom", "zzzz"] {
            #expect(rebuilt.correction(for: typo) == original.correction(for: typo))
        }
        #expect(rebuilt.correction(for: "carx") == "cart")
    }

    @Test("a corrector laid out flat and read in place corrects exactly as the one it was written from")
    func storedRoundTrip() throws {
        var original = corrector(vocabulary + ["cart", "cart", "zokab", "bokub", "responsibilities"])
        var writer = ImageWriter()
        let slots = original.write(to: &writer)
        let image = ImageView(ImageStorage(copying: writer.bytes))
        var stored = SpellCorrector(stored: try #require(StoredVocabulary(image, slots)))
        #expect(stored.count == original.count)
        #expect(stored.contains("platform") && !stored.contains("platfrom"))
        for typo in ["carx", "platfrom", "moblie", "zokub", "responsibilitie", "budjet", "zzzz", "cio", "agiel"] {
            #expect(stored.candidates(for: typo) == original.candidates(for: typo), "\(typo)")
        }
        #expect(stored.candidates(for: "zokub") == ["bokub", "zokab"])
        // Written again from the stored form, and grown by a word, it still agrees.
        var again = ImageWriter()
        let rewritten = SpellCorrector(stored: try #require(StoredVocabulary(image, slots)))
        var copy = rewritten
        let copySlots = copy.write(to: &again)
        var reread = SpellCorrector(
            stored: try #require(StoredVocabulary(ImageView(ImageStorage(copying: again.bytes)), copySlots)))
        #expect(reread.candidates(for: "carx") == ["cart", "card"])
        stored.add("carz")
        #expect(stored.count == original.count + 1)
        #expect(stored.candidates(for: "carx") == ["cart", "card", "carz"])
        // Slots that do not lie inside the image are refused.
        var outside = slots
        outside[4].count += 1_000_000
        #expect(StoredVocabulary(image, outside) == nil)
    }

    @Test("count and contains track distinct words")
    func counting() {
        var speller = SpellCorrector()
        #expect(speller.count == 0)
        speller.add("budget")
        speller.add("budget")
        speller.add("mobile")
        #expect(speller.count == 2)
        #expect(speller.contains("budget"))
        #expect(!speller.contains("budgets"))
    }

    @Test(
        "edit distance (optimal string alignment)",
        arguments: [
            ("", "", 0),
            ("", "abc", 3),
            ("abc", "", 3),
            ("abc", "abc", 0),
            ("ab", "ba", 1),
            ("platform", "platfrom", 1),
            ("kitten", "sitting", 3),
            ("budget", "budjet", 1),
            ("budget", "bugdat", 2),
            ("ca", "abc", 3),
            ("flaw", "lawn", 2),
        ])
    func editDistance(a: String, b: String, distance: Int) {
        #expect(SpellCorrector.editDistance(Array(a), Array(b)) == distance)
        #expect(SpellCorrector.editDistance(Array(b), Array(a)) == distance)
    }
}
