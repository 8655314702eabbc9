import Foundation
import Testing

@testable import AdvisorKit

@Suite("Compiled knowledge base cache")
struct KnowledgeBaseCacheTests {
    private func cacheFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".bin") }
            .sorted()
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
        let cached = try #require(stored.read(fingerprint: fresh.knowledgeBase.fingerprint))
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
        #expect(stored.read(fingerprint: fresh.knowledgeBase.fingerprint) == nil)
        let reloaded = try Advisor.load(directory: kb.path, cacheDirectory: cache.path)
        #expect(reloaded.ask("who controls the money?").topic == "alpha")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
    }

    @Test("flipped bytes anywhere in a cache never crash the reader")
    func corruptedBytes() throws {
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let kb = try TestSupport.copyFixture("valid")
        defer { kb.remove() }
        let fresh = try Advisor.load(directory: kb.path, cacheDirectory: cache.path)
        let name = try #require(cacheFiles(cache.path).first)
        let path = cache.file(name)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let stored = KnowledgeBaseCache(cacheDirectory: cache.path, knowledgeBaseDirectory: kb.path)
        var rng = SplitMix64(seed: 99)
        for position in 0..<original.count {
            var damaged = original
            damaged[damaged.startIndex + position] ^= UInt8.random(in: 1...255, using: &rng)
            try damaged.write(to: URL(fileURLWithPath: path))
            if let advisor = stored.read(fingerprint: fresh.knowledgeBase.fingerprint) {
                // A flip the format cannot detect (inside a text) still gives a usable advisor.
                _ = advisor.ask("who controls the money?")
                _ = advisor.ask("and to a CMO?")
            }
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
