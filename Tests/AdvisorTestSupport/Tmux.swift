import Foundation

/// Drives a program on a real pseudo-terminal through a private tmux server.
///
/// Each session has its own server (`tmux -L SOCKET`) with its socket in the sandbox;
/// `stop()` (also run when the object goes away) kills the server and so the program.
package final class TmuxSession: @unchecked Sendable {
    package static var executable: String? { AdvisorProcess.which("tmux") }
    package static var isAvailable: Bool { executable != nil }

    package let sandbox: Sandbox
    package let socket: String
    private let tmux: String
    private var stopped = false

    /// Starts `advisor` with `arguments` in a detached 100x30 session.
    package convenience init(
        sandbox: Sandbox, arguments: [String], env: [String: String?] = [:], width: Int = 100, height: Int = 30
    ) async throws {
        guard let advisor = AdvisorProcess.executable else { throw SpawnError(description: "advisor binary not found") }
        // tmux here cannot report a dead pane's exit status, so a shell records it; its
        // INT trap (a handler, reset in the child by exec) keeps it alive across Ctrl-C.
        let statusFile = sandbox.path("exit-status-\(UUID().uuidString.prefix(8))")
        let wrapper = "trap true INT; \"$0\" \"$@\"; echo $? > \(Self.quote(statusFile.path))"
        let command = (["/bin/sh", "-c", wrapper, advisor] + arguments).map(Self.quote).joined(separator: " ")
        try await self.init(
            sandbox: sandbox, command: command, statusFile: statusFile, env: env, width: width, height: height)
    }

    /// Starts a shell script in a detached session; `$ADVISOR` in it is the built binary.
    package convenience init(
        sandbox: Sandbox, script: String, env: [String: String?] = [:], width: Int = 100, height: Int = 30
    ) async throws {
        guard let advisor = AdvisorProcess.executable else { throw SpawnError(description: "advisor binary not found") }
        var environment = env
        environment["ADVISOR"] = advisor
        let command = ["/bin/sh", "-c", script].map(Self.quote).joined(separator: " ")
        try await self.init(
            sandbox: sandbox, command: command, statusFile: nil, env: environment, width: width, height: height)
    }

    /// Starts `command` (a shell command line) in a detached session.
    private init(
        sandbox: Sandbox, command: String, statusFile: URL?, env: [String: String?], width: Int, height: Int
    ) async throws {
        guard let tmux = Self.executable else { throw SpawnError(description: "tmux is not installed") }
        self.tmux = tmux
        self.sandbox = sandbox
        socket = "advisor-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        let configuration = try sandbox.write(
            "tmux-\(socket).conf", "set -g remain-on-exit on\nset -g status off\nset -g history-limit 10000\n")
        var environment: [String: String?] = ["TMUX": nil, "TMUX_TMPDIR": sandbox.root.path, "TERM": "xterm-256color"]
        for (key, value) in env { environment[key] = value }
        // The server takes its environment from this first client: the sandbox's.
        let result = try await sandbox.run(
            tmux,
            [
                "-L", socket, "-f", configuration.path, "new-session", "-d", "-x", "\(width)", "-y", "\(height)",
                command,
            ],
            env: environment, timeout: .seconds(10))
        guard result.status == 0 else {
            throw SpawnError(description: "tmux new-session failed: \(result)")
        }
        self.environment = environment
        self.statusFile = statusFile
    }

    private var statusFile: URL?

    private var environment: [String: String?] = [:]

    deinit {
        stopNow()
    }

    package static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private func tmuxCommand(_ arguments: [String]) async throws -> ProcessResult {
        try await sandbox.run(tmux, ["-L", socket] + arguments, env: environment, timeout: .seconds(10))
    }

    /// Types `text` literally (no key names).
    package func type(_ text: String) async throws {
        _ = try await tmuxCommand(["send-keys", "-l", text])
    }

    /// Pastes `text` as a terminal paste.
    ///
    /// The paste is bracketed (ESC [200~, the text, ESC [201~) when the program asked for
    /// bracketed paste mode, raw otherwise.
    package func paste(_ text: String) async throws {
        let name = "paste-\(UUID().uuidString.prefix(8))"
        let file = try sandbox.write(name, text)
        _ = try await tmuxCommand(["load-buffer", "-b", name, file.path])
        _ = try await tmuxCommand(["paste-buffer", "-p", "-d", "-b", name])
    }

    /// Presses keys by tmux name: Enter, Up, Tab, C-c, C-d.
    package func press(_ keys: String...) async throws {
        _ = try await tmuxCommand(["send-keys"] + keys)
    }

    /// The screen and its scrollback, wrapped lines joined; with `escapes`, attributes as escape sequences.
    package func capture(escapes: Bool = false) async throws -> String {
        var arguments = ["capture-pane", "-p", "-J", "-S", "-"]
        if escapes { arguments.append("-e") }
        return try await tmuxCommand(arguments).out
    }

    /// Only what is on the screen now (no scrollback), wrapped lines joined.
    package func visibleScreen() async throws -> String {
        try await tmuxCommand(["capture-pane", "-p", "-J"]).out
    }

    /// Resizes the terminal (the program gets SIGWINCH).
    package func resize(width: Int, height: Int) async throws {
        _ = try await tmuxCommand(["resize-window", "-x", "\(width)", "-y", "\(height)"])
    }

    /// The screen's non-empty lines, trailing spaces removed.
    package func lines() async throws -> [String] {
        try await capture().split(separator: "\n").map { line in
            var text = String(line)
            while text.last == " " { text.removeLast() }
            return text
        }.filter { !$0.isEmpty }
    }

    /// Polls the screen every 50 ms until `condition` holds, for at most `timeout`;
    /// returns the last screen seen and whether the condition held.
    @discardableResult
    package func waitFor(
        timeout: Duration = .seconds(10), escapes: Bool = false, _ condition: (String) -> Bool
    ) async throws -> (screen: String, found: Bool) {
        let deadline = ContinuousClock.now + timeout
        var screen = ""
        while true {
            screen = try await capture(escapes: escapes)
            if condition(screen) { return (screen, true) }
            if ContinuousClock.now >= deadline { return (screen, false) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    package func waitFor(_ text: String, timeout: Duration = .seconds(10)) async throws -> (screen: String, found: Bool)
    {
        try await waitFor(timeout: timeout) { $0.contains(text) }
    }

    /// Whether the program in the pane has exited, with its exit status (128+N for signal N).
    package func paneState() async throws -> (dead: Bool, status: Int?) {
        let result = try await tmuxCommand(["display-message", "-p", "#{pane_dead}"])
        let dead = result.out.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
        let status = statusFile.flatMap { try? String(contentsOf: $0, encoding: .utf8) }
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return (dead, status)
    }

    /// How the program ended.
    package enum Exit: Equatable, CustomStringConvertible {
        case status(Int)
        case signal(Int)
        case unknown
        case stillRunning

        package var description: String {
            switch self {
            case .status(let code): return "exit \(code)"
            case .signal(let number): return "killed by signal \(number)"
            case .unknown: return "exited (status unknown)"
            case .stillRunning: return "still running"
            }
        }
    }

    /// Waits until the program has exited and says how.
    package func waitForExit(timeout: Duration = .seconds(10)) async throws -> Exit {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let state = try await paneState()
            if state.dead {
                guard let status = state.status else { return .unknown }
                return status > 128 ? .signal(status - 128) : .status(status)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return .stillRunning
    }

    /// Kills the tmux server (and the program with it).
    package func stop() async {
        guard !stopped else { return }
        stopped = true
        _ = try? await tmuxCommand(["kill-server"])
    }

    private func stopNow() {
        guard !stopped else { return }
        stopped = true
        var env = sandbox.environment
        for (key, value) in environment { env[key] = value }
        if let process = try? ChildProcess(
            executable: tmux, arguments: ["-L", socket, "kill-server"], environment: env)
        {
            _ = process.finish(timeout: .seconds(5))
        }
    }
}
