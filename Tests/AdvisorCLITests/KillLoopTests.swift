import AdvisorTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SIGKILL at random moments, and many sessions at once (issue 6: crash safety, concurrency).
@Suite("kill loop and concurrency", .serialized)
struct KillLoopTests {
    /// Forty questions, each tagged so that its place in the script can be checked.
    static let script: [String] = {
        let base = [
            "What does agile mean to a CIO?", "and to a CMO?", "Who should own mobile?", "hello",
            "What is the best recipe for sourdough bread?", "what about platform?", "what do the numbers say?",
            "How should we split the technology budget?",
        ]
        return (0..<40).map { "\(base[$0 % base.count]) [q\($0 + 1)]" }
    }()

    /// How one iteration ends.
    enum KillMoment: CaseIterable, CustomStringConvertible {
        /// Right after reading the last answer.
        case afterAnswer
        /// Right after writing a question, without reading its answer.
        case afterQuestion
        /// After writing a question and a short random wait.
        case whileAnswering
        /// After writing several questions at once, and a short random wait.
        case midBurst

        var description: String {
            switch self {
            case .afterAnswer: return "after an answer"
            case .afterQuestion: return "right after a question"
            case .whileAnswering: return "while answering"
            case .midBurst: return "in a burst of questions"
            }
        }
    }

    /// What one iteration did before the kill.
    struct Outcome: Sendable {
        var answers: [String] = []
        var written = 0
        var result: ProcessResult?
    }

    @Test("25 sessions SIGKILLed at random moments keep every answered turn, readable by show")
    func killLoop() async throws {
        let sandbox = try Sandbox()
        var generator = SplitMix64(seed: 0x5EED_0006)
        let started = ContinuousClock.now
        for iteration in 0..<25 {
            let reads = Int.random(in: 0...30, using: &generator)
            let moment = KillMoment.allCases.randomElement(using: &generator) ?? .afterAnswer
            let waitMicroseconds = UInt32.random(in: 0...4000, using: &generator)
            let burst = Int.random(in: 2...6, using: &generator)
            let folder = sandbox.path("iteration-\(iteration)")
            let label = "iteration \(iteration): \(reads) answers read, killed \(moment)"

            let process = try sandbox.startAdvisor(["run", "--json", "-"], env: ["ADVISOR_TRANSCRIPTS": folder.path])
            let outcome: Outcome = await offload {
                var outcome = Outcome()
                for question in Self.script.prefix(reads) {
                    guard process.writeLine(question) else { break }
                    outcome.written += 1
                    guard let line = process.readLine(timeout: .seconds(10)) else { break }
                    outcome.answers.append(line)
                }
                switch moment {
                case .afterAnswer:
                    break
                case .afterQuestion:
                    if process.writeLine(Self.script[outcome.written]) { outcome.written += 1 }
                case .whileAnswering:
                    if process.writeLine(Self.script[outcome.written]) { outcome.written += 1 }
                    usleep(waitMicroseconds)
                case .midBurst:
                    let questions = Self.script[outcome.written..<(outcome.written + burst)]
                    if process.write(Data(questions.map { $0 + "\n" }.joined().utf8)) {
                        outcome.written += questions.count
                    }
                    usleep(waitMicroseconds)
                }
                outcome.result = process.killNow()
                return outcome
            }
            #expect(outcome.answers.count == reads, "\(label): every question read was answered")
            #expect(
                outcome.result?.signal == SIGKILL, "\(label): \(outcome.result.map(String.init(describing:)) ?? "")")
            for (answer, question) in zip(outcome.answers, Self.script) {
                #expect((try? JSON.object(answer))?["topic"] is String, "\(label): an answer to \(question): \(answer)")
            }
            try await Self.checkTranscript(
                in: folder, answered: outcome.answers.count, written: outcome.written, sandbox: sandbox, label: label)
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(60), "the loop took \(elapsed)")
    }

    /// The transcript of a killed session: readable, session first, and holding at least
    /// every answered turn (and at most every written one), in order, none twice.
    static func checkTranscript(
        in folder: URL, answered: Int, written: Int, sandbox: Sandbox, label: String
    ) async throws {
        let files = sandbox.transcriptFiles(in: folder)
        #expect(files.count <= 1, "\(label): one session, one file: \(files.map(\.lastPathComponent))")
        guard let file = files.first else {
            #expect(answered == 0, "\(label): answers were printed but no transcript exists")
            return
        }
        // On disk: every complete line is an event; only a last line without a newline may be torn.
        let data = try Data(contentsOf: file)
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        lines.removeLast()
        for (index, line) in lines.enumerated() {
            #expect(
                (try? JSON.object(String(decoding: line, as: UTF8.self))) != nil,
                "\(label): line \(index + 1) of \(file.lastPathComponent) is not JSON")
        }

        let id = file.deletingPathExtension().lastPathComponent
        let show = try await sandbox.advisor(
            ["transcripts", "show", "--format", "json", id], env: ["ADVISOR_TRANSCRIPTS": folder.path],
            timeout: .seconds(15))
        #expect(show.exitedNormally && show.status == 0, "\(label): \(show)")
        #expect(show.errLines.count <= 1, "\(label): at most a torn-line warning: \(show)")
        #expect(show.errLines.allSatisfy { $0.contains("torn") }, "\(label): \(show)")
        let events = try JSON.lines(show.out)
        let session = try #require(events.first, "\(label): empty transcript \(show)")
        #expect(session["type"] as? String == "session", "\(label): \(session)")
        #expect(session["id"] as? String == id)
        #expect(session["mode"] as? String == "script")
        #expect(!events.contains { $0["type"] as? String == "end" }, "\(label): a killed session has no end event")
        let turns = events.filter { $0["type"] as? String == "turn" }
        let questions = turns.compactMap { $0["question"] as? String }
        #expect(questions.count == turns.count)
        #expect(questions.count >= answered, "\(label): \(questions.count) turns saved, \(answered) answers printed")
        #expect(questions.count <= written, "\(label): \(questions.count) turns saved, only \(written) written")
        #expect(questions == Array(script.prefix(questions.count)), "\(label): the right questions, in order")
        #expect(turns.map { $0["n"] as? Int } == (0..<turns.count).map { Optional($0 + 1) }, "\(label): turns numbered")
        #expect(Set(questions).count == questions.count, "\(label): no turn twice")
    }

    static let perSession = 4

    /// The questions of session `index`, each tagged with it.
    static func questions(_ index: Int) -> [String] {
        (1...perSession).map { "Who should own mobile? session-\(index) question-\($0)" }
    }

    @Test("50 sessions started at once in one folder: 50 intact files, each with only its own questions")
    func fiftySessionsAtOnce() async throws {
        let sandbox = try Sandbox()
        let count = 50
        let perSession = Self.perSession
        let processes = try (0..<count).map { _ in try sandbox.startAdvisor(["run", "--json", "-"]) }
        let results: [ProcessResult] = await offload {
            // Every process is running before the first one gets its script.
            for (index, process) in processes.enumerated() {
                process.write(Data(Self.questions(index).map { $0 + "\n" }.joined().utf8))
                process.closeStdin()
            }
            // 50 processes share the machine's cores, and the address sanitizer makes each
            // several times slower: the deadline is against a hang, not a timing.
            let sanitized = ProcessInfo.processInfo.environment["ADVISOR_SANITIZED"] != nil
            return processes.map { $0.finish(timeout: .seconds(sanitized ? 300 : 60)) }
        }
        for (index, result) in results.enumerated() {
            #expect(result.exitedNormally && result.status == 0, "session \(index): \(result)")
            #expect(result.err.isEmpty, "session \(index): \(result)")
            #expect((try? JSON.lines(result.out))?.count == perSession, "session \(index): \(result)")
        }

        let files = sandbox.transcriptFiles()
        #expect(files.count == count, "\(files.count) files")
        #expect(Set(files.map(\.lastPathComponent)).count == files.count)
        var owners: [Int] = []
        for file in files {
            let name = file.lastPathComponent
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text.hasSuffix("\n"), "\(name) ends with a complete line")
            let events = try JSON.lines(text)
            #expect(events.first?["type"] as? String == "session", "\(name)")
            #expect(events.first?["id"] as? String == file.deletingPathExtension().lastPathComponent)
            #expect(events.last?["type"] as? String == "end", "\(name) ends with an end event")
            #expect(events.filter { $0["type"] as? String == "session" }.count == 1, "\(name): one session")
            let asked = events.filter { $0["type"] as? String == "turn" }.compactMap { $0["question"] as? String }
            let tags = Set(asked.compactMap { $0.split(separator: " ").first { $0.hasPrefix("session-") } })
            #expect(tags.count == 1, "\(name) holds one session's questions: \(asked)")
            if let tag = tags.first, let index = Int(tag.dropFirst("session-".count)) {
                owners.append(index)
                #expect(asked == Self.questions(index), "\(name): its own questions, in order, once")
            }
        }
        #expect(owners.sorted() == Array(0..<count), "none lost, none mixed")
    }
}
