import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

/// Paths and shared objects the tests use: the repository, the shipped knowledge base,
/// the shared spec and seeds, fixtures, and temporary directories.
enum TestSupport {
    /// The package root.
    static var repositoryRoot: URL { Repository.root }

    /// The shipped knowledge base folder.
    static var shippedKnowledgeBase: String { Repository.shippedKnowledgeBase.path }

    /// The shared folder beside the checkout (spec and seeds), which may be absent.
    static var sharedFolder: URL { repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared") }

    /// `shared/spec/topics.md`, when it exists.
    static var topicsSpec: String? {
        let path = sharedFolder.appendingPathComponent("spec/topics.md").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// `shared/seeds`, when it exists.
    static var seedsFolder: String? {
        let path = sharedFolder.appendingPathComponent("seeds").path
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? path : nil
    }

    /// The Fixtures folder copied into the test bundle.
    static func fixturesFolder() throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    }

    /// A fixture knowledge base folder by name (`Fixtures/KnowledgeBases/NAME`).
    static func fixtureKnowledgeBase(_ name: String) throws -> String {
        try fixturesFolder().appendingPathComponent("KnowledgeBases").appendingPathComponent(name).path
    }

    /// The shipped knowledge base, loaded once and shared (read-only).
    static let shippedBase: KnowledgeBase = KnowledgeBaseLoader.load(directory: shippedKnowledgeBase).0

    /// A cache folder for the shipped knowledge base, shared by the whole run and removed at
    /// its exit: the first advisor compiles the knowledge base into it, the others map it.
    static let sharedCache: String? = {
        guard let folder = try? TemporaryDirectory(prefix: "advisor-tests-cache") else { return nil }
        sharedCachePath = folder.path
        atexit { if let path = TestSupport.sharedCachePath { try? FileManager.default.removeItem(atPath: path) } }
        return folder.path
    }()
    nonisolated(unsafe) private static var sharedCachePath: String?

    /// A fresh advisor over the shipped knowledge base (advisors are not thread-safe,
    /// so each test builds its own), read from the run's shared cache as a user's warm start
    /// reads it (compiling the 4,500 example questions anew for each test would cost most of
    /// the run; a cached advisor answers exactly as a compiled one, see KnowledgeBaseCacheTests).
    static func advisor() -> Advisor {
        guard let sharedCache else { return Advisor(knowledgeBase: shippedBase) }
        do {
            return try Advisor.load(directory: shippedKnowledgeBase, cacheDirectory: sharedCache)
        } catch {
            Issue.record("the shipped knowledge base does not load: \(error)")
            return Advisor(knowledgeBase: shippedBase)
        }
    }

    /// The topic ids listed in the table of `topics.md`, in order.
    static func specTopicIDs(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var ids: [String] = []
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cell = line.dropFirst(3)
            guard let end = cell.firstIndex(of: "`") else { continue }
            ids.append(String(cell[..<end]))
        }
        return ids
    }
}

/// Feeds bytes to a `LineReader` through a pipe(2), written by a background thread so
/// that inputs larger than the pipe's buffer do not block.
final class PipeFeeder: @unchecked Sendable {
    let readDescriptor: Int32
    private let writeDescriptor: Int32
    private let thread: Thread

    init(_ data: Data) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw POSIXError(.EIO) }
        readDescriptor = fds[0]
        writeDescriptor = fds[1]
        let descriptor = fds[1]
        thread = Thread {
            data.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return }
                var offset = 0
                while offset < buffer.count {
                    let written = write(descriptor, base + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        break
                    }
                    offset += written
                }
            }
            close(descriptor)
        }
        thread.start()
    }

    convenience init(_ text: String) throws { try self.init(Data(text.utf8)) }

    /// A reader over the read end.
    func reader() -> LineReader { LineReader(descriptor: readDescriptor) }

    /// Drains what the writer still has to send before closing, so that it never
    /// writes into a closed pipe (SIGPIPE) when a test stops reading early.
    deinit {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readDescriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
        }
        close(readDescriptor)
    }
}

extension TestSupport {
    /// A copy of a fixture knowledge base in a temporary directory, to edit freely.
    static func copyFixture(_ name: String) throws -> TemporaryDirectory {
        try copyFolder(fixtureKnowledgeBase(name))
    }

    /// A copy of the shipped knowledge base in a temporary directory.
    static func copyShippedKnowledgeBase() throws -> TemporaryDirectory {
        try copyFolder(shippedKnowledgeBase)
    }

    private static func copyFolder(_ source: String) throws -> TemporaryDirectory {
        let temp = try TemporaryDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: source) {
            try FileManager.default.copyItem(
                atPath: (source as NSString).appendingPathComponent(name), toPath: temp.file(name))
        }
        return temp
    }
}

/// Runs one test of this test binary in a child process, killed at a deadline: for code
/// that may hang, so that a hang fails one test instead of the whole run.
enum ChildProcess {
    struct Result {
        /// Whether the child exited before the deadline.
        var finished: Bool
        var output: String
    }

    static func runTest(named name: String, environment: [String: String], deadline: Double) throws -> Result {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let outputPath = temp.file("output.txt")
        #expect(FileManager.default.createFile(atPath: outputPath, contents: nil))
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--testing-library", "swift-testing", "--filter", name]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        let finished = exited.wait(timeout: .now() + deadline) == .success
        if !finished {
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
        }
        try output.close()
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Result(finished: finished, output: text)
    }
}
