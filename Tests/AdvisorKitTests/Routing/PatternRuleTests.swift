import AdvisorTestSupport
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge

/// How a pattern becomes a rule: which words it requires, and the patterns `kb check` reports
/// because they would not match what they say.
@Suite("Patterns as rules")
struct PatternRuleTests {
    /// Where a pattern on `line` of `file` was read.
    private func at(_ file: String, _ line: Int) -> AdvisorKnowledge.SourceLocation {
        AdvisorKnowledge.SourceLocation(file: file, line: line, column: 5)
    }

    @Test("a pattern of three words matches with one missing, unless it requires all")
    func requiresAll() {
        let router = SyntheticRouter.make([
            ("loose", [Pattern("zebra yak quokka", at: at("all.yaml", 1))]),
            ("strict", [Pattern("walrus yak quokka", requiresAll: true, at: at("all.yaml", 1))]),
        ])
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
        let router = SyntheticRouter.make([("short", [Pattern("walrus yak", requiresAll: true, at: at("all.yaml", 7))])]
        )
        #expect(router.diagnostics.contains { $0.message.contains("'all' changes nothing") && $0.location.line == 7 })
    }

    @Test("a pattern whose other words are stop words is reported: it would match its one word anywhere")
    func oneWordLeft() {
        let router = SyntheticRouter.make([
            (
                "one",
                [
                    Pattern("see you", at: at("one.yaml", 4)), Pattern("walrus yak", at: at("one.yaml", 5)),
                    Pattern("walrus", at: at("one.yaml", 6)),
                ]
            )
        ])
        #expect(router.diagnostics.map(\.location.line) == [4], "\(router.diagnostics)")
        #expect(router.diagnostics.first?.message.contains("is read as 'see' alone") == true)
    }
}
