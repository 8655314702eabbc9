import Foundation

/// Shows long output through a pager on a terminal, plainly otherwise, the way git does.
///
/// The pager is `$ADVISOR_PAGER`, else `$PAGER`, else `less` (empty or `cat`: no pager),
/// run by `/bin/sh -c` with `LESS=FRX` unless `LESS` is set. It runs in this process's
/// process group, which on a terminal is the foreground group, so it may read keys and
/// change the terminal's modes (a pager in a group of its own is stopped by the terminal
/// the moment it touches it). While it runs, Ctrl-C and Ctrl-\ are the pager's: this
/// process ignores them and waits, so no pager is left behind, stopped or defunct.
enum Pager {
    /// The pager command for `environment`, or nil for none.
    static func command(environment: [String: String]) -> String? {
        let chosen = environment["ADVISOR_PAGER"] ?? environment["PAGER"] ?? "less"
        let command = chosen.trimmingCharacters(in: .whitespaces)
        return command.isEmpty || command == "cat" ? nil : command
    }

    static func show(_ text: String) {
        guard isatty(STDOUT_FILENO) == 1 else {
            Console.write(text)
            return
        }
        let environment = ProcessInfo.processInfo.environment
        guard let pager = command(environment: environment), !fitsOnScreen(text) else {
            Console.write(text)
            return
        }
        var childEnvironment = environment
        if childEnvironment["LESS"] == nil { childEnvironment["LESS"] = "FRX" }
        guard run(pager, input: Data(text.utf8), environment: childEnvironment) else {
            Console.write(text)
            return
        }
    }

    /// Whether `text` fits on the screen as it is wrapped, so no pager is needed.
    private static func fitsOnScreen(_ text: String) -> Bool {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 else {
            return false
        }
        let columns = Int(size.ws_col)
        var rows = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0)
        {
            rows += max(1, (line.count + columns - 1) / columns)
            if rows >= Int(size.ws_row) { return false }
        }
        return true
    }

    /// Runs `/bin/sh -c command` with `input` on its standard input and waits for it;
    /// false when it could not be started.
    private static func run(_ command: String, input: Data, environment: [String: String]) -> Bool {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return false }
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

        let previousInterrupt = signal(SIGINT, SIG_IGN)
        let previousQuit = signal(SIGQUIT, SIG_IGN)
        let previousPipe = signal(SIGPIPE, SIG_IGN)
        defer {
            signal(SIGINT, previousInterrupt)
            signal(SIGQUIT, previousQuit)
            signal(SIGPIPE, previousPipe)
        }

        var child: pid_t = 0
        let spawned = posix_spawn(&child, "/bin/sh", &actions, &attributes, &argv, &envp)
        close(readEnd)
        guard spawned == 0 else {
            close(writeEnd)
            return false
        }
        // The pager may quit before reading everything: stop writing on EPIPE.
        input.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(writeEnd, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    break
                }
                offset += written
            }
        }
        close(writeEnd)
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0, errno == EINTR {}
        return true
    }
}
