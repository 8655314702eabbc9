import AdvisorTestSupport
import Foundation
import Testing

/// The knowledge base's example questions, end to end: `ask --json` and `/why` name them,
/// `kb eval` leaves a question's own example out, `kb stats` counts them.
@Suite("advisor and example questions")
struct ExampleQuestionsCLITests {
    /// Sixty unrelated examples, before the ones a test is about: an example's words weigh by
    /// how rare they are among all the examples.
    private static let filler = (1...60).map { "what should I cook for supper number \($0)\tcooking\tfiller\n" }
        .joined()

    /// The minimal fixture knowledge base with five examples about the compost heap.
    private func knowledgeBase(in sandbox: Sandbox) throws -> URL {
        let minimal = try #require(AdvisorProcess.fixture("KB/minimal"))
        let base = try sandbox.copy(minimal, to: "kb-examples")
        try sandbox.write(
            "kb-examples/examples.tsv",
            "question\ttopic\tsource\n" + Self.filler
                + "how often should I turn the compost heap?\tgardening\ttest\n"
                + "is my compost heap too wet?\tgardening\ttest\n"
                + "what can go on the compost heap?\tgardening\ttest\n"
                + "how long until the compost heap is ready?\tgardening\ttest\n"
                + "should the compost heap be covered?\tgardening\ttest\n")
        return base
    }

    @Test("a question only the examples know is answered, and ask --json says the examples decided")
    func askJSON() async throws {
        let sandbox = try Sandbox()
        let base = try knowledgeBase(in: sandbox)
        let result = try await sandbox.advisor(["ask", "--kb", base.path, "--json", "what goes on a compost heap?"])
        #expect(result.status == 0, "\(result)")
        let answer = try JSON.object(result.out)
        #expect(answer["topic"] as? String == "gardening", "\(result)")
        let why = try #require(answer["why"] as? [String: Any])
        #expect((why["evidence"] as? String)?.hasPrefix("examples ") == true, "\(result)")
        #expect(why["example"] as? String == "what can go on the compost heap?", "\(result)")

        // Without the examples file the same question is out of scope.
        try FileManager.default.removeItem(at: base.appendingPathComponent("examples.tsv"))
        let without = try await sandbox.advisor(["ask", "--kb", base.path, "--json", "what goes on a compost heap?"])
        #expect(try JSON.object(without.out)["topic"] as? String == "none", "\(without)")
    }

    @Test("/why shows the nearest example")
    func why() async throws {
        let sandbox = try Sandbox()
        let base = try knowledgeBase(in: sandbox)
        let result = try await sandbox.advisor(
            ["run", "--kb", base.path, "--no-transcript", "-"], input: "is the compost heap ready?\n/why\n")
        #expect(result.status == 0, "\(result)")
        #expect(result.out.contains("Nearest example: \"how long until the compost heap is ready?\""), "\(result)")
        #expect(result.out.contains("Decided by: examples "), "\(result)")
    }

    @Test("kb eval measures a question as unseen: its own example does not count")
    func evalLeavesItsExampleOut() async throws {
        let sandbox = try Sandbox()
        let base = try knowledgeBase(in: sandbox)
        let example = "what can go on the compost heap?"
        let file = try sandbox.write("set.tsv", "question\ttopic\n\(example)\tgardening\n")
        let evaluated = try await sandbox.advisor(["kb", "eval", "--kb", base.path, "--misses", file.path])
        #expect(evaluated.status == 0, "\(evaluated)")
        #expect(evaluated.out.contains("accuracy           100.0% (1/1)"), "\(evaluated)")
        // The same question, once the knowledge base's only example like it is that one: asked,
        // it is found; evaluated, it has nothing left to go on.
        try sandbox.write(
            "kb-examples/examples.tsv",
            "question\ttopic\tsource\n" + Self.filler + "\(example)\tgardening\ttest\n"
                + "\(example) again, please\tgardening\ttest\n" + "\(example) and when?\tgardening\ttest\n")
        let asked = try await sandbox.advisor(["ask", "--kb", base.path, "--json", example])
        let why = try #require(try JSON.object(asked.out)["why"] as? [String: Any])
        #expect(why["example"] as? String == example, "\(asked)")
        try sandbox.write(
            "kb-examples/examples.tsv", "question\ttopic\tsource\n" + Self.filler + "\(example)\tgardening\ttest\n")
        let alone = try await sandbox.advisor(["kb", "eval", "--kb", base.path, "--misses", file.path])
        #expect(alone.out.contains("set.tsv:2: expected gardening, got none"), "\(alone)")
    }

    @Test("kb stats counts the examples")
    func stats() async throws {
        let sandbox = try Sandbox()
        let base = try knowledgeBase(in: sandbox)
        let result = try await sandbox.advisor(["kb", "stats", "--kb", base.path])
        #expect(result.outLines.contains { $0.hasPrefix("examples") && $0.hasSuffix(" 65") }, "\(result)")
    }
}
