import AdvisorTestSupport
import Foundation
import Testing

/// `advisor transcripts search` through its derived index, over the built binary.
@Suite("transcripts search index (end to end)")
struct TranscriptsIndexTests {
    /// The index files under the sandbox's cache folder (`$HOME/.cache/advisor/search`).
    static func indexFiles(_ sandbox: Sandbox) -> [URL] {
        let folder = sandbox.home.appendingPathComponent(".cache/advisor/search")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".sqlite") }.map { folder.appendingPathComponent($0) }
    }

    @Test("search builds the index, the second search uses it, and both equal --no-index")
    func searchTwice() async throws {
        let sandbox = try Sandbox()
        let (first, second) = try await TranscriptsTests.twoSessions(sandbox)
        let arguments = ["transcripts", "search", "--json", "sourdough"]
        let built = try await sandbox.advisor(arguments)
        #expect(built.status == 0 && built.err.isEmpty, "\(built)")
        let index = try #require(Self.indexFiles(sandbox).first, "an index file in the cache folder")
        var info = stat()
        #expect(lstat(index.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let hits = try JSON.lines(built.out)
        #expect(
            Set(hits.map { "\($0["transcript"] as? String ?? "")#\($0["turn"] as? Int ?? 0)" })
                == ["\(first)#2", "\(second)#2"], "\(built)")

        let again = try await sandbox.advisor(arguments)
        let scan = try await sandbox.advisor(arguments.dropLast() + ["--no-index", "sourdough"])
        let scanByEnvironment = try await sandbox.advisor(arguments, env: ["ADVISOR_NO_SEARCH_INDEX": "1"])
        #expect(again.status == 0 && again.err.isEmpty, "\(again)")
        #expect(again.out == built.out)
        #expect(scan.out == built.out, "\(scan)")
        #expect(scanByEnvironment.out == built.out, "\(scanByEnvironment)")
        let text = try await sandbox.advisor(["transcripts", "search", "sourdough"])
        let textScan = try await sandbox.advisor(["transcripts", "search", "--no-index", "sourdough"])
        #expect(text.status == 0 && text.out == textScan.out && text.out.contains("2 matching turns"), "\(text)")
    }

    @Test("a search matching more texts than the index looks up one by one gives the scan's hits")
    func broadSearch() async throws {
        let sandbox = try Sandbox()
        // 600 distinct questions that hold "budget": above the 500 texts found through the
        // turns' indexes, so the index finds their turns in one pass over all turns.
        let script = (0..<600).map { "How do we split budget line \($0)?" }.joined(separator: "\n") + "\n"
        let run = try await sandbox.advisor(["run", "-"], input: script)
        #expect(run.status == 0, "\(run)")
        for arguments in [["--json", "--limit", "0", "budget"], ["budget"], ["--json", "--limit", "0", "line 59?"]] {
            let indexed = try await sandbox.advisor(["transcripts", "search"] + arguments)
            let scanned = try await sandbox.advisor(["transcripts", "search", "--no-index"] + arguments)
            #expect(indexed.status == 0 && indexed.err.isEmpty, "\(indexed)")
            #expect(indexed.out == scanned.out, "\(arguments)")
        }
        let all = try await sandbox.advisor(["transcripts", "search", "--json", "--limit", "0", "budget"])
        #expect(try JSON.lines(all.out).count >= 600, "\(all.out.prefix(500))")
        let few = try await sandbox.advisor(["transcripts", "search", "--json", "--limit", "0", "line 59?"])
        #expect(try JSON.lines(few.out).count == 1, "\(few)")
    }

    @Test("the second search reads the index, not a file whose size, time and inode did not change")
    func secondSearchUsesTheIndex() async throws {
        let sandbox = try Sandbox()
        let (first, _) = try await TranscriptsTests.twoSessions(sandbox)
        let built = try await sandbox.advisor(["transcripts", "search", "--json", "sourdough"])
        #expect(try JSON.lines(built.out).count == 2, "\(built)")

        // Rewrite one word in place, same length, and put the modification time back: only
        // the index still knows the old word, which proves it answered.
        let path = sandbox.transcripts.appendingPathComponent(first + ".jsonl").path
        var before = stat()
        #expect(lstat(path, &before) == 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.write(contentsOf: Data(text.replacingOccurrences(of: "sourdough", with: "croissant").utf8))
        try handle.close()
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW) == 0)

        let indexed = try await sandbox.advisor(["transcripts", "search", "--json", "sourdough"])
        let scanned = try await sandbox.advisor(["transcripts", "search", "--json", "--no-index", "sourdough"])
        #expect(try JSON.lines(indexed.out).count == 2, "served from the index: \(indexed)")
        #expect(try JSON.lines(scanned.out).count == 1, "the file itself changed: \(scanned)")

        // Any change the index can see (here, the time) makes it read the file again.
        var later = [before.st_atim, timespec(tv_sec: before.st_mtim.tv_sec + 1, tv_nsec: before.st_mtim.tv_nsec)]
        #expect(utimensat(AT_FDCWD, path, &later, AT_SYMLINK_NOFOLLOW) == 0)
        let reread = try await sandbox.advisor(["transcripts", "search", "--json", "sourdough"])
        #expect(reread.out == scanned.out, "\(reread)")
    }

    @Test("a damaged index is rebuilt with one warning line; a link at its path is left alone")
    func damagedAndLinkedIndex() async throws {
        let sandbox = try Sandbox()
        _ = try await TranscriptsTests.twoSessions(sandbox)
        let arguments = ["transcripts", "search", "--json", "sourdough"]
        let built = try await sandbox.advisor(arguments)
        let index = try #require(Self.indexFiles(sandbox).first, "\(built)")
        try Data(repeating: 0x41, count: 4096).write(to: index)

        let rebuilt = try await sandbox.advisor(arguments)
        #expect(rebuilt.status == 0 && rebuilt.out == built.out, "\(rebuilt)")
        let warnings = rebuilt.errLines
        #expect(warnings.count == 1 && warnings[0].contains("rebuilding"), "\(rebuilt)")
        let quiet = try await sandbox.advisor(arguments)
        #expect(quiet.err.isEmpty && quiet.out == built.out, "\(quiet)")

        try FileManager.default.removeItem(at: index)
        let target = try sandbox.write("precious.txt", "keep me")
        try FileManager.default.createSymbolicLink(at: index, withDestinationURL: target)
        let linked = try await sandbox.advisor(arguments)
        #expect(linked.status == 0 && linked.out == built.out, "\(linked)")
        #expect(linked.errLines.count == 1 && linked.err.contains("symbolic link"), "\(linked)")
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep me")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: index.path)) == target.path)
    }
}
