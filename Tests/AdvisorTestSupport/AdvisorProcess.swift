import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a finished child process left behind.
package struct ProcessResult: Sendable, CustomStringConvertible {
    /// The exit status, or -1 when a signal ended the process.
    package var status: Int32
    /// The signal that ended the process, if one did.
    package var signal: Int32?
    package var stdout: Data
    package var stderr: Data
    /// Whether the deadline passed and the process was killed.
    package var timedOut: Bool
    /// Wall-clock time from spawn to exit.
    package var elapsed: Duration

    package var out: String { String(decoding: stdout, as: UTF8.self) }
    package var err: String { String(decoding: stderr, as: UTF8.self) }

    /// Standard output's lines, without the empty string after a final newline.
    package var outLines: [String] { Self.lines(out) }
    /// Standard error's lines, without the empty string after a final newline.
    package var errLines: [String] { Self.lines(err) }

    package static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Whether the process exited by itself (no signal, no timeout).
    package var exitedNormally: Bool { signal == nil && !timedOut }

    package var description: String {
        var text = "exit \(status)"
        if let signal { text += " (signal \(signal))" }
        if timedOut { text += " (timed out)" }
        text += "\n--- stdout (\(stdout.count) bytes)\n" + String(out.prefix(3000))
        text += "\n--- stderr (\(stderr.count) bytes)\n" + String(err.prefix(3000))
        return text
    }
}

/// Errors starting a child process.
package struct SpawnError: Error, CustomStringConvertible {
    package var description: String
    package init(description: String) { self.description = description }
}

/// A child process with piped standard input, output and error, in its own process group.
///
/// Reads and writes are bounded by deadlines; the process (and its group) is killed when
/// the object goes away, so no test leaves a child behind.
package final class Subprocess: @unchecked Sendable {
    package let pid: pid_t
    private var stdinFD: Int32
    private var stdoutFD: Int32
    private var stderrFD: Int32
    private var outBuffer = Data()
    private var errBuffer = Data()
    /// How much of `outBuffer` `readLine` has handed out.
    private var outConsumed = 0
    private var waitStatus: Int32?
    private let started = ContinuousClock.now
    private var finished: ContinuousClock.Instant?

    /// Starts `executable` with exactly `arguments` and `environment`.
    package init(
        executable: String, arguments: [String], environment: [String: String], currentDirectory: String? = nil
    )
        throws
    {
        Self.ignoreSIGPIPE
        // pipe2(O_CLOEXEC) is not visible from Swift: make the pipes and spawn under one lock
        // so no child started by another test thread inherits these descriptors.
        Self.spawnLock.lock()
        defer { Self.spawnLock.unlock() }
        var inPipe: [Int32] = [-1, -1]
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw SpawnError(description: "pipe failed: \(String(cString: strerror(errno)))")
        }
        for descriptor in inPipe + outPipe + errPipe {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM, SIGTTIN, SIGTTOU]
        {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        // posix_spawn_file_actions_addchdir_np is not visible from Swift either: change
        // directory through sh, which then execs the program (same pid).
        var program = executable
        var words = [executable] + arguments
        if let currentDirectory {
            program = "/bin/sh"
            words = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", currentDirectory] + words
        }
        let argv = words.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let code = posix_spawn(&child, program, &actions, &attributes, argv, envp)
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard code == 0 else {
            close(inPipe[1])
            close(outPipe[0])
            close(errPipe[0])
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(code)))")
        }
        pid = child
        stdinFD = inPipe[1]
        stdoutFD = outPipe[0]
        stderrFD = errPipe[0]
        for descriptor in [stdinFD, stdoutFD, stderrFD] {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
    }

    deinit {
        if waitStatus == nil {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        }
        for descriptor in [stdinFD, stdoutFD, stderrFD] where descriptor >= 0 { close(descriptor) }
    }

    private static let spawnLock = NSLock()

    /// A closed pipe must surface as EPIPE in the test process, never kill it.
    private static let ignoreSIGPIPE: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    /// Whether the process has exited (and been reaped).
    package var hasExited: Bool {
        reap(block: false)
        return waitStatus != nil
    }

    /// Everything read from standard error so far.
    package var stderrSoFar: String {
        pump(timeoutMilliseconds: 0)
        return String(decoding: errBuffer, as: UTF8.self)
    }

    /// Writes `data` to the child's standard input; false if the pipe closed or the deadline passed.
    @discardableResult
    package func write(_ data: Data, timeout: Duration = .seconds(10)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        var offset = 0
        let bytes = [UInt8](data)
        while offset < bytes.count {
            guard stdinFD >= 0, ContinuousClock.now < deadline else { return false }
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(stdinFD, base + offset, bytes.count - offset)
            }
            if written > 0 {
                offset += written
                continue
            }
            if written < 0, errno == EINTR { continue }
            if written < 0, errno != EAGAIN {
                closeStdin()
                return false
            }
            pump(timeoutMilliseconds: 10, wantWrite: true)
        }
        return true
    }

    /// Writes one line (a newline is added).
    @discardableResult
    package func writeLine(_ line: String, timeout: Duration = .seconds(10)) -> Bool {
        write(Data((line + "\n").utf8), timeout: timeout)
    }

    /// Closes the child's standard input (it reads end of file).
    package func closeStdin() {
        if stdinFD >= 0 {
            close(stdinFD)
            stdinFD = -1
        }
    }

    /// The next line of standard output (without its newline), or nil when the deadline
    /// passes or output ends first.
    package func readLine(timeout: Duration = .seconds(10)) -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let newline = outBuffer[(outBuffer.startIndex + outConsumed)...].firstIndex(of: 0x0A) {
                let line = outBuffer[(outBuffer.startIndex + outConsumed)..<newline]
                outConsumed = newline - outBuffer.startIndex + 1
                return String(decoding: line, as: UTF8.self)
            }
            if stdoutFD < 0 || ContinuousClock.now >= deadline { return nil }
            pump(timeoutMilliseconds: 20)
        }
    }

    /// Sends `signal` to the process.
    package func send(_ signal: Int32) {
        if waitStatus == nil { kill(pid, signal) }
    }

    /// Waits for the process to exit, feeding it `input` and collecting its output; kills
    /// its process group when `timeout` passes.
    package func finish(input: Data? = nil, timeout: Duration) -> ProcessResult {
        let deadline = ContinuousClock.now + timeout
        var pending = [UInt8](input ?? Data())
        var timedOut = false
        if pending.isEmpty { closeStdin() }
        while true {
            if !pending.isEmpty, stdinFD >= 0 {
                let written = pending.withUnsafeBytes { buffer -> Int in
                    guard let base = buffer.baseAddress else { return 0 }
                    return Glibc.write(stdinFD, base, buffer.count)
                }
                if written > 0 {
                    pending.removeFirst(written)
                    if pending.isEmpty { closeStdin() }
                } else if written < 0, errno != EAGAIN, errno != EINTR {
                    pending.removeAll()
                    closeStdin()
                }
            }
            pump(timeoutMilliseconds: 10, wantWrite: !pending.isEmpty && stdinFD >= 0)
            reap(block: false)
            if waitStatus != nil {
                // Whatever the child wrote is in the pipes now; a grandchild may still
                // hold them open, so take what is there and do not wait for EOF.
                pump(timeoutMilliseconds: 0)
                break
            }
            if ContinuousClock.now >= deadline {
                timedOut = true
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                reap(block: true)
                pump(timeoutMilliseconds: 0)
                break
            }
        }
        closeStdin()
        let status = waitStatus ?? 0
        let signalled = status & 0x7F != 0
        return ProcessResult(
            status: signalled ? -1 : (status >> 8) & 0xFF, signal: signalled ? status & 0x7F : nil,
            stdout: outBuffer, stderr: errBuffer, timedOut: timedOut,
            elapsed: (finished ?? ContinuousClock.now) - started)
    }

    /// Kills the process with SIGKILL and reaps it.
    package func killNow() -> ProcessResult {
        send(SIGKILL)
        return finish(timeout: .seconds(10))
    }

    private func reap(block: Bool) {
        guard waitStatus == nil else { return }
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, block ? 0 : WNOHANG)
            if result == pid {
                waitStatus = status
                finished = ContinuousClock.now
                return
            }
            if result < 0, errno == EINTR { continue }
            return
        }
    }

    /// Reads what standard output and error have, waiting at most `timeoutMilliseconds`.
    private func pump(timeoutMilliseconds: Int32, wantWrite: Bool = false) {
        var fds: [pollfd] = []
        if stdoutFD >= 0 { fds.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
        if stderrFD >= 0 { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
        if wantWrite, stdinFD >= 0 { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
        if fds.isEmpty {
            if timeoutMilliseconds > 0 { usleep(UInt32(timeoutMilliseconds) * 1000) }
            return
        }
        _ = poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
        drain(&stdoutFD, into: &outBuffer)
        drain(&stderrFD, into: &errBuffer)
    }

    private func drain(_ descriptor: inout Int32, into buffer: inout Data) {
        guard descriptor >= 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                continue
            }
            if count < 0, errno == EINTR { continue }
            if count == 0 {
                close(descriptor)
                descriptor = -1
            }
            return
        }
    }
}

/// Bounds how many short-lived children run at once across the whole test process, so
/// that tests running in parallel on a small machine do not starve each other (and the
/// time a child takes is its own).
package final class ProcessSlots: @unchecked Sendable {
    package static let shared = ProcessSlots(count: max(4, 2 * ProcessInfo.processInfo.activeProcessorCount))

    private let lock = NSLock()
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    package init(count: Int) {
        free = count
    }

    package func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if free > 0 {
                free -= 1
                lock.unlock()
                continuation.resume()
            } else {
                waiting.append(continuation)
                lock.unlock()
            }
        }
    }

    package func release() {
        lock.lock()
        if waiting.isEmpty {
            free += 1
            lock.unlock()
        } else {
            let next = waiting.removeFirst()
            lock.unlock()
            next.resume()
        }
    }
}

/// Runs a blocking job on its own thread, so that waiting on child processes never
/// occupies the (small) cooperative thread pool.
package func offload<T: Sendable>(_ job: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: job()) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}

/// Where things are: the built `advisor`, the package, the fixtures.
package enum AdvisorProcess {
    /// The package root.
    package static var packageRoot: URL? { Repository.root }

    /// The built `advisor` binary: beside the test bundle, else `.build/debug/advisor`.
    package static let executable: String? = {
        var candidates: [URL] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.appendingPathComponent("advisor"))
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("advisor"))
        if let first = CommandLine.arguments.first {
            let runner = URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent()
            candidates.append(runner.appendingPathComponent("advisor"))
            candidates.append(runner.deletingLastPathComponent().appendingPathComponent("advisor"))
        }
        if let packageRoot {
            candidates.append(packageRoot.appendingPathComponent(".build/debug/advisor"))
        }
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
                !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate.path)
            {
                return candidate.path
            }
        }
        return nil
    }()

    /// The path of an executable found on `PATH`.
    package static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// A private temporary world for one test: HOME, a transcripts folder, scratch files.
///
/// Every child gets HOME and ADVISOR_TRANSCRIPTS pointing here, so no test touches the
/// real home or the repository's Transcripts/ folder. Removed when released.
package final class Sandbox: Sendable {
    private let directory: TemporaryDirectory
    package let root: URL
    package let home: URL
    package let transcripts: URL

    package init() throws {
        directory = try TemporaryDirectory(prefix: "acli")
        root = directory.url
        home = root.appendingPathComponent("home", isDirectory: true)
        transcripts = root.appendingPathComponent("transcripts", isDirectory: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    deinit {
        directory.remove()
    }

    /// The environment every child starts from: nothing inherited but PATH (and the
    /// sanitizer's options, when the suite runs under the address sanitizer).
    package var environment: [String: String] {
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": home.path,
            "LANG": "C.UTF-8",
            "ADVISOR_TRANSCRIPTS": transcripts.path,
        ]
        for key in ["ASAN_OPTIONS", "ADVISOR_SANITIZED"] {
            if let value = ProcessInfo.processInfo.environment[key] { environment[key] = value }
        }
        return environment
    }

    /// A path inside the sandbox.
    package func path(_ name: String) -> URL {
        root.appendingPathComponent(name)
    }

    /// Writes `contents` to a file in the sandbox and returns its path.
    @discardableResult
    package func write(_ name: String, _ contents: String) throws -> URL {
        try write(name, Data(contents.utf8))
    }

    @discardableResult
    package func write(_ name: String, _ contents: Data) throws -> URL {
        let url = path(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: url)
        return url
    }

    /// Environment with `changes` applied (nil removes a variable).
    package func environment(_ changes: [String: String?]) -> [String: String] {
        var result = environment
        for (key, value) in changes { result[key] = value }
        return result
    }

    /// Runs `advisor` with `arguments` and waits for it (killed after `timeout`).
    package func advisor(
        _ arguments: [String], stdin: Data? = nil, env: [String: String?] = [:], cwd: URL? = nil,
        timeout: Duration = .seconds(30)
    ) async throws -> ProcessResult {
        guard let executable = AdvisorProcess.executable else {
            throw SpawnError(description: "the advisor binary was not found; run swift build --build-tests")
        }
        return try await run(executable, arguments, stdin: stdin, env: env, cwd: cwd, timeout: timeout)
    }

    /// Runs `advisor` with a text standard input.
    package func advisor(
        _ arguments: [String], input: String, env: [String: String?] = [:], timeout: Duration = .seconds(30)
    ) async throws -> ProcessResult {
        try await advisor(arguments, stdin: Data(input.utf8), env: env, timeout: timeout)
    }

    /// Runs any program in the sandbox's environment.
    package func run(
        _ executable: String, _ arguments: [String], stdin: Data? = nil, env: [String: String?] = [:], cwd: URL? = nil,
        timeout: Duration = .seconds(30)
    ) async throws -> ProcessResult {
        let environment = environment(env)
        let directory = (cwd ?? root).path
        await ProcessSlots.shared.acquire()
        defer { ProcessSlots.shared.release() }
        let process = try Subprocess(
            executable: executable, arguments: arguments, environment: environment, currentDirectory: directory)
        return await offload { process.finish(input: stdin, timeout: timeout) }
    }

    /// Starts `advisor` and leaves it running, for tests that drive it through a pipe.
    package func startAdvisor(_ arguments: [String], env: [String: String?] = [:]) throws -> Subprocess {
        guard let executable = AdvisorProcess.executable else {
            throw SpawnError(description: "the advisor binary was not found; run swift build --build-tests")
        }
        return try Subprocess(
            executable: executable, arguments: arguments, environment: environment(env), currentDirectory: root.path)
    }

    /// The transcript files in `directory` (default: the sandbox's), sorted by name.
    package func transcriptFiles(in directory: URL? = nil) -> [URL] {
        let folder = directory ?? transcripts
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// Copies a folder into the sandbox and returns the copy.
    package func copy(_ source: URL, to name: String) throws -> URL {
        let destination = path(name)
        try FileManager.default.createDirectory(
            at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source, to: destination)
        return destination
    }
}

/// JSON helpers for answer objects and transcript events.
package enum JSON {
    /// Parses one JSON object.
    package static func object(_ text: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        guard let object = value as? [String: Any] else {
            throw SpawnError(description: "not a JSON object: \(text.prefix(200))")
        }
        return object
    }

    /// Parses every line of a JSON Lines text.
    package static func lines(_ text: String) throws -> [[String: Any]] {
        try ProcessResult.lines(text).map(object)
    }

    /// The events of a transcript file (every line must parse).
    package static func events(_ file: URL) throws -> [[String: Any]] {
        try lines(String(decoding: try Data(contentsOf: file), as: UTF8.self))
    }
}
