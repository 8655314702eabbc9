import AdvisorTestSupport
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("TerminalSafe.neutralize")
struct TerminalSafeTests {
    @Test(
        "control characters are made visible",
        arguments: [
            ("\u{1B}[31mred\u{1B}[0m", "^[[31mred^[[0m"),
            ("\u{1B}]0;title\u{07}", "^[]0;title^G"),
            ("\u{1B}]8;;http://x\u{1B}\\link", "^[]8;;http://x^[\\link"),
            ("a\u{0}b", "a^@b"),
            ("a\rb", "a^Mb"),
            ("del\u{7F}", "del^?"),
            ("\u{9B}31m", "<U+009B>31m"),
            ("\u{85}", "<U+0085>"),
            ("\u{202E}txt.exe", "<U+202E>txt.exe"),
            ("\u{2066}isolate\u{2069}", "<U+2066>isolate<U+2069>"),
            ("\u{202A}\u{202B}\u{202C}\u{202D}", "<U+202A><U+202B><U+202C><U+202D>"),
        ])
    func neutralised(input: String, expected: String) {
        let output = TerminalSafe.neutralize(input)
        #expect(output == expected)
        #expect(!output.unicodeScalars.contains { TerminalSafe.isControl($0) })
    }

    @Test("newlines and tabs are kept unless asked otherwise")
    func newlines() {
        #expect(TerminalSafe.neutralize("one\ntwo\tthree") == "one\ntwo\tthree")
        #expect(TerminalSafe.neutralize("one\ntwo\u{1B}") == "one\ntwo^[")
        #expect(TerminalSafe.neutralize("one\ntwo\tthree", keepNewlines: false) == "one^Jtwo^Ithree")
    }

    @Test(
        "ordinary text is unchanged", arguments: ["", "Who owns mobile?", "café ☕️ 🙂", "مرحبا", "emoji 👍🏽 and \u{200D}"])
    func unchanged(text: String) {
        #expect(TerminalSafe.neutralize(text) == text)
    }
}
