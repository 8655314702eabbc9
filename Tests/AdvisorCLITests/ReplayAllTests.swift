import AdvisorTestSupport
import Foundation
import Testing

/// `advisor transcripts replay --all` and several ids; HTML export's names and times.
@Suite("advisor transcripts replay --all, export html")
struct ReplayAllTests {
    /// Two sessions recorded against a copy of the shipped knowledge base; the copy and the ids.
    static func twoSessions(_ sandbox: Sandbox) async throws -> (kb: URL, first: String, second: String) {
        let shipped = try #require(AdvisorProcess.shippedKnowledgeBase)
        let base = try sandbox.copy(shipped, to: "kb")
        let first = try await sandbox.advisor(
            ["run", "--kb", base.path, "-"], input: "What does agile mean to a CIO?\nthanks\n")
        #expect(first.status == 0, "\(first)")
        let second = try await sandbox.advisor(
            ["run", "--kb", base.path, "--role", "cio", "-"], input: "Who should own mobile?\nwhat about the budget?\n")
        #expect(second.status == 0, "\(second)")
        let ids = sandbox.transcriptFiles().map { $0.deletingPathExtension().lastPathComponent }
        try #require(ids.count == 2, "two transcripts: \(ids)")
        return (base, ids[0], ids[1])
    }

    @Test("--all and several ids: one summary line, exit 0 when nothing changed")
    func unchanged() async throws {
        let sandbox = try Sandbox()
        let (base, first, second) = try await Self.twoSessions(sandbox)
        let all = try await sandbox.advisor(["transcripts", "replay", "--all", "--kb", base.path])
        #expect(all.status == 0, "\(all)")
        #expect(all.outLines == ["2 sessions, 4 turns, 0 changed"], "\(all)")
        let several = try await sandbox.advisor(["transcripts", "replay", "--kb", base.path, first, second])
        #expect(several.status == 0, "\(several)")
        #expect(several.outLines == ["2 sessions, 4 turns, 0 changed"], "\(several)")
        // One id keeps its one line, naming the session.
        let one = try await sandbox.advisor(["transcripts", "replay", "--kb", base.path, first])
        #expect(one.status == 0, "\(one)")
        #expect(one.outLines == ["\(first): 0 of 2 turns changed"], "\(one)")
    }

    @Test("a changed answer: was/now lines with the changed words marked, wrapped, exit 1")
    func changed() async throws {
        let sandbox = try Sandbox()
        let (base, first, second) = try await Self.twoSessions(sandbox)
        let file = base.appendingPathComponent("topics/mobile-ownership.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try #require(text.contains("the omnichannel flashpoint:"))
        try text.replacingOccurrences(of: "the omnichannel flashpoint:", with: "the omnichannel battleground:")
            .write(to: file, atomically: true, encoding: .utf8)

        let result = try await sandbox.advisor(["transcripts", "replay", "--all", "--kb", base.path])
        #expect(result.status == 1, "\(result)")
        #expect(result.err.isEmpty, "\(result)")
        let lines = result.outLines
        #expect(lines.last == "2 sessions, 4 turns, 1 changed", "\(result)")
        #expect(lines.contains("\(second)#1: Who should own mobile?"), "\(result)")
        #expect(lines.contains("  topic: mobile-ownership (unchanged); the answer's text changed"), "\(result)")
        #expect(result.out.contains("[-flashpoint:-]"), "\(result)")
        #expect(result.out.contains("{+battleground:+}"), "\(result)")
        #expect(!result.out.contains("[-Mobile"), "unchanged words are not marked: \(result)")
        #expect(lines.contains { $0.hasPrefix("  was: ") } && lines.contains { $0.hasPrefix("  now: ") })
        let diffLines = lines.filter { $0.hasPrefix("  was: ") || $0.hasPrefix("  now: ") || $0.hasPrefix("       ") }
        #expect(diffLines.count > 2 && diffLines.allSatisfy { $0.count <= 80 }, "wrapped at 80 columns: \(result)")
        #expect(lines.contains { $0.hasPrefix("       ") }, "continuation lines hang under the text: \(result)")
        #expect(lines.contains { $0.hasPrefix("\(second): 1 of 2 turns changed") }, "\(result)")
        #expect(!result.out.contains("\(first):"), "an unchanged session is only counted: \(result)")
        #expect(!result.out.contains("\u{1B}["), "no colour when not a terminal: \(result)")

        let json = try await sandbox.advisor(["transcripts", "replay", "--all", "--json", "--kb", base.path])
        #expect(json.status == 1, "\(json)")
        let changes = try JSON.lines(json.out)
        #expect(changes.count == 1, "\(json)")
        #expect(changes.first?["transcript"] as? String == second)
        #expect(changes.first?["turn"] as? Int == 1)
    }

    @Test("on a terminal the changed words are red and green, without [- -] markers")
    func colour() async throws {
        guard let script = AdvisorProcess.which("script") else { return }
        let sandbox = try Sandbox()
        let (base, _, _) = try await Self.twoSessions(sandbox)
        let file = base.appendingPathComponent("topics/mobile-ownership.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "the omnichannel flashpoint:", with: "the omnichannel battleground:")
            .write(to: file, atomically: true, encoding: .utf8)
        let executable = try #require(AdvisorProcess.executable)
        // script(1) gives the command a terminal as its standard output.
        let command = [executable, "transcripts", "replay", "--all", "--kb", base.path].map(TmuxSession.quote)
            .joined(separator: " ")
        let result = try await sandbox.run(script, ["-qec", command, "/dev/null"], env: ["TERM": "xterm"])
        #expect(result.status == 1, "\(result)")
        #expect(result.out.contains("\u{1B}[31mflashpoint:\u{1B}[0m"), "\(result)")
        #expect(result.out.contains("\u{1B}[32mbattleground:\u{1B}[0m"), "\(result)")
        #expect(!result.out.contains("[-") && !result.out.contains("{+"), "\(result)")
        #expect(result.out.contains("2 sessions, 4 turns, 1 changed"), "\(result)")
        let plain = try await sandbox.run(
            script, ["-qec", command + " --no-color", "/dev/null"], env: ["TERM": "xterm"])
        #expect(plain.out.contains("[-flashpoint:-]") && !plain.out.contains("\u{1B}[31m"), "--no-color: \(plain)")
    }

    @Test("replay refuses no id, ids with --all, and an unknown id among several (replaying nothing)")
    func usage() async throws {
        let sandbox = try Sandbox()
        let (base, first, _) = try await Self.twoSessions(sandbox)
        for arguments in [[], ["--all", first], [first, "20000101-000000.000-1-zzzzzz"]] {
            let result = try await sandbox.advisor(["transcripts", "replay", "--kb", base.path] + arguments)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.out.isEmpty, "\(arguments): \(result)")
            #expect(result.errLines.count == 1 || result.err.contains("advisor: error:"), "\(arguments): \(result)")
        }
        let empty = try Sandbox()
        let none = try await empty.advisor(["transcripts", "replay", "--all", "--kb", base.path])
        #expect(none.status == 0, "\(none)")
        #expect(none.outLines == ["0 sessions, 0 turns, 0 changed"], "\(none)")
    }

}
