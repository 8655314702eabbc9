import AdvisorTestSupport
import Testing

@testable import AdvisorEngine
@testable import AdvisorSystem

@Suite("display width: CJK and emoji take two columns when wrapping")
struct DisplayWidthTests {
    @Test(
        "columns of text",
        arguments: [
            ("plain", 5), ("日本語", 6), ("한국어", 6), ("ｆｕｌｌ", 8), ("👍", 2), ("👨‍👩‍👧", 2), ("e\u{301}", 1),
            ("café", 4), ("❤️", 2), ("", 0),
        ])
    func columns(text: String, expected: Int) {
        #expect(DisplayWidth.of(text) == expected, "\(text)")
        // The same through each overload: String, Substring and the generic one.
        #expect(DisplayWidth.of(text[...]) == expected, "\(text)")
        func throughGeneric(_ text: some StringProtocol) -> Int { DisplayWidth.of(text) }
        #expect(throughGeneric(text) == expected, "\(text)")
    }

    @Test("ASCII control characters take no columns, printable ASCII one each")
    func asciiControls() {
        #expect(DisplayWidth.of("a\tb\u{7F}c\r\n") == 3)
        #expect(DisplayWidth.of("tab\there"[...]) == 7)
        #expect(DisplayWidth.of("\u{1B}[31mred") == 7)
    }

    @Test("a line of wide words wraps by columns, never past the width")
    func wrapsByColumns() {
        let renderer = AnswerRenderer(width: 20, style: .plain)
        let text = "日本語 日本語 日本語 日本語 日本語"
        let lines = renderer.wrap(text).split(separator: "\n").map(String.init)
        #expect(lines == ["日本語 日本語 日本語", "日本語 日本語"], "\(lines)")
        for line in lines { #expect(DisplayWidth.of(line) <= 20) }
        // The same number of characters in ASCII fits on fewer lines.
        let ascii = renderer.wrap("abc abc abc abc abc").split(separator: "\n")
        #expect(ascii.count == 1)
    }

    @Test("emoji count two columns when wrapping")
    func emoji() {
        let renderer = AnswerRenderer(width: 20, style: .plain)
        let lines = renderer.wrap("👍👍👍👍👍 👍👍👍👍👍 ok").split(separator: "\n").map(String.init)
        // 10 + 1 + 10 columns do not fit in 20, although they are 11 characters.
        #expect(lines == ["👍👍👍👍👍", "👍👍👍👍👍 ok"], "\(lines)")
        for line in lines { #expect(DisplayWidth.of(line) <= 20, "\(line)") }
    }

    @Test("a prefix is cut by columns, never inside a wide character")
    func prefixByColumns() {
        #expect(DisplayWidth.prefix(of: "日本語です", columns: 5) == "日本")
        #expect(DisplayWidth.prefix(of: "日本語です", columns: 6) == "日本語")
        #expect(DisplayWidth.prefix(of: "abc", columns: 10) == "abc")
        #expect(DisplayWidth.prefix(of: "👍👍", columns: 3) == "👍")
        #expect(DisplayWidth.prefix(of: "abc", columns: 0) == "")
    }
}
