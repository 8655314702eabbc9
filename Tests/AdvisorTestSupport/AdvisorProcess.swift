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
        let process = try ChildProcess(
            executable: executable, arguments: arguments, environment: environment, currentDirectory: directory)
        return await offload { process.finish(input: stdin, timeout: timeout) }
    }

    /// Starts `advisor` and leaves it running, for tests that drive it through a pipe.
    package func startAdvisor(_ arguments: [String], env: [String: String?] = [:]) throws -> ChildProcess {
        guard let executable = AdvisorProcess.executable else {
            throw SpawnError(description: "the advisor binary was not found; run swift build --build-tests")
        }
        return try ChildProcess(
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
