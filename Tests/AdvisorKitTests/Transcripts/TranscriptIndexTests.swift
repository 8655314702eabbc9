import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorTranscripts

@Suite("Transcript search index")
struct TranscriptIndexTests {
    /// A transcripts folder and a cache folder side by side in a temporary directory.
    struct World {
        let temp: TemporaryDirectory
        let store: TranscriptStore
        let cache: String

        init() throws {
            temp = try TemporaryDirectory()
            let transcripts = temp.file("transcripts")
            try FileManager.default.createDirectory(atPath: transcripts, withIntermediateDirectories: true)
            store = TranscriptStore(directory: transcripts)
            cache = temp.file("cache")
        }

        var indexPath: String { TranscriptIndex.location(of: store.directory, cacheDirectory: cache) }

        /// Hits and warnings through the index.
        func indexed(_ query: SearchQuery) throws -> (hits: [SearchHit], warnings: [String]) {
            var warnings: [String] = []
            let hits = try TranscriptIndex.search(
                query, in: store, cacheDirectory: cache, warn: { warnings.append($0) })
            return (hits, warnings)
        }

        /// Hits by the linear scan.
        func scanned(_ query: SearchQuery) throws -> [SearchHit] {
            try store.search(query, warn: { _ in })
        }

        /// Writes a transcript by hand: a session event, then one turn per (question,
        /// topic, answer), a minute apart from `day`.
        @discardableResult
        func write(
            _ id: String, day: String = "2026-03-01", _ turns: [(String, String, String)]
        ) throws -> String {
            var lines = [try TranscriptFixtures.line(TranscriptFixtures.session(id: id, at: day + "T09:00:00.000Z"))]
            for (offset, turn) in turns.enumerated() {
                lines.append(
                    try TranscriptFixtures.line(
                        TurnEvent(
                            at: day + "T09:\(String(format: "%02d", offset + 1)):00.000Z", n: offset + 1,
                            question: turn.0, answer: TranscriptFixtures.answer(topic: turn.1, text: turn.2))))
            }
            return try temp.write("transcripts/\(id).jsonl", lines.joined(separator: "\n") + "\n")
        }

        func remove() { temp.remove() }
    }

    /// A corpus with recorded sessions (canned none and smalltalk replies among them) and
    /// hand-written turns with accents, composed and decomposed, in questions and answers.
    static func corpus(_ world: World) throws {
        try TranscriptFixtures.record(
            ["Who owns mobile?", "thanks", "what is the weather like", "How do we split the budget?"],
            in: world.store.directory)
        try TranscriptFixtures.record(
            ["What does agile mean?", "Café talk about MOBILE apps", "bye"], in: world.store.directory)
        try world.write(
            "20250101-080000.000-1-aaaaaa", day: "2025-01-01",
            [
                ("Crème brûlée budget", "tech-budget", "The café\u{301} budget — naïve, MOBILE first."),
                ("Naïve question", "none", "A canned reply that mentions mobile."),
                ("ab ab ab", "mobile-ownership", "Answer ab with abab and Ab."),
            ])
        let june = try world.write(
            "20260601-080000.000-1-bbbbbb", day: "2026-06-01",
            [
                ("Ünïcödé \u{212A}elvin", "tech-budget", "Straße, Œuvre and the budget again: budget budget."),
                ("\"quoted\" and back\\slash", "smalltalk", "thanks for asking about mobile"),
            ])
        // Last written before its own turns' date: --since 2026-06-01 passes it over by date.
        var times = [timespec(tv_sec: 1_780_000_000, tv_nsec: 5), timespec(tv_sec: 1_780_000_000, tv_nsec: 5)]
        #expect(utimensat(AT_FDCWD, june, &times, 0) == 0)
    }

    static let texts = [
        "mobile", "MoBiLe", "café", "CAFÉ", "cafe", "naive", "Naïve", "ab", "a", "é", "budget", "budget budget",
        "the budget", "weather", "thanks", "canned reply", "strasse", "Straße", "œuvre", "kelvin", "\"quoted\"",
        "back\\slash", "zzz no such text", "brûlée", "e\u{301}", "", " ",
    ]

    @Test("the index gives exactly the scan's hits, scores and snippets, with --topic and --since")
    func sameAsScan() throws {
        let world = try World()
        defer { world.remove() }
        try Self.corpus(world)
        for text in Self.texts {
            for topic in [nil, "tech-budget", "none", "smalltalk", "mobile-ownership"] {
                for since in [nil, "2026-01-01", "2026-06-01T09:01:30", "2999-01-01"] {
                    if text.isEmpty, topic == nil, since == nil { continue }
                    let query = SearchQuery(text: text, topic: topic, since: since)
                    let (hits, warnings) = try world.indexed(query)
                    #expect(hits == (try world.scanned(query)), "\(text) \(topic ?? "-") \(since ?? "-")")
                    #expect(warnings.isEmpty, "\(warnings)")
                }
            }
        }
        // And the corpus is one where these queries find something.
        #expect(try world.indexed(SearchQuery(text: "cafe")).hits.count == 2)
        #expect(try world.indexed(SearchQuery(text: "mobile")).hits.count >= 3)
    }

    @Test("both ways of finding the turns (through the indexes, one pass over all) give the scan's hits")
    func bothTurnAccesses() throws {
        let world = try World()
        defer { world.remove() }
        try Self.corpus(world)
        // More matching texts than the index looks up one by one: "budget" is in 600 questions.
        try world.write(
            "20260701-080000.000-1-eeeeee", day: "2026-07-01",
            (0..<600).map { ("budget line \($0)", $0 % 2 == 0 ? "tech-budget" : "none", "Answer \($0 % 7).") })
        #expect(try world.scanned(SearchQuery(text: "budget")).count > TranscriptIndex.lookupLimit)
        let index = try TranscriptIndex(store: world.store, path: world.indexPath)
        let ids = try world.store.unsortedIDs()
        for access in [TranscriptIndex.TurnAccess.lookup, .pass, .automatic] {
            index.turnAccess = access
            for text in Self.texts + ["budget line 59", "answer 3"] where !text.isEmpty {
                for topic in [nil, "tech-budget", "none"] {
                    for since in [nil, "2026-06-01T09:01:30"] {
                        let query = SearchQuery(text: text, topic: topic, since: since)
                        let hits = try index.search(query, ids: ids, warn: { _ in })
                        #expect(hits == (try world.scanned(query)), "\(access) \(text) \(topic ?? "-") \(since ?? "-")")
                    }
                }
            }
        }
    }

    @Test("ranked: the index's best N are the scan's hits ranked and cut, with the same total")
    func rankedSameAsScan() throws {
        let world = try World()
        defer { world.remove() }
        try Self.corpus(world)
        for text in Self.texts where !text.isEmpty {
            let scanned = try world.scanned(SearchQuery(text: text))
            let everything = SearchResults.ranking(scanned, limit: nil)
            // Best first, equal scores newest first.
            for (better, worse) in zip(everything.hits, everything.hits.dropFirst()) {
                #expect(
                    better.score > worse.score
                        || better.score == worse.score
                            && (better.transcript, better.turn) > (worse.transcript, worse.turn),
                    "\(text)")
            }
            for limit in [nil, 0, 1, 2, 5] {
                let ranked = try TranscriptIndex.ranked(
                    SearchQuery(text: text), in: world.store, cacheDirectory: world.cache, limit: limit, warn: { _ in })
                #expect(ranked.total == scanned.count, "\(text) \(limit ?? -1)")
                let expected = limit == nil ? everything.hits : Array(everything.hits.prefix(limit ?? 0))
                #expect(ranked.hits == expected, "\(text) limit \(limit ?? -1)")
                #expect(ranked == SearchResults.ranking(scanned, limit: limit), "\(text) \(limit ?? -1)")
            }
        }
    }

    @Test("a file appended to, removed or replaced is read again; the others are not")
    func followsTheFiles() throws {
        let world = try World()
        defer { world.remove() }
        let first = "20260101-080000.000-1-cccccc"
        let path = try world.write(first, [("Who owns mobile?", "mobile-ownership", "The CMO, mostly.")])
        try world.write("20260102-080000.000-1-dddddd", [("Budget talk", "tech-budget", "Split it.")])
        #expect(try world.indexed(SearchQuery(text: "mobile")).hits.map(\.turn) == [1])

        // Appended to, as a running session does.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        let turn = TurnEvent(
            at: "2026-01-01T10:00:00.000Z", n: 2, question: "and mobile apps?",
            answer: TranscriptFixtures.answer(topic: "mobile-ownership", text: "Sourdough mobile apps."))
        try handle.write(contentsOf: Data((try TranscriptFixtures.line(turn) + "\n").utf8))
        try handle.close()
        #expect(try world.indexed(SearchQuery(text: "mobile")).hits.map(\.turn) == [1, 2])
        #expect(try world.indexed(SearchQuery(text: "sourdough")).hits.map(\.turn) == [2])

        // Replaced by another file (a new inode), then removed.
        let replacement = try world.temp.write(
            "elsewhere.jsonl",
            try TranscriptFixtures.line(TranscriptFixtures.session(id: first)) + "\n"
                + (try TranscriptFixtures.line(
                    TurnEvent(
                        at: "2026-01-01T11:00:00.000Z", n: 1, question: "Rye bread?",
                        answer: TranscriptFixtures.answer(topic: "none")))) + "\n")
        #expect(rename(replacement, path) == 0)
        #expect(try world.indexed(SearchQuery(text: "sourdough")).hits.isEmpty)
        #expect(try world.indexed(SearchQuery(text: "rye")).hits.map(\.transcript) == [first])
        #expect(unlink(path) == 0)
        #expect(try world.indexed(SearchQuery(text: "rye")).hits.isEmpty)
        #expect(try world.indexed(SearchQuery(text: "budget")).hits.count == 1)
        for text in ["mobile", "sourdough", "rye", "budget", "split"] {
            #expect(try world.indexed(SearchQuery(text: text)).hits == (try world.scanned(SearchQuery(text: text))))
        }
    }

    @Test("a damaged index, or one from another schema version, is rebuilt with one warning")
    func rebuildsDamage() throws {
        let world = try World()
        defer { world.remove() }
        try Self.corpus(world)
        let query = SearchQuery(text: "budget")
        let expected = try world.scanned(query)
        #expect(try world.indexed(query).hits == expected)

        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: world.indexPath))
        let damaged = try world.indexed(query)
        #expect(damaged.hits == expected)
        #expect(damaged.warnings.count == 1 && damaged.warnings[0].contains("rebuilding"), "\(damaged.warnings)")
        let after = try world.indexed(query)
        #expect(after.hits == expected && after.warnings.isEmpty, "\(after.warnings)")

        let database = try SQLiteDatabase(path: world.indexPath, create: false)
        try database.execute("PRAGMA user_version = 99")
        let older = try world.indexed(query)
        #expect(older.hits == expected)
        #expect(older.warnings.count == 1 && older.warnings[0].contains("another version"), "\(older.warnings)")
        #expect(try world.indexed(query).warnings.isEmpty)
    }

    @Test("a cache folder that cannot be created falls back to the scan with one warning")
    func unwritableCache() throws {
        let world = try World()
        defer { world.remove() }
        try Self.corpus(world)
        // A regular file where a folder should be: mkdir fails, even for root.
        try world.temp.write("cache", "not a folder")
        let query = SearchQuery(text: "mobile")
        let result = try world.indexed(query)
        #expect(result.hits == (try world.scanned(query)))
        #expect(result.warnings.count == 1 && result.warnings[0].contains("not used"), "\(result.warnings)")
        #expect(SafeFile.kind(of: world.cache) == .regular)
    }

    @Test("a read-only cache folder falls back to the scan with one warning", .enabled(if: geteuid() != 0))
    func readOnlyCache() throws {
        let world = try World()
        defer { world.remove() }
        try Self.corpus(world)
        try FileManager.default.createDirectory(atPath: world.cache + "/search", withIntermediateDirectories: true)
        #expect(chmod(world.cache + "/search", 0o500) == 0)
        let result = try world.indexed(SearchQuery(text: "mobile"))
        #expect(result.hits == (try world.scanned(SearchQuery(text: "mobile"))))
        #expect(result.warnings.count == 1, "\(result.warnings)")
    }

    @Test("the index file is 0600 in a 0700 folder, and a link planted at its path is not followed")
    func permissionsAndLinks() throws {
        let world = try World()
        defer { world.remove() }
        try Self.corpus(world)
        let query = SearchQuery(text: "mobile")
        _ = try world.indexed(query)
        var info = stat()
        #expect(lstat(world.indexPath, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let folder = (world.indexPath as NSString).deletingLastPathComponent
        #expect(lstat(folder, &info) == 0 && info.st_mode & 0o777 == 0o700)

        #expect(unlink(world.indexPath) == 0)
        let target = try world.temp.write("target.txt", "precious")
        #expect(symlink(target, world.indexPath) == 0)
        let result = try world.indexed(query)
        #expect(result.hits == (try world.scanned(query)))
        #expect(result.warnings.count == 1 && result.warnings[0].contains("symbolic link"), "\(result.warnings)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious")
        if case .symbolicLink = SafeFile.kind(of: world.indexPath) {} else { Issue.record("the link was replaced") }
    }

    @Test("byte-by-byte match ranges of ASCII text are Foundation's")
    func asciiRanges() {
        let cases = [
            ("ab", "ab ab abab Ab aB"), ("aa", "aaaaa"), ("Mobile", "MOBILE mobile mobil"), ("x", ""),
            ("long needle", "short"), (" ", "a b  c"),
        ]
        for (needle, text) in cases {
            var foundation: [Range<String.Index>] = []
            var start = text.startIndex
            while let range = text.range(
                of: needle, options: [.caseInsensitive, .diacriticInsensitive], range: start..<text.endIndex)
            {
                foundation.append(range)
                start = range.upperBound
            }
            let fast = TranscriptStore.asciiMatchRanges(of: needle, in: text)
            #expect(
                fast?.map { text.distance(from: text.startIndex, to: $0.lowerBound) }
                    == foundation.map { text.distance(from: text.startIndex, to: $0.lowerBound) },
                "\(needle) in \(text)")
            #expect(fast?.count == foundation.count)
        }
        #expect(TranscriptStore.asciiMatchRanges(of: "cafe", in: "café") == nil, "non-ASCII text goes to Foundation")
    }
}
