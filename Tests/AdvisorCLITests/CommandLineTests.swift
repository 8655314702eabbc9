import AdvisorTestSupport
import Foundation
import Testing

/// Issue 13's command line and saved commands: what a user of git expects.
@Suite("command line and saved commands")
struct CommandLineTests {
    @Test("a question without 'ask' gets the command that asks it, in one line, exit 2")
    func questionWithoutAsk() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(["who", "owns", "mobile"])
        #expect(result.status == 2, "\(result)")
        #expect(
            result.errLines == [
                "advisor: error: 'who' is not a command; to ask a question: advisor ask \"who owns mobile\" (see 'advisor --help')"
            ], "\(result)")
    }

    @Test("a mistyped subcommand gets 'did you mean'")
    func didYouMean() async throws {
        let sandbox = try Sandbox()
        let lst = try await sandbox.advisor(["transcripts", "lst"])
        #expect(lst.status == 2, "\(lst)")
        #expect(lst.errLines.count == 1 && lst.err.contains("did you mean 'transcripts list'?"), "\(lst)")
        let top = try await sandbox.advisor(["trancripts", "list"])
        #expect(top.status == 2 && top.errLines.count == 1 && top.err.contains("did you mean 'transcripts'?"), "\(top)")
    }

    @Test("options before the subcommand: advisor --kb DIR kb check, --no-color ask")
    func optionsFirst() async throws {
        let sandbox = try Sandbox()
        let kb = try #require(AdvisorProcess.shippedKnowledgeBase)
        let check = try await sandbox.advisor(["--kb", kb.path, "kb", "check"])
        #expect(check.status == 0, "\(check)")
        let ask = try await sandbox.advisor(["--no-color", "--role", "cio", "ask", "who owns mobile?"])
        #expect(ask.status == 0 && ask.out.contains("[mobile-ownership]"), "\(ask)")
    }

    @Test("each command's help shows only the options it uses")
    func helpOptions() async throws {
        let sandbox = try Sandbox()
        for command in ["list", "show", "search", "export"] {
            let help = try await sandbox.advisor(["transcripts", command, "--help"])
            #expect(help.status == 0, "\(help)")
            #expect(
                !help.out.contains("--kb") && !help.out.contains("--no-transcript"),
                "transcripts \(command): \(help.out)")
            #expect(help.out.contains("--transcripts"), "transcripts \(command): \(help.out)")
        }
        for command in ["replay", "gaps"] {
            let help = try await sandbox.advisor(["transcripts", command, "--help"])
            #expect(help.out.contains("--kb") && !help.out.contains("--no-transcript"), "\(help.out)")
        }
        let ask = try await sandbox.advisor(["ask", "--help"])
        #expect(ask.out.contains("--kb") && !ask.out.contains("--transcripts"), "\(ask.out)")
        let check = try await sandbox.advisor(["kb", "check", "--help"])
        #expect(check.out.contains("--kb") && !check.out.contains("--no-transcript"), "\(check.out)")
        let removed = try await sandbox.advisor(["transcripts", "list", "--kb", "x"])
        #expect(removed.status == 2 && removed.err.hasPrefix("advisor: error: "), "\(removed)")
    }

    @Test("every error has one form: advisor: error: ...")
    func oneForm() async throws {
        let sandbox = try Sandbox()
        let cases: [[String]] = [
            ["run", sandbox.path("missing.advisor").path], ["transcripts", "show", "nope"],
            ["--kb", "/nonexistent", "kb", "check"],
            ["transcripts", "search"],
        ]
        for arguments in cases {
            let result = try await sandbox.advisor(arguments)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.errLines.first?.hasPrefix("advisor: error: ") == true, "\(arguments): \(result.err)")
        }
    }

    @Test("/more, /why, /sources, /whynot save the text shown; show and export reproduce it")
    func savedAsShown() async throws {
        let sandbox = try Sandbox()
        let script = "Who should own mobile?\n/more\n/why\n/sources\n/whynot tech-budget\n/role cio\n"
        let run = try await sandbox.advisor(["run", "-"], input: script)
        #expect(run.status == 0, "\(run)")
        let file = try #require(sandbox.transcriptFiles().first)
        let commands = try JSON.events(file).filter { $0["type"] as? String == "command" }
        var shown: [String: String] = [:]
        for command in commands {
            if let line = command["line"] as? String, let output = command["output"] as? String { shown[line] = output }
        }
        for line in ["/more", "/why", "/sources", "/whynot tech-budget"] {
            let output = try #require(shown[line], "\(line) keeps what it showed: \(commands)")
            #expect(
                CommandLineTests.flat(run.out).contains(CommandLineTests.flat(output)),
                "\(line): saved text is the text shown:\n\(output)\n---\n\(run.out)")
        }
        #expect(shown["/why"]?.contains("Matched words:") == true)
        #expect(shown["/sources"].map { !$0.contains("seed") && !$0.contains(".txt") } == true, "\(shown)")
        #expect(shown["/role cio"] == nil, "a command that only changes something keeps its effect")

        let show = try await sandbox.advisor(["transcripts", "show", "last"])
        #expect(show.out.contains("Matched words:") && show.out.contains("> /sources"), "\(show.out)")
        let markdown = try await sandbox.advisor(["transcripts", "export", "last"])
        #expect(markdown.out.contains("~~~text\nTopic: mobile-ownership"), "\(markdown.out)")
        let html = try await sandbox.advisor(["transcripts", "export", "last", "--format", "html"])
        #expect(html.out.contains("<pre class=\"shown\">Topic: mobile-ownership"), "\(html.out)")
    }

    @Test("/whynot shows the pattern's words as written, not their stems")
    func whyNotWords() async throws {
        let sandbox = try Sandbox()
        let run = try await sandbox.advisor(
            ["run", "--no-transcript", "-"], input: "Who should own mobile?\n/whynot tech-budget\n/whynot shadow-it\n")
        #expect(run.status == 0, "\(run)")
        let misses = run.outLines.filter { $0.hasPrefix("  '") && $0.contains("': missing ") }
        #expect(!misses.isEmpty, "\(run.out)")
        for line in misses {
            let pattern = String(line.dropFirst(3).prefix { $0 != "'" })
            let missing = line.components(separatedBy: "': missing ").last ?? ""
            for word in missing.components(separatedBy: ", ") where word.hasPrefix("'") {
                let bare = word.trimmingCharacters(in: CharacterSet(charactersIn: "'"))
                // A missing word can be a concept's phrase ("credit card"): as written, in the pattern.
                #expect((" " + pattern + " ").contains(" " + bare + " "), "'\(bare)' is written in '\(pattern)'")
            }
        }
    }

    static func flat(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
