import AdvisorTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Transcripts too large to hold, and entries named like transcripts that are not
/// regular files (issue 12).
extension HostileInputTests {
    /// The last question of the large transcript: out of scope, so `gaps` lists it.
    static let lastQuestion = "the very last question, about gardening tools"

    /// Writes a complete session of `turns` turns, each answer about 9 KB, to `file`.
    ///
    /// Quickly: one recorded turn is the template, written again with its number, question
    /// and answer changed. Returns the file's size.
    static func writeLargeTranscript(_ sandbox: Sandbox, to file: URL, turns: Int) async throws -> Int {
        let recorded = try await sandbox.advisor(
            ["run", "-"], input: "Who owns mobile?\n", env: ["ADVISOR_CACHE": "off"])
        #expect(recorded.status == 0)
        let source = try #require(sandbox.transcriptFiles().first)
        let events = try JSON.events(source)
        try FileManager.default.removeItem(at: source)
        var session = try #require(events.first { $0["type"] as? String == "session" })
        var turn = try #require(events.first { $0["type"] as? String == "turn" })
        session["id"] = file.deletingPathExtension().lastPathComponent
        turn["n"] = -1
        turn["question"] = "@QUESTION@"
        turn["answer"] = String(repeating: "Mobile is the omnichannel flashpoint. ", count: 240)
        func line(_ object: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        let template = try line(turn).components(separatedBy: "\"n\":-1")
        #expect(template.count == 2)
        var none = turn
        none["n"] = turns
        none["question"] = lastQuestion
        none["topic"] = "none"
        none["confidence"] = 0
        let end: [String: Any] = ["type": "end", "at": session["at"] ?? "", "turns": turns]

        FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var batch = try line(session) + "\n"
        for n in 1..<turns {
            batch +=
                template[0] + "\"n\":\(n)"
                + template[1].replacingOccurrences(of: "@QUESTION@", with: "who owns mobile \(n)")
                + "\n"
            if batch.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(batch.utf8))
                batch = ""
            }
        }
        batch += try line(none) + "\n" + line(end) + "\n"
        try handle.write(contentsOf: Data(batch.utf8))
        return Int(try handle.offset())
    }

    /// Runs `advisor` under GNU time when it is installed.
    ///
    /// Returns the result, and the peak resident memory in KiB (nil without GNU time or
    /// under the address sanitizer).
    /// When a child is killed as hung: longer under the address sanitizer, which slows it several times.
    static var deadline: Duration {
        ProcessInfo.processInfo.environment["ADVISOR_SANITIZED"] == nil ? .seconds(120) : .seconds(300)
    }

    static func advisorMeasured(_ sandbox: Sandbox, _ arguments: [String]) async throws -> (ProcessResult, Int?) {
        let time = "/usr/bin/time"
        let advisor = try #require(AdvisorProcess.executable)
        guard FileManager.default.isExecutableFile(atPath: time),
            ProcessInfo.processInfo.environment["ADVISOR_SANITIZED"] == nil
        else { return (try await sandbox.advisor(arguments, timeout: Self.deadline), nil) }
        let report = sandbox.path("time-\(UUID().uuidString)")
        let result = try await sandbox.run(
            time, ["-f", "%M", "-o", report.path, advisor] + arguments, timeout: Self.deadline)
        let peak = (try? String(contentsOf: report, encoding: .utf8)).flatMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return (result, peak)
    }

    @Test("a transcript over 64 MiB is covered end to end by every command, in bounded memory")
    func transcriptOver64MiB() async throws {
        let sandbox = try Sandbox()
        try FileManager.default.createDirectory(at: sandbox.transcripts, withIntermediateDirectories: true)
        let id = "20261125-120000.000-1-abcdef"
        let file = sandbox.transcripts.appendingPathComponent(id + ".jsonl")
        let turns = 6_900
        let size = try await Self.writeLargeTranscript(sandbox, to: file, turns: turns)
        #expect(size > 65 << 20, "the file is \(size) bytes")

        // The commands run side by side: each reads the whole file.
        async let listRun = sandbox.advisor(["transcripts", "list", "--json"], timeout: Self.deadline)
        async let listTextRun = sandbox.advisor(["transcripts", "list"], timeout: Self.deadline)
        async let searchRun = sandbox.advisor(["transcripts", "search", "--json", "gardening"], timeout: Self.deadline)
        async let gapsRun = sandbox.advisor(["transcripts", "gaps", "--json"], timeout: Self.deadline)
        async let showRun = Self.advisorMeasured(sandbox, ["transcripts", "show", "last"])
        async let jsonRun = sandbox.advisor(["transcripts", "show", "--format", "json", id], timeout: Self.deadline)
        async let exportRun = sandbox.advisor(
            ["transcripts", "export", "--format", "markdown", "last"], timeout: Self.deadline)
        let (list, listText, search, gaps) = try await (listRun, listTextRun, searchRun, gapsRun)
        let ((show, peak), json, export) = try await (showRun, jsonRun, exportRun)
        // After the others, so that it adds no load to their timings.
        let page = sandbox.path("large.html")
        let (html, htmlPeak) = try await Self.advisorMeasured(
            sandbox, ["transcripts", "export", "-o", page.path, "last"])

        let summaries = try #require(try JSONSerialization.jsonObject(with: list.stdout) as? [[String: Any]])
        #expect(summaries.first?["turns"] as? Int == turns, "\(summaries.first ?? [:])")
        #expect(summaries.first?["ended"] as? Bool == true, "a complete session is not 'did not exit cleanly'")
        #expect(!listText.out.contains("did not exit cleanly"), "\(listText.out)")

        let hits = try JSON.lines(search.out)
        #expect(hits.count == 1 && hits.first?["turn"] as? Int == turns, "\(search)")
        #expect(gaps.out.contains(Self.lastQuestion), "gaps covers the last turn")

        #expect(show.status == 0 && show.err.isEmpty, "no warning, no torn last line: \(show.err)")
        #expect(show.out.contains("[\(turns)] > \(Self.lastQuestion)"), "show reaches the last turn")
        #expect(!show.out.contains("did not exit cleanly"))
        if let peak {
            #expect(peak < 64 << 10, "show of a \(size >> 20) MiB transcript peaked at \(peak >> 10) MiB")
        }
        #expect(json.status == 0 && json.err.isEmpty, "\(json.err)")
        #expect(json.stdout.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 } == turns + 2, "session, every turn, end")
        #expect(export.status == 0 && export.err.isEmpty, "\(export.err)")
        #expect(export.out.contains("## \(turns). the very last question"), "export reaches the last turn")
        // Exported to a file as it is read: named by the first turn, up to the last one.
        #expect(html.status == 0 && html.err.isEmpty, "\(html)")
        let written = try String(contentsOf: page, encoding: .utf8)
        #expect(written.contains("<title>who owns mobile 1 — "), "named by the first question")
        #expect(written.contains("<h2>\(turns). \(Self.lastQuestion)</h2>") && written.hasSuffix("</html>\n"))
        if let htmlPeak {
            #expect(htmlPeak < 64 << 10, "export -o of a \(size >> 20) MiB transcript peaked at \(htmlPeak >> 10) MiB")
        }
        // A bound against hangs, not a benchmark: the address sanitizer makes every command
        // several times slower (and search builds its index of the 64 MiB file on first use).
        let bound: Duration =
            ProcessInfo.processInfo.environment["ADVISOR_SANITIZED"] == nil ? .seconds(100) : .seconds(240)
        for result in [list, listText, search, gaps, show, json, export, html] {
            #expect(result.elapsed < bound, "took \(result.elapsed)")
        }
    }

    @Test("'last' skips entries that are not regular files and picks the newest real transcript")
    func lastSkipsStrayEntries() async throws {
        let sandbox = try Sandbox()
        let run = try await sandbox.advisor(["run", "-"], input: "Who owns mobile?\n")
        #expect(run.status == 0)
        let real = try #require(sandbox.transcriptFiles().first)
        let realID = real.deletingPathExtension().lastPathComponent
        // Newer names (they sort last): a link to a valid transcript, a FIFO, a folder.
        let outside = try sandbox.write("outside/target.jsonl", try Data(contentsOf: real))
        let link = sandbox.transcripts.appendingPathComponent("20991231-000000.000-1-aaaaaa.jsonl")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: outside)
        try #require(
            mkfifo(sandbox.transcripts.appendingPathComponent("20991230-000000.000-1-bbbbbb.jsonl").path, 0o600) == 0)
        try FileManager.default.createDirectory(
            at: sandbox.transcripts.appendingPathComponent("20991229-000000.000-1-cccccc.jsonl"),
            withIntermediateDirectories: false)
        for command in [
            ["show", "last"], ["show", "--format", "json", "last"], ["export", "last"], ["replay", "last"],
        ] {
            let result = try await sandbox.advisor(["transcripts"] + command, timeout: .seconds(20))
            #expect(result.status == 0 && !result.timedOut, "\(command): \(result)")
            #expect(result.out.contains(realID), "\(command) shows the real one: \(result)")
            #expect(result.out.contains("mobile") || command[0] == "replay", "\(command): \(result)")
        }
        // Named explicitly, a link is still refused.
        let explicit = try await sandbox.advisor(["transcripts", "show", "20991231-000000.000-1-aaaaaa"])
        #expect(explicit.status == 2 && explicit.errLines.count == 1, "\(explicit)")
    }
}
