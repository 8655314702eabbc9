import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("Compiled knowledge base cache")
struct KnowledgeBaseCacheTests {
    private func cacheFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".bin") }
            .sorted()
    }

    private func fileSize(_ folder: TemporaryDirectory, _ names: [String]) -> Int {
        names.reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: folder.file(name))[.size] as? Int) ?? 0)
        }
    }

    @Test("the fingerprint computed from the files alone is the loader's")
    func fingerprint() throws {
        #expect(
            KnowledgeBaseLoader.fingerprint(directory: TestSupport.shippedKnowledgeBase)
                == TestSupport.shippedBase.fingerprint)
        let fixture = try TestSupport.fixtureKnowledgeBase("valid")
        #expect(
            KnowledgeBaseLoader.fingerprint(directory: fixture)
                == KnowledgeBaseLoader.load(directory: fixture).0.fingerprint)
        #expect(KnowledgeBaseLoader.fingerprint(directory: "/nonexistent-\(UUID().uuidString)") == nil)
    }

    @Test("a cached advisor answers exactly like a freshly compiled one")
    func roundTrip() throws {
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let kb = try TestSupport.copyShippedKnowledgeBase()
        defer { kb.remove() }
        let fresh = try Advisor.load(directory: kb.path, cacheDirectory: cache.path)
        #expect(cacheFiles(cache.path).count == 1)
        let stored = KnowledgeBaseCache(cacheDirectory: cache.path, knowledgeBaseDirectory: kb.path)
        let words = KnowledgeBaseFiles.read(directory: kb.path).words
        let cached = try #require(stored.read(fingerprint: fresh.knowledgeBase.fingerprint, dictionary: words))
        #expect(cached.router.ruleCount == fresh.router.ruleCount)
        #expect(cached.router.termCount == fresh.router.termCount)
        #expect(cached.knowledgeBase.topics.map(\.id) == fresh.knowledgeBase.topics.map(\.id))
        #expect(cached.knowledgeBase.sources == fresh.knowledgeBase.sources)
        let questions =
            Phrasings.all.map(\.question) + [
                "our platform budget keeps growing", "who owns moblie", "asdfgh", "What does agile mean to IT?",
            ]
        for question in questions {
            #expect(cached.ask(question) == fresh.ask(question), "\(question)")
            #expect(cached.ask(question, role: .cio) == fresh.ask(question, role: .cio), "\(question)")
        }
        let conversation = Conversation(advisor: cached)
        _ = conversation.ask("What does agile mean to a CIO?")
        #expect(conversation.ask("and to a CMO?").answer.hasPrefix("To a CMO"))
        // And loading again goes through the cache, to the same answers.
        let again = try Advisor.load(directory: kb.path, cacheDirectory: cache.path)
        #expect(again.ask("Who owns mobile?") == fresh.ask("Who owns mobile?"))
    }

    @Test("settled files unchanged since the cache was written are not read again; any change, or a recent one, is")
    func stampedCache() throws {
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let kb = try TestSupport.copyFixture("valid")
        defer { kb.remove() }
        // Files written this second are not settled: their stamp is not taken, they are hashed.
        #expect(KnowledgeBaseFiles.stamp(directory: kb.path) == nil)
        let first = try Advisor.loadReporting(directory: kb.path, cacheDirectory: cache.path)
        #expect(first.use == .compiled)
        #expect(try Advisor.loadReporting(directory: kb.path, cacheDirectory: cache.path).use == .byFingerprint)
        // Later (the clock moved on), the files are hashed once more and their stamp recorded...
        let later = time(nil) + 3600
        let stamp = try #require(KnowledgeBaseFiles.stamp(directory: kb.path, now: later))
        #expect(KnowledgeBaseFiles.stamp(directory: kb.path, now: later) == stamp)
        let compiledSize = fileSize(cache, cacheFiles(cache.path))
        #expect(compiledSize > 0)
        #expect(
            try Advisor.loadReporting(directory: kb.path, cacheDirectory: cache.path, now: later).use == .byFingerprint)
        // The cache rewritten from what it held grows only by the stamp it now records:
        // nothing is laid out twice.
        #expect(fileSize(cache, cacheFiles(cache.path)) == compiledSize + stamp.utf8.count)
        // ...so the next start reads none of them, and answers as before.
        let stamped = try Advisor.loadReporting(directory: kb.path, cacheDirectory: cache.path, now: later)
        #expect(stamped.use == .byStamp)
        #expect(stamped.advisor.ask("who controls the money?") == first.advisor.ask("who controls the money?"))
        #expect(stamped.advisor.knowledgeBase.fingerprint == first.advisor.knowledgeBase.fingerprint)
        #expect(cacheFiles(cache.path).count == 1)
        // A changed file changes the stamp, whether its size changed or only its bytes.
        let beta = try String(contentsOfFile: kb.file("topics/beta.yaml"), encoding: .utf8)
        try kb.write("topics/beta.yaml", beta.replacingOccurrences(of: "roadmap", with: "roadmaq"))
        let edited = try #require(KnowledgeBaseFiles.stamp(directory: kb.path, now: later + 10))
        #expect(edited != stamp)
        let reloaded = try Advisor.loadReporting(directory: kb.path, cacheDirectory: cache.path, now: later + 10)
        #expect(reloaded.use == .compiled)
        #expect(reloaded.advisor.knowledgeBase.fingerprint != first.advisor.knowledgeBase.fingerprint)
        // An added topic file, a removed optional file: new stamps too.
        try kb.write("topics/gamma.yaml", "# nothing yet\n")
        let added = try #require(KnowledgeBaseFiles.stamp(directory: kb.path, now: later + 20))
        #expect(added != edited)
        try FileManager.default.removeItem(atPath: kb.file("topics/gamma.yaml"))
        #expect(KnowledgeBaseFiles.stamp(directory: kb.path, now: later + 20) == edited)
        // Something that is not a regular file among them gives no stamp.
        try FileManager.default.removeItem(atPath: kb.file("topics/beta.yaml"))
        #expect(mkfifo(kb.file("topics/beta.yaml"), 0o600) == 0)
        #expect(KnowledgeBaseFiles.stamp(directory: kb.path, now: later + 30) == nil)
        #expect(KnowledgeBaseFiles.stamp(directory: "/nonexistent-\(UUID().uuidString)", now: later) == nil)
        // A local file system keeps change times a stamp can rely on.
        #expect(KnowledgeBaseFiles.hasTrustworthyTimes(kb.path))
    }

    @Test("an edited knowledge base replaces its stale cache")
    func staleCache() throws {
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let kb = try TestSupport.copyFixture("valid")
        defer { kb.remove() }
        let first = try Advisor.load(directory: kb.path, cacheDirectory: cache.path)
        let before = cacheFiles(cache.path)
        #expect(before.count == 1)
        try kb.write(
            "topics/beta.yaml",
            "id: beta\ntitle: Roadmaps\nanswer: Beta.\nsources: [\"s1\"]\nrelated: [alpha]\npatterns: [roadmap, timeline]\n"
        )
        let second = try Advisor.load(directory: kb.path, cacheDirectory: cache.path)
        #expect(second.knowledgeBase.fingerprint != first.knowledgeBase.fingerprint)
        #expect(second.ask("what is the timeline?").topic == "beta")
        let after = cacheFiles(cache.path)
        #expect(after.count == 1)
        #expect(after != before)
    }

    @Test("a damaged cache is ignored and rewritten")
    func damagedCache() throws {
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let kb = try TestSupport.copyFixture("valid")
        defer { kb.remove() }
        let fresh = try Advisor.load(directory: kb.path, cacheDirectory: cache.path)
        let name = try #require(cacheFiles(cache.path).first)
        let path = cache.file(name)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: path))
        let stored = KnowledgeBaseCache(cacheDirectory: cache.path, knowledgeBaseDirectory: kb.path)
        #expect(stored.read(fingerprint: fresh.knowledgeBase.fingerprint, dictionary: nil) == nil)
        let reloaded = try Advisor.load(directory: kb.path, cacheDirectory: cache.path)
        #expect(reloaded.ask("who controls the money?").topic == "alpha")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
    }

    @Test("any changed byte, a truncated file or an added byte fails the checksum: the reader falls back")
    func corruptedBytes() throws {
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let kb = try TestSupport.copyFixture("valid")
        defer { kb.remove() }
        let fresh = try Advisor.load(directory: kb.path, cacheDirectory: cache.path)
        let fingerprint = fresh.knowledgeBase.fingerprint
        let name = try #require(cacheFiles(cache.path).first)
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cache.file(name))))
        #expect(KnowledgeBaseCache.decode(original, fingerprint: fingerprint, dictionary: nil) != nil)
        var rng = SplitMix64(seed: 99)
        var accepted: [Int] = []
        for position in original.indices {
            var damaged = original
            damaged[position] ^= UInt8.random(in: 1...255, using: &rng)
            if KnowledgeBaseCache.decode(damaged, fingerprint: fingerprint, dictionary: nil) != nil {
                accepted.append(position)
            }
        }
        #expect(accepted.isEmpty, "damage at \(accepted.prefix(10)) went unnoticed")
        for count in [0, 1, 8, 16, original.count / 2, original.count - 1] {
            #expect(
                KnowledgeBaseCache.decode(Array(original.prefix(count)), fingerprint: fingerprint, dictionary: nil)
                    == nil)
        }
        #expect(KnowledgeBaseCache.decode(original + [0], fingerprint: fingerprint, dictionary: nil) == nil)
        #expect(KnowledgeBaseCache.decode(original, fingerprint: "0123456789abcdef", dictionary: nil) == nil)
    }

    @Test("a payload the checksum vouches for but that is damaged inside never crashes the decoder")
    func damagedPayload() throws {
        let kb = try TestSupport.copyFixture("valid")
        defer { kb.remove() }
        let fresh = try Advisor.load(directory: kb.path)
        var writer = BinaryWriter()
        KnowledgeBaseCache.encode(fresh, into: &writer)
        let payload = writer.bytes
        var rng = SplitMix64(seed: 7)
        for position in payload.indices {
            var damaged = payload
            damaged[position] ^= UInt8.random(in: 1...255, using: &rng)
            let file = KnowledgeBaseCache.file(fingerprint: "f") { $0.append(raw: damaged) }
            if let advisor = KnowledgeBaseCache.decode(file, fingerprint: "f", dictionary: nil) {
                // A flip inside a text still gives a usable advisor.
                _ = advisor.ask("who controls the money?")
                _ = advisor.ask("and to a CMO?")
            }
        }
    }

    @Test("the fingerprint covers every file the loader reads, manifest, dictionary and examples included")
    func fingerprintCoversEveryFile() throws {
        let kb = try TestSupport.copyFixture("valid")
        defer { kb.remove() }
        var seen: Set<String> = []
        func fingerprint() throws -> String {
            let value = try #require(KnowledgeBaseLoader.fingerprint(directory: kb.path))
            #expect(value.count == 16)
            return value
        }
        seen.insert(try fingerprint())
        let edits: [(String, String)] = [
            ("manifest.yaml", "taxonomy: [alpha, beta, none]\n"),
            ("manifest.yaml", "taxonomy: [alpha, beta, none]\nbogus: 1\n"),
            ("dictionary.txt", "money\n"),
            ("dictionary.txt", "moneys\n"),
            ("examples.tsv", "question\ttopic\tsource\nwho holds the purse?\talpha\ttest\n"),
            ("examples.tsv", "question\ttopic\tsource\nwho holds the purse?\tbeta\ttest\n"),
            ("sources.yaml", try String(contentsOfFile: kb.file("sources.yaml"), encoding: .utf8) + "# edited\n"),
            ("concepts.yaml", try String(contentsOfFile: kb.file("concepts.yaml"), encoding: .utf8) + "# edited\n"),
            ("topics/alpha.yaml", try String(contentsOfFile: kb.file("topics/alpha.yaml"), encoding: .utf8) + "#\n"),
            ("topics/gamma.yml", "id: gamma\n"),
        ]
        for (name, contents) in edits {
            try kb.write(name, contents)
            #expect(seen.insert(try fingerprint()).inserted, "editing \(name) changed the fingerprint")
        }
        try FileManager.default.removeItem(atPath: kb.file("manifest.yaml"))
        #expect(seen.insert(try fingerprint()).inserted, "removing the manifest changed the fingerprint")
        // Files the loader does not read do not count.
        let before = try fingerprint()
        try kb.write("README.md", "notes")
        try kb.write("topics/notes.txt", "notes")
        #expect(try fingerprint() == before)
        // A file that cannot be read leaves no fingerprint to trust a cache with.
        try FileManager.default.removeItem(atPath: kb.file("dictionary.txt"))
        #expect(mkfifo(kb.file("dictionary.txt"), 0o600) == 0)
        #expect(KnowledgeBaseLoader.fingerprint(directory: kb.path) == nil)
    }

    @Test("with a warm cache, a manifest that kb check rejects is still refused")
    func warmCacheRefusesBadManifest() throws {
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let kb = try TestSupport.copyFixture("valid")
        defer { kb.remove() }
        try kb.write("manifest.yaml", "taxonomy: [alpha, beta, none]\n")
        _ = try Advisor.load(directory: kb.path, cacheDirectory: cache.path)
        #expect(cacheFiles(cache.path).count == 1)
        try kb.write("manifest.yaml", "taxonomy: [alpha, beta, none]\nbogus: 1\n")
        #expect(!KnowledgeBaseCheck.check(directory: kb.path).1.isEmpty)
        #expect(throws: KnowledgeBaseError.self) { try Advisor.load(directory: kb.path, cacheDirectory: cache.path) }
        try kb.write("manifest.yaml", "taxonomy: [alpha]\n")
        #expect(throws: KnowledgeBaseError.self) { try Advisor.load(directory: kb.path, cacheDirectory: cache.path) }
    }

    @Test("cache files are created 0600 and missing folders 0700; an existing folder keeps its mode")
    func permissions() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let kb = try TestSupport.fixtureKnowledgeBase("valid")
        let saved = umask(0o022)
        defer { umask(saved) }
        func mode(_ path: String) -> mode_t {
            var info = stat()
            return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : 0
        }
        let nested = temp.file("a/b/advisor")
        _ = try Advisor.load(directory: kb, cacheDirectory: nested)
        #expect(mode(temp.file("a")) == 0o700)
        #expect(mode(temp.file("a/b")) == 0o700)
        #expect(mode(nested) == 0o700)
        let name = try #require(cacheFiles(nested).first)
        #expect(mode((nested as NSString).appendingPathComponent(name)) == 0o600)

        let shared = temp.file("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        #expect(chmod(shared, 0o755) == 0)
        _ = try Advisor.load(directory: kb, cacheDirectory: shared)
        #expect(mode(shared) == 0o755, "a folder we did not create keeps its mode")
        let file = try #require(cacheFiles(shared).first)
        #expect(mode((shared as NSString).appendingPathComponent(file)) == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: shared).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test("a cache file others may write, or that another user owns, is not trusted")
    func foreignCache() throws {
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let kb = try TestSupport.fixtureKnowledgeBase("valid")
        let fresh = try Advisor.load(directory: kb, cacheDirectory: cache.path)
        let stored = KnowledgeBaseCache(cacheDirectory: cache.path, knowledgeBaseDirectory: kb)
        let path = cache.file(try #require(cacheFiles(cache.path).first))
        let fingerprint = fresh.knowledgeBase.fingerprint
        #expect(stored.read(fingerprint: fingerprint, dictionary: nil) != nil)
        #expect(chmod(path, 0o620) == 0)
        #expect(stored.read(fingerprint: fingerprint, dictionary: nil) == nil)
        #expect(chmod(path, 0o600) == 0)
        if geteuid() == 0 {
            #expect(chown(path, 65534, 65534) == 0)
            #expect(stored.read(fingerprint: fingerprint, dictionary: nil) == nil)
        }
        // Loading again rewrites a cache of ours.
        _ = try Advisor.load(directory: kb, cacheDirectory: cache.path)
        #expect(stored.read(fingerprint: fingerprint, dictionary: nil) != nil)
    }

    @Test("the writer never replaces or removes what is not a cache file of ours")
    func writerTouchesOnlyItsFiles() throws {
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let kb = try TestSupport.copyFixture("valid")
        defer { kb.remove() }
        let first = try Advisor.load(directory: kb.path, cacheDirectory: cache.path)
        let stored = KnowledgeBaseCache(cacheDirectory: cache.path, knowledgeBaseDirectory: kb.path)
        let ours = stored.path(for: first.knowledgeBase.fingerprint)
        // Something that is not a regular file, named like an older cache, stays.
        try FileManager.default.removeItem(atPath: ours)
        try FileManager.default.createDirectory(atPath: ours, withIntermediateDirectories: false)
        try cache.write((ours as NSString).lastPathComponent + "/keep", "x")
        try kb.write(
            "topics/alpha.yaml", try String(contentsOfFile: kb.file("topics/alpha.yaml"), encoding: .utf8) + "#\n")
        let second = try Advisor.load(directory: kb.path, cacheDirectory: cache.path)
        #expect(FileManager.default.fileExists(atPath: ours + "/keep"))
        // A symbolic link where the new cache goes is neither followed nor replaced.
        let target = try cache.write("target", "untouched")
        let next = stored.path(for: second.knowledgeBase.fingerprint)
        try FileManager.default.removeItem(atPath: next)
        try FileManager.default.createSymbolicLink(atPath: next, withDestinationPath: target)
        _ = try Advisor.load(directory: kb.path, cacheDirectory: cache.path)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "untouched")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: next)) == target)
    }

    @Test("answers from a crafted cache are shown with their control characters neutralised")
    func craftedCache() throws {
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let kb = try TestSupport.fixtureKnowledgeBase("valid")
        let fresh = try Advisor.load(directory: kb, cacheDirectory: cache.path)
        // A cache whose checksum holds, written by someone who put escapes in the texts.
        var base = fresh.knowledgeBase
        base.topics = TopicList(
            base.topics.map {
                var topic = $0
                topic.title = "\u{1B}]0;pwned\u{07}" + topic.title
                topic.answer = "\u{1B}[31m" + topic.answer + "\u{9B}0m\u{202E}"
                return topic
            })
        KnowledgeBaseCache(cacheDirectory: cache.path, knowledgeBaseDirectory: kb).write(
            Advisor(knowledgeBase: base, router: fresh.router))
        let crafted = try Advisor.load(directory: kb, cacheDirectory: cache.path)
        let answer = crafted.ask("who controls the money?")
        #expect(answer.answer.contains("\u{1B}"), "the crafted cache was used")
        for colors in [false, true] {
            let text = AnswerRenderer(style: TextStyle(colors: colors)).render(answer)
            let controls = text.unicodeScalars.filter { TerminalSafe.isControl($0) && $0 != "\n" }
            if colors {
                #expect(!text.contains("\u{1B}]") && !text.contains("\u{1B}[31m"), "\(text.debugDescription)")
            } else {
                #expect(controls.isEmpty, "\(text.debugDescription)")
            }
            #expect(text.contains("^[]0;pwned^G"))
        }
    }

    @Test("an unusable cache folder costs nothing but time")
    func unwritableCache() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let file = try temp.write("not-a-folder", "x")
        let advisor = try Advisor.load(directory: try TestSupport.fixtureKnowledgeBase("valid"), cacheDirectory: file)
        #expect(advisor.ask("who controls the money?").topic == "alpha")
        let uncached = try Advisor.load(directory: try TestSupport.fixtureKnowledgeBase("valid"), cacheDirectory: nil)
        #expect(uncached.ask("who controls the money?").topic == "alpha")
    }

    @Test("a broken knowledge base is refused with or without a cache")
    func brokenRefused() throws {
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let directory = try TestSupport.fixtureKnowledgeBase("unknown-source")
        #expect(throws: KnowledgeBaseError.self) { try Advisor.load(directory: directory, cacheDirectory: cache.path) }
        #expect(cacheFiles(cache.path).isEmpty)
    }

    @Test("the default cache folder follows ADVISOR_CACHE, XDG_CACHE_HOME and HOME")
    func defaultDirectory() {
        #expect(KnowledgeBaseCache.defaultDirectory(environment: ["ADVISOR_CACHE": "/c"]) == "/c")
        #expect(KnowledgeBaseCache.defaultDirectory(environment: ["ADVISOR_CACHE": "off"]) == nil)
        #expect(KnowledgeBaseCache.defaultDirectory(environment: ["XDG_CACHE_HOME": "/x"]) == "/x/advisor")
        #expect(KnowledgeBaseCache.defaultDirectory(environment: ["HOME": "/h"]) == "/h/.cache/advisor")
    }
}
