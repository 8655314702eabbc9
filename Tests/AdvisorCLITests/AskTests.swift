import AdvisorTestSupport
import Foundation
import Testing

/// `advisor ask`: one question, one answer, over the built binary.
@Suite("advisor ask")
struct AskTests {
    @Test("text output names the topic and the sources")
    func textNamesTopicAndSources() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(["ask", "What does platform mean to a CMO?"])
        #expect(result.status == 0, "\(result)")
        #expect(result.out.contains("[term-platform]"), "\(result)")
        #expect(result.out.contains("Sources:"), "\(result)")
        #expect(result.err.isEmpty, "\(result)")
        #expect(!result.stdout.contains(0x1B), "no colour when standard output is a pipe")
    }

    @Test(
        "a match resting on corrections alone is a guess: none, with the reading offered; a typo beside typed words is answered"
    )
    func correctionsAsGuesses() async throws {
        let sandbox = try Sandbox()
        async let guessed = sandbox.advisor(["ask", "infinate roadmp"])
        async let guessedJSON = sandbox.advisor(["ask", "--json", "infinate roadmp"])
        async let typo = sandbox.advisor(["ask", "--json", "who owns moblie"])
        async let clean = sandbox.advisor(["ask", "--json", "what does agiel mean"])
        let (text, json, typoResult, cleanResult) = try await (guessed, guessedJSON, typo, clean)
        #expect(text.status == 0 && text.out.contains("[none]"), "\(text)")
        #expect(text.out.contains("If you meant \"infinite roadmap\", try /topic infinite-roadmap"), "\(text)")
        let answer = try JSON.object(json.out)
        #expect(answer["topic"] as? String == "none")
        let why = answer["why"] as? [String: Any] ?? [:]
        #expect((why["evidence"] as? String ?? "").contains("discounted: rests on corrected words only"), "\(why)")
        #expect(try JSON.object(typoResult.out)["topic"] as? String == "mobile-ownership", "\(typoResult)")
        #expect(try JSON.object(cleanResult.out)["topic"] as? String == "term-agile", "\(cleanResult)")
    }

    @Test("--role cmo frames the answer for a CMO")
    func roleFramesTheAnswer() async throws {
        let sandbox = try Sandbox()
        async let plain = sandbox.advisor(["ask", "--json", "Who should own mobile?"])
        async let framed = sandbox.advisor(["ask", "--json", "--role", "cmo", "Who should own mobile?"])
        async let framedText = sandbox.advisor(["ask", "--role", "cmo", "Who should own mobile?"])
        let (plainResult, framedResult, textResult) = try await (plain, framed, framedText)
        #expect(plainResult.status == 0 && framedResult.status == 0 && textResult.status == 0)
        let plainAnswer = try JSON.object(plainResult.out)
        let framedAnswer = try JSON.object(framedResult.out)
        #expect(framedAnswer["role"] as? String == "cmo")
        #expect(framedAnswer["topic"] as? String == plainAnswer["topic"] as? String)
        let plainText = plainAnswer["answer"] as? String ?? ""
        let framedTextAnswer = framedAnswer["answer"] as? String ?? ""
        #expect(plainText != framedTextAnswer, "the CMO's answer should differ from the unframed one")
        #expect(framedTextAnswer.contains("CMO"), "\(framedTextAnswer)")
        #expect(textResult.out.contains("CMO"), "\(textResult)")
    }

    @Test("--json prints exactly one answer object with the contract's keys")
    func jsonAnswerObject() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(["ask", "--json", "Who should own mobile?"])
        #expect(result.status == 0, "\(result)")
        #expect(result.outLines.count == 1, "one line of JSON: \(result)")
        #expect(result.out.hasSuffix("}\n"))
        let answer = try JSON.object(result.out)
        for key in ["topic", "answer", "sources", "role", "confidence", "related", "why"] {
            #expect(answer[key] != nil, "missing key \(key)")
        }
        #expect(answer["topic"] as? String == "mobile-ownership")
        #expect((answer["answer"] as? String)?.isEmpty == false)
        #expect(answer["role"] is NSNull, "role is null without --role")
        let sources = try #require(answer["sources"] as? [[String: Any]])
        #expect(!sources.isEmpty)
        for source in sources {
            #expect(source["seed"] is String && source["title"] is String, "\(source)")
        }
        let confidence = try #require(answer["confidence"] as? Double)
        #expect(confidence > 0 && confidence <= 1)
        #expect(answer["related"] is [String])
        let why = try #require(answer["why"] as? [String: Any])
        #expect(why["matched"] is [String])
        let candidates = try #require(why["candidates"] as? [[String: Any]])
        #expect(candidates.first?["topic"] as? String == "mobile-ownership")
        #expect(candidates.allSatisfy { $0["score"] is Double || $0["score"] is Int })
    }

    @Test("an out-of-scope question gets topic none and exit 0")
    func outOfScope() async throws {
        let sandbox = try Sandbox()
        async let json = sandbox.advisor(["ask", "--json", "What is the best recipe for sourdough bread?"])
        async let text = sandbox.advisor(["ask", "What is the best recipe for sourdough bread?"])
        let (jsonResult, textResult) = try await (json, text)
        #expect(jsonResult.status == 0, "\(jsonResult)")
        let answer = try JSON.object(jsonResult.out)
        #expect(answer["topic"] as? String == "none")
        #expect((answer["answer"] as? String)?.isEmpty == false)
        #expect((answer["sources"] as? [Any])?.isEmpty == true)
        #expect(textResult.status == 0)
        #expect(textResult.out.contains("[none]"), "\(textResult)")
    }

    @Test("greetings are smalltalk")
    func smalltalk() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(["ask", "--json", "hello"])
        #expect(result.status == 0)
        #expect(try JSON.object(result.out)["topic"] as? String == "smalltalk")
    }

    @Test("--kb with a missing folder exits 2 naming where it looked")
    func missingKnowledgeBaseFolder() async throws {
        let sandbox = try Sandbox()
        let missing = sandbox.path("no-such-kb").path
        async let asking = sandbox.advisor(["ask", "--kb", missing, "Who should own mobile?"])
        async let checking = sandbox.advisor(["kb", "check", "--kb", missing])
        async let fromEnvironment = sandbox.advisor(["ask", "Who should own mobile?"], env: ["ADVISOR_KB": missing])
        let results = try await [asking, checking, fromEnvironment]
        for result in results {
            #expect(result.err.contains(missing), "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            #expect(result.exitedNormally && !result.err.contains("Fatal error"), "\(result)")
        }
        for result in results {
            #expect(result.status == 2, "\(result)")
        }
    }

    @Test("an installed copy finds the knowledge base in ../share/advisor, or says where it looked (exit 2)")
    func installedElsewhere() async throws {
        let sandbox = try Sandbox()
        let built = try #require(AdvisorProcess.executable)
        let shipped = try #require(AdvisorProcess.shippedKnowledgeBase)
        let bin = sandbox.path("prefix/bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let installed = bin.appendingPathComponent("advisor")
        // Copy with cp: a write descriptor opened here could leak into a child forked by
        // another test at the same moment, and exec would then fail with "Text file busy".
        let copied = try await sandbox.run("/bin/cp", [built, installed.path])
        try #require(copied.status == 0, "\(copied)")
        let elsewhere = sandbox.path("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)

        let lost = try await sandbox.run(installed.path, ["ask", "Who should own mobile?"], cwd: elsewhere)
        #expect(lost.status == 2, "\(lost)")
        #expect(lost.errLines.count == 1, "one clear line: \(lost)")
        #expect(lost.err.contains(bin.appendingPathComponent("KnowledgeBase").path), "says where it looked: \(lost)")
        #expect(lost.err.contains("--kb") && lost.err.contains("ADVISOR_KB"), "\(lost)")

        _ = try sandbox.copy(shipped, to: "prefix/share/advisor/KnowledgeBase")
        let found = try await sandbox.run(installed.path, ["ask", "--json", "Who should own mobile?"], cwd: elsewhere)
        #expect(found.status == 0, "\(found)")
        #expect(try JSON.object(found.out)["topic"] as? String == "mobile-ownership")
    }

    @Test("an edit to a knowledge base is answered from at once, whether its cache was found by stamp or by hash")
    func editedKnowledgeBaseThroughTheCache() async throws {
        let sandbox = try Sandbox()
        let kb = try sandbox.copy(try #require(AdvisorProcess.fixture("KB/minimal")), to: "kb")
        let env: [String: String?] = ["ADVISOR_CACHE": sandbox.path("cache").path]
        let topic = kb.appendingPathComponent("topics/gardening.yaml")
        func answer() async throws -> String {
            let result = try await sandbox.advisor(["ask", "--kb", kb.path, "How do I grow tomatoes?"], env: env)
            #expect(result.status == 0 && result.err.isEmpty, "\(result)")
            return result.out
        }
        func edit(_ old: String, _ new: String) throws {
            let text = try String(contentsOf: topic, encoding: .utf8)
            try text.replacingOccurrences(of: old, with: new).write(to: topic, atomically: false, encoding: .utf8)
        }
        // Settled files: the first start compiles and stamps the cache, the second uses the stamp.
        try await Task.sleep(for: .milliseconds(2_200))
        let first = try await answer()
        #expect(first.contains("Plant vegetables in full sun"))
        #expect(try await answer() == first)
        // The same number of bytes, changed in place: seen at once.
        try edit("Plant vegetables in full sun", "Grow vegetables in full sun!")
        #expect(try await answer().contains("Grow vegetables in full sun!"))
        // Once settled, the new stamp is recorded, and still the edit is what is answered.
        try await Task.sleep(for: .milliseconds(2_200))
        #expect(try await answer().contains("Grow vegetables in full sun!"))
        #expect(try await answer().contains("Grow vegetables in full sun!"))
        try edit("Grow vegetables in full sun!", "Plant vegetables in full sun")
        #expect(try await answer() == first)
        #expect(CacheFile.files(in: sandbox.path("cache")).count == 1)
    }

    @Test("an out-of-scope reply is chosen by a concept the router reads, in any of its words or a typo of one")
    func replyByConcept() async throws {
        let sandbox = try Sandbox()
        let fixture = try #require(AdvisorProcess.fixture("KB/minimal"))
        let questions = [
            "my lettuce is full of slugs, what now?", "how do I get rid of aphdis?", "How do I knit a scarf?",
        ]
        var answers: [[String: Any]] = []
        for question in questions {
            let result = try await sandbox.advisor(["ask", "--json", "--kb", fixture.path, question])
            #expect(result.status == 0, "\(result)")
            answers.append(try JSON.object(result.out))
        }
        for answer in answers {
            #expect(answer["topic"] as? String == "none", "\(answer)")
        }
        let pests = "Pests are outside this test knowledge base"
        #expect((answers[0]["answer"] as? String)?.contains(pests) == true, "a synonym of the concept: \(answers[0])")
        #expect((answers[1]["answer"] as? String)?.contains(pests) == true, "a corrected typo: \(answers[1])")
        #expect((answers[2]["answer"] as? String)?.contains("only knows about gardening") == true, "\(answers[2])")
    }

    @Test("the shipped knowledge base answers a reporting-line question with that area's reply, however it is put")
    func reportingLineReply() async throws {
        let sandbox = try Sandbox()
        for question in ["Should the CIO report to the CMO?", "Where should the web report - IT or Marketing?"] {
            let result = try await sandbox.advisor(["ask", "--json", question])
            #expect(result.status == 0, "\(result)")
            let answer = try JSON.object(result.out)
            #expect(answer["topic"] as? String == "none", "\(answer)")
            #expect((answer["answer"] as? String)?.hasPrefix("Reporting lines are outside") == true, "\(answer)")
        }
    }

    @Test("ADVISOR_KB is honoured, --kb wins over it")
    func environmentKnowledgeBase() async throws {
        let sandbox = try Sandbox()
        let fixture = try #require(AdvisorProcess.fixture("KB/minimal"))
        async let fromEnvironment = sandbox.advisor(
            ["ask", "--json", "How do I grow tomatoes?"], env: ["ADVISOR_KB": fixture.path])
        async let overridden = sandbox.advisor(
            ["ask", "--json", "--kb", sandbox.path("missing").path, "How do I grow tomatoes?"],
            env: ["ADVISOR_KB": fixture.path])
        let (environmentResult, overriddenResult) = try await (fromEnvironment, overridden)
        #expect(environmentResult.status == 0, "\(environmentResult)")
        #expect(try JSON.object(environmentResult.out)["topic"] as? String == "gardening")
        #expect(overriddenResult.status != 0, "--kb comes before ADVISOR_KB: \(overriddenResult)")
        #expect(overriddenResult.err.contains(sandbox.path("missing").path))
    }

    @Test("run from another working directory it still finds the shipped knowledge base")
    func otherWorkingDirectory() async throws {
        let sandbox = try Sandbox()
        let elsewhere = sandbox.path("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        async let fromSandbox = sandbox.advisor(["ask", "--json", "What does platform mean to a CMO?"], cwd: elsewhere)
        async let fromRoot = sandbox.advisor(
            ["ask", "--json", "What does platform mean to a CMO?"], cwd: URL(fileURLWithPath: "/"))
        for result in try await [fromSandbox, fromRoot] {
            #expect(result.status == 0, "\(result)")
            #expect(try JSON.object(result.out)["topic"] as? String == "term-platform")
        }
    }

    @Test("an empty question is a usage error", arguments: [[""], ["   "], []])
    func emptyQuestion(words: [String]) async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(["ask"] + words)
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(!result.err.isEmpty)
    }

    @Test("bad options are usage errors")
    func usageErrors() async throws {
        let sandbox = try Sandbox()
        async let badRole = sandbox.advisor(["ask", "--role", "ceo", "Who should own mobile?"])
        async let unknownOption = sandbox.advisor(["ask", "--frobnicate", "Who should own mobile?"])
        async let unknownCommand = sandbox.advisor(["frobnicate"])
        for result in try await [badRole, unknownOption, unknownCommand] {
            #expect(result.status == 2, "\(result)")
            #expect(!result.err.isEmpty)
        }
    }

    @Test(
        "--help exits 0", arguments: [["--help"], ["ask", "--help"], ["run", "--help"], ["transcripts", "--help"]])
    func help(arguments: [String]) async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(arguments)
        #expect(result.status == 0, "\(result)")
        #expect(result.out.contains("USAGE") || result.out.contains("Usage"), "\(result)")
    }

    @Test("ask records no transcript")
    func noTranscript() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(["ask", "Who should own mobile?"])
        #expect(result.status == 0)
        #expect(sandbox.transcriptFiles().isEmpty)
    }
}
