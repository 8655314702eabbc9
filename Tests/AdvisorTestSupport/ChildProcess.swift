import Foundation
import Subprocess
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process with piped standard input, output and error, in its own process group.
///
/// swift-subprocess starts it: its own process group, an empty signal mask and every
/// signal's default disposition in the child, no descriptor inherited but the three pipes,
/// and the working directory set without a shell. This type keeps only the thin part that
/// tests need on top: reads and writes bounded by deadlines, and a kill of the whole group
/// when the object goes away, so no test leaves a child behind.
package final class ChildProcess: @unchecked Sendable {
    package let pid: pid_t
    private let termination: Termination
    private var stdinFD: Int32
    private var stdoutFD: Int32
    private var stderrFD: Int32
    private var outBuffer = Data()
    private var errBuffer = Data()
    /// How much of `outBuffer` `readLine` has handed out.
    private var outConsumed = 0
    private let started = ContinuousClock.now

    /// Starts `executable` with exactly `arguments` and `environment`.
    package init(
        executable: String, arguments: [String], environment: [String: String], currentDirectory: String? = nil
    )
        throws
    {
        Self.ignoreSIGPIPE
        let (inRead, inWrite) = try Self.pipe()
        let (outRead, outWrite) = try Self.pipe()
        let (errRead, errWrite) = try Self.pipe()
        var options = PlatformOptions()
        options.processGroupID = 0
        let termination = Termination()
        let environment = Environment.custom(
            Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) }))
        Task(executorPreference: ProcessWatch.shared) { [options] in
            do {
                let result = try await Subprocess.run(
                    .path(FilePath(executable)), arguments: Arguments(arguments), environment: environment,
                    workingDirectory: currentDirectory.map { FilePath($0) }, platformOptions: options,
                    input: .fileDescriptor(FileDescriptor(rawValue: inRead), closeAfterSpawningProcess: true),
                    output: .fileDescriptor(FileDescriptor(rawValue: outWrite), closeAfterSpawningProcess: true),
                    error: .fileDescriptor(FileDescriptor(rawValue: errWrite), closeAfterSpawningProcess: true)
                ) { execution in
                    termination.started(execution.processIdentifier.value)
                }
                termination.ended(result.terminationStatus)
            } catch {
                termination.failed("\(error)")
            }
        }
        guard let child = termination.waitForStart() else {
            for descriptor in [inWrite, outRead, errRead] { close(descriptor) }
            throw SpawnError(description: "cannot start \(executable): \(termination.launchError ?? "unknown error")")
        }
        self.termination = termination
        pid = child
        stdinFD = inWrite
        stdoutFD = outRead
        stderrFD = errRead
        for descriptor in [stdinFD, stdoutFD, stderrFD] {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
    }

    deinit {
        if termination.status == nil {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            _ = termination.waitForEnd(timeout: .seconds(30))
        }
        for descriptor in [stdinFD, stdoutFD, stderrFD] where descriptor >= 0 { close(descriptor) }
    }

    /// A pipe whose two ends are closed on exec.
    ///
    /// `pipe2(O_CLOEXEC)` is not visible from Swift, so the pipe is made and marked under one
    /// lock: a child started by another test thread in between must not inherit it.
    /// swift-subprocess closes every other descriptor in the children it starts; the lock
    /// covers anything else that forks.
    private static func pipe() throws -> (read: Int32, write: Int32) {
        pipeLock.lock()
        defer { pipeLock.unlock() }
        var ends: [Int32] = [-1, -1]
        guard Glibc.pipe(&ends) == 0 else {
            throw SpawnError(description: "pipe failed: \(String(cString: strerror(errno)))")
        }
        for descriptor in ends { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    private static let pipeLock = NSLock()

    /// A closed pipe must surface as EPIPE in the test process, never kill it.
    private static let ignoreSIGPIPE: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    /// Whether the process has exited.
    package var hasExited: Bool { termination.status != nil }

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
        if termination.status == nil { kill(pid, signal) }
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
            if termination.status != nil {
                // Whatever the child wrote is in the pipes now; a grandchild may still
                // hold them open, so take what is there and do not wait for EOF.
                pump(timeoutMilliseconds: 0)
                break
            }
            if ContinuousClock.now >= deadline {
                timedOut = true
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                _ = termination.waitForEnd(timeout: .seconds(30))
                pump(timeoutMilliseconds: 0)
                break
            }
        }
        closeStdin()
        var status: Int32 = 0
        var signal: Int32?
        switch termination.status {
        case .exited(let code): status = code
        case .signaled(let number):
            status = -1
            signal = number
        case nil: status = -1
        }
        return ProcessResult(
            status: status, signal: signal, stdout: outBuffer, stderr: errBuffer, timedOut: timedOut,
            elapsed: (termination.endedAt ?? ContinuousClock.now) - started)
    }

    /// Kills the process with SIGKILL and waits for it.
    package func killNow() -> ProcessResult {
        send(SIGKILL)
        return finish(timeout: .seconds(10))
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

/// What the task watching one child has seen: its pid, then how it ended.
///
/// Or why it never started. Test threads block on it; the watching task never does.
private final class Termination: @unchecked Sendable {
    private let condition = NSCondition()
    private var pid: pid_t?
    private var ending: TerminationStatus?
    private var ended: ContinuousClock.Instant?
    private var failure: String?

    func started(_ pid: pid_t) {
        condition.lock()
        self.pid = pid
        condition.broadcast()
        condition.unlock()
    }

    func ended(_ status: TerminationStatus) {
        condition.lock()
        ending = status
        ended = ContinuousClock.now
        condition.broadcast()
        condition.unlock()
    }

    func failed(_ message: String) {
        condition.lock()
        failure = message
        condition.broadcast()
        condition.unlock()
    }

    /// The child's pid once it runs, or nil when it could not be started.
    func waitForStart() -> pid_t? {
        condition.lock()
        defer { condition.unlock() }
        while pid == nil, failure == nil { condition.wait() }
        return pid
    }

    /// How the child ended, waiting at most `timeout` for it.
    func waitForEnd(timeout: Duration) -> TerminationStatus? {
        let limit = Date().addingTimeInterval(Double(timeout.components.seconds))
        condition.lock()
        defer { condition.unlock() }
        while ending == nil, failure == nil, condition.wait(until: limit) {}
        return ending
    }

    var status: TerminationStatus? {
        condition.lock()
        defer { condition.unlock() }
        return ending
    }

    var endedAt: ContinuousClock.Instant? {
        condition.lock()
        defer { condition.unlock() }
        return ended
    }

    var launchError: String? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }
}

/// The one thread on which the tasks that start and watch children run.
///
/// Tests block their own threads while a child runs (`finish`, `readLine`). If the watching
/// tasks shared the small cooperative pool with those threads, a child's end could go
/// unseen until a deadline passed; on a thread of their own they always see it at once.
private final class ProcessWatch: TaskExecutor, @unchecked Sendable {
    static let shared = ProcessWatch()
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    private init() {
        let thread = Thread { [unowned self] in self.serve() }
        thread.name = "child-process-watch"
        thread.stackSize = 1 << 20
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func serve() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
