import AdvisorSystem
import Foundation

/// Shows long output through a pager on a terminal, plainly otherwise, the way git does.
///
/// The pager is `$ADVISOR_PAGER`, else `$PAGER`, else `less` (empty or `cat`: no pager),
/// run by `/bin/sh -c` with `LESS=FRX` unless `LESS` is set. It runs in this process's
/// process group, which on a terminal is the foreground group, so it may read keys and
/// change the terminal's modes (a pager in a group of its own is stopped by the terminal
/// the moment it touches it). While it runs, Ctrl-C and Ctrl-\ are the pager's: this
/// process ignores them and waits, so no pager is left behind, stopped or defunct.
///
/// Output that is not paged goes to `plain`, the caller's writer to standard output (which
/// decides what a failed write means).
public enum Pager {
    /// The pager command for `environment`, or nil for none.
    public static func command(environment: [String: String]) -> String? {
        let chosen = environment["ADVISOR_PAGER"] ?? environment["PAGER"] ?? "less"
        let command = chosen.trimmingCharacters(in: .whitespaces)
        return command.isEmpty || command == "cat" ? nil : command
    }

    /// Shows `text`, through the pager when on a terminal and taller than the screen.
    public static func show(_ text: String, plain: @escaping (String) -> Void) {
        stream(plain: plain) { write in _ = write(text) }
    }

    /// Shows output made piece by piece, without holding it all.
    ///
    /// The output is written plainly (through `plain`) when not on a terminal or while it fits
    /// the screen, and through the pager from the moment it does not. `produce` gets a
    /// function that takes each piece and returns false once the reader is gone (the pager
    /// quit): then stop producing.
    public static func stream(plain: @escaping (String) -> Void, _ produce: ((String) -> Bool) -> Void) {
        let environment = ProcessInfo.processInfo.environment
        guard isatty(STDOUT_FILENO) == 1, let pager = command(environment: environment) else {
            var held = ""
            produce { piece in
                held += piece
                if held.utf8.count >= 1 << 16 {
                    plain(held)
                    held = ""
                }
                return true
            }
            plain(held)
            return
        }
        var size = winsize()
        let screen =
            ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_row > 0 && size.ws_col > 0
            ? (rows: Int(size.ws_row), columns: Int(size.ws_col)) : (rows: 24, columns: 80)
        var childEnvironment = environment
        if childEnvironment["LESS"] == nil { childEnvironment["LESS"] = "FRX" }

        var held = ""
        var rows = 0
        var running: Running?
        var gone = false
        produce { piece in
            guard !gone else { return false }
            if let running {
                gone = !running.write(piece)
                return !gone
            }
            held += piece
            rows += Self.rows(of: piece, columns: screen.columns)
            if rows >= screen.rows, let started = Running.start(pager, environment: childEnvironment) {
                running = started
                gone = !started.write(held)
                held = ""
            }
            return !gone
        }
        guard let running else {
            plain(held)
            return
        }
        running.finish()
    }

    /// The screen rows `text` takes once the terminal wraps it (by display width: CJK and
    /// emoji take two columns).
    static func rows(of text: String, columns: Int) -> Int {
        var rows = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0)
        {
            rows += max(1, (DisplayWidth.of(line) + columns - 1) / columns)
        }
        return rows
    }

    /// A pager started with `/bin/sh -c`, fed through a pipe.
    private final class Running {
        let child: pid_t
        let input: Int32
        let previousInterrupt: sighandler_t?
        let previousQuit: sighandler_t?
        let previousPipe: sighandler_t?

        private init(child: pid_t, input: Int32, signals: (sighandler_t?, sighandler_t?, sighandler_t?)) {
            self.child = child
            self.input = input
            (previousInterrupt, previousQuit, previousPipe) = signals
        }

        /// Starts the pager, or nil when it cannot be started (then output goes plainly).
        static func start(_ command: String, environment: [String: String]) -> Running? {
            var pipeEnds: [Int32] = [0, 0]
            guard pipe(&pipeEnds) == 0 else { return nil }
            let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])

            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, readEnd, STDIN_FILENO)
            posix_spawn_file_actions_addclose(&actions, readEnd)
            posix_spawn_file_actions_addclose(&actions, writeEnd)

            // The pager gets default signal handling and an empty mask, and stays in this
            // process group (no POSIX_SPAWN_SETPGROUP): the terminal's foreground group.
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var defaults = sigset_t()
            sigemptyset(&defaults)
            for signal in [SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGHUP, SIGTSTP, SIGXFSZ, SIGCHLD] {
                sigaddset(&defaults, signal)
            }
            posix_spawnattr_setsigdefault(&attributes, &defaults)
            var empty = sigset_t()
            sigemptyset(&empty)
            posix_spawnattr_setsigmask(&attributes, &empty)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

            let arguments = ["/bin/sh", "-c", command]
            var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
            var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer {
                for pointer in argv { free(pointer) }
                for pointer in envp { free(pointer) }
            }

            let signals = (signal(SIGINT, SIG_IGN), signal(SIGQUIT, SIG_IGN), signal(SIGPIPE, SIG_IGN))
            var child: pid_t = 0
            let spawned = posix_spawn(&child, "/bin/sh", &actions, &attributes, &argv, &envp)
            close(readEnd)
            guard spawned == 0 else {
                close(writeEnd)
                signal(SIGINT, signals.0)
                signal(SIGQUIT, signals.1)
                signal(SIGPIPE, signals.2)
                return nil
            }
            return Running(child: child, input: writeEnd, signals: signals)
        }

        /// Writes a piece to the pager; false once it has quit (EPIPE).
        func write(_ piece: String) -> Bool {
            var piece = piece
            return piece.withUTF8 { buffer in
                guard let base = buffer.baseAddress else { return true }
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(input, base + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += written
                }
                return true
            }
        }

        /// Closes the pipe, waits for the pager to quit and restores the signals.
        func finish() {
            close(input)
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0, errno == EINTR {}
            signal(SIGINT, previousInterrupt)
            signal(SIGQUIT, previousQuit)
            signal(SIGPIPE, previousPipe)
        }
    }
}
