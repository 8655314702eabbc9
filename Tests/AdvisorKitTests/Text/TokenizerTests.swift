import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("Tokenizer")
struct TokenizerTests {
    private func words(_ text: String) -> [String] {
        Tokenizer.tokenize(text).map(\.text)
    }

    @Test(
        "case, accent and width folding",
        arguments: [
            ("Platform", ["platform"]),
            ("PLATFORM", ["platform"]),
            ("Café Crème", ["cafe", "creme"]),
            ("naïve Ångström", ["naive", "angstrom"]),
            ("ｐｌａｔｆｏｒｍ ＢＵＤＧＥＴ", ["platform", "budget"]),
            ("Straße", ["strasse"]),
        ])
    func folding(text: String, expected: [String]) {
        #expect(words(text) == expected)
    }

    @Test(
        "punctuation separates words and is dropped",
        arguments: [
            ("Who owns mobile?", ["who", "owns", "mobile"]),
            ("budget, money; funding!", ["budget", "money", "funding"]),
            ("omni-channel", ["omni", "channel"]),
            ("(CIO/CMO)", ["cio", "cmo"]),
            ("\"quoted\" words...", ["quoted", "words"]),
            ("86% of CIOs", ["86", "of", "cios"]),
            ("  spaced\tout\nlines  ", ["spaced", "out", "lines"]),
        ])
    func punctuation(text: String, expected: [String]) {
        #expect(words(text) == expected)
    }

    @Test(
        "contractions are expanded, with straight and curly apostrophes",
        arguments: [
            ("don't", ["do", "not"]),
            ("don’t", ["do", "not"]),
            ("Don‘t", ["do", "not"]),
            ("what's", ["what", "is"]),
            ("What’s up", ["what", "is", "up"]),
            ("can't", ["can", "not"]),
            ("won't", ["will", "not"]),
            ("we're", ["we", "are"]),
            ("they’ve", ["they", "have"]),
            ("I'm", ["i", "am"]),
            ("CMO's budget", ["cmo", "budget"]),
            ("the CIO’s team", ["the", "cio", "team"]),
        ])
    func contractions(text: String, expected: [String]) {
        #expect(words(text) == expected)
    }

    @Test("the modifier letter apostrophe (U+02BC) is an apostrophe too")
    func modifierLetterApostrophe() {
        #expect(words("donʼt") == ["do", "not"])
    }

    @Test("terminal escape sequences are skipped: only the visible text is routed")
    func escapeSequences() {
        #expect(words("\u{1B}[31mred\u{1B}[0m") == ["red"])
    }

    @Test("quotes around a word are not apostrophes of it")
    func quotesAroundWords() {
        #expect(words("'platform'") == ["platform"])
        #expect(words("‘agile’ means") == ["agile", "means"])
    }

    @Test("the capitals flag tells IT from it")
    func capitalsFlag() throws {
        let upper = try #require(Tokenizer.tokenize("IT").first)
        #expect(upper.text == "it")
        #expect(upper.isCapitalized)
        let lower = try #require(Tokenizer.tokenize("it").first)
        #expect(lower.text == "it")
        #expect(!lower.isCapitalized)
        // A capitalised word is not in capitals; nor is a single capital letter.
        #expect(Tokenizer.tokenize("It").first?.isCapitalized == false)
        #expect(Tokenizer.tokenize("I").first?.isCapitalized == false)
        #expect(Tokenizer.tokenize("ＩＴ").first?.isCapitalized == true)
        #expect(Tokenizer.tokenize("CAFÉ").first?.isCapitalized == true)
        let mixed = Tokenizer.tokenize("Ask IT about it")
        #expect(mixed.map(\.isCapitalized) == [false, true, false, false])
    }

    @Test("a capitalised possessive keeps its capitals: IT's budget is IT's")
    func capitalisedPossessive() {
        let tokens = Tokenizer.tokenize("IT's budget")
        #expect(tokens.map(\.text) == ["it", "budget"])
        #expect(tokens.first?.isCapitalized == true)
        #expect(Tokenizer.tokenize("CMO's").first?.isCapitalized == true)
    }

    @Test("combining accents fold like precomposed ones")
    func combiningAccents() {
        #expect(words("cafe\u{301}") == ["cafe"])
        #expect(words("cafe\u{301}") == words("café"))
        #expect(words("n\u{303}o\u{308}") == ["no"])
        // A combining mark with no letter before it is not a word.
        #expect(words("\u{301} budget") == ["budget"])
    }

    @Test(
        "input with no letters gives no tokens",
        arguments: ["", "   ", "!!!", "?!.,;:", "🙂🚀", "👍🏽", "— … ‽", "\u{1B}\u{7}", "''", "’’’"])
    func noWords(text: String) {
        #expect(Tokenizer.tokenize(text).isEmpty)
    }

    @Test(
        "right-to-left and other scripts tokenise without crashing",
        arguments: ["مرحبا بالعالم", "שלום עולם", "\u{202E}evil\u{202C} budget", "Привет мир", "你好世界", "مرحبا IT"])
    func otherScripts(text: String) {
        let tokens = Tokenizer.tokenize(text)
        #expect(!tokens.isEmpty)
        #expect(tokens.allSatisfy { !$0.text.isEmpty })
    }

    @Test("the ASCII path and the Unicode path agree")
    func asciiAndUnicodeAgree() {
        // The same sentence with an accent added at the end goes through the general path.
        let ascii = Tokenizer.tokenize("Don't ask IT what's the CMO's budget")
        let unicode = Tokenizer.tokenize("Don't ask IT what's the CMO's budget é")
        #expect(Array(unicode.dropLast()) == ascii)
    }

    @Test("a very long input is tokenised")
    func longInput() {
        let text = String(repeating: "budget ", count: 50_000)
        #expect(Tokenizer.tokenize(text).count == 50_000)
    }
}
