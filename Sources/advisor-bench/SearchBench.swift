import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorTranscripts
import ArgumentParser
import Foundation

/// `advisor-bench search`: `transcripts search` over a synthetic archive, by linear scan and
/// through the derived index (built, warm, and after new sessions were added).
struct SearchArchive: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Time transcript search: linear scan, index build, warm index, index after 100 new sessions.")

    @Option var kb: String
    @Option(help: "The archive folder: written when missing (or holding fewer sessions), else reused.")
    var archive: String
    @Option(help: "Where the index goes (emptied first).") var cache: String
    @Option var sessions: Int = 100_000
    @Option var turns: Int = 10
    @Option(help: "Sessions added before the last measurement.") var added = 100
    @Option(help: "The text searched.") var text = "mobile"
    @Option(help: "Only turns with this topic.") var topic: String?
    @Flag(help: "Skip the linear scans (slow at 100,000 sessions) and keep the index as it is.")
    var indexOnly = false

    func run() throws {
        let advisor = try loadKnowledgeBase(kb)
        let store = TranscriptStore(directory: archive)
        var writer = ArchiveWriter(advisor: advisor, seed: 7, distinctQuestions: true)
        var generateSeconds = 0.0
        if (try? store.ids().count) ?? 0 < sessions {
            try? FileManager.default.removeItem(atPath: archive)
            let start = now()
            try writer.write(sessions: sessions, turns: turns, to: archive)
            generateSeconds = Double(now() - start) / 1e9
        }
        if !indexOnly { try? FileManager.default.removeItem(atPath: cache) }
        let query = SearchQuery(text: text, topic: topic)
        var warnings = 0
        let warn: (String) -> Void = { _ in warnings += 1 }

        func timed(_ body: () throws -> [SearchHit]) rethrows -> (ms: Double, hits: [SearchHit]) {
            let start = now()
            let hits = try body()
            return ((Double(now() - start) / 1e5).rounded() / 10, hits)
        }
        let skipped = (ms: 0.0, hits: [SearchHit]())
        let scan = try indexOnly ? skipped : timed { try store.search(query, warn: warn) }
        let build = try timed { try TranscriptIndex.search(query, in: store, cacheDirectory: cache, warn: warn) }
        let warm = try timed { try TranscriptIndex.search(query, in: store, cacheDirectory: cache, warn: warn) }
        // What `transcripts search` does: the 20 best, ranked, and the total.
        var bestTotal = 0
        let top = try timed {
            let best = try TranscriptIndex.ranked(query, in: store, cacheDirectory: cache, limit: 20, warn: warn)
            bestTotal = best.total
            return best.hits
        }
        let before = Set(try store.ids())
        var newcomer = ArchiveWriter(advisor: advisor, seed: 8, distinctQuestions: true)
        try newcomer.write(sessions: added, turns: turns, to: archive)
        // The archive is left as it was found, so that the next run reuses it unchanged.
        defer {
            for id in (try? store.ids()) ?? [] where !before.contains(id) { unlink(store.path(of: id)) }
        }
        let scanAfter = try indexOnly ? skipped : timed { try store.search(query, warn: warn) }
        let updated = try timed { try TranscriptIndex.search(query, in: store, cacheDirectory: cache, warn: warn) }
        let indexPath = TranscriptIndex.location(of: archive, cacheDirectory: cache)

        let result: [String: Any] = [
            "sessions": sessions, "turns": turns, "text": text, "topic": topic ?? NSNull(),
            "generate_s": (generateSeconds * 10).rounded() / 10,
            "archive_mib": Self.mebibytes(of: archive), "index_mib": Self.mebibytes(of: indexPath),
            "scan_ms": scan.ms, "index_build_ms": build.ms, "index_warm_ms": warm.ms, "index_best20_ms": top.ms,
            "added_sessions": added, "index_after_added_ms": updated.ms, "scan_after_added_ms": scanAfter.ms,
            "hits": warm.hits.count, "best20_total": bestTotal, "hits_after_added": updated.hits.count,
            "same_hits": indexOnly
                ? build.hits == warm.hits
                : scan.hits == build.hits && build.hits == warm.hits && scanAfter.hits == updated.hits,
            "warnings": warnings, "peak_mib": (peakMemoryMiB() * 10).rounded() / 10,
        ]
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// The size of a file, or of the files in a folder, in MiB.
    static func mebibytes(of path: String) -> Double {
        var total: Int64 = 0
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
            total = Int64(info.st_size)
        } else {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            where stat(path + "/" + name, &info) == 0 {
                total += Int64(info.st_size)
            }
        }
        return (Double(total) / 1_048_576 * 10).rounded() / 10
    }
}
