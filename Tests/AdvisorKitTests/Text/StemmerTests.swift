import AdvisorTestSupport
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("Stemmer (libstemmer, English)")
struct StemmerTests {
    @Test(
        "stems as the Snowball English stemmer does",
        arguments: [
            ("platforms", "platform"),
            ("platform", "platform"),
            ("budgets", "budget"),
            ("ownership", "ownership"),
            ("owning", "own"),
            ("owns", "own"),
            ("marketing", "market"),
            ("agile", "agil"),
            ("communication", "communic"),
            ("running", "run"),
            ("relationship", "relationship"),
            ("omnichannel", "omnichannel"),
            ("generously", "generous"),
            ("caresses", "caress"),
        ])
    func stems(word: String, stem: String) {
        #expect(Stemmer().stem(word) == stem)
    }

    @Test(
        "keeps apart words Porter2 conflates with words of another meaning",
        arguments: [
            ("response", "responsibilities"),
            ("responses", "responsible"),
            ("productivity", "product"),
            ("productive", "products"),
            ("executive", "execution"),
            ("executives", "execute"),
            ("experiment", "experience"),
            ("technologist", "technology"),
            ("accountability", "accounts"),
            ("engine", "engineering"),
            ("literally", "literate"),
            ("personalized", "personal"),
            ("conversion", "conversation"),
            ("conversions", "conversations"),
        ])
    func keepsApart(word: String, other: String) {
        let stemmer = Stemmer()
        #expect(stemmer.stem(word) != stemmer.stem(other))
    }

    @Test("an override leaves the words it was conflated with as the stemmer reads them")
    func overridesLeaveOthersAlone() {
        let stemmer = Stemmer()
        #expect(stemmer.stem("responsibilities") == stemmer.stem("responsible"))
        #expect(stemmer.stem("execution") == "execut")
        #expect(stemmer.stem("experiences") == stemmer.stem("experience"))
        #expect(stemmer.stem("responses") == stemmer.stem("response"))
        #expect(stemmer.stem("executives") == stemmer.stem("executive"))
        #expect(stemmer.stem("productive") == stemmer.stem("productivity"))
        #expect(stemmer.stem("conversions") == stemmer.stem("conversion"))
        #expect(stemmer.stem("conversations") == stemmer.stem("conversation"))
    }

    @Test("the empty string stems to itself")
    func empty() {
        #expect(Stemmer().stem("") == "")
    }

    @Test("words of other scripts come back intact")
    func otherScripts() {
        let stemmer = Stemmer()
        #expect(!stemmer.stem("مرحبا").isEmpty)
        #expect(stemmer.stem("86") == "86")
    }

    @Test("one stemmer gives the same answers across many calls")
    func repeatable() {
        let stemmer = Stemmer()
        for _ in 0..<1000 {
            #expect(stemmer.stem("platforms") == "platform")
        }
    }
}
