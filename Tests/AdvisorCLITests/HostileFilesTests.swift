import AdvisorTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Hostile input, continued (issue 12): files that are not ours at the paths the advisor
/// writes (history, exports), signals sent to the REPL, escapes pasted into it, and escapes
/// in command-line arguments.
///
/// Devices and FIFOs are made in the sandbox (`mknod`, `mkfifo`), never the system's own;
/// the device cases pass without checking anything where `mknod` is not permitted.
@Suite("hostile files and signals")
struct HostileFilesTests {
    // MARK: Helpers

    /// What a path is, as lstat(2) sees it, with the content of a regular file: equal
    /// before and after means untouched.
    struct Node: Equatable, CustomStringConvertible {
        var type: mode_t
        var mode: mode_t
        var device: UInt
        var content: Data?
        var link: String?

        init(_ path: String) {
            var info = stat()
            if lstat(path, &info) != 0 {
                type = 0
                mode = 0
                device = 0
                return
            }
            type = info.st_mode & S_IFMT
            mode = info.st_mode & 0o7777
            device = UInt(info.st_rdev)
            if type == S_IFREG { content = FileManager.default.contents(atPath: path) }
            if type == S_IFLNK { link = try? FileManager.default.destinationOfSymbolicLink(atPath: path) }
        }

        var description: String {
            "type \(String(type, radix: 8)) mode \(String(mode, radix: 8)) rdev \(device) link \(link ?? "-") \(content?.count ?? -1) bytes"
        }
    }

    /// Something that is not a regular file of ours, made in the sandbox.
    enum Target: String, CaseIterable, CustomStringConvertible {
        case symlinkToFile = "a symbolic link to a file"
        case fifo = "a FIFO"
        case directory = "a directory"
        case nullDevice = "a null device (mknod c 1 3)"
        case zeroDevice = "a zero device (mknod c 1 5)"
        case notHistory = "a regular file that is not a history file"

        var description: String { rawValue }

        /// Makes the target at `sandbox/name`, with the other paths that must stay untouched.
        ///
        /// Nil when this machine does not allow it (mknod needs privileges).
        func make(in sandbox: Sandbox, name: String) async throws -> (path: String, watched: [String])? {
            let path = sandbox.path(name).path
            switch self {
            case .symlinkToFile:
                let target = try sandbox.write("\(name)-target", "precious\n").path
                chmod(target, 0o644)
                try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
                return (path, [path, target])
            case .fifo:
                try #require(mkfifo(path, 0o644) == 0)
                return (path, [path])
            case .directory:
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
                chmod(path, 0o755)
                return (path, [path])
            case .nullDevice, .zeroDevice:
                let minor = self == .nullDevice ? "3" : "5"
                let made = try await sandbox.run("/bin/sh", ["-c", "mknod -m 644 \"$0\" c 1 \(minor)", path])
                guard made.status == 0 else { return nil }
                return (path, [path])
            case .notHistory:
                let file = try sandbox.write(name, "my notes, not a history\n").path
                chmod(file, 0o644)
                return (file, [file])
            }
        }
    }

    static func quote(_ word: String) -> String { TmuxSession.quote(word) }

    /// The last non-empty line of a screen.
    static func lastLine(_ screen: String) -> String {
        let lines = screen.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }
        return lines.last { !$0.isEmpty } ?? ""
    }

    /// Waits until the screen's last line is the prompt (with `typed` after it).
    @discardableResult
    static func waitForPrompt(_ tmux: TmuxSession, typed: String = "", timeout: Duration = .seconds(10))
        async throws -> String
    {
        let expected = typed.isEmpty ? "advisor>" : "advisor> \(typed)"
        let (screen, found) = try await tmux.waitFor(timeout: timeout) { lastLine($0) == expected }
        try #require(found, "expected the line '\(expected)'; screen:\n\(screen)")
        return screen
    }

    /// Types a line, presses Enter and waits for the next prompt.
    static func enter(_ tmux: TmuxSession, _ line: String) async throws {
        try await tmux.type(line)
        try await waitForPrompt(tmux, typed: line)
        try await tmux.press("Enter")
    }

    /// The lines of a history file (libedit's `\ooo` escapes decoded).
    static func history(_ path: URL) -> [String] {
        guard let text = try? String(contentsOf: path, encoding: .utf8) else { return [] }
        return ReplTests.decodeHistory(text).filter { $0 != "_HiStOrY_V2_" }
    }

    /// A transcript made by a short scripted session in the sandbox; returns its id.
    static func transcript(_ sandbox: Sandbox) async throws -> String {
        let made = try await sandbox.advisor(["run", "-"], input: "hello\nWho should own mobile?\n")
        try #require(made.status == 0, "\(made)")
        let file = try #require(sandbox.transcriptFiles().first)
        return file.deletingPathExtension().lastPathComponent
    }

    // MARK: History

    @Test(
        "history at something that is not our file: one warning, the REPL works, the thing is untouched",
        .enabled(if: TmuxSession.isAvailable), arguments: Target.allCases)
    func historyNotOurs(_ target: Target) async throws {
        let sandbox = try Sandbox()
        guard let (path, watched) = try await target.make(in: sandbox, name: "history") else { return }
        let before = watched.map(Node.init)
        // Bounded memory: a history read without a limit (from a zero device) fails fast.
        // (Not under the address sanitizer: its shadow memory alone is far beyond any such limit.)
        let limit = ProcessInfo.processInfo.environment["ADVISOR_SANITIZED"] == nil ? "ulimit -v 1048576; " : ""
        let script = limit + "\"$ADVISOR\" --history \(Self.quote(path)); echo \"EXIT $?\""
        let tmux = try await TmuxSession(sandbox: sandbox, script: script)
        let screen = try await Self.waitForPrompt(tmux)
        let warnings = screen.split(separator: "\n").filter { $0.contains("warning") }
        #expect(warnings.count == 1 && screen.contains("history"), "one warning about the history: \(screen)")
        try await Self.enter(tmux, "hello")
        try await tmux.waitFor("[smalltalk]")
        try await Self.waitForPrompt(tmux)
        try await Self.enter(tmux, "/quit")
        let (ended, exited) = try await tmux.waitFor { $0.contains("EXIT ") }
        #expect(exited && ended.contains("EXIT 0"), "\(ended)")
        await tmux.stop()
        #expect(watched.map(Node.init) == before, "\(target) untouched: \(watched.map(Node.init)) vs \(before)")
        let left = try FileManager.default.contentsOfDirectory(atPath: sandbox.root.path)
        #expect(!left.contains { $0.hasPrefix(".history") }, "no temporary file left: \(left)")
    }

    @Test(
        "an empty ADVISOR_HISTORY means no history: nothing written, no warning", .enabled(if: TmuxSession.isAvailable))
    func emptyHistoryVariable() async throws {
        let sandbox = try Sandbox()
        let state = sandbox.path("state")
        let tmux = try await TmuxSession(
            sandbox: sandbox, arguments: [], env: ["ADVISOR_HISTORY": "", "XDG_STATE_HOME": state.path])
        let screen = try await Self.waitForPrompt(tmux)
        #expect(!screen.contains("warning"), "\(screen)")
        try await Self.enter(tmux, "hello")
        try await tmux.waitFor("[smalltalk]")
        try await Self.waitForPrompt(tmux)
        try await Self.enter(tmux, "/quit")
        #expect(try await tmux.waitForExit() == .status(0))
        await tmux.stop()
        #expect(!FileManager.default.fileExists(atPath: state.path), "no history file at the default place")
    }

    @Test(
        "two REPLs at once on one history file keep both their lines; a too-long line is not kept",
        .enabled(if: TmuxSession.isAvailable))
    func twoSessionsShareHistory() async throws {
        let sandbox = try Sandbox()
        let file = sandbox.path("state/history")
        let env: [String: String?] = ["ADVISOR_HISTORY": file.path]
        async let startFirst = TmuxSession(sandbox: sandbox, arguments: ["--no-transcript"], env: env)
        async let startSecond = TmuxSession(sandbox: sandbox, arguments: ["--no-transcript"], env: env)
        let (first, second) = try await (startFirst, startSecond)
        try await Self.waitForPrompt(first)
        try await Self.waitForPrompt(second)
        try await Self.enter(first, "alpha")
        try await Self.waitForPrompt(first)
        try await Self.enter(second, "beta")
        try await Self.waitForPrompt(second)
        // 70,000 bytes: past the 64 KiB line limit, so refused, and not kept in history.
        try await second.paste(String(repeating: "z", count: 70_000))
        try await second.press("Enter")
        try await second.waitFor("longer than the")
        try await Self.waitForPrompt(second)
        try await Self.enter(first, "gamma")
        try await Self.waitForPrompt(first)
        try await first.press("C-d")
        try await second.press("C-d")
        #expect(try await first.waitForExit() == .status(0))
        #expect(try await second.waitForExit() == .status(0))
        await first.stop()
        await second.stop()
        #expect(Self.history(file) == ["alpha", "beta", "gamma"], "\(Self.history(file).map { $0.prefix(40) })")
        #expect(Node(file.path).mode == 0o600)
    }

    // MARK: Pasting

    @Test(
        "a pasted block is inserted as text: ESC P recalls nothing, an escape is shown, not run",
        .enabled(if: TmuxSession.isAvailable))
    func pasteIsText() async throws {
        let sandbox = try Sandbox()
        let tmux = try await TmuxSession(
            sandbox: sandbox, arguments: [], env: ["ADVISOR_HISTORY": sandbox.path("history").path])
        try await Self.waitForPrompt(tmux)
        try await Self.enter(tmux, "Who should own mobile?")
        try await tmux.waitFor("[mobile-ownership]")
        try await Self.waitForPrompt(tmux)
        try await tmux.paste("abc\u{1B}Pdef\u{1B}[Aghi\njkl")
        let screen = try await Self.waitForPrompt(tmux, typed: "abc^[Pdef^[[Aghi jkl")
        #expect(!screen.contains("\u{1B}"), "nothing raw on screen")
        try await tmux.press("Enter")
        try await Self.waitForPrompt(tmux)
        try await tmux.press("C-d")
        #expect(try await tmux.waitForExit() == .status(0))
        await tmux.stop()
        let file = try #require(sandbox.transcriptFiles().first)
        let questions = try JSON.events(file).filter { $0["type"] as? String == "turn" }.compactMap {
            $0["question"] as? String
        }
        #expect(questions == ["Who should own mobile?", "abc\u{1B}Pdef\u{1B}[Aghi jkl"], "\(questions)")
    }

    // MARK: Signals

    /// A shell that starts a sibling, then the REPL (its pid in `pid`), then says AFTER
    /// with the REPL's exit status: all three in one process group, as in a script (issue
    /// 12's reproduction).
    static func familyScript(_ sandbox: Sandbox) -> String {
        let folder = Self.quote(sandbox.root.path)
        return """
            cd \(folder) || exit 1
            stty -g > tty-before
            (sleep 2; echo ok > sibling) &
            sh -c 'echo $$ > pid; exec "$ADVISOR"'
            echo "AFTER $?"
            stty -g > tty-after
            wait  # the shell leaving first would hang up the terminal on the sibling
            """
    }

    static func pid(_ sandbox: Sandbox) throws -> pid_t {
        let text = try String(contentsOf: sandbox.path("pid"), encoding: .utf8)
        return try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test(
        "SIGTERM or SIGHUP to the REPL ends it alone: terminal restored, history and end event saved, re-raised",
        .enabled(if: TmuxSession.isAvailable), arguments: [SIGTERM, SIGHUP])
    func terminatingSignal(_ signal: Int32) async throws {
        let sandbox = try Sandbox()
        let history = sandbox.path("history")
        let tmux = try await TmuxSession(
            sandbox: sandbox, script: Self.familyScript(sandbox), env: ["ADVISOR_HISTORY": history.path])
        try await Self.waitForPrompt(tmux)
        try await Self.enter(tmux, "hello")
        try await tmux.waitFor("[smalltalk]")
        try await Self.waitForPrompt(tmux)
        try await tmux.type("half typed")
        try await Self.waitForPrompt(tmux, typed: "half typed")
        kill(try Self.pid(sandbox), signal)
        let (screen, after) = try await tmux.waitFor { $0.contains("AFTER") }
        #expect(after && screen.contains("AFTER \(128 + signal)"), "the shell goes on; the REPL died of it: \(screen)")
        let (_, sibling) = try await tmux.waitFor(timeout: .seconds(6)) { _ in
            (try? String(contentsOf: sandbox.path("sibling"), encoding: .utf8)) == "ok\n"
        }
        #expect(sibling, "the sibling in the same process group survived")
        await tmux.stop()
        let before = try? String(contentsOf: sandbox.path("tty-before"), encoding: .utf8)
        let restored = try? String(contentsOf: sandbox.path("tty-after"), encoding: .utf8)
        #expect(before != nil && before == restored, "terminal settings restored")
        let file = try #require(sandbox.transcriptFiles().first)
        let events = try JSON.events(file)
        #expect(events.last?["type"] as? String == "end", "the transcript is ended: \(events.last ?? [:])")
        #expect(Self.history(history) == ["hello"], "\(Self.history(history))")
    }

    @Test("SIGINT to the REPL cancels the line and reaches no other process", .enabled(if: TmuxSession.isAvailable))
    func interruptSignal() async throws {
        let sandbox = try Sandbox()
        let tmux = try await TmuxSession(
            sandbox: sandbox, script: Self.familyScript(sandbox),
            env: ["ADVISOR_HISTORY": sandbox.path("history").path])
        try await Self.waitForPrompt(tmux)
        try await tmux.type("half typed")
        try await Self.waitForPrompt(tmux, typed: "half typed")
        kill(try Self.pid(sandbox), SIGINT)
        let (screen, cancelled) = try await tmux.waitFor { $0.contains("^C") && Self.lastLine($0) == "advisor>" }
        #expect(cancelled, "\(screen)")
        try await Self.enter(tmux, "/quit")
        let (ended, after) = try await tmux.waitFor { $0.contains("AFTER") }
        #expect(after && ended.contains("AFTER 0"), "the shell was not interrupted: \(ended)")
        let (_, sibling) = try await tmux.waitFor(timeout: .seconds(6)) { _ in
            (try? String(contentsOf: sandbox.path("sibling"), encoding: .utf8)) == "ok\n"
        }
        #expect(sibling)
        await tmux.stop()
        #expect(try sandbox.transcriptFiles().first.map(JSON.events)?.last?["type"] as? String == "end")
    }

    // MARK: Export

    @Test(
        "export -o refuses what is not a regular file, in one line, and leaves it alone",
        arguments: [Target.symlinkToFile, .fifo, .directory, .nullDevice])
    func exportRefuses(_ target: Target) async throws {
        let sandbox = try Sandbox()
        let id = try await Self.transcript(sandbox)
        guard let (path, watched) = try await target.make(in: sandbox, name: "out.md") else { return }
        let before = watched.map(Node.init)
        let result = try await sandbox.advisor(["transcripts", "export", id, "-o", path], timeout: .seconds(10))
        #expect(result.status == 2 && !result.timedOut, "\(result)")
        #expect(result.errLines.count == 1 && result.err.hasPrefix("advisor: error: "), "\(result)")
        #expect(result.err.contains(path), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(watched.map(Node.init) == before, "\(target) untouched")
        let left = try FileManager.default.contentsOfDirectory(atPath: sandbox.root.path)
        #expect(!left.contains { $0.hasPrefix(".out.md") }, "no temporary file left: \(left)")
    }

    @Test("export -o: - is standard output, the extension picks the format, DIR/ names the file, 0600")
    func exportDestinations() async throws {
        let sandbox = try Sandbox()
        let id = try await Self.transcript(sandbox)
        let existing = try sandbox.write("old.md", "old\n")
        chmod(existing.path, 0o644)
        try FileManager.default.createDirectory(at: sandbox.path("dir"), withIntermediateDirectories: false)
        let runs: [[String]] = [
            ["-o", "-"], ["-o", "page.html"], ["-o", "lines.json"], ["--format", "markdown", "-o", "forced.html"],
            ["-o", "old.md"], ["--format", "html", "-o", "dir/"],
        ]
        for arguments in runs {
            let result = try await sandbox.advisor(["transcripts", "export", id] + arguments, cwd: sandbox.root)
            #expect(result.status == 0 && result.stderr.isEmpty, "\(arguments): \(result)")
            if arguments.last == "-" {
                #expect(result.out.hasPrefix("#") && result.out.contains("Who should own mobile?"), "\(result)")
            } else {
                #expect(result.stdout.isEmpty, "\(arguments): \(result)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("-").path), "no file named -")
        let page = try String(contentsOf: sandbox.path("page.html"), encoding: .utf8)
        #expect(page.lowercased().contains("<html"), "html from .html")
        let lines = try String(contentsOf: sandbox.path("lines.json"), encoding: .utf8)
        #expect(try JSON.lines(lines).count >= 3, "JSON Lines from .json")
        let forced = try String(contentsOf: sandbox.path("forced.html"), encoding: .utf8)
        #expect(forced.hasPrefix("#") && !forced.lowercased().contains("<html"), "--format wins")
        let replaced = try String(contentsOf: existing, encoding: .utf8)
        #expect(replaced.contains("Who should own mobile?"), "a regular file is replaced")
        let intoFolder = sandbox.path("dir/\(id).html")
        #expect(FileManager.default.fileExists(atPath: intoFolder.path), "DIR/ gives DIR/ID.html")
        for name in ["page.html", "lines.json", "forced.html", "old.md", "dir/\(id).html"] {
            #expect(Node(sandbox.path(name).path).mode == 0o600, "\(name) is 0600")
        }
    }

    // MARK: Arguments

    @Test(
        "an escape in an argument is shown neutralised in a one-line error",
        arguments: [
            ["ask", "--role", "cio\u{1B}[31m", "x"], ["ask", "--frob\u{1B}]0;t\u{07}", "x"], ["kb", "\u{1B}[2J"],
            ["transcripts", "show", "--format", "te\u{1B}[1mxt", "last"], ["ask", "--role", "a\nb", "x"],
        ])
    func argumentEscapes(_ arguments: [String]) async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(arguments)
        #expect(result.status == 2, "\(result)")
        #expect(result.errLines.count == 1, "one line: \(result)")
        #expect(result.err.hasPrefix("advisor: error: "), "\(result)")
        #expect(HostileInputTests.rawControls(result.stderr).isEmpty, "\(result.err.debugDescription)")
        #expect(result.err.contains("^[") || result.err.contains("^J"), "the escape is shown: \(result)")
        #expect(result.stdout.isEmpty)
    }
}
