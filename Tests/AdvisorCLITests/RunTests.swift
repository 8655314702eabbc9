import AdvisorTestSupport
import Foundation
import Testing

/// `advisor run FILE|-` and `advisor < FILE`: scripted sessions.
@Suite("advisor run")
struct RunTests {
    static func script(_ name: String) throws -> String {
        try #require(AdvisorProcess.fixture("Scripts/\(name)")).path
    }

    static func topics(_ result: ProcessResult) throws -> [String] {
        try JSON.lines(result.out).map { $0["topic"] as? String ?? "?" }
    }

    @Test("text output shows each question and its answer; passing expectations exit 0 with a summary")
    func textOutput() async throws {
        let sandbox = try Sandbox()
        let file = try Self.script("passing.advisor")
        let result = try await sandbox.advisor(["run", file])
        #expect(result.status == 0, "\(result)")
        for question in ["What does agile mean to a CIO?", "and to a CMO?", "hello"] {
            #expect(result.out.contains("> \(question)\n"), "question \(question) in \(result)")
        }
        #expect(result.out.components(separatedBy: "[term-agile]").count == 3, "\(result)")
        #expect(result.out.contains("[smalltalk]"))
        #expect(result.out.contains("Sources:"))
        #expect(!result.stdout.contains(0x1B), "no escape codes when piped")
        let summary = result.errLines.last ?? ""
        #expect(summary.contains("3 of 3") && summary.contains("passed"), "summary on stderr: \(result)")
        #expect(!result.err.contains("expected"), "\(result)")
    }

    @Test("--json prints exactly one answer object per question and nothing else")
    func jsonOutput() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(["run", "--json", try Self.script("passing.advisor")])
        #expect(result.status == 0, "\(result)")
        let answers = try JSON.lines(result.out)
        #expect(answers.count == 3, "\(result)")
        #expect(answers.map { $0["topic"] as? String } == ["term-agile", "term-agile", "smalltalk"])
        for answer in answers {
            #expect(answer["answer"] is String && answer["sources"] is [Any] && answer["role"] != nil)
        }
    }

    @Test("follow-ups work inside a script: 'and to a CMO?' is term-agile for the CMO")
    func followUps() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(["run", "--json", try Self.script("followup.advisor")])
        #expect(result.status == 0, "\(result)")
        let answers = try JSON.lines(result.out)
        #expect(answers.count == 2)
        #expect(answers.map { $0["topic"] as? String } == ["term-agile", "term-agile"])
        #expect(answers.last?["about"] as? String == "cmo")
        #expect(answers.last?["role"] is NSNull, "naming a role never makes it the asker's")
        #expect((answers.last?["answer"] as? String)?.contains("CMO") == true)
    }

    @Test("the same script gives the same bytes on every run")
    func determinism() async throws {
        let sandbox = try Sandbox()
        let file = try sandbox.write(
            "rich.advisor",
            """
            # everything but /transcript, whose path names the session
            What does agile mean to a CIO?
            /why
            and to a CMO?
            /sources
            /more
            what do the numbers say?
            /role cmo
            Who should own mobile?
            /whynot tech-budget
            What is the best recipe for sourdough bread?
            /history
            /reset
            /topics
            /help
            hello

            """)
        async let text1 = sandbox.advisor(["run", file.path])
        async let text2 = sandbox.advisor(["run", file.path])
        async let json1 = sandbox.advisor(["run", "--json", file.path])
        async let json2 = sandbox.advisor(["run", "--json", file.path])
        let (t1, t2, j1, j2) = try await (text1, text2, json1, json2)
        #expect(t1.status == 0 && j1.status == 0, "\(t1)\n\(j1)")
        #expect(!t1.stdout.isEmpty)
        #expect(t1.stdout == t2.stdout, "text output differs between runs")
        #expect(t1.stderr == t2.stderr)
        #expect(j1.stdout == j2.stdout, "JSON output differs between runs")
        #expect(try JSON.lines(j1.out).count == 6)
    }

    @Test("a failed expectation is FILE:LINE: expected X, got Y; the run goes on and exits 1")
    func failingExpectation() async throws {
        let sandbox = try Sandbox()
        let file = try Self.script("failing.advisor")
        async let text = sandbox.advisor(["run", file])
        async let json = sandbox.advisor(["run", "--json", file])
        let (textResult, jsonResult) = try await (text, json)
        for result in [textResult, jsonResult] {
            #expect(result.status == 1, "\(result)")
            #expect(result.errLines.contains("\(file):3: expected tech-budget, got term-agile"), "\(result)")
            #expect(result.err.contains("1 of 2"), "summary: \(result)")
        }
        #expect(textResult.out.contains("[smalltalk]"), "the run continued after the failure: \(textResult)")
        #expect(try Self.topics(jsonResult) == ["term-agile", "smalltalk"])
    }

    @Test("--bail stops at the first failure")
    func bail() async throws {
        let sandbox = try Sandbox()
        let file = try Self.script("failing.advisor")
        async let text = sandbox.advisor(["run", "--bail", file])
        async let json = sandbox.advisor(["run", "--bail", "--json", file])
        async let unknown = sandbox.advisor(["run", "--bail", "--json", try Self.script("unknown-command.advisor")])
        let (textResult, jsonResult, unknownResult) = try await (text, json, unknown)
        #expect(textResult.status == 1 && jsonResult.status == 1, "\(textResult)\n\(jsonResult)")
        #expect(textResult.errLines.contains("\(file):3: expected tech-budget, got term-agile"))
        #expect(!textResult.out.contains("> hello"), "later questions are not answered: \(textResult)")
        #expect(try Self.topics(jsonResult) == ["term-agile"])
        #expect(unknownResult.status == 1)
        #expect(try Self.topics(unknownResult) == ["smalltalk"], "stops at the unknown command: \(unknownResult)")
    }

    @Test("- reads the script from standard input")
    func standardInput() async throws {
        let sandbox = try Sandbox()
        let file = try Self.script("passing.advisor")
        let contents = try Data(contentsOf: URL(fileURLWithPath: file))
        async let fromFile = sandbox.advisor(["run", "--no-transcript", file])
        async let fromStdin = sandbox.advisor(["run", "--no-transcript", "-"], stdin: contents)
        let (fileResult, stdinResult) = try await (fromFile, fromStdin)
        #expect(stdinResult.status == 0, "\(stdinResult)")
        #expect(stdinResult.stdout == fileResult.stdout)
        let failing = try await sandbox.advisor(
            ["run", "-"], stdin: try Data(contentsOf: URL(fileURLWithPath: try Self.script("failing.advisor"))))
        #expect(failing.status == 1)
        #expect(failing.err.contains(":3: expected tech-budget, got term-agile"), "\(failing)")
    }

    @Test("advisor < FILE, with no subcommand, behaves like advisor run -")
    func noSubcommandReadsScript() async throws {
        let sandbox = try Sandbox()
        for name in ["passing.advisor", "failing.advisor"] {
            let contents = try Data(contentsOf: URL(fileURLWithPath: try Self.script(name)))
            async let bare = sandbox.advisor([], stdin: contents)
            async let run = sandbox.advisor(["run", "-"], stdin: contents)
            async let bareJSON = sandbox.advisor(["--json"], stdin: contents)
            async let runJSON = sandbox.advisor(["run", "--json", "-"], stdin: contents)
            let (bareResult, runResult, bareJSONResult, runJSONResult) = try await (bare, run, bareJSON, runJSON)
            #expect(bareResult.status == runResult.status, "\(name): \(bareResult)")
            #expect(bareResult.stdout == runResult.stdout, "\(name)")
            #expect(bareResult.stderr == runResult.stderr, "\(name)")
            #expect(bareJSONResult.stdout == runJSONResult.stdout, "\(name)")
            #expect(!bareResult.stdout.contains(0x1B), "no prompt, no escape codes")
            #expect(!bareResult.out.contains("advisor>"), "no prompt")
        }
        #expect(sandbox.transcriptFiles().count == 8, "each session recorded")
    }

    @Test("an unknown command is FILE:LINE: ... and exit 1; the run goes on")
    func unknownCommand() async throws {
        let sandbox = try Sandbox()
        let file = try Self.script("unknown-command.advisor")
        let result = try await sandbox.advisor(["run", "--json", file])
        #expect(result.status == 1, "\(result)")
        #expect(result.errLines.contains { $0.hasPrefix("\(file):2: ") && $0.contains("frobnicate") }, "\(result)")
        #expect(try Self.topics(result) == ["smalltalk", "term-agile"])
    }

    @Test("a missing script file exits 2 with one clear line")
    func missingFile() async throws {
        let sandbox = try Sandbox()
        let missing = sandbox.path("no-such-script.advisor").path
        async let missingRun = sandbox.advisor(["run", missing])
        async let directoryRun = sandbox.advisor(["run", sandbox.root.path])
        let (missingResult, directoryResult) = try await (missingRun, directoryRun)
        #expect(missingResult.status == 2, "\(missingResult)")
        #expect(missingResult.errLines.count == 1, "\(missingResult)")
        #expect(missingResult.err.contains(missing))
        #expect(missingResult.stdout.isEmpty)
        #expect(directoryResult.status == 2, "\(directoryResult)")
        #expect(directoryResult.errLines.count == 1, "\(directoryResult)")
        #expect(sandbox.transcriptFiles().isEmpty, "no session for a script that cannot be read")
    }

    @Test("an invalid UTF-8 line is reported with its number and skipped")
    func invalidUTF8() async throws {
        let sandbox = try Sandbox()
        let file = try Self.script("invalid-utf8.advisor")
        let result = try await sandbox.advisor(["run", "--json", file])
        #expect(result.status == 1, "\(result)")
        #expect(result.errLines.contains { $0.hasPrefix("\(file):2: ") && $0.contains("UTF-8") }, "\(result)")
        #expect(try Self.topics(result) == ["smalltalk", "term-agile"])
        #expect(result.exitedNormally)
    }

    @Test("a 10 MB line is reported and skipped")
    func hugeLineFromFile() async throws {
        let sandbox = try Sandbox()
        var contents = Data("hello\n".utf8)
        contents.append(Data(repeating: UInt8(ascii: "a"), count: 10 << 20))
        contents.append(Data("\nWhat does agile mean to a CIO?\n".utf8))
        let file = try sandbox.write("huge.advisor", contents)
        let result = try await sandbox.advisor(["run", "--json", file.path], timeout: .seconds(30))
        #expect(result.status == 1, "\(result)")
        #expect(result.errLines.contains { $0.hasPrefix("\(file.path):2: ") }, "\(result)")
        #expect(try Self.topics(result) == ["smalltalk", "term-agile"])
        #expect(result.elapsed < .seconds(15), "took \(result.elapsed)")
    }

    @Test("a 10 MB line through a pipe is skipped without holding it in memory")
    func hugeLineMemory() async throws {
        let sandbox = try Sandbox()
        let process = try sandbox.startAdvisor(["run", "--json", "--no-transcript", "-"])
        let outcome: (baseline: Int?, peak: Int?, answers: [String?], stderr: String) = await offload {
            process.writeLine("hello")
            let first = process.readLine()
            let baseline = Self.peakMemory(process.pid)
            let chunk = Data(repeating: UInt8(ascii: "b"), count: 1 << 20)
            for _ in 0..<10 { process.write(chunk) }
            process.writeLine("")
            process.writeLine("What does agile mean to a CIO?")
            let second = process.readLine()
            let peak = Self.peakMemory(process.pid)
            process.closeStdin()
            let result = process.finish(timeout: .seconds(10))
            return (baseline, peak, [first, second], result.err)
        }
        let topics = try outcome.answers.map { try JSON.object($0 ?? "")["topic"] as? String }
        #expect(topics == ["smalltalk", "term-agile"])
        #expect(outcome.stderr.contains("<stdin>:2: "), "\(outcome.stderr)")
        let baseline = try #require(outcome.baseline)
        let peak = try #require(outcome.peak)
        // Under the address sanitizer (CI's second run) memory figures are the sanitizer's.
        if ProcessInfo.processInfo.environment["ADVISOR_SANITIZED"] == nil {
            #expect(
                peak - baseline < 6 << 10, "peak memory grew by \(peak - baseline) KiB while skipping a 10 MiB line")
        }
    }

    /// The peak resident set of a running process, in KiB (Linux).
    static func peakMemory(_ pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return line.split(separator: " ").compactMap { Int($0) }.first
        }
        return nil
    }

    @Test("a run is recorded as a transcript of mode script, unless --no-transcript")
    func recordsTranscript() async throws {
        let sandbox = try Sandbox()
        let file = try Self.script("passing.advisor")
        let recorded = try await sandbox.advisor(["run", "--json", file])
        #expect(recorded.status == 0)
        let files = sandbox.transcriptFiles()
        #expect(files.count == 1)
        let events = try JSON.events(try #require(files.first))
        #expect(events.first?["type"] as? String == "session")
        #expect(events.first?["mode"] as? String == "script")
        #expect(events.last?["type"] as? String == "end")
        let turns = events.filter { $0["type"] as? String == "turn" }
        #expect(
            turns.map { $0["question"] as? String } == ["What does agile mean to a CIO?", "and to a CMO?", "hello"])
        #expect(turns.map { $0["n"] as? Int } == [1, 2, 3])
        #expect(turns.map { $0["topic"] as? String } == ["term-agile", "term-agile", "smalltalk"])
        #expect(events.contains { $0["type"] as? String == "command" && $0["line"] as? String == "/expect smalltalk" })
        for event in events {
            #expect((event["at"] as? String)?.contains("T") == true, "ISO-8601 at: \(event)")
        }
        let fileName = try #require(files.first).deletingPathExtension().lastPathComponent
        #expect(events.first?["id"] as? String == fileName)

        let other = try Sandbox()
        let unrecorded = try await other.advisor(["run", "--no-transcript", file])
        #expect(unrecorded.status == 0)
        #expect(other.transcriptFiles().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: other.transcripts.path))
    }

    @Test("advisor run - answers each line before reading the next (driven through a pipe)")
    func pipeDriven() async throws {
        let sandbox = try Sandbox()
        let process = try sandbox.startAdvisor(["run", "--json", "-"])
        let questions = [
            ("What does agile mean to a CIO?", "term-agile"), ("and to a CMO?", "term-agile"),
            ("Who should own mobile?", "mobile-ownership"), ("hello", "smalltalk"),
        ]
        let transcript: [(String?, Bool)] = await offload {
            var lines: [(String?, Bool)] = []
            for (question, _) in questions {
                process.writeLine(question)
                // The answer comes while standard input is still open: line by line.
                lines.append((process.readLine(timeout: .seconds(10)), process.hasExited))
            }
            return lines
        }
        for ((question, topic), (line, exited)) in zip(questions, transcript) {
            let answer = try JSON.object(try #require(line, "no answer to \(question) before the next line"))
            #expect(answer["topic"] as? String == topic, "\(question)")
            #expect(!exited)
        }
        let result = await offload {
            process.closeStdin()
            return process.finish(timeout: .seconds(10))
        }
        #expect(result.status == 0, "\(result)")
        let events = try JSON.events(try #require(sandbox.transcriptFiles().first))
        #expect(events.filter { $0["type"] as? String == "turn" }.count == 4)
        #expect(events.last?["type"] as? String == "end")
    }

    @Test("a script's output piped into a closed pipe ends quietly")
    func closedPipe() async throws {
        let sandbox = try Sandbox()
        let file = try sandbox.write(
            "long.advisor", String(repeating: "What does agile mean to a CMO?\n", count: 600))
        for arguments in [["run", file.path], ["run", "--json", file.path]] {
            let result = try await ClosedPipe.run(sandbox, arguments)
            #expect(result.advisorStatus == 0, "\(arguments): \(result)")
            #expect(result.advisorStderr.isEmpty, "\(arguments): \(result)")
            #expect(result.firstLine.hasPrefix(arguments.contains("--json") ? "{" : "> "))
        }
    }
}
