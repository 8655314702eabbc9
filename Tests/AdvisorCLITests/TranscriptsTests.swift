import AdvisorTestSupport
import Foundation
import Testing

/// `advisor transcripts list|show|search|export|replay|gaps`.
@Suite("advisor transcripts")
struct TranscriptsTests {
    static let sourdough = "What is the best recipe for sourdough bread?"

    /// Records two scripted sessions, one after the other; returns their ids, oldest first.
    static func twoSessions(_ sandbox: Sandbox) async throws -> (first: String, second: String) {
        let first = try await sandbox.advisor(
            ["run", "-"], input: "What does agile mean to a CIO?\n\(sourdough)\n")
        #expect(first.status == 0, "\(first)")
        let second = try await sandbox.advisor(
            ["run", "--role", "cmo", "-"], input: "Who should own mobile?\n/role cio\n\(sourdough)\n")
        #expect(second.status == 0, "\(second)")
        let ids = sandbox.transcriptFiles().map { $0.deletingPathExtension().lastPathComponent }
        try #require(ids.count == 2, "two transcripts: \(ids)")
        return (ids[0], ids[1])
    }

    /// Copies a transcript fixture into the sandbox's transcripts folder under `id`.
    static func install(_ fixture: String, as id: String, in sandbox: Sandbox) throws {
        let source = try #require(AdvisorProcess.fixture("Transcripts/\(fixture)"))
        try FileManager.default.createDirectory(at: sandbox.transcripts, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source, to: sandbox.transcripts.appendingPathComponent(id + ".jsonl"))
    }

    static let damagedID = "20200101-100000.000-1-aaaaaa"
    static let escapesID = "20200101-110000.000-1-bbbbbb"

    @Test("list shows both sessions newest first with id, start, mode, role, turns and first question")
    func list() async throws {
        let sandbox = try Sandbox()
        let (first, second) = try await Self.twoSessions(sandbox)
        let result = try await sandbox.advisor(["transcripts", "list"])
        #expect(result.status == 0, "\(result)")
        let rows = result.outLines.filter { $0.hasPrefix(first) || $0.hasPrefix(second) }
        try #require(rows.count == 2, "\(result)")
        #expect(rows[0].hasPrefix(second) && rows[1].hasPrefix(first), "newest first: \(result)")
        let started = try Self.startTimes(sandbox)
        for (row, id) in zip(rows, [second, first]) {
            let date = try #require(started[id]).prefix(10)
            #expect(row.contains(date), "start date \(date) in \(row)")
            #expect(row.contains("script"), "\(row)")
        }
        #expect(rows[0].contains(" cmo "), "\(rows[0])")
        #expect(rows[0].contains(" 2 ") && rows[1].contains(" 2 "), "turn counts: \(result)")
        #expect(rows[0].hasSuffix("Who should own mobile?"), "\(rows[0])")
        #expect(rows[1].hasSuffix("What does agile mean to a CIO?"), "\(rows[1])")
    }

    /// Session id -> the session event's start time.
    static func startTimes(_ sandbox: Sandbox) throws -> [String: String] {
        var result: [String: String] = [:]
        for file in sandbox.transcriptFiles() {
            let session = try #require(try JSON.events(file).first)
            result[session["id"] as? String ?? "?"] = session["at"] as? String
        }
        return result
    }

    @Test("list --json parses")
    func listJSON() async throws {
        let sandbox = try Sandbox()
        let (first, second) = try await Self.twoSessions(sandbox)
        let result = try await sandbox.advisor(["transcripts", "list", "--json"])
        #expect(result.status == 0, "\(result)")
        let value = try JSONSerialization.jsonObject(with: result.stdout)
        let rows = try #require(value as? [[String: Any]])
        #expect(rows.map { $0["id"] as? String } == [second, first])
        #expect(rows.map { $0["mode"] as? String } == ["script", "script"])
        #expect(rows.map { $0["turns"] as? Int } == [2, 2])
        #expect(rows[0]["role"] as? String == "cmo")
        #expect(rows[1]["role"] is NSNull)
        #expect(rows[0]["firstQuestion"] as? String == "Who should own mobile?")
        #expect(rows.allSatisfy { $0["started"] is String })
    }

    @Test("show takes an id, a unique prefix or last, as text, markdown or json")
    func show() async throws {
        let sandbox = try Sandbox()
        let (first, second) = try await Self.twoSessions(sandbox)
        let common = first.commonPrefix(with: second)
        let prefix = String(second.prefix(common.count + 1))
        async let byID = sandbox.advisor(["transcripts", "show", second])
        async let byPrefix = sandbox.advisor(["transcripts", "show", prefix])
        async let byLast = sandbox.advisor(["transcripts", "show", "last"])
        async let markdown = sandbox.advisor(["transcripts", "show", "--format", "markdown", first])
        async let json = sandbox.advisor(["transcripts", "show", "--format", "json", "last"])
        let (idResult, prefixResult, lastResult, markdownResult, jsonResult) = try await (
            byID, byPrefix, byLast, markdown, json
        )
        for result in [idResult, prefixResult, lastResult, markdownResult, jsonResult] {
            #expect(result.status == 0, "\(result)")
            #expect(result.err.isEmpty, "\(result)")
        }
        #expect(idResult.out.contains(second))
        #expect(idResult.out.contains("> Who should own mobile?"), "\(idResult)")
        #expect(idResult.out.contains("[mobile-ownership]"), "\(idResult)")
        #expect(idResult.out.contains(Self.sourdough))
        #expect(idResult.out.contains("/role cio"), "commands are shown: \(idResult)")
        #expect(prefixResult.stdout == idResult.stdout)
        #expect(lastResult.stdout == idResult.stdout)
        #expect(markdownResult.out.hasPrefix("# "), "\(markdownResult)")
        #expect(markdownResult.out.contains("What does agile mean to a CIO?"))
        #expect(markdownResult.out.contains("term-agile"))
        let events = try JSON.lines(jsonResult.out)
        #expect(events.first?["type"] as? String == "session")
        #expect(events.first?["id"] as? String == second)
        #expect(events.last?["type"] as? String == "end")
        #expect(events.filter { $0["type"] as? String == "turn" }.count == 2)
    }

    @Test(
        "an ambiguous prefix, an unknown id or a path gives a clear error and exit 2",
        arguments: ["AMBIGUOUS", "nosuchid", "../x", "/etc/passwd", "..", "../../etc/passwd", "a/b"])
    func badReferences(_ reference: String) async throws {
        let sandbox = try Sandbox()
        let (first, second) = try await Self.twoSessions(sandbox)
        let id = reference == "AMBIGUOUS" ? String(first.commonPrefix(with: second)) : reference
        try #require(!id.isEmpty)
        for command in [["show"], ["show", "--format", "json"], ["export", "--format", "html"], ["replay"]] {
            let result = try await sandbox.advisor(["transcripts"] + command + [id])
            #expect(result.status == 2, "\(command) \(id): \(result)")
            #expect(result.errLines.count == 1, "one clear line: \(result)")
            #expect(result.err.contains(id), "the message names \(id): \(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            if reference == "AMBIGUOUS" {
                #expect(result.err.contains("ambiguous"), "\(result)")
            }
        }
    }

    @Test("search finds turns by text, --topic and --since")
    func search() async throws {
        let sandbox = try Sandbox()
        let (first, second) = try await Self.twoSessions(sandbox)
        try Self.install("damaged.jsonl", as: Self.damagedID, in: sandbox)
        async let text = sandbox.advisor(["transcripts", "search", "sourdough"])
        async let textJSON = sandbox.advisor(["transcripts", "search", "--json", "SOURDOUGH"])
        async let topic = sandbox.advisor(["transcripts", "search", "--json", "--topic", "mobile-ownership"])
        async let since = sandbox.advisor(
            ["transcripts", "search", "--json", "--topic", "mobile-ownership", "--since", "2021-01-01"])
        async let future = sandbox.advisor(["transcripts", "search", "--json", "--since", "2999-01-01"])
        async let badDate = sandbox.advisor(["transcripts", "search", "--since", "last tuesday", "x"])
        let (textResult, jsonResult, topicResult, sinceResult, futureResult, badDateResult) = try await (
            text, textJSON, topic, since, future, badDate
        )
        #expect(textResult.status == 0, "\(textResult)")
        #expect(textResult.out.contains("\(first)#2"), "\(textResult)")
        #expect(textResult.out.contains("\(second)#2"), "\(textResult)")
        let hits = try JSON.lines(jsonResult.out)
        #expect(hits.count == 2, "\(jsonResult)")
        #expect(
            Set(hits.map { "\($0["transcript"] as? String ?? "")#\($0["turn"] as? Int ?? 0)" })
                == ["\(first)#2", "\(second)#2"])
        #expect(hits.allSatisfy { $0["topic"] as? String == "none" })
        let byTopic = try JSON.lines(topicResult.out)
        #expect(
            Set(byTopic.map { $0["transcript"] as? String ?? "" }) == [second, Self.damagedID], "\(topicResult)")
        #expect(byTopic.count == 3, "\(topicResult)")
        let recent = try JSON.lines(sinceResult.out)
        #expect(recent.map { $0["transcript"] as? String } == [second], "the 2020 turns are older: \(sinceResult)")
        #expect(futureResult.status == 0)
        #expect(try JSON.lines(futureResult.out).isEmpty)
        #expect(badDateResult.status == 2, "\(badDateResult)")
    }

    @Test("export --format html is one self-contained page with the question escaped")
    func exportHTML() async throws {
        let sandbox = try Sandbox()
        let question = "<script>alert('x')</script> & who owns \"mobile\"?"
        let run = try await sandbox.advisor(["run", "-"], input: question + "\n")
        #expect(run.status == 0)
        let output = sandbox.path("page.html")
        async let page = sandbox.advisor(["transcripts", "export", "--format", "html", "last"])
        async let toFile = sandbox.advisor(["transcripts", "export", "--format", "html", "-o", output.path, "last"])
        let (result, fileResult) = try await (page, toFile)
        #expect(result.status == 0, "\(result)")
        let html = result.out
        #expect(html.lowercased().hasPrefix("<!doctype html>"), "\(result)")
        #expect(html.components(separatedBy: "<html").count == 2, "one page")
        #expect(html.contains("</html>"))
        #expect(!html.lowercased().contains("<script"), "the question is escaped")
        #expect(html.contains("&lt;script&gt;"), "\(html)")
        #expect(html.contains("&amp;"))
        for external in ["src=", "<link", "http://", "https://", "@import"] {
            #expect(!html.lowercased().contains(external), "self-contained: found \(external)")
        }
        #expect(fileResult.status == 0, "\(fileResult)")
        #expect(try Data(contentsOf: output) == result.stdout)
    }

    @Test("export --format markdown is a readable document")
    func exportMarkdown() async throws {
        let sandbox = try Sandbox()
        let (first, _) = try await Self.twoSessions(sandbox)
        async let explicit = sandbox.advisor(["transcripts", "export", "--format", "markdown", first])
        async let byDefault = sandbox.advisor(["transcripts", "export", first])
        let (result, defaultResult) = try await (explicit, byDefault)
        #expect(result.status == 0, "\(result)")
        #expect(result.out.hasPrefix("# "))
        #expect(result.out.contains("What does agile mean to a CIO?"))
        #expect(result.out.contains(Self.sourdough))
        #expect(result.out.contains("Sources"))
        #expect(defaultResult.stdout == result.stdout, "markdown is export's default")
    }

    /// Bytes that must never reach a terminal raw.
    static func rawControls(_ data: Data, strict: Bool) -> [String] {
        var found: [String] = []
        let bytes = [UInt8](data)
        if bytes.contains(0x1B) { found.append("ESC") }
        if bytes.contains(0x07) { found.append("BEL") }
        if bytes.contains(0x08) { found.append("BS") }
        guard strict else { return found }
        for index in bytes.indices.dropLast() {
            if bytes[index] == 0xC2, (0x80...0x9F).contains(bytes[index + 1]) { found.append("C1") }
            if index + 2 < bytes.count, bytes[index] == 0xE2, bytes[index + 1] == 0x80,
                (0xAA...0xAE).contains(bytes[index + 2])
            {
                found.append("bidi")
            }
        }
        return Array(Set(found)).sorted()
    }

    @Test("escape sequences in a question are never printed raw")
    func escapesFromASession() async throws {
        let sandbox = try Sandbox()
        let question = "Who owns \u{1B}[31mmobile\u{1B}[0m \u{1B}]0;pwned\u{07} now?"
        let run = try await sandbox.advisor(["run", "-"], input: question + "\n")
        #expect(run.status == 0)
        #expect(Self.rawControls(run.stdout, strict: true).isEmpty, "run echoes the question safely: \(run)")
        let commands: [[String]] = [
            ["list"], ["list", "--json"], ["show", "last"], ["show", "--format", "markdown", "last"],
            ["show", "--format", "json", "last"], ["export", "last"], ["export", "--format", "html", "last"],
            ["search", "owns"], ["search", "--json", "owns"], ["gaps"], ["replay", "last"],
        ]
        try await Self.expectNoRawControls(sandbox, commands, expectQuestion: true)
    }

    @Test("escape sequences anywhere in a transcript file are neutralised")
    func escapesFromAFile() async throws {
        let sandbox = try Sandbox()
        try Self.install("escapes.jsonl", as: Self.escapesID, in: sandbox)
        let commands: [[String]] = [
            ["list"], ["list", "--json"], ["show", "last"], ["show", "--format", "markdown", "last"],
            ["export", "last"], ["export", "--format", "html", "last"], ["search", "owns"],
            ["search", "--json", "owns"], ["gaps"], ["replay", "last"],
        ]
        try await Self.expectNoRawControls(sandbox, commands, expectQuestion: false)
        let json = try await sandbox.advisor(["transcripts", "show", "--format", "json", "last"])
        #expect(json.status == 0)
        #expect(Self.rawControls(json.stdout, strict: false).isEmpty, "no ESC or BEL in JSON output")
        #expect(Self.rawControls(json.stdout, strict: true).isEmpty)
    }

    static func expectNoRawControls(_ sandbox: Sandbox, _ commands: [[String]], expectQuestion: Bool) async throws {
        try await withThrowingTaskGroup(of: ([String], ProcessResult).self) { group in
            for command in commands {
                group.addTask { (command, try await sandbox.advisor(["transcripts"] + command)) }
            }
            for try await (command, result) in group {
                #expect(result.exitedNormally, "\(command): \(result)")
                #expect(result.status == 0 || command.first == "replay", "\(command): \(result)")
                #expect(!result.stdout.isEmpty, "\(command)")
                let strict = !command.contains("--json") && !command.contains("json")
                #expect(
                    Self.rawControls(result.stdout, strict: strict).isEmpty,
                    "\(command) printed \(Self.rawControls(result.stdout, strict: strict)) raw")
                #expect(Self.rawControls(result.stderr, strict: true).isEmpty, "\(command) stderr")
                if expectQuestion, command.first == "show", command.count == 2 {
                    #expect(result.out.contains("Who owns"), "\(result)")
                }
            }
        }
    }

    @Test("a closed pipe (| head -1) ends review commands quietly with exit 0")
    func closedPipe() async throws {
        let sandbox = try Sandbox()
        let script = try sandbox.write(
            "long.advisor", String(repeating: "What does agile mean to a CMO?\n", count: 600))
        let run = try await sandbox.advisor(["run", script.path])
        #expect(run.status == 0)
        let commands: [[String]] = [
            ["show", "last"], ["show", "--format", "markdown", "last"], ["show", "--format", "json", "last"],
            ["export", "--format", "html", "last"], ["export", "--format", "markdown", "last"],
            ["search", "agile"], ["search", "--json", "agile"],
        ]
        for command in commands {
            let outcome = try await ClosedPipe.run(sandbox, ["transcripts"] + command)
            #expect(outcome.advisorStatus == 0, "\(command): \(outcome)")
            #expect(outcome.advisorStderr.isEmpty, "\(command): \(outcome)")
            #expect(!outcome.firstLine.isEmpty, "\(command): \(outcome)")
            #expect(outcome.shell.status == 0 && outcome.shell.err.isEmpty, "\(command): \(outcome)")
        }
    }

    @Test("a damaged file is read as far as it goes, with warnings naming the lines")
    func damagedFile() async throws {
        let sandbox = try Sandbox()
        try Self.install("damaged.jsonl", as: Self.damagedID, in: sandbox)
        let path = sandbox.transcripts.appendingPathComponent(Self.damagedID + ".jsonl").path
        async let text = sandbox.advisor(["transcripts", "show", Self.damagedID])
        async let json = sandbox.advisor(["transcripts", "show", "--format", "json", "last"])
        async let list = sandbox.advisor(["transcripts", "list", "--json"])
        async let replay = sandbox.advisor(["transcripts", "replay", "last"])
        let (textResult, jsonResult, listResult, replayResult) = try await (text, json, list, replay)
        #expect(textResult.status == 0, "\(textResult)")
        #expect(textResult.out.contains("Who owns mobile?"))
        #expect(textResult.out.contains("Who should own the mobile app?"), "the turn after the damage is kept")
        #expect(textResult.out.contains("/role cmo"))
        for (line, words) in [(4, "JSON"), (5, "telepathy"), (7, "torn")] {
            #expect(
                textResult.errLines.contains { $0.contains("\(path):\(line):") && $0.contains(words) },
                "a warning naming line \(line): \(textResult)")
        }
        #expect(jsonResult.status == 0)
        #expect(try JSON.lines(jsonResult.out).filter { $0["type"] as? String == "turn" }.count == 2)
        #expect(jsonResult.errLines.count == 3, "\(jsonResult)")
        let rows = try #require(try JSONSerialization.jsonObject(with: listResult.stdout) as? [[String: Any]])
        #expect(rows.first?["turns"] as? Int == 2, "\(listResult)")
        #expect(rows.first?["ended"] as? Bool == false)
        #expect(replayResult.exitedNormally && replayResult.status != 2, "\(replayResult)")
        #expect(replayResult.err.contains("\(path):7:"))
    }

    @Test("readers accept valid JSON Lines written with spaces (another tool's formatting)")
    func spacedJSON() async throws {
        let sandbox = try Sandbox()
        let source = try #require(AdvisorProcess.fixture("Transcripts/escapes.jsonl"))
        var spaced = ""
        for line in ProcessResult.lines(try String(contentsOf: source, encoding: .utf8)) {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
            // One line per event, but with the spaces a pretty printer puts after colons.
            spaced +=
                String(decoding: data, as: UTF8.self).split(separator: "\n")
                .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") + "\n"
        }
        try sandbox.write("transcripts/\(Self.escapesID).jsonl", spaced)
        async let show = sandbox.advisor(["transcripts", "show", "--format", "json", "last"])
        async let list = sandbox.advisor(["transcripts", "list", "--json"])
        async let search = sandbox.advisor(["transcripts", "search", "--json", "owns"])
        let (showResult, listResult, searchResult) = try await (show, list, search)
        #expect(showResult.status == 0)
        #expect(try JSON.lines(showResult.out).filter { $0["type"] as? String == "turn" }.count == 2)
        let rows = try #require(try JSONSerialization.jsonObject(with: listResult.stdout) as? [[String: Any]])
        let hits = try JSON.lines(searchResult.out)
        #expect(rows.first?["turns"] as? Int == 2, "\(listResult)")
        #expect(rows.first?["mode"] is String, "\(listResult)")
        #expect(hits.count == 1, "\(searchResult)")
    }

    @Test("replay exits 0 against the same knowledge base and 1 after it changed")
    func replay() async throws {
        let sandbox = try Sandbox()
        let shipped = try #require(AdvisorProcess.shippedKnowledgeBase)
        let base = try sandbox.copy(shipped, to: "kb")
        let odd = "quokkaberry"
        let run = try await sandbox.advisor(
            ["run", "--kb", base.path, "-"],
            input: "What does agile mean to a CIO?\nand to a CMO?\n/role cmo\n\(odd)\nWho should own mobile?\n")
        #expect(run.status == 0, "\(run)")
        let same = try await sandbox.advisor(["transcripts", "replay", "--kb", base.path, "last"])
        #expect(same.status == 0, "\(same)")
        #expect(same.out.contains("0 of 4"), "\(same)")
        let unchangedDefault = try await sandbox.advisor(["transcripts", "replay", "last"])
        #expect(unchangedDefault.status == 0, "the copy equals the shipped knowledge base: \(unchangedDefault)")

        // Give the odd word a home: the question that went to none now routes to that topic.
        let topic = try Self.addPattern(odd, in: base)
        let changed = try await sandbox.advisor(["transcripts", "replay", "--kb", base.path, "last"])
        #expect(changed.status == 1, "\(changed)")
        #expect(changed.out.contains(odd), "\(changed)")
        #expect(changed.out.contains("none -> \(topic)"), "\(changed)")
        #expect(changed.out.contains("1 of 4"), "\(changed)")
        let json = try await sandbox.advisor(["transcripts", "replay", "--json", "--kb", base.path, "last"])
        #expect(json.status == 1)
        let changes = try JSON.lines(json.out)
        #expect(changes.count == 1)
        #expect(changes.first?["question"] as? String == odd)
        #expect(changes.first?["newTopic"] as? String == topic)
    }

    /// Adds `word` as the first pattern of the first ordinary topic file; returns its id.
    static func addPattern(_ word: String, in base: URL) throws -> String {
        let folder = base.appendingPathComponent("topics")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        for name in names.sorted() where !["none.yaml", "smalltalk.yaml"].contains(name) {
            let file = folder.appendingPathComponent(name)
            let text = try String(contentsOf: file, encoding: .utf8)
            guard let range = text.range(of: "\npatterns:\n  - ") else { continue }
            try text.replacingCharacters(in: range, with: "\npatterns:\n  - \(word)\n  - ")
                .write(to: file, atomically: true, encoding: .utf8)
            return String(name.dropLast(".yaml".count))
        }
        throw SpawnError(description: "no topic file with a block list of patterns in \(folder.path)")
    }

    @Test("gaps lists repeated none-questions with counts and the topics nobody asked about")
    func gaps() async throws {
        let sandbox = try Sandbox()
        let (first, second) = try await Self.twoSessions(sandbox)
        async let json = sandbox.advisor(["transcripts", "gaps", "--json"])
        async let text = sandbox.advisor(["transcripts", "gaps"])
        let (jsonResult, textResult) = try await (json, text)
        #expect(jsonResult.status == 0, "\(jsonResult)")
        let report = try JSON.object(jsonResult.out)
        let gaps = try #require(report["gaps"] as? [[String: Any]])
        let sourdough = try #require(gaps.first { ($0["question"] as? String) == Self.sourdough }, "\(jsonResult)")
        #expect(sourdough["count"] as? Int == 2)
        #expect(sourdough["topic"] as? String == "none")
        #expect(Set(sourdough["examples"] as? [String] ?? []) == ["\(first)#2", "\(second)#2"])
        let unasked = try #require(report["unaskedTopics"] as? [String])
        #expect(unasked.contains("the-study"))
        #expect(!unasked.contains("term-agile") && !unasked.contains("mobile-ownership"))
        #expect(!unasked.contains("none") && !unasked.contains("smalltalk"))
        #expect(textResult.status == 0)
        let line = try #require(textResult.outLines.first { $0.contains(Self.sourdough) }, "\(textResult)")
        #expect(line.trimmingCharacters(in: .whitespaces).hasPrefix("2"), "\(line)")
        #expect(textResult.out.contains("the-study"))
    }
}
