import AdvisorTestSupport
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("Normalizer")
struct NormalizerTests {
    private func normalizer() -> Normalizer {
        let normalizer = Normalizer(concepts: [
            (id: "cio", synonyms: ["cio", "IT", "information technology", "chief information officer"]),
            (id: "cmo", synonyms: ["cmo", "marketing"]),
            (id: "budget", synonyms: ["budget", "money", "funding"]),
        ])
        normalizer.learnVocabulary(from: "platform roadmap omnichannel agile mobile")
        return normalizer
    }

    private func terms(_ text: String, correctTypos: Bool = true) -> [String] {
        normalizer().normalize(text, correctTypos: correctTypos).filter { !$0.isStopWord }.map(\.term)
    }

    @Test("synonyms become their concept term")
    func synonyms() {
        #expect(terms("money") == ["@budget"])
        #expect(terms("Funding for marketing") == ["@budget", "@cmo"])
        #expect(terms("budgets") == ["@budget"])  // stemmed like the synonym
    }

    /// A word's reading remembers whether a phrase starts with its stem; a phrase table set
    /// after the word was read (as a cache restore does) must not be hidden by that memory.
    @Test("a phrase table set after a word was read is used for the next question")
    func phrasesSetAfterReading() {
        let normalizer = normalizer()
        let before = normalizer.normalize("shadow IT again", correctTypos: true).map(\.term)
        #expect(!before.contains("@shadow-it"))
        normalizer.phrases[normalizer.stem("shadow"), default: []].append(
            ConceptPhrase(stems: ["shadow", "it"], capitals: [false, false], concept: "shadow-it"))
        let after = normalizer.normalize("shadow IT again", correctTypos: true).map(\.term)
        #expect(after.first == "@shadow-it")
        #expect(normalizer.normalize("the shadow", correctTypos: true).last?.isStopWord == false)
        #expect(normalizer.normalize("the shadow", correctTypos: true).first?.isStopWord == true)
    }

    @Test("a word in capitals inside a phrase matches only in capitals: 'without IT', not 'without it'")
    func capitalsInsidePhrase() {
        let normalizer = Normalizer(concepts: [
            (id: "unannounced", synonyms: ["without IT", "without telling"]), (id: "cio", synonyms: ["IT"]),
        ])
        let terms = { (text: String) in normalizer.normalize(text, correctTypos: false).map(\.term) }
        #expect(terms("they built a chatbot without IT").contains("@unannounced"))
        #expect(!terms("how do i handle this without it turning into a turf war?").contains("@unannounced"))
        #expect(terms("they did it WITHOUT TELLING anyone").contains("@unannounced"), "lowercase words match any case")
    }

    @Test("a multi-word synonym becomes one concept term")
    func multiWordSynonym() throws {
        let words = normalizer().normalize(
            "the Chief Information Officer and information technology", correctTypos: false)
        let concepts = words.filter { $0.term == "@cio" }
        #expect(concepts.count == 2)
        let first = try #require(concepts.first)
        #expect(first.surface == "chief information officer")
        #expect(!first.isStopWord)
        #expect(terms("information technology budget") == ["@cio", "@budget"])
    }

    private func separable() -> Normalizer {
        Normalizer(concepts: [
            (id: "cio", synonyms: ["cio", "IT"]),
            (id: "cmo", synonyms: ["cmo", "marketing"]),
            (id: "take-control", synonyms: ["take over", "take ... over"]),
            (id: "launch", synonyms: ["push ... live"]),
            (id: "campaign", synonyms: ["marketing campaign"]),
        ])
    }

    private func separableTerms(_ text: String) -> [String] {
        separable().normalize(text, correctTypos: false).filter { !$0.isStopWord }.map(\.term)
    }

    @Test("a synonym written with a gap matches with up to three words between its parts")
    func separablePhrase() throws {
        #expect(separableTerms("is marketing taking IT over?") == ["@cmo", "@take-control", "@cio"])
        #expect(separableTerms("marketing takes over") == ["@cmo", "@take-control"])
        #expect(separableTerms("take the whole IT over").filter { $0.hasPrefix("@") } == ["@take-control", "@cio"])
        // The gap's own words still form phrases, but none that runs into the tail.
        #expect(separableTerms("push my marketing campaign live") == ["@launch", "@campaign"])
        // Four words in the gap are too many: the parts are words of their own.
        #expect(separableTerms("take the whole big IT over").filter { $0.hasPrefix("@") } == ["@cio"])
        #expect(!separableTerms("push it").contains("@launch"))
        // Words after the tail are read as usual, phrases included.
        #expect(separableTerms("take IT over for the marketing campaign") == ["@take-control", "@cio", "@campaign"])
        #expect(
            separableTerms("take IT over and take marketing over") == [
                "@take-control", "@cio", "@take-control", "@cmo",
            ])
        let words = separable().normalize("taking IT over", correctTypos: false)
        let phrase = try #require(words.first)
        #expect(phrase.surface == "taking over")
        #expect(words.map(\.term) == ["@take-control", "@cio"])
    }

    @Test("words of a multi-word synonym alone are not the concept")
    func partialPhrase() {
        #expect(!terms("information about technology", correctTypos: false).contains("@cio"))
        #expect(terms("information about technology", correctTypos: false).count == 2)
    }

    @Test("the capitalised synonym IT only matches in capitals")
    func capitalisedSynonym() {
        #expect(terms("IT budget") == ["@cio", "@budget"])
        #expect(terms("ask IT") == ["ask", "@cio"])
        // "it" and "It" are the pronoun: a stop word, not the concept.
        let lower = normalizer().normalize("it is the budget", correctTypos: true)
        #expect(lower.first?.term == "it")
        #expect(lower.first?.isStopWord == true)
        #expect(!terms("It is the budget").contains("@cio"))
        #expect(!terms("is it").contains("@cio"))
    }

    @Test("stop words are flagged, content words are not")
    func stopWords() {
        let words = normalizer().normalize("What is the budget for our roadmap", correctTypos: true)
        #expect(words.map(\.isStopWord) == [true, true, true, false, true, true, false])
        #expect(words.filter { !$0.isStopWord }.map(\.term) == ["@budget", "roadmap"])
    }

    @Test("contractions expand into stop words")
    func contractionStopWords() {
        let words = normalizer().normalize("what's the roadmap", correctTypos: true)
        #expect(words.map(\.surface) == ["what", "is", "the", "roadmap"])
        #expect(words.prefix(3).allSatisfy { $0.isStopWord })
    }

    @Test("typos are corrected in questions only")
    func typosInQuestionsOnly() throws {
        let question = try #require(normalizer().normalize("platfrom", correctTypos: true).first)
        #expect(question.surface == "platfrom")
        #expect(question.correction == "platform")
        #expect(question.term == "platform")
        #expect(!question.isStopWord)
        let pattern = try #require(normalizer().normalize("platfrom", correctTypos: false).first)
        #expect(pattern.correction == nil)
        #expect(pattern.term == "platfrom")
    }

    @Test("a typo inside a synonym phrase is corrected and the phrase still matches")
    func typoInPhrase() throws {
        let words = normalizer().normalize("informaton technology", correctTypos: true)
        let word = try #require(words.first)
        #expect(words.count == 1)
        #expect(word.term == "@cio")
        #expect(word.correction == "information technology")
        #expect(terms("monye") == ["@budget"])
    }

    @Test("letters drawn out for emphasis are read as the word meant, stop words too")
    func drawnOutLetters() throws {
        let words = normalizer().normalize("is IT soooo slowwww with the roadmaaap", correctTypos: true)
        let so = try #require(words.first { $0.surface == "soooo" })
        #expect(so.term == "so")
        #expect(so.isStopWord)
        #expect(words.first { $0.surface == "roadmaaap" }?.correction == "roadmap")
        #expect(words.first { $0.surface == "roadmaaap" }?.term == "roadmap")
        #expect(terms("monnney") == ["@budget"])
        #expect(Normalizer.undrawn("slowwww") == ["sloww", "slow"])
        #expect(Normalizer.undrawn("coffee").isEmpty, "two letters in a row are a spelling, not emphasis")
        #expect(Normalizer.undrawn("1000").isEmpty, "digits are not drawn-out letters")
        let patterns = normalizer().normalize("soooo", correctTypos: false)
        #expect(patterns.first?.correction == nil, "patterns are never corrected")
    }

    @Test("known words, stop words and short words are not corrected")
    func noCorrection() {
        let normalizer = normalizer()
        for text in ["roadmap", "what", "the", "abc", "cmo"] {
            #expect(normalizer.normalize(text, correctTypos: true).allSatisfy { $0.correction == nil })
        }
        #expect(normalizer.isKnown("roadmap"))
        #expect(normalizer.isKnown("roadmaps"))  // by stem
        #expect(!normalizer.isKnown("weather"))
        #expect(normalizer.vocabularySize > 5)
    }

    @Test("concept ids carry the concept prefix")
    func conceptPrefix() {
        #expect(Normalizer.conceptPrefix == "@")
        #expect(isAllCapitals("IT"))
        #expect(!isAllCapitals("It"))
        #expect(!isAllCapitals("I"))
    }

    @Test("empty and punctuation-only text normalises to nothing", arguments: ["", "?!", "🙂"])
    func empty(text: String) {
        #expect(normalizer().normalize(text, correctTypos: true).isEmpty)
    }

    @Test("a word read once is read the same again, until the vocabulary changes")
    func rememberedReadings() {
        let normalizer = normalizer()
        let first = normalizer.normalize("the plaftorm roadmapz", correctTypos: true)
        #expect(first.map(\.correction) == [nil, "platform", "roadmap"])
        let again = normalizer.normalize("the plaftorm roadmapz", correctTypos: true)
        #expect(again.map(\.correction) == first.map(\.correction) && again.map(\.term) == first.map(\.term))
        #expect(again.map(\.isStopWord) == [true, false, false])
        // Once "roadmapz" is a word of the knowledge base, it is no longer a typo.
        normalizer.learnVocabulary(from: "roadmapz")
        #expect(
            normalizer.normalize("the plaftorm roadmapz", correctTypos: true).map(\.correction) == [
                nil, "platform", nil,
            ])
        // A name inside a sentence is not corrected, however the same word was read before.
        #expect(normalizer.normalize("ask Plaftorm", correctTypos: true).map(\.correction) == [nil, nil])
    }
}
