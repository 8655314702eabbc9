import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation

/// `advisor-bench`: the benchmark suite of BENCHMARKS.md (a plain release-built
/// executable; see BENCHMARKS.md for why not a harness).
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advisor-bench",
        abstract: "Benchmarks: synthetic knowledge bases, routing latency, session throughput, transcript archives.",
        subcommands: [Generate.self, Route.self, Archive.self, SearchArchive.self])
}

/// Nanoseconds on the monotonic clock.
func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// Peak resident memory of this process, in MiB.
func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let index = min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)
    return Double(sorted[max(0, index)]) / 1000
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic knowledge base and its 1,000 questions.")

    @Option var rules: Int
    @Option var seed: UInt64 = 42
    @Option var out: String

    func run() throws {
        var workload = SyntheticWorkload(ruleCount: rules, seed: seed)
        try workload.writeKnowledgeBase(to: out)
        let questions = workload.questions()
        let spelling = workload.spellingQuestions(seed: seed)
        var lines = ""
        func write(_ object: [String: String?]) throws {
            let data = try JSONSerialization.data(
                withJSONObject: object.mapValues { $0 ?? NSNull() as Any }, options: [.sortedKeys])
            lines += String(decoding: data, as: UTF8.self) + "\n"
        }
        for (question, expected) in questions { try write(["q": question, "expect": expected]) }
        // Marked by kind, so the route command scores them apart and keeps them out of the timings.
        for (question, expected) in spelling.typos { try write(["q": question, "expect": expected, "kind": "typo"]) }
        for question in spelling.nearNoise { try write(["q": question, "expect": nil, "kind": "near-noise"]) }
        try lines.write(toFile: out + "/questions.jsonl", atomically: true, encoding: .utf8)
        print(
            "wrote \(rules) rules, \(questions.count) questions, \(spelling.typos.count) typo paraphrases and "
                + "\(spelling.nearNoise.count) near-noise questions to \(out)")
    }
}

struct Route: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load a knowledge base, route its questions, run them as a recorded session; print one JSON result.")

    @Option var kb: String
    @Option(help: "questions.jsonl (default: KB/questions.jsonl; the shipped KB uses its sample questions)")
    var questions: String?
    @Option var repeats: Int = 20
    @Option(help: "Compiled cache folder: the first run writes it, the next loads from it.") var cache: String?
    @Option(help: "Where the session's transcript goes (a temp dir by default).") var transcripts: String?
    @Option(help: "Print the N slowest questions to route (median of the repeats) to standard error.")
    var slowest: Int = 0

    func run() throws {
        let loadStart = now()
        let advisor: Advisor
        do {
            advisor = try Advisor.load(directory: kb, cacheDirectory: cache)
        } catch {
            throw ValidationError("invalid knowledge base: \(error.diagnostics.prefix(3).map(\.description))")
        }
        let loadMillis = Double(now() - loadStart) / 1e6

        var items: [(String, String?)] = []
        // The spell corrector's questions: scored apart, not timed (the timed set stays as it was).
        var typos: [(String, String)] = []
        var nearNoise: [String] = []
        let path = questions ?? kb + "/questions.jsonl"
        if FileManager.default.fileExists(atPath: path) {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for line in text.split(separator: "\n") {
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let question = object["q"] as? String
                else { continue }
                switch object["kind"] as? String {
                case "typo": typos.append((question, object["expect"] as? String ?? ""))
                case "near-noise": nearNoise.append(question)
                default: items.append((question, object["expect"] as? String))
                }
            }
        } else {
            for topic in advisor.knowledgeBase.topics {
                for sample in topic.samples { items.append((sample.value, topic.id)) }
            }
        }

        // Recall and false hits, from full answers.
        var paraphrases = 0
        var found = 0
        var missedAsNone = 0
        var noise = 0
        var falseHits = 0
        for (question, expected) in items {
            let answer = advisor.ask(question)
            if let expected {
                paraphrases += 1
                if answer.topic == expected {
                    found += 1
                } else if answer.topic == KnowledgeBase.noneTopic {
                    missedAsNone += 1
                }
            } else {
                noise += 1
                if answer.topic != KnowledgeBase.noneTopic { falseHits += 1 }
            }
        }

        let typosFound = typos.filter { advisor.ask($0.0).topic == $0.1 }.count
        let nearNoiseHits = nearNoise.filter { advisor.ask($0).topic != KnowledgeBase.noneTopic }.count

        // Routing latency: every question, `repeats` times, each timed alone.
        var routeTimes: [UInt64] = []
        var askTimes: [UInt64] = []
        var perQuestion = [[UInt64]](repeating: [], count: items.count)
        routeTimes.reserveCapacity(items.count * repeats)
        for _ in 0..<repeats {
            for (number, (question, _)) in items.enumerated() {
                let start = now()
                _ = advisor.router.route(question)
                let middle = now()
                _ = advisor.ask(question)
                let end = now()
                routeTimes.append(middle - start)
                askTimes.append(end - middle)
                perQuestion[number].append(middle - start)
            }
        }
        if slowest > 0 {
            let medians = perQuestion.indices.map { (number: $0, median: percentile(perQuestion[$0].sorted(), 0.5)) }
            for (number, median) in medians.sorted(by: { $0.median > $1.median }).prefix(slowest) {
                let routing = advisor.router.route(items[number].0)
                let line = String(format: "%8.1f µs  ", median) + "\(items[number].0) -> \(routing.topic)\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        routeTimes.sort()
        let bestTimes = perQuestion.compactMap { $0.min() }.sorted()
        askTimes.sort()

        // A scripted session with its transcript recorded.
        let directory = transcripts ?? NSTemporaryDirectory() + "advisor-bench-\(getpid())"
        let recorder = try TranscriptRecorder.start(
            directory: directory, mode: "script", role: nil, knowledgeBase: advisor.knowledgeBase.fingerprint,
            version: "bench", script: nil, warn: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        let session = Session(advisor: advisor, role: nil, recorder: recorder, renderer: AnswerRenderer())
        let sessionStart = now()
        var sessionQuestions = 0
        for _ in 0..<max(1, repeats / 4) {
            for (question, _) in items {
                _ = session.ask(question)
                sessionQuestions += 1
            }
        }
        session.finish()
        let sessionSeconds = Double(now() - sessionStart) / 1e9
        if transcripts == nil { try? FileManager.default.removeItem(atPath: directory) }

        let result: [String: Any] = [
            "kb": kb,
            "topics": advisor.knowledgeBase.topics.count,
            "rules": advisor.router.ruleCount,
            "load_ms": (loadMillis * 10).rounded() / 10,
            "route_p50_us": (percentile(routeTimes, 0.5) * 10).rounded() / 10,
            "route_p99_us": (percentile(routeTimes, 0.99) * 10).rounded() / 10,
            // Each question's fastest repeat, then the percentiles over questions: what a question
            // costs with the machine's noise (other processes, a virtual machine's stolen time) left out.
            "route_best_p50_us": (percentile(bestTimes, 0.5) * 10).rounded() / 10,
            "route_best_p99_us": (percentile(bestTimes, 0.99) * 10).rounded() / 10,
            "ask_p50_us": (percentile(askTimes, 0.5) * 10).rounded() / 10,
            "ask_p99_us": (percentile(askTimes, 0.99) * 10).rounded() / 10,
            "session_qps": Int(Double(sessionQuestions) / sessionSeconds),
            "recall": paraphrases == 0 ? 0 : (Double(found) / Double(paraphrases) * 1000).rounded() / 1000,
            "paraphrases": paraphrases,
            "missed_as_none": missedAsNone,
            "noise": noise,
            "noise_false_hits": falseHits,
            "typos": typos.count,
            "typo_recall": typos.isEmpty ? 0 : (Double(typosFound) / Double(typos.count) * 1000).rounded() / 1000,
            "near_noise": nearNoise.count,
            "near_noise_false_hits": nearNoiseHits,
            "peak_mib": (peakMemoryMiB() * 10).rounded() / 10,
        ]
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}

struct Archive: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic transcript archive (sessions of recorded turns).")

    @Option var kb: String
    @Option var out: String
    @Option var sessions: Int = 10_000
    @Option var turns: Int = 10
    @Option var seed: UInt64 = 7
    @Flag(help: "Make every question distinct (a case number appended), as people rarely repeat one exactly.")
    var distinctQuestions = false

    func run() throws {
        let advisor = try loadKnowledgeBase(kb)
        try? FileManager.default.removeItem(atPath: out)
        let start = now()
        var writer = ArchiveWriter(advisor: advisor, seed: seed, distinctQuestions: distinctQuestions)
        try writer.write(sessions: sessions, turns: turns, to: out)
        print("wrote \(sessions) sessions of \(turns) turns to \(out) in \(Double(now() - start) / 1e9) s")
    }
}

/// Records synthetic sessions over a knowledge base: its sample questions and a few out of
/// scope, picked at random.
struct ArchiveWriter {
    let advisor: Advisor
    var rng: SplitMix64
    let distinctQuestions: Bool
    let questions: [String]
    var written = 0

    init(advisor: Advisor, seed: UInt64, distinctQuestions: Bool) {
        self.advisor = advisor
        rng = SplitMix64(seed: seed)
        self.distinctQuestions = distinctQuestions
        questions =
            advisor.knowledgeBase.topics.flatMap { $0.samples.map(\.value) }
            + ["what is the weather like", "best pizza in town", "how do I reset my password"]
    }

    /// Records `sessions` sessions of `turns` questions each in `directory`.
    mutating func write(sessions: Int, turns: Int, to directory: String) throws {
        for _ in 0..<sessions {
            let recorder = try TranscriptRecorder.start(
                directory: directory, mode: "script", role: Bool.random(using: &rng) ? .cmo : nil,
                knowledgeBase: advisor.knowledgeBase.fingerprint, version: "bench", script: nil, warn: { _ in })
            let session = Session(advisor: advisor, role: nil, recorder: recorder, renderer: AnswerRenderer())
            for _ in 0..<turns {
                var question = questions[Int.random(in: 0..<questions.count, using: &rng)]
                written += 1
                if distinctQuestions { question += " (case \(written))" }
                _ = session.ask(question)
            }
            session.finish()
        }
    }
}

/// The knowledge base a benchmark runs on, or a usage error when it does not load.
func loadKnowledgeBase(_ directory: String) throws -> Advisor {
    do {
        return try Advisor.load(directory: directory)
    } catch {
        throw ValidationError("invalid knowledge base: \(error.description)")
    }
}
