import AdvisorTestSupport
import Foundation
import Testing

/// `transcripts list` alignment, `show ID#N`, `rm` and `prune`.
@Suite("transcripts housekeeping")
struct TranscriptsHousekeepingTests {
    /// Two scripted sessions of two turns each; returns their ids, oldest first.
    static func sessions(_ sandbox: Sandbox) async throws -> [String] {
        for input in ["Who should own mobile?\nWhat does agile mean to a CIO?\n", "hello\nHow do we stop shadow IT?\n"]
        {
            let run = try await sandbox.advisor(["run", "-"], input: input)
            try #require(run.status == 0, "\(run)")
        }
        return sandbox.transcriptFiles().map { $0.deletingPathExtension().lastPathComponent }
    }

    /// Rewrites a transcript file's text.
    static func edit(_ sandbox: Sandbox, _ id: String, _ change: (String) -> String) throws {
        let file = sandbox.transcripts.appendingPathComponent(id + ".jsonl")
        try change(try String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
    }

    @Test("list keeps its columns aligned when a mode is wider than its header ('interactive*')")
    func aligned() async throws {
        let sandbox = try Sandbox()
        let ids = try await Self.sessions(sandbox)
        try Self.edit(sandbox, ids[0]) { text in
            text.replacingOccurrences(of: "\"mode\":\"script\"", with: "\"mode\":\"interactive\"")
                .split(separator: "\n").filter { !$0.contains("\"type\":\"end\"") }.joined(separator: "\n") + "\n"
        }
        let list = try await sandbox.advisor(["transcripts", "list"])
        #expect(list.status == 0, "\(list)")
        let lines = list.outLines.filter { $0.hasPrefix("ID") || ids.contains(where: $0.hasPrefix) }
        try #require(lines.count == 3, "\(list.out)")
        let header = lines[0]
        for column in ["ROLE", "TURNS", "FIRST QUESTION"] {
            let offset = try #require(header.range(of: column)).lowerBound.utf16Offset(in: header)
            for row in lines.dropFirst() {
                let characters = Array(row)
                #expect(
                    characters.count > offset && characters[offset - 1] == " " && characters[offset] != " ",
                    "\(column) starts at column \(offset) in every row:\n\(list.out)")
            }
        }
        #expect(list.out.contains("interactive*"), "\(list.out)")
    }

    @Test("list aligns by terminal columns: a wide (CJK) mode pads by its width; a long question is cut at 50 columns")
    func alignedByColumns() async throws {
        let sandbox = try Sandbox()
        let ids = try await Self.sessions(sandbox)
        let question = String(repeating: "誰がモバイルを担当しますか", count: 5)
        try Self.edit(sandbox, ids[0]) { text in
            text.replacingOccurrences(of: "\"mode\":\"script\"", with: "\"mode\":\"会議会議会議\"")
                .replacingOccurrences(of: "Who should own mobile?", with: question)
        }
        let list = try await sandbox.advisor(["transcripts", "list"])
        #expect(list.status == 0, "\(list)")
        let lines = list.outLines.filter { $0.hasPrefix("ID") || ids.contains(where: $0.hasPrefix) }
        try #require(lines.count == 3, "\(list.out)")
        /// Columns a terminal gives `text`: two for these CJK characters, one for the rest.
        func columns(_ text: Substring) -> Int {
            text.unicodeScalars.reduce(0) { $0 + ((0x3000...0x9FFF).contains($1.value) || $1.value >= 0xFF00 ? 2 : 1) }
        }
        let header = lines[0]
        let roleAt = columns(header[..<(try #require(header.range(of: "ROLE")).lowerBound)])
        for row in lines.dropFirst() {
            let start = row.index(row.startIndex, offsetBy: 0)
            var offset = 0
            var index = start
            while index < row.endIndex, offset < roleAt {
                offset += columns(row[index...index])
                index = row.index(after: index)
            }
            #expect(
                offset == roleAt && row[index] != " " && row[row.index(before: index)] == " ",
                "ROLE starts at column \(roleAt) in every row:\n\(list.out)")
        }
        let cut = try #require(lines.first { $0.contains("誰が") })
        let shown = cut[try #require(cut.range(of: "誰が")).lowerBound...]
        #expect(shown.hasSuffix("…") && columns(shown) <= 50, "cut to 50 columns: \(shown) (\(columns(shown)))")
    }

    @Test("search shows the 20 best by default with the total, --limit N and 0 for all, --json all unless limited")
    func searchLimit() async throws {
        let sandbox = try Sandbox()
        // 25 turns that mention mobile once, and one that mentions it three times.
        var input = (1...25).map { "Who owns mobile, case \($0)?\n" }.joined()
        input += "mobile, mobile, mobile: who owns it?\n"
        let run = try await sandbox.advisor(["run", "-"], input: input)
        try #require(run.status == 0, "\(run)")
        let hitLine = #"^\S+#\d+  \d{4}-\d\d-\d\d  \["#
        func hitLines(_ result: ProcessResult) -> [String] {
            result.outLines.filter { $0.range(of: hitLine, options: .regularExpression) != nil }
        }
        async let standard = sandbox.advisor(["transcripts", "search", "mobile"])
        async let two = sandbox.advisor(["transcripts", "search", "--limit", "2", "mobile"])
        async let all = sandbox.advisor(["transcripts", "search", "--limit", "0", "mobile"])
        async let json = sandbox.advisor(["transcripts", "search", "--json", "mobile"])
        async let jsonOne = sandbox.advisor(["transcripts", "search", "--json", "--limit", "1", "mobile"])
        async let negative = sandbox.advisor(["transcripts", "search", "--limit", "-1", "mobile"])
        let (standardResult, twoResult, allResult, jsonResult, jsonOneResult, negativeResult) = try await (
            standard, two, all, json, jsonOne, negative
        )
        #expect(hitLines(standardResult).count == 20, "\(standardResult)")
        #expect(standardResult.out.contains("20 best of 26 matching turns"), "\(standardResult)")
        // Best first: the question with three matches; then equal scores newest first.
        let best = try #require(hitLines(twoResult).first, "\(twoResult)")
        #expect(best.contains("mobile, mobile, mobile"), "\(twoResult)")
        #expect(hitLines(twoResult).count == 2 && twoResult.out.contains("2 best of 26"), "\(twoResult)")
        #expect(hitLines(twoResult)[1].contains("case 25"), "newest of the equals next: \(twoResult)")
        #expect(hitLines(allResult).count == 26 && allResult.out.contains("26 matching turns"), "\(allResult)")
        #expect(try JSON.lines(jsonResult.out).count == 26, "\(jsonResult)")
        let one = try JSON.lines(jsonOneResult.out)
        #expect(one.count == 1 && (one.first?["question"] as? String)?.hasPrefix("mobile, mobile") == true)
        #expect(negativeResult.status == 2 && negativeResult.err.contains("--limit"), "\(negativeResult)")
    }

    @Test("show ID#N, as search prints it, starts at turn N")
    func showTurn() async throws {
        let sandbox = try Sandbox()
        let ids = try await Self.sessions(sandbox)
        let show = try await sandbox.advisor(["transcripts", "show", "\(ids[0])#2"])
        #expect(show.status == 0, "\(show)")
        #expect(show.out.contains("What does agile mean to a CIO?") && !show.out.contains("Who should own mobile?"))
        let search = try await sandbox.advisor(["transcripts", "search", "agile"])
        let hit = try #require(search.outLines.first?.split(separator: " ").first.map(String.init), "\(search)")
        let fromSearch = try await sandbox.advisor(["transcripts", "show", hit])
        #expect(fromSearch.status == 0 && fromSearch.out.contains("agile"), "\(hit): \(fromSearch)")
        let missing = try await sandbox.advisor(["transcripts", "show", "\(ids[0])#9"])
        #expect(missing.status == 2 && missing.err.hasPrefix("advisor: error: "), "\(missing)")
    }

    @Test("rm deletes the named transcripts, and nothing when one id is bad")
    func remove() async throws {
        let sandbox = try Sandbox()
        let ids = try await Self.sessions(sandbox)
        let bad = try await sandbox.advisor(["transcripts", "rm", ids[0], "no-such-id"])
        #expect(bad.status == 2, "\(bad)")
        #expect(sandbox.transcriptFiles().count == 2, "one bad id deletes nothing")
        let removed = try await sandbox.advisor(["transcripts", "rm", ids[0]])
        #expect(removed.status == 0 && removed.out.contains("removed \(ids[0])"), "\(removed)")
        #expect(sandbox.transcriptFiles().map { $0.deletingPathExtension().lastPathComponent } == [ids[1]])
    }

    @Test("prune --older-than DAYS deletes old finished sessions; --dry-run only lists them")
    func prune() async throws {
        let sandbox = try Sandbox()
        let ids = try await Self.sessions(sandbox)
        try Self.edit(sandbox, ids[0]) { text in
            guard let range = text.range(of: #""at":"[^"]*""#, options: .regularExpression) else { return text }
            return text.replacingCharacters(in: range, with: #""at":"2020-01-01T10:00:00.000Z""#)
        }
        let dry = try await sandbox.advisor(["transcripts", "prune", "--older-than", "30", "--dry-run"])
        #expect(dry.status == 0 && dry.out.contains("would remove \(ids[0])"), "\(dry)")
        #expect(sandbox.transcriptFiles().count == 2)
        let pruned = try await sandbox.advisor(["transcripts", "prune", "--older-than", "30"])
        #expect(pruned.status == 0 && pruned.out.contains("1 transcript removed"), "\(pruned)")
        #expect(sandbox.transcriptFiles().map { $0.deletingPathExtension().lastPathComponent } == [ids[1]])
    }

    @Test("search: the question's and the answer's own words only, best first, with a snippet of the answer")
    func searchRanked() async throws {
        let sandbox = try Sandbox()
        let input = "hi there\nHow do we split the budget with marketing?\nWho should own mobile?\n"
        let run = try await sandbox.advisor(["run", "-"], input: input)
        try #require(run.status == 0, "\(run)")
        let search = try await sandbox.advisor(["transcripts", "search", "--json", "mobile"])
        let hits = try JSON.lines(search.out)
        #expect(
            !hits.contains { $0["topic"] as? String == "smalltalk" }, "canned replies are not searched: \(search.out)")
        #expect(hits.first?["question"] as? String == "Who should own mobile?", "a match in the question ranks first")
        let scores = hits.compactMap { $0["score"] as? Int }
        #expect(scores == scores.sorted(by: >), "best first: \(scores)")
        let text = try await sandbox.advisor(["transcripts", "search", "budget"])
        let lines = text.outLines
        let snippet = try #require(lines.firstIndex { $0.hasSuffix("How do we split the budget with marketing?") })
        #expect(lines.indices.contains(snippet + 1) && lines[snippet + 1].hasPrefix("    "), "\(text.out)")
        #expect(lines[snippet + 1].lowercased().contains("budget") && !text.out.contains("\u{1B}"), "\(text.out)")
    }

    @Test(
        "search highlights the matched words on a terminal",
        .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
    func searchHighlight() async throws {
        let sandbox = try Sandbox()
        let run = try await sandbox.advisor(["run", "-"], input: "How do we split the budget with marketing?\n")
        try #require(run.status == 0, "\(run)")
        let tmux = try await TmuxSession(
            sandbox: sandbox, script: "\"$ADVISOR\" transcripts search budget; echo search-done; sleep 30")
        let (screen, found) = try await tmux.waitFor(escapes: true) { $0.contains("search-done") }
        #expect(found, "\(screen)")
        #expect(
            screen.contains("\u{1B}[1mbudget\u{1B}[0m") || screen.contains("\u{1B}[1mbudget\u{1B}[22m"), "\(screen)")
        await tmux.stop()
    }
}

/// `last` never picks a session that is still running.
@Suite("transcripts last and running sessions")
struct TranscriptsLastRunningTests {
    @Test("a session still running is passed over by 'last'; a dead process's id is not taken as running")
    func lastSkipsRunning() async throws {
        let sandbox = try Sandbox()
        try FileManager.default.createDirectory(at: sandbox.transcripts, withIntermediateDirectories: true)
        // An unfinished session whose id names pid 1 (alive, but not an advisor): not running.
        let unfinished = "20200101-100000.000-1-aaaaaa"
        let session =
            "{\"at\":\"2020-01-01T10:00:00.000Z\",\"id\":\"\(unfinished)\",\"kb\":\"x\",\"mode\":\"script\","
            + "\"role\":null,\"type\":\"session\",\"version\":\"0.1.0\"}\n"
        try session.write(
            to: sandbox.transcripts.appendingPathComponent(unfinished + ".jsonl"), atomically: true, encoding: .utf8)
        // A real session left running: a scripted advisor waiting on its standard input.
        let running = try sandbox.startAdvisor(["run", "-"])
        #expect(running.writeLine("who owns mobile"))
        #expect(running.readLine(timeout: .seconds(30)) != nil, "the running session answered")
        let live = try #require(sandbox.transcriptFiles().map { $0.deletingPathExtension().lastPathComponent }.last)
        #expect(live != unfinished)
        let shown = try await sandbox.advisor(["transcripts", "show", "last"])
        #expect(shown.status == 0, "\(shown)")
        #expect(shown.out.contains(unfinished), "the running session is passed over: \(shown)")
        let byID = try await sandbox.advisor(["transcripts", "show", live])
        #expect(byID.status == 0 && byID.out.contains("who owns mobile"), "by its id it is shown: \(byID)")
        running.closeStdin()
        _ = running.finish(timeout: .seconds(30))
        let after = try await sandbox.advisor(["transcripts", "show", "last"])
        #expect(after.out.contains(live), "once it has ended, it is the last: \(after)")
    }
}
