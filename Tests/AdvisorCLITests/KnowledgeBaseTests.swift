import AdvisorTestSupport
import Foundation
import Testing

/// `advisor kb check|stats|topics`, and refusing to start on an invalid knowledge base.
@Suite("advisor kb")
struct KnowledgeBaseTests {
    /// The public topic ids of shared/spec/topics.md (a contract: they never change).
    static let topicIDs: Set<String> = [
        "overview", "shared-language", "term-digital-product", "term-platform", "term-agile", "term-omnichannel",
        "listening", "tech-budget", "mobile-ownership", "infinite-roadmap", "digital-always", "shared-kpis",
        "power-sharing", "roles-and-responsibilities", "joint-planning", "customer-data", "speed-vs-stability",
        "shadow-it", "tech-literacy", "business-impact", "healthy-conflict", "marketing-mission-critical",
        "the-study", "smalltalk", "none",
    ]

    /// A broken fixture knowledge base and the diagnostic `kb check` must give for it.
    struct Broken: Sendable, CustomStringConvertible {
        var name: String
        /// The file at fault, relative to the knowledge base.
        var file: String
        /// The line of the problem.
        var line: Int
        /// Words the message must contain.
        var message: String
        var description: String { name }
    }

    static let broken: [Broken] = [
        Broken(name: "invalid-yaml", file: "topics/gardening.yaml", line: 6, message: "invalid YAML"),
        Broken(name: "unknown-related", file: "topics/cooking.yaml", line: 8, message: "baking"),
        Broken(name: "sample-elsewhere", file: "topics/cooking.yaml", line: 13, message: "gardening"),
        Broken(name: "alias-bomb-values", file: "topics/gardening.yaml", line: 9, message: "aliases"),
        Broken(
            name: "concept-name-pattern", file: "topics/cooking.yaml", line: 10,
            message: "'harvest' names a concept but is not one of its synonyms"),
        Broken(
            name: "concept-name-pattern", file: "topics/cooking.yaml", line: 11,
            message: "'ripe-fruit' names a concept but is not one of its synonyms"),
        Broken(
            name: "concept-name-pattern", file: "topics/cooking.yaml", line: 12,
            message: "'roast-vegetable' names a concept but is not one of its synonyms"),
        Broken(name: "pattern-all", file: "topics/cooking.yaml", line: 10, message: "'all' must be true or false"),
        Broken(
            name: "pattern-all-short", file: "topics/cooking.yaml", line: 10,
            message: "'all' changes nothing on a pattern of under three words"),
        Broken(
            name: "pattern-one-word", file: "topics/cooking.yaml", line: 10,
            message: "pattern 'pinch of it' is read as 'pinch' alone: its other words are stop words"),
        Broken(
            name: "reply-unknown-concept", file: "topics/none.yaml", line: 8,
            message: "a reply of 'none' names unknown concept 'weather'"),
        Broken(
            name: "reply-without-words", file: "topics/none.yaml", line: 8,
            message: "a reply needs 'when' words or 'concepts', and an 'answer'"),
        Broken(name: "example-unknown-topic", file: "examples.tsv", line: 3, message: "unknown topic 'baking'"),
        Broken(
            name: "example-fields", file: "examples.tsv", line: 3,
            message: "expected QUESTION<TAB>TOPIC<TAB>SOURCE, found 1 field"),
    ]

    /// `FILE:LINE:COLUMN: message` lines of standard error.
    static func diagnostics(_ result: ProcessResult) -> [String] {
        result.errLines.filter { $0.range(of: #"^[^:]+:\d+:\d+: "#, options: .regularExpression) != nil }
    }

    @Test("kb check passes on the shipped knowledge base")
    func checkShipped() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(["kb", "check"])
        #expect(result.status == 0, "\(result)")
        #expect(result.err.isEmpty, "\(result)")
        #expect(result.out.contains("25 topics"), "\(result)")
    }

    @Test("kb check passes on the minimal fixture knowledge base")
    func checkMinimal() async throws {
        let sandbox = try Sandbox()
        let fixture = try #require(AdvisorProcess.fixture("KB/minimal"))
        let result = try await sandbox.advisor(["kb", "check", "--kb", fixture.path])
        #expect(result.status == 0, "\(result)")
    }

    @Test("kb check fails with FILE:LINE:COLUMN messages on a broken knowledge base", arguments: broken)
    func checkBroken(_ broken: Broken) async throws {
        let sandbox = try Sandbox()
        let base = try sandbox.brokenKnowledgeBase(broken.name)
        let result = try await sandbox.advisor(["kb", "check", "--kb", base.path], timeout: .seconds(20))
        #expect(result.status == 1, "\(result)")
        #expect(result.exitedNormally && !result.err.contains("Fatal error"), "\(result)")
        #expect(result.elapsed < .seconds(5), "kb check took \(result.elapsed)")
        let expected = base.appendingPathComponent(broken.file).path + ":\(broken.line):"
        let lines = Self.diagnostics(result)
        #expect(
            lines.contains { $0.hasPrefix(expected) && $0.contains(broken.message) },
            "expected a line starting \(expected) mentioning \(broken.message): \(result)")
    }

    @Test("advisor refuses to start on an invalid knowledge base, with the same messages", arguments: broken)
    func askRefusesBroken(_ broken: Broken) async throws {
        let sandbox = try Sandbox()
        let base = try sandbox.brokenKnowledgeBase(broken.name)
        async let checking = sandbox.advisor(["kb", "check", "--kb", base.path], timeout: .seconds(20))
        async let asking = sandbox.advisor(["ask", "--kb", base.path, "hello"], timeout: .seconds(20))
        async let running = sandbox.advisor(["run", "--kb", base.path, "-"], input: "hello\n", timeout: .seconds(20))
        let (check, ask, run) = try await (checking, asking, running)
        for result in [ask, run] {
            #expect(result.exitedNormally && !result.err.contains("Fatal error"), "never a crash: \(result)")
        }
        let refuse = {
            for result in [ask, run] {
                #expect(result.status == 1, "\(result)")
                #expect(result.stdout.isEmpty, "no answer from an invalid knowledge base: \(result)")
                let lines = Self.diagnostics(result)
                #expect(!lines.isEmpty, "\(result)")
                for line in lines {
                    #expect(Self.diagnostics(check).contains(line), "kb check should report \(line)")
                }
            }
            #expect(sandbox.transcriptFiles().isEmpty, "no session was started")
        }
        refuse()
    }

    @Test("a YAML alias bomb in mapping keys is rejected quickly")
    func aliasBombKeys() async throws {
        let sandbox = try Sandbox()
        let base = try sandbox.brokenKnowledgeBase("alias-bomb")
        // One process only: while the bug stands it spins a core until the deadline.
        let result = try await sandbox.advisor(["kb", "check", "--kb", base.path], timeout: .seconds(4))
        let file = base.appendingPathComponent("topics/gardening.yaml").path
        #expect(!result.timedOut, "must finish within 4 s: \(result)")
        #expect(result.status == 1, "\(result)")
        #expect(Self.diagnostics(result).contains { $0.hasPrefix(file + ":") }, "\(result)")
    }

    @Test("kb stats prints counts")
    func stats() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(["kb", "stats"])
        #expect(result.status == 0, "\(result)")
        var counts: [String: Int] = [:]
        for line in result.outLines {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if let last = words.last, let number = Int(last) {
                counts[words.dropLast().joined(separator: " ")] = number
            }
        }
        #expect(counts["topics"] == 25, "\(result)")
        for name in ["patterns", "concepts", "vocabulary"] {
            #expect((counts[name] ?? 0) > 0, "\(name) in \(result)")
        }
    }

    @Test("kb topics lists the 25 ids of topics.md")
    func topics() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(["kb", "topics"])
        #expect(result.status == 0, "\(result)")
        let ids = result.outLines.compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(ids.count == 25, "\(result)")
        #expect(Set(ids) == Self.topicIDs)
        #expect(result.outLines.allSatisfy { $0.split(separator: " ").count > 1 }, "each id has a title")
    }

    @Test("the topic ids in the test agree with shared/spec/topics.md, when it is there")
    func topicsMarkdown() throws {
        guard let root = AdvisorProcess.packageRoot else { return }
        let spec = root.deletingLastPathComponent().appendingPathComponent("shared/spec/topics.md")
        guard let text = try? String(contentsOf: spec, encoding: .utf8) else { return }
        var ids: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            if let id = line.split(separator: "`").dropFirst().first { ids.insert(String(id)) }
        }
        #expect(ids == Self.topicIDs)
    }
}
