import AdvisorTestSupport
import Foundation
import Testing

/// Issue 13 on a real terminal: widths, the greeting, /save, /export, /clear, preferences.
@Suite(
    "REPL review on a terminal", .serialized,
    .enabled(if: TmuxSession.isAvailable, "tmux is not installed: the REPL tests need it"))
struct ReplReviewTests {
    typealias REPL = ReplTests.REPL

    /// The lines printed after the prompt line ending in `command`, up to the next prompt.
    static func output(of command: String, in screen: String) -> [String] {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.lastIndex(where: { $0.hasPrefix("advisor") && $0.hasSuffix("> " + command) }) else {
            return []
        }
        let rest = lines[(start + 1)...]
        let end = rest.firstIndex { $0.hasPrefix("advisor>") || $0.hasPrefix("advisor[") } ?? rest.endIndex
        return Array(rest[..<end])
    }

    /// Whitespace collapsed, so wrapped text can be compared with the sentence it came from.
    static func flat(_ lines: [String]) -> String {
        lines.joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test("after a resize the next answer wraps at the new width; commands wrap too; at most 100 columns")
    func widths() async throws {
        let repl = try await REPL.start()
        try await repl.tmux.resize(width: 52, height: 40)
        try await Task.sleep(for: .milliseconds(200))
        let commands = [
            "Who should own mobile?", "/why", "/whynot tech-budget", "/sources", "/history", "/help", "/topics",
        ]
        for command in commands {
            try await repl.enter(command)
            try await repl.waitForPrompt()
        }
        let screen = try await repl.tmux.capture()
        for command in commands {
            let lines = Self.output(of: command, in: screen)
            #expect(!lines.isEmpty, "\(command) printed something: \(screen)")
            let long = lines.filter { $0.count > 52 }
            #expect(long.isEmpty, "\(command) fits 52 columns: \(long)")
        }
        let help = Self.flat(Self.output(of: "/help", in: screen))
        #expect(
            help.contains("/save [FILE] save this session so far (ID.md here, or FILE: .md, .html, .json, .txt)"),
            "no word of /help is broken: \(help)")
        let sources = Self.output(of: "/sources", in: screen)
        #expect(!Self.flat(sources).contains(".txt"), "/sources names no seed file: \(sources)")
        #expect(sources.first?.hasPrefix("[1] ") == true, "\(sources)")

        try await repl.tmux.resize(width: 160, height: 40)
        try await Task.sleep(for: .milliseconds(200))
        try await repl.enter("How do we split the budget with marketing?")
        try await repl.waitFor("[tech-budget]")
        let wide = try await repl.waitForPrompt()
        let answer = Self.output(of: "How do we split the budget with marketing?", in: wide)
        let widest = answer.map(\.count).max() ?? 0
        #expect(widest <= 100 && widest > 80, "a wide terminal reads at most 100 columns: \(widest)\n\(answer)")
        await repl.tmux.stop()
    }

    @Test("the greeting says /role cio or \"I'm the CIO\", and shows the transcript path short")
    func greeting() async throws {
        let sandbox = try Sandbox()
        let folder = sandbox.home.appendingPathComponent("saved")
        let tmux = try await TmuxSession(
            sandbox: sandbox, arguments: [],
            env: ["ADVISOR_TRANSCRIPTS": folder.path, "ADVISOR_HISTORY": sandbox.path("history").path])
        let (screen, found) = try await tmux.waitFor { REPL.lastLine($0) == "advisor>" }
        try #require(found, "\(screen)")
        #expect(screen.contains("/role cio") && screen.contains("I'm the CIO"), "\(screen)")
        #expect(!screen.contains("--role"), "no command-line flag in the greeting: \(screen)")
        #expect(screen.contains("This session is saved to ~/saved/"), "short path: \(screen)")
        await tmux.stop()
    }

    @Test("/save, /export FILE.html and /clear in a running session")
    func saveExportClear() async throws {
        let repl = try await REPL.start()
        try await repl.enter("Who should own mobile?")
        try await repl.waitFor("[mobile-ownership]")
        try await repl.waitForPrompt()
        try await repl.enter("/more")
        try await repl.waitForPrompt()

        try await repl.enter("/save")
        let saved = try await repl.waitFor("Saved this session")
        let id = try #require(repl.sandbox.transcriptFiles().first).deletingPathExtension().lastPathComponent
        let markdown = repl.sandbox.path("\(id).md")
        #expect(saved.contains("\(id).md"), "\(saved)")
        let text = try String(contentsOf: markdown, encoding: .utf8)
        #expect(text.contains("Who should own mobile?") && text.contains("/more"), "\(text)")
        #expect(!text.contains("did not exit cleanly"), "a running session is not reported as killed: \(text)")
        let mode = try FileManager.default.attributesOfItem(atPath: markdown.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        let html = repl.sandbox.path("out/session.html")
        try FileManager.default.createDirectory(at: html.deletingLastPathComponent(), withIntermediateDirectories: true)
        try await repl.enter("/export \(html.path)")
        try await repl.waitFor("Saved this session", count: 2)
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.contains("<html") && page.contains("Who should own mobile?"), "HTML from the extension")

        try await repl.enter("/clear")
        var screen = ""
        // Cleared, and the fresh prompt drawn: the two can be captured a moment apart.
        for _ in 0..<100 {
            screen = try await repl.tmux.visibleScreen()
            if !screen.contains("[mobile-ownership]"), REPL.lastLine(screen) == "advisor>" { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(!screen.contains("[mobile-ownership]"), "the screen is cleared: \(screen)")
        #expect(REPL.lastLine(screen) == "advisor>", "a fresh prompt: \(screen)")
        await repl.tmux.stop()
    }

    @Test("preferences: role and color from the config file, a bad line warned with FILE:LINE, /role cio --save")
    func preferences() async throws {
        let sandbox = try Sandbox()
        let config = sandbox.home.appendingPathComponent(".config/advisor/config")
        try FileManager.default.createDirectory(
            at: config.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "# mine\nrole = cmo\ncolor = never\nthis is not a setting\n".write(
            to: config, atomically: true, encoding: .utf8)
        let tmux = try await TmuxSession(
            sandbox: sandbox, arguments: [], env: ["ADVISOR_HISTORY": sandbox.path("history").path])
        let (screen, found) = try await tmux.waitFor { REPL.lastLine($0) == "advisor[cmo]>" }
        try #require(found, "the role comes from the config file: \(screen)")
        #expect(screen.contains("\(config.path):4:"), "the bad line is named: \(screen)")
        #expect(screen.contains("from the preferences file"), "\(screen)")
        try await tmux.type("Who should own mobile?")
        try await tmux.press("Enter")
        let (answered, _) = try await tmux.waitFor(escapes: true) { $0.contains("[mobile-ownership]") }
        #expect(!answered.contains("\u{1B}[1m"), "color = never: no colour")

        try await tmux.type("/role cio --save")
        try await tmux.press("Enter")
        let (savedScreen, saved) = try await tmux.waitFor { REPL.lastLine($0) == "advisor[cio]>" }
        #expect(saved && savedScreen.contains("Saved role = cio"), "\(savedScreen)")
        let text = try String(contentsOf: config, encoding: .utf8)
        #expect(text == "# mine\nrole = cio\ncolor = never\nthis is not a setting\n", "\(text)")
        let mode = try FileManager.default.attributesOfItem(atPath: config.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        await tmux.stop()

        // A config that is a symbolic link is read but never written through.
        let target = sandbox.path("elsewhere")
        try "role = cmo\n".write(to: target, atomically: true, encoding: .utf8)
        let xdg = sandbox.path("xdg/advisor")
        try FileManager.default.createDirectory(at: xdg, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: xdg.appendingPathComponent("config").path, withDestinationPath: target.path)
        let linked = try await TmuxSession(
            sandbox: sandbox, arguments: [],
            env: ["ADVISOR_HISTORY": sandbox.path("history").path, "XDG_CONFIG_HOME": sandbox.path("xdg").path])
        let (start, started) = try await linked.waitFor { REPL.lastLine($0) == "advisor[cmo]>" }
        try #require(started, "$XDG_CONFIG_HOME/advisor/config is read: \(start)")
        try await linked.type("/role save")
        try await linked.press("Enter")
        let (refused, _) = try await linked.waitFor { $0.contains("not saved") }
        #expect(refused.contains("symbolic link"), "\(refused)")
        #expect(try String(contentsOf: target, encoding: .utf8) == "role = cmo\n", "the link's target is untouched")
        await linked.stop()
    }
}
