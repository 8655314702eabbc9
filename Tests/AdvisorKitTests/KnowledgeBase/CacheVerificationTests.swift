import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText

@Suite("Cache verified once, used in place")
struct CacheVerificationTests {
    /// A cache folder, a copy of the valid knowledge base, its cache, and a time an hour
    /// ahead, when every file's times have settled.
    private func fixture() throws -> (
        cache: TemporaryDirectory, kb: TemporaryDirectory, store: KnowledgeBaseCache, later: time_t
    ) {
        let cache = try TemporaryDirectory()
        let kb: TemporaryDirectory
        do { kb = try TestSupport.copyFixture("valid") } catch {
            cache.remove()
            throw error
        }
        let store = KnowledgeBaseCache(cacheDirectory: cache.path, knowledgeBaseDirectory: kb.path)
        return (cache, kb, store, time(nil) + 3600)
    }

    /// The knowledge base's one cache file, and its stamp now.
    private func cacheFile(_ cache: TemporaryDirectory) throws -> (name: String, stamp: CacheFileStamp) {
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".bin") }
        let name = try #require(names.count == 1 ? names.first : nil)
        let (_, stamp) = try #require(KnowledgeBaseCache.map(cache.file(name)))
        return (name, stamp)
    }

    @Test("a file verified whole once, whose times had settled, is vouched for until it changes")
    func vouchedUntilChanged() throws {
        let (cache, kb, store, later) = try fixture()
        defer {
            cache.remove()
            kb.remove()
        }
        let compiled = try Advisor.loadReporting(directory: kb.path, cacheDirectory: cache.path, now: later)
        #expect(compiled.use == .compiled)
        // Just written, so not yet verified: nothing vouches for it.
        var file = try cacheFile(cache)
        #expect(!store.verification.vouches(for: file.name, stamp: file.stamp))
        // A start whose clock says the file's times are recent verifies it and records nothing...
        let recent = try Advisor.loadReporting(directory: kb.path, cacheDirectory: cache.path, now: time(nil))
        #expect(recent.use != .compiled)
        #expect(!FileManager.default.fileExists(atPath: store.verification.path))
        // ...one after they settled verifies it whole and records it...
        let verified = try Advisor.loadReporting(directory: kb.path, cacheDirectory: cache.path, now: later)
        #expect(verified.use == .byStamp)
        #expect(store.verification.vouches(for: file.name, stamp: file.stamp))
        let record = try String(contentsOfFile: store.verification.path, encoding: .utf8)
        #expect(record.hasPrefix("advisor-verified 1\n\(file.name)\n"))
        #expect(
            try FileManager.default.attributesOfItem(atPath: store.verification.path)[.posixPermissions] as? Int
                == 0o600)
        // ...and the next start uses it as it is, with the same answers.
        let trusted = try Advisor.loadReporting(directory: kb.path, cacheDirectory: cache.path, now: later)
        #expect(trusted.use == .byStamp)
        for question in ["who controls the money?", "what about the roadmap?", "anything else"] {
            #expect(trusted.advisor.ask(question) == compiled.advisor.ask(question))
        }
        // Any write to the file changes its change time: it is no longer vouched for, its
        // checksum is computed again, fails, and the knowledge base is compiled once more.
        let handle = try #require(FileHandle(forUpdatingAtPath: cache.file(file.name)))
        try handle.seek(toOffset: 40)
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: 40)
        try handle.write(contentsOf: [byte ^ 0x5A])
        try handle.close()
        file = try cacheFile(cache)
        #expect(!store.verification.vouches(for: file.name, stamp: file.stamp))
        let reloaded = try Advisor.loadReporting(directory: kb.path, cacheDirectory: cache.path, now: later)
        #expect(reloaded.use == .compiled)
        #expect(reloaded.advisor.ask("who controls the money?") == compiled.advisor.ask("who controls the money?"))
    }

    @Test("trusted bytes skip the checksum; untrusted ones never do")
    func trustSkipsChecksum() throws {
        let kb = try TestSupport.copyFixture("valid")
        defer { kb.remove() }
        let fresh = try Advisor.load(directory: kb.path)
        let fingerprint = fresh.knowledgeBase.fingerprint
        var file = KnowledgeBaseCache.file(fingerprint: fingerprint) { _ = KnowledgeBaseCache.encode(fresh, into: &$0) }
        file[file.count - 1] ^= 0xFF  // the checksum's last byte
        let storage = ImageStorage(copying: file)
        #expect(KnowledgeBaseCache.decode(storage, key: .fingerprint(fingerprint), dictionary: nil) == nil)
        let trusted = try #require(
            KnowledgeBaseCache.decode(storage, key: .fingerprint(fingerprint), dictionary: nil, trusted: true))
        #expect(trusted.ask("who controls the money?") == fresh.ask("who controls the money?"))
        // The header is read always: another fingerprint is refused, trusted or not.
        #expect(KnowledgeBaseCache.decode(storage, key: .fingerprint("0123"), dictionary: nil, trusted: true) == nil)
    }

    @Test("a damaged, foreign or misplaced record vouches for nothing, and costs the start nothing")
    func hostileRecords() throws {
        let (cache, kb, store, later) = try fixture()
        defer {
            cache.remove()
            kb.remove()
        }
        let compiled = try Advisor.loadReporting(directory: kb.path, cacheDirectory: cache.path, now: later)
        _ = try Advisor.loadReporting(directory: kb.path, cacheDirectory: cache.path, now: later)
        let file = try cacheFile(cache)
        let good = try String(contentsOfFile: store.verification.path, encoding: .utf8)
        #expect(store.verification.vouches(for: file.name, stamp: file.stamp))
        let path = store.verification.path
        func replace(_ text: String) throws {
            try FileManager.default.removeItem(atPath: path)
            #expect(
                FileManager.default.createFile(
                    atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]))
        }
        let lines = good.split(separator: "\n").map(String.init)
        for damaged in [
            "", "advisor-verified 1\n", good + "extra\n",
            good.replacingOccurrences(of: "advisor-verified 1", with: "advisor-verified 2"),
            "\(lines[0])\nkb-other.bin\n\(lines[2])\n", "\(lines[0])\n\(lines[1])\n1 2 3 4 5 6 7\n",
            "\(lines[0])\n\(lines[1])\n\(lines[2]) 8\n", String(repeating: "x", count: 10_000),
        ] {
            try replace(damaged)
            #expect(!store.verification.vouches(for: file.name, stamp: file.stamp), "\(damaged.prefix(60))")
        }
        // Writable by others: not ours to believe.
        try replace(good)
        #expect(chmod(path, 0o666) == 0)
        #expect(!store.verification.vouches(for: file.name, stamp: file.stamp))
        // A link to a good record is not followed; a FIFO in its place is not waited on.
        try FileManager.default.removeItem(atPath: path)
        let elsewhere = try TemporaryDirectory()
        defer { elsewhere.remove() }
        try good.write(toFile: elsewhere.file("record"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: elsewhere.file("record"))
        #expect(!store.verification.vouches(for: file.name, stamp: file.stamp))
        try FileManager.default.removeItem(atPath: path)
        #expect(mkfifo(path, 0o600) == 0)
        #expect(!store.verification.vouches(for: file.name, stamp: file.stamp))
        // The start verifies the file again, answers as before, and leaves the FIFO alone.
        let again = try Advisor.loadReporting(directory: kb.path, cacheDirectory: cache.path, now: later)
        #expect(again.use == .byStamp)
        #expect(again.advisor.ask("who controls the money?") == compiled.advisor.ask("who controls the money?"))
        var info = stat()
        #expect(lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
    }
}

@Suite("QuestionTerms")
struct QuestionTermsTests {
    @Test("holds each term once with its first slot, forgets them at reset, and grows for long questions")
    func table() {
        var terms = QuestionTerms()
        terms.reset(for: 3)
        let added = [terms.insert(7, slot: 0), terms.insert(0, slot: 1), terms.insert(7, slot: 2)]
        #expect(added == [true, true, false])
        #expect(terms.slot(of: 7) == 0 && terms.slot(of: 0) == 1 && terms.slot(of: 5) == -1)
        #expect(terms.contains(0) && !terms.contains(1))
        terms.reset(for: 1)
        #expect(!terms.contains(7) && !terms.contains(0))
        // Far more terms than the first capacity, with ids that collide on the low bits.
        terms.reset(for: 1_000)
        for slot in 0..<1_000 {
            let added = terms.insert(Int32(slot * 1_024), slot: Int32(slot))
            #expect(added)
        }
        for slot in 0..<1_000 { #expect(terms.slot(of: Int32(slot * 1_024)) == Int32(slot)) }
        #expect(terms.slot(of: 1) == -1 && terms.slot(of: Int32.max) == -1)
        terms.reset(for: 2)
        #expect(!terms.contains(0) && !terms.contains(1_024))
    }
}
