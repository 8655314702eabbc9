import AdvisorTestSupport
import Foundation
import Testing

/// `transcripts show` on a real terminal, from an interactive shell with job control, pages
/// the way git does.
@Suite("pager on a terminal", .enabled(if: TmuxSession.isAvailable, "tmux is not installed: the pager tests need it"))
struct PagerTests {
    /// A sandbox holding one scripted session much longer than a 100x30 screen.
    static func longTranscript() async throws -> Sandbox {
        let sandbox = try Sandbox()
        let questions = [
            "Who should own mobile?", "How do we split the budget with marketing?", "What does agile mean to a CIO?",
            "What does platform mean to a CMO?", "How do we stop shadow IT?",
        ]
        let result = try await sandbox.advisor(["run", "-"], input: questions.joined(separator: "\n") + "\n")
        try #require(result.status == 0, "\(result)")
        try #require(result.outLines.count > 60, "the session is longer than the screen: \(result)")
        return sandbox
    }

    /// An interactive bash on the terminal, with a prompt the test can find.
    static func shell(_ sandbox: Sandbox, env: [String: String?] = [:]) async throws -> TmuxSession {
        var environment: [String: String?] = ["LESS": nil, "PAGER": nil, "ADVISOR_PAGER": nil]
        for (key, value) in env { environment[key] = value }
        let rc = try sandbox.write("bashrc", "PS1='tsh$ '\n")
        let tmux = try await TmuxSession(
            sandbox: sandbox, script: "exec bash --noprofile --rcfile \(TmuxSession.quote(rc.path)) -i",
            env: environment)
        let (screen, found) = try await tmux.waitFor { ReplTests.REPL.lastLine($0) == "tsh$" }
        try #require(found, "no shell prompt: \(screen)")
        return tmux
    }

    /// The exit status the shell printed as `rc:N:done`, if it has.
    static func status(_ screen: String) -> Int? {
        for line in screen.split(separator: "\n") where line.hasPrefix("rc:") && line.hasSuffix(":done") {
            return Int(line.dropFirst(3).dropLast(5))
        }
        return nil
    }

    @Test("less pages in the foreground: q returns to the shell, no stopped or defunct less is left")
    func lessInForeground() async throws {
        guard AdvisorProcess.which("less") != nil, AdvisorProcess.which("bash") != nil else { return }
        let sandbox = try await Self.longTranscript()
        let tmux = try await Self.shell(sandbox)
        try await tmux.type("\"$ADVISOR\" transcripts show last; echo \"rc:$?:done\"")
        try await tmux.press("Enter")
        // less shows the first screen with its ':' prompt on the last line.
        let (paged, found) = try await tmux.waitFor { screen in
            screen.contains("Who should own mobile?") && ReplTests.REPL.lastLine(screen) == ":"
        }
        #expect(found, "less shows the first page and waits: \(paged)")
        #expect(Self.status(paged) == nil, "advisor waits for the pager: \(paged)")
        try await tmux.press("q")
        let (back, returned) = try await tmux.waitFor { screen in
            Self.status(screen) != nil && ReplTests.REPL.lastLine(screen) == "tsh$"
        }
        #expect(returned, "q returns to the shell: \(back)")
        #expect(Self.status(back) == 0, "\(back)")
        try await tmux.type(
            "echo \"jobs=$(jobs | wc -l) less=$(ps -t \"$(tty)\" -o stat=,comm= | grep -c '[l]ess')\"")
        try await tmux.press("Enter")
        let (report, reported) = try await tmux.waitFor { $0.contains("\njobs=") }
        #expect(reported && report.contains("jobs=0 less=0"), "no job stopped, no less left: \(report)")
        await tmux.stop()
    }

    @Test("ADVISOR_PAGER before PAGER, LESS=FRX unless LESS is set, no pager when piped")
    func pagerChoice() async throws {
        let sandbox = try await Self.longTranscript()
        let pager = "env > \(sandbox.path("pager-env").path); cat > \(sandbox.path("paged").path)"
        for (env, less) in [
            (["ADVISOR_PAGER": pager, "PAGER": "false"], "LESS=FRX"), (["PAGER": pager, "LESS": "M"], "LESS=M"),
        ] {
            try? FileManager.default.removeItem(at: sandbox.path("paged"))
            let tmux = try await Self.shell(sandbox, env: env)
            try await tmux.type("\"$ADVISOR\" transcripts show last; echo \"rc:$?:done\"")
            try await tmux.press("Enter")
            let (screen, done) = try await tmux.waitFor { Self.status($0) != nil }
            #expect(done && Self.status(screen) == 0, "\(env): \(screen)")
            let paged = (try? String(contentsOf: sandbox.path("paged"), encoding: .utf8)) ?? ""
            #expect(paged.contains("Who should own mobile?"), "the pager got the transcript with \(env)")
            let environment = (try? String(contentsOf: sandbox.path("pager-env"), encoding: .utf8)) ?? ""
            #expect(environment.split(separator: "\n").contains(Substring(less)), "\(less) with \(env)")
            await tmux.stop()
        }

        // Standard output not a terminal: no pager at all.
        try? FileManager.default.removeItem(at: sandbox.path("paged"))
        let piped = try await sandbox.advisor(["transcripts", "show", "last"], env: ["ADVISOR_PAGER": pager])
        #expect(piped.status == 0 && piped.out.contains("Who should own mobile?"), "\(piped)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("paged").path), "no pager when piped")
    }
}
