import AdvisorTestSupport
import Foundation
import Testing

/// The interactive chat, driven through a real pseudo-terminal (tmux).
@Suite("REPL on a terminal", .enabled(if: TmuxSession.isAvailable, "tmux is not installed: the REPL tests need it"))
struct ReplTests {
    /// A REPL session in a fresh sandbox, with its history file in the sandbox.
    struct REPL {
        let sandbox: Sandbox
        let tmux: TmuxSession
        var history: URL { sandbox.path("state/advisor-history") }

        static func start(_ arguments: [String] = [], env: [String: String?] = [:]) async throws -> REPL {
            let sandbox = try Sandbox()
            var environment: [String: String?] = ["ADVISOR_HISTORY": sandbox.path("state/advisor-history").path]
            for (key, value) in env { environment[key] = value }
            let tmux = try await TmuxSession(sandbox: sandbox, arguments: arguments, env: environment)
            let repl = REPL(sandbox: sandbox, tmux: tmux)
            try await repl.waitForPrompt()
            return repl
        }

        /// The last non-empty line of a screen.
        static func lastLine(_ screen: String) -> String {
            let lines = screen.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }
            return lines.last { !$0.isEmpty } ?? ""
        }

        /// Waits until the last line of the screen is `prompt` followed by `typed`.
        @discardableResult
        func waitForPrompt(_ prompt: String = "advisor>", typed: String = "") async throws -> String {
            let expected = typed.isEmpty ? prompt : "\(prompt) \(typed)"
            let (screen, found) = try await tmux.waitFor { Self.lastLine($0) == expected }
            try #require(found, "expected the line '\(expected)'; screen:\n\(screen)")
            return screen
        }

        /// Waits until `text` appears `count` times on the screen.
        @discardableResult
        func waitFor(_ text: String, count: Int = 1) async throws -> String {
            let (screen, found) = try await tmux.waitFor { $0.components(separatedBy: text).count - 1 >= count }
            try #require(found, "expected '\(text)' \(count) time(s); screen:\n\(screen)")
            return screen
        }

        /// Types a line and presses Enter.
        func enter(_ line: String) async throws {
            try await tmux.type(line)
            try await tmux.waitFor { Self.lastLine($0).hasSuffix(line) }
            try await tmux.press("Enter")
        }

        /// The session's transcript events (the only transcript in the sandbox).
        func events() throws -> [[String: Any]] {
            try JSON.events(
                try #require(sandbox.transcriptFiles().first, "no transcript in \(sandbox.transcripts.path)"))
        }

        func questions() throws -> [String] {
            try events().filter { $0["type"] as? String == "turn" }.compactMap { $0["question"] as? String }
        }
    }

    @Test("banner, prompt, a question answered on screen, /role, /transcript, Ctrl-D, history file")
    func session() async throws {
        let repl = try await REPL.start()
        let banner = try await repl.tmux.capture()
        #expect(banner.contains("advisor"), "\(banner)")
        #expect(banner.contains("/help"), "the banner points at /help: \(banner)")
        #expect(banner.contains(repl.sandbox.transcripts.path), "the banner says where the transcript goes: \(banner)")

        try await repl.enter("Who should own mobile?")
        try await repl.waitFor("[mobile-ownership]")
        let answered = try await repl.waitForPrompt()
        #expect(answered.contains("86%"), "the answer itself is on screen: \(answered)")

        try await repl.enter("/role cmo")
        try await repl.waitForPrompt("advisor[cmo]>")

        try await repl.enter("/transcript")
        let screen = try await repl.waitForPrompt("advisor[cmo]>")
        let lines = screen.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }
        let commandLine = try #require(lines.lastIndex { $0.hasSuffix("> /transcript") }, "\(screen)")
        let file = try #require(repl.sandbox.transcriptFiles().first)
        #expect(lines.indices.contains(commandLine + 1) && lines[commandLine + 1] == file.path, "\(screen)")

        try await repl.tmux.press("C-d")
        let exit = try await repl.tmux.waitForExit()
        let finalScreen = try await repl.tmux.capture()
        #expect(exit == .status(0), "Ctrl-D on an empty line ends the session cleanly: \(exit)\n\(finalScreen)")
        await repl.tmux.stop()

        let events = try repl.events()
        #expect(events.first?["mode"] as? String == "interactive")
        #expect(events.last?["type"] as? String == "end", "a clean exit writes the end event")
        #expect(try repl.questions() == ["Who should own mobile?"])
        #expect(events.contains { $0["type"] as? String == "command" && $0["line"] as? String == "/role cmo" })

        let attributes = try FileManager.default.attributesOfItem(atPath: repl.history.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "history is user-only")
        let history = Self.decodeHistory(try String(contentsOf: repl.history, encoding: .utf8))
        #expect(history.contains("Who should own mobile?"), "\(history)")
        #expect(history.contains("/role cmo"), "\(history)")
    }

    /// libedit stores history lines with strvis(3) escapes such as `\040` for a space.
    static func decodeHistory(_ text: String) -> [String] {
        text.split(separator: "\n").map { line in
            var result: [UInt8] = []
            let bytes = Array(line.utf8)
            var index = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "\\"), index + 3 < bytes.count,
                    let value = UInt8(String(decoding: bytes[(index + 1)...(index + 3)], as: UTF8.self), radix: 8)
                {
                    result.append(value)
                    index += 4
                } else {
                    result.append(bytes[index])
                    index += 1
                }
            }
            return String(decoding: result, as: UTF8.self)
        }
    }

    @Test("arrow-up recalls the previous line; Tab completes /he to /help")
    func recallAndComplete() async throws {
        let repl = try await REPL.start()
        try await repl.enter("Who should own mobile?")
        try await repl.waitFor("[mobile-ownership]")
        try await repl.waitForPrompt()

        try await repl.tmux.press("Up")
        try await repl.waitForPrompt(typed: "Who should own mobile?")
        try await repl.tmux.press("Enter")
        try await repl.waitFor("[mobile-ownership]", count: 2)
        try await repl.waitForPrompt()

        try await repl.tmux.type("/he")
        try await repl.waitForPrompt(typed: "/he")
        try await repl.tmux.press("Tab")
        try await repl.waitForPrompt(typed: "/help")
        try await repl.tmux.press("Enter")
        try await repl.waitFor("/role")
        try await repl.waitForPrompt()
        #expect(try repl.questions() == ["Who should own mobile?", "Who should own mobile?"])
        await repl.tmux.stop()
    }

    @Test("Ctrl-C cancels a half-typed line: it is not answered and a new prompt appears")
    func controlC() async throws {
        let repl = try await REPL.start()
        try await repl.tmux.type("What does agile mean to a CIO")
        try await repl.waitForPrompt(typed: "What does agile mean to a CIO")
        try await repl.tmux.press("C-c")
        let cancelled = try await repl.waitForPrompt()
        #expect(cancelled.components(separatedBy: "advisor>").count - 1 == 2, "a fresh prompt: \(cancelled)")
        let state = try await repl.tmux.paneState()
        #expect(!state.dead, "Ctrl-C does not end the session")

        try await repl.enter("hello")
        let screen = try await repl.waitFor("[smalltalk]")
        #expect(!screen.contains("[term-agile]"), "the cancelled line was not answered: \(screen)")
        try await repl.waitForPrompt()
        #expect(try repl.questions() == ["hello"])
        await repl.tmux.stop()
    }

    @Test("/quit ends the session cleanly")
    func quit() async throws {
        let repl = try await REPL.start()
        try await repl.enter("/quit")
        let exit = try await repl.tmux.waitForExit()
        #expect(exit == .status(0), "\(exit)")
        await repl.tmux.stop()
        #expect(try repl.events().last?["type"] as? String == "end")
    }

    @Test("colour on a terminal by default; none with NO_COLOR=1 or --no-color")
    func colour() async throws {
        let coloured = try await REPL.start()
        try await coloured.enter("Who should own mobile?")
        try await coloured.waitFor("[mobile-ownership]")
        try await coloured.waitForPrompt()
        let withEscapes = try await coloured.tmux.capture(escapes: true)
        let titleLine = withEscapes.split(separator: "\n").first { $0.contains("[mobile-ownership]") } ?? ""
        #expect(titleLine.contains("\u{1B}["), "the title is coloured: \(titleLine)")
        await coloured.tmux.stop()

        let variants: [([String], [String: String?])] = [([], ["NO_COLOR": "1"]), (["--no-color"], [:])]
        for (arguments, env) in variants {
            let plain = try await REPL.start(arguments, env: env)
            try await plain.enter("Who should own mobile?")
            try await plain.waitFor("[mobile-ownership]")
            try await plain.waitForPrompt()
            let screen = try await plain.tmux.capture(escapes: true)
            #expect(!screen.contains("\u{1B}"), "no escape codes with \(arguments) \(env): \(screen)")
            await plain.tmux.stop()
        }
    }
}
