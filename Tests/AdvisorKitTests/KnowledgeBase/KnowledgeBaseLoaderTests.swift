import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("Knowledge base loader and validator on broken fixtures")
struct KnowledgeBaseLoaderTests {
    /// The diagnostics of `kb check` for a fixture, with the fixture's path cut to `<kb>`.
    private func check(_ fixture: String) throws -> (KnowledgeBase, [Diagnostic]) {
        let directory = try TestSupport.fixtureKnowledgeBase(fixture)
        return KnowledgeBaseCheck.check(directory: directory)
    }

    /// The one diagnostic about `file` (relative to the knowledge base) whose message has `fragment`.
    private func diagnostic(
        _ diagnostics: [Diagnostic], file: String, containing fragment: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Diagnostic {
        let found = diagnostics.filter { $0.location.file.hasSuffix("/" + file) && $0.message.contains(fragment) }
        try #require(
            found.count == 1, "no single diagnostic '\(fragment)' in \(file): \(diagnostics)",
            sourceLocation: sourceLocation)
        return found[0]
    }

    @Test("the valid fixture, with cyclic related topics, passes with no diagnostics")
    func valid() throws {
        let (base, diagnostics) = try check("valid")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(base.topics.map(\.id) == ["alpha", "beta", "none"])
        #expect(base.topic("alpha")?.related.map(\.value) == ["beta"])
        #expect(base.topic("beta")?.related.map(\.value) == ["alpha"])
        #expect(base.sources.first?.date == nil)
        #expect(base.concepts.map(\.id) == ["cio", "cmo", "budget"])
        #expect(!base.fingerprint.isEmpty)
        let advisor = try Advisor.load(directory: base.directory)
        #expect(advisor.ask("who controls the money?").topic == "alpha")
    }

    @Test("invalid YAML is reported with file, line and column")
    func invalidYAML() throws {
        let (_, diagnostics) = try check("invalid-yaml")
        let problem = try diagnostic(diagnostics, file: "topics/alpha.yaml", containing: "invalid YAML")
        #expect((5...6).contains(problem.location.line))
        #expect(problem.location.column > 0)
        #expect(
            problem.description.contains(
                "alpha.yaml:\(problem.location.line):\(problem.location.column): error: invalid YAML"))
    }

    @Test("a duplicate key is reported")
    func duplicateKey() throws {
        let (_, diagnostics) = try check("duplicate-key")
        let problem = try diagnostic(diagnostics, file: "topics/alpha.yaml", containing: "duplicate key 'title'")
        #expect(problem.location.line == 4, "at the duplicate, not the first occurrence")
        #expect(problem.location.column == 1)
    }

    @Test("an unknown key is reported with the known keys")
    func unknownKey() throws {
        let (_, diagnostics) = try check("unknown-key")
        let problem = try diagnostic(diagnostics, file: "topics/alpha.yaml", containing: "unknown key 'colour'")
        #expect(problem.location.line == 4)
        #expect(problem.location.column == 1)
        #expect(problem.message.contains("answer"))
    }

    @Test("a missing required field is reported")
    func missingField() throws {
        let (_, diagnostics) = try check("missing-field")
        let problem = try diagnostic(diagnostics, file: "topics/alpha.yaml", containing: "missing 'answer'")
        #expect(problem.location.line == 1)
    }

    @Test("a topic id that does not match its file name is reported")
    func idMismatch() throws {
        let (_, diagnostics) = try check("id-mismatch")
        let problem = try diagnostic(diagnostics, file: "topics/alpha.yaml", containing: "does not match its file name")
        #expect(problem.message.contains("'gamma'"))
        #expect(problem.location.line == 1)
        #expect(problem.location.column == 5)
    }

    @Test("a related topic that does not exist is reported where it is written")
    func missingRelated() throws {
        let (_, diagnostics) = try check("missing-related")
        #expect(diagnostics.count == 1)
        let problem = try diagnostic(
            diagnostics, file: "topics/alpha.yaml", containing: "related topic 'nowhere' does not exist")
        #expect(problem.location.line == 5)
        #expect(problem.location.column == 17)
    }

    @Test("an unknown source is reported")
    func unknownSource() throws {
        let (_, diagnostics) = try check("unknown-source")
        #expect(diagnostics.count == 1)
        _ = try diagnostic(diagnostics, file: "topics/alpha.yaml", containing: "cites unknown source 's9'")
    }

    @Test("a pattern with no words is reported")
    func emptyPattern() throws {
        let (_, diagnostics) = try check("empty-pattern")
        #expect(diagnostics.count == 1)
        let problem = try diagnostic(diagnostics, file: "topics/alpha.yaml", containing: "has no words to match")
        #expect(problem.location.line == 8)
        #expect(throws: KnowledgeBaseError.self) {
            try Advisor.load(directory: try TestSupport.fixtureKnowledgeBase("empty-pattern"))
        }
    }

    @Test("a sample that routes elsewhere is reported with the scores")
    func sampleMisroute() throws {
        let (_, diagnostics) = try check("sample-misroute")
        #expect(diagnostics.count == 1)
        let problem = try diagnostic(diagnostics, file: "topics/alpha.yaml", containing: "sample question routes to")
        #expect(problem.location.line == 10)
        #expect(problem.message.contains("instead of 'alpha'"))
        #expect(problem.message.contains("beta"))
        // The advisor refuses what kb check rejects, sample routing included.
        #expect(throws: KnowledgeBaseError.self) {
            try Advisor.load(directory: try TestSupport.fixtureKnowledgeBase("sample-misroute"))
        }
    }

    @Test(
        "Advisor.load refuses a broken knowledge base, listing every problem",
        arguments: ["invalid-yaml", "unknown-key", "id-mismatch", "missing-related", "unknown-source"])
    func advisorRefuses(fixture: String) throws {
        let directory = try TestSupport.fixtureKnowledgeBase(fixture)
        let error = try #require(throws: KnowledgeBaseError.self) { try Advisor.load(directory: directory) }
        #expect(!error.diagnostics.isEmpty)
        for line in error.description.split(separator: "\n") {
            #expect(line.contains(": error: "))
            #expect(line.hasPrefix(directory))
        }
    }

    @Test("a missing folder is reported")
    func missingFolder() {
        let (_, diagnostics) = KnowledgeBaseLoader.load(directory: "/nonexistent/advisor-kb-\(UUID().uuidString)")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message == "knowledge base folder not found")
    }

    @Test("a folder without topics is reported")
    func missingTopics() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        try temp.write("sources.yaml", "sources: []\n")
        try temp.write("concepts.yaml", "concepts: {}\n")
        let (_, diagnostics) = KnowledgeBaseLoader.load(directory: temp.path)
        #expect(diagnostics.contains { $0.message == "topics folder not found" })
    }

    @Test("sources.yaml problems: unknown key, missing field, duplicate id")
    func sourcesProblems() throws {
        let temp = try TestSupport.copyFixture("valid")
        defer { temp.remove() }
        try temp.write("sources.yaml", "sources:\n  - id: \"s1\"\n    seed: s1.txt\n    colour: red\n    title: T\n")
        var diagnostics = KnowledgeBaseLoader.load(directory: temp.path).1
        #expect(
            diagnostics.contains { $0.message.contains("unknown key 'colour' in a source") && $0.location.line == 4 })

        try temp.write("sources.yaml", "sources:\n  - id: \"s1\"\n    seed: s1.txt\n")
        diagnostics = KnowledgeBaseLoader.load(directory: temp.path).1
        #expect(diagnostics.contains { $0.message == "source is missing 'title'" && $0.location.line == 2 })

        try temp.write(
            "sources.yaml",
            "sources:\n  - {id: \"s1\", seed: a.txt, title: A}\n  - {id: \"s1\", seed: b.txt, title: B}\n")
        diagnostics = KnowledgeBaseCheck.check(directory: temp.path).1
        #expect(diagnostics.contains { $0.message.contains("source id 's1' is declared twice") })
    }

    @Test("concept problems: a word in two concepts, a bad concept id")
    func conceptProblems() throws {
        let temp = try TestSupport.copyFixture("valid")
        defer { temp.remove() }
        try temp.write("concepts.yaml", "concepts:\n  budget: [budget, money]\n  cash: [money]\n  Bad_Id: [thing]\n")
        let diagnostics = KnowledgeBaseCheck.check(directory: temp.path).1
        #expect(diagnostics.contains { $0.message.contains("'money' belongs to both concepts 'budget' and 'cash'") })
        #expect(diagnostics.contains { $0.message.contains("concept id 'Bad_Id'") })
    }

    @Test("a synonym's gap needs words on both sides, and only one gap")
    func gapProblems() throws {
        let temp = try TestSupport.copyFixture("valid")
        defer { temp.remove() }
        try temp.write(
            "concepts.yaml",
            "concepts:\n  grab:\n    - take ... over\n    - ... over\n    - take ...\n    - take ... it ... over\n")
        let diagnostics = KnowledgeBaseCheck.check(directory: temp.path).1
        let gaps = diagnostics.filter { $0.message.contains("'...'") }
        #expect(gaps.count == 3)
        #expect(diagnostics.contains { $0.message.contains("'... over' needs words on both sides of '...'") })
        #expect(diagnostics.contains { $0.message.contains("'take ...' needs words on both sides of '...'") })
        #expect(diagnostics.contains { $0.message.contains("'take ... it ... over' has more than one '...'") })
        #expect(gaps.allSatisfy { $0.location.file.hasSuffix("concepts.yaml") && $0.location.line == 2 })
    }

    @Test("a topic without patterns and a topic citing no source are reported")
    func topicProblems() throws {
        let temp = try TestSupport.copyFixture("valid")
        defer { temp.remove() }
        try temp.write("topics/gamma.yaml", "id: gamma\ntitle: G\nanswer: Gamma.\n")
        let diagnostics = KnowledgeBaseCheck.check(directory: temp.path).1
        #expect(diagnostics.contains { $0.message.contains("topic 'gamma' has no patterns") })
        #expect(diagnostics.contains { $0.message.contains("topic 'gamma' cites no source") })
    }

    @Test("a topic that lists itself as related is reported")
    func selfRelated() throws {
        let temp = try TestSupport.copyFixture("valid")
        defer { temp.remove() }
        try temp.write(
            "topics/beta.yaml",
            "id: beta\ntitle: Roadmaps\nanswer: Beta.\nsources: [\"s1\"]\nrelated: [beta]\npatterns: [roadmap]\n")
        let diagnostics = KnowledgeBaseCheck.check(directory: temp.path).1
        #expect(diagnostics.contains { $0.message.contains("lists itself as related") && $0.location.line == 5 })
    }

    @Test("invalid UTF-8 is reported with its line")
    func invalidUTF8() throws {
        let temp = try TestSupport.copyFixture("valid")
        defer { temp.remove() }
        var bytes = Data("id: alpha\ntitle: Budgets\nanswer: caf".utf8)
        bytes.append(contentsOf: [0xC3, 0x28, 0xFF])
        bytes.append(Data(".\nsources: [\"s1\"]\npatterns: [budget]\n".utf8))
        try temp.write("topics/alpha.yaml", bytes)
        let diagnostics = KnowledgeBaseLoader.load(directory: temp.path).1
        let problem = try #require(diagnostics.first { $0.message == "invalid UTF-8" })
        #expect(problem.location.file.hasSuffix("topics/alpha.yaml"))
        #expect(problem.location.line == 3)
    }

    @Test("a NUL byte is reported with its line")
    func nulByte() throws {
        let temp = try TestSupport.copyFixture("valid")
        defer { temp.remove() }
        try temp.write(
            "topics/alpha.yaml", "id: alpha\ntitle: Bud\0gets\nanswer: A.\nsources: [\"s1\"]\npatterns: [budget]\n")
        let diagnostics = KnowledgeBaseLoader.load(directory: temp.path).1
        let problem = try #require(diagnostics.first { $0.message == "NUL byte in file" })
        #expect(problem.location.line == 2)
    }

    @Test("a UTF-8 byte order mark at the start of a file is accepted")
    func byteOrderMark() throws {
        let temp = try TestSupport.copyFixture("valid")
        defer { temp.remove() }
        let plain = KnowledgeBaseLoader.load(directory: temp.path)
        for name in ["topics/alpha.yaml", "sources.yaml", "concepts.yaml"] {
            let original = try Data(contentsOf: URL(fileURLWithPath: temp.file(name)))
            try temp.write(name, Data([0xEF, 0xBB, 0xBF]) + original)
        }
        let (base, diagnostics) = KnowledgeBaseLoader.load(directory: temp.path)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(base.topics.map(\.id) == plain.0.topics.map(\.id))
        #expect(base.topic("alpha")?.title == "Budgets")
        #expect(base.topic("alpha")?.location.line == 1)
    }

    @Test("a byte order mark inside a file is reported at its line and column")
    func byteOrderMarkInside() throws {
        let (_, diagnostics) = KnowledgeBaseLoader.parseTopicFile(
            Data("id: alpha\ntitle: Bud\u{FEFF}gets\n".utf8), name: "topics/alpha.yaml")
        #expect(diagnostics.count == 1, "\(diagnostics)")
        let problem = try #require(diagnostics.first)
        #expect(problem.location.line == 2 && problem.location.column == 11, "\(problem)")
        #expect(problem.message.contains("byte order mark"))
    }

    @Test(
        "a control character is reported as FILE:LINE:COLUMN, on one line", arguments: [0x1B, 0x07, 0x08, 0x7F, 0x9B])
    func controlCharacter(_ value: UInt32) throws {
        let temp = try TestSupport.copyFixture("valid")
        defer { temp.remove() }
        let scalar = try #require(Unicode.Scalar(value))
        try temp.write(
            "topics/alpha.yaml",
            "id: alpha\ntitle: Budgets\nanswer: Alpha é \(Character(scalar))[31m.\nsources: [\"s1\"]\npatterns: [budget]\n"
        )
        let diagnostics = KnowledgeBaseLoader.load(directory: temp.path).1
        let problems = diagnostics.filter { $0.location.file.hasSuffix("topics/alpha.yaml") }
        #expect(problems.count == 1, "\(diagnostics)")
        let problem = try #require(problems.first)
        #expect(problem.location.line == 3 && problem.location.column == 17, "\(problem)")
        #expect(problem.message.contains("control character U+00"), "\(problem)")
        #expect(problem.description.hasSuffix("topics/alpha.yaml:3:17: error: \(problem.message)"))
        #expect(!problem.description.contains("\n"))
        #expect(!problem.description.unicodeScalars.contains { TerminalSafe.isControl($0) })
    }

    @Test("tab and carriage return are allowed where YAML allows them")
    func allowedControls() throws {
        let (topics, diagnostics) = KnowledgeBaseLoader.parseTopicFile(
            Data("id: alpha\r\ntitle: \"Bud\tgets\"\r\nanswer: A.\r\npatterns: [budget]\r\n".utf8),
            name: "alpha.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(topics.first?.title == "Bud\tgets")
    }

    @Test("a 40 MB file is rejected by its size before it is read")
    func hugeFile() throws {
        let temp = try TestSupport.copyFixture("valid")
        defer { temp.remove() }
        let path = temp.file("topics/huge.yaml")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let chunk = Data(String(repeating: "# padding line of a huge knowledge base file\n", count: 23_000).utf8)
        var written = 0
        while written < 40 << 20 {
            try handle.write(contentsOf: chunk)
            written += chunk.count
        }
        try handle.close()
        let diagnostics = KnowledgeBaseLoader.load(directory: temp.path).1
        let problem = try #require(diagnostics.first { $0.location.file.hasSuffix("topics/huge.yaml") })
        #expect(problem.message.contains("larger than the 32 MiB limit"))
        #expect(problem.message.contains("\(written) bytes"))
    }

    @Test("a billion-laughs alias bomb in values fails quickly with a located message", .timeLimit(.minutes(1)))
    func aliasBomb() throws {
        let (_, diagnostics) = try check("alias-bomb")
        let problem = try #require(diagnostics.first { $0.location.file.hasSuffix("concepts.yaml") })
        #expect(problem.location.line > 0)
        #expect(problem.message.contains("must be text") || problem.message.contains("aliases"))
    }

    @Test("a billion-laughs alias bomb used as a mapping key fails quickly (checked in a child process)")
    func aliasBombAsKey() throws {
        let directory = try TestSupport.fixtureKnowledgeBase("alias-bomb-key")
        let result = try ChildProcess.runTest(
            named: "childLoadsKnowledgeBase", environment: ["ADVISOR_TEST_CHILD_KB": directory], deadline: 5)
        #expect(result.finished, "the loader did not finish within 5 s")
        #expect(result.output.contains("DIAGNOSTIC"))
    }

    @Test("fingerprints change with the content and only with it")
    func fingerprint() throws {
        let temp = try TestSupport.copyFixture("valid")
        defer { temp.remove() }
        let first = KnowledgeBaseLoader.load(directory: temp.path).0.fingerprint
        #expect(KnowledgeBaseLoader.load(directory: temp.path).0.fingerprint == first)
        #expect(
            KnowledgeBaseLoader.load(directory: try TestSupport.fixtureKnowledgeBase("valid")).0.fingerprint == first)
        try temp.write(
            "topics/beta.yaml", try String(contentsOfFile: temp.file("topics/beta.yaml"), encoding: .utf8) + "# edit\n")
        #expect(KnowledgeBaseLoader.load(directory: temp.path).0.fingerprint != first)
    }

    @Test("a weighted pattern is read, and a bad weight is reported")
    func weightedPattern() throws {
        let temp = try TestSupport.copyFixture("valid")
        defer { temp.remove() }
        try temp.write(
            "topics/beta.yaml",
            "id: beta\ntitle: R\nanswer: B.\nsources: [\"s1\"]\npatterns:\n  - roadmap\n  - {words: plan ahead, weight: 0.5}\n"
        )
        let (base, diagnostics) = KnowledgeBaseLoader.load(directory: temp.path)
        #expect(diagnostics.isEmpty)
        #expect(base.topic("beta")?.patterns.map(\.weight) == [1, 0.5])
        try temp.write(
            "topics/beta.yaml",
            "id: beta\ntitle: R\nanswer: B.\nsources: [\"s1\"]\npatterns:\n  - {words: plan ahead, weight: 11}\n")
        let problems = KnowledgeBaseLoader.load(directory: temp.path).1
        #expect(
            problems.contains {
                $0.message.contains("weight must be a number above 0 and at most 10") && $0.location.line == 6
            })
    }

    @Test("a pattern's 'all' is read, and a value other than true or false is reported")
    func requiresAllPattern() throws {
        let temp = try TestSupport.copyFixture("valid")
        defer { temp.remove() }
        let header = "id: beta\ntitle: R\nanswer: B.\nsources: [\"s1\"]\npatterns:\n"
        try temp.write("topics/beta.yaml", header + "  - roadmap plan ahead\n  - {words: plan ahead now, all: true}\n")
        let (base, diagnostics) = KnowledgeBaseLoader.load(directory: temp.path)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(base.topic("beta")?.patterns.map(\.requiresAll) == [false, true])
        try temp.write("topics/beta.yaml", header + "  - {words: plan ahead now, all: yes please}\n")
        let problems = KnowledgeBaseLoader.load(directory: temp.path).1
        #expect(problems.contains { $0.message.contains("'all' must be true or false") && $0.location.line == 6 })
    }

    @Test("Diagnostic descriptions read like a compiler's")
    func diagnosticDescription() {
        #expect(
            Diagnostic(AdvisorKnowledge.SourceLocation(file: "a.yaml", line: 3, column: 5), "bad").description
                == "a.yaml:3:5: error: bad")
        #expect(
            Diagnostic(AdvisorKnowledge.SourceLocation(file: "a.yaml", line: 3), "bad").description
                == "a.yaml:3: error: bad")
        #expect(Diagnostic(AdvisorKnowledge.SourceLocation(file: "a.yaml"), "bad").description == "a.yaml: error: bad")
        let error = KnowledgeBaseError([
            Diagnostic(AdvisorKnowledge.SourceLocation(file: "b.yaml", line: 1), "second"),
            Diagnostic(AdvisorKnowledge.SourceLocation(file: "a.yaml", line: 9), "first"),
        ])
        #expect(error.description == "a.yaml:9: error: first\nb.yaml:1: error: second")
    }
}

/// Loads the knowledge base named by the environment and prints its diagnostics.
///
/// Runs in a child process started by `aliasBombAsKey`; does nothing in a normal run.
@Test("child process: load a knowledge base (a helper, idle unless started by another test)")
func childLoadsKnowledgeBase() {
    guard let directory = ProcessInfo.processInfo.environment["ADVISOR_TEST_CHILD_KB"] else { return }
    let (_, diagnostics) = KnowledgeBaseLoader.load(directory: directory)
    for diagnostic in diagnostics { print("DIAGNOSTIC \(diagnostic)") }
    print("LOADED")
}
