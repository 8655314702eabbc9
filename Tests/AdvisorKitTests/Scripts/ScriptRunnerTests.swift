import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

/// Collects what a script run writes.
final class ScriptOutput: @unchecked Sendable {
    var output: [String] = []
    var diagnostics: [String] = []
    var text: String { output.joined() }
}

@Suite("ScriptRunner")
struct ScriptRunnerTests {
    private func run(
        _ script: Data, name: String = "test.script", json: Bool = false, bail: Bool = false, role: Role? = nil,
        recorder: TranscriptRecorder? = nil
    ) throws -> (ScriptReport, ScriptOutput) {
        let collected = ScriptOutput()
        let session = Session(
            advisor: TestSupport.advisor(), role: role, recorder: recorder, renderer: AnswerRenderer())
        let runner = ScriptRunner(
            session: session, displayName: name, output: { collected.output.append($0) },
            diagnostic: { collected.diagnostics.append($0) })
        runner.json = json
        runner.bail = bail
        // A regular file gives the reader the same chunks on every run.
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let descriptor = open(try temp.write("script", script), O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let report = runner.run(LineReader(descriptor: descriptor))
        return (report, collected)
    }

    private func run(_ script: String, json: Bool = false, bail: Bool = false) throws -> (ScriptReport, ScriptOutput) {
        try run(Data(script.utf8), json: json, bail: bail)
    }

    @Test("comments and blank lines are skipped; questions are answered in order")
    func basics() throws {
        let (report, out) = try run(
            """
            # A comment

               # an indented comment
            Who owns mobile?
            /expect mobile-ownership

            tech budget?
            /expect tech-budget
            """)
        #expect(report.questions == 2)
        #expect(report.expectationsPassed == 2)
        #expect(report.expectationsFailed == 0)
        #expect(report.errors == 0)
        #expect(!report.failed)
        #expect(!report.stoppedEarly)
        #expect(out.diagnostics.isEmpty)
        let text = out.text
        #expect(!text.contains("comment"))
        let mobile = try #require(text.range(of: "> Who owns mobile?"))
        let budget = try #require(text.range(of: "> tech budget?"))
        #expect(mobile.lowerBound < budget.lowerBound)
        #expect(text.contains("[mobile-ownership]"))
        #expect(text.contains("[tech-budget]"))
        #expect(report.summary == "2 questions; 2 of 2 expectations passed")
    }

    @Test("follow-ups see the earlier turns")
    func followUps() throws {
        let (report, out) = try run("What does agile mean to a CIO?\nand to a CMO?\n/expect term-agile\n")
        #expect(report.expectationsPassed == 1)
        #expect(out.text.contains("To a CMO"))
    }

    @Test("a failed /expect is reported as NAME:LINE: expected X, got Y")
    func failedExpectation() throws {
        let (report, out) = try run("# header\nWho owns mobile?\n/expect tech-budget\n")
        #expect(report.expectationsFailed == 1)
        #expect(report.failed)
        #expect(out.diagnostics == ["test.script:3: expected tech-budget, got mobile-ownership"])
        #expect(report.summary == "1 question; 0 of 1 expectation passed")
    }

    @Test("an /expect before any question fails")
    func expectationWithoutQuestion() throws {
        let (report, out) = try run("/expect overview\n")
        #expect(report.expectationsFailed == 1)
        #expect(out.diagnostics.first?.hasPrefix("test.script:1: ") == true)
    }

    @Test("without --bail the run goes on after a failure; with --bail it stops")
    func bail() throws {
        let script = "Who owns mobile?\n/expect tech-budget\ntech budget?\n/expect tech-budget\n"
        let (goOn, _) = try run(script)
        #expect(goOn.questions == 2)
        #expect(goOn.expectationsFailed == 1)
        #expect(goOn.expectationsPassed == 1)
        #expect(!goOn.stoppedEarly)

        let (stopped, out) = try run(script, bail: true)
        #expect(stopped.questions == 1)
        #expect(stopped.expectationsFailed == 1)
        #expect(stopped.stoppedEarly)
        #expect(!out.text.contains("> tech budget?"))
        #expect(out.diagnostics.count == 1)
    }

    @Test("--bail also stops at an unknown command")
    func bailOnError() throws {
        let (report, out) = try run("/frobnicate\nWho owns mobile?\n", bail: true)
        #expect(report.errors == 1)
        #expect(report.questions == 0)
        #expect(report.stoppedEarly)
        #expect(out.diagnostics.count == 1)
        #expect(out.diagnostics.first?.hasPrefix("test.script:1: unknown command '/frobnicate'") == true)
    }

    @Test("an unknown command is an error and the run goes on")
    func unknownCommand() throws {
        let (report, out) = try run("/hlep\nWho owns mobile?\n")
        #expect(report.errors == 1)
        #expect(report.failed)
        #expect(report.questions == 1)
        #expect(out.diagnostics.first?.contains("did you mean /help?") == true)
        #expect(out.diagnostics.first?.hasPrefix("test.script:1: ") == true)
    }

    @Test("/quit stops the run")
    func quit() throws {
        let (report, out) = try run("Who owns mobile?\n/quit\ntech budget?\n")
        #expect(report.questions == 1)
        #expect(report.stoppedEarly)
        #expect(!report.failed)
        #expect(!out.text.contains("tech budget"))
    }

    @Test("an invalid UTF-8 line is reported and skipped")
    func invalidUTF8() throws {
        var data = Data("Who owns mobile?\n".utf8)
        data.append(contentsOf: [0x77, 0x68, 0x6F, 0xC3, 0x0A])
        data.append(Data("tech budget?\n/expect tech-budget\n".utf8))
        let (report, out) = try run(data)
        #expect(report.errors == 1)
        #expect(report.questions == 2)
        #expect(report.expectationsPassed == 1)
        #expect(out.diagnostics == ["test.script:2: invalid UTF-8; line skipped"])
    }

    @Test("a line with a NUL byte is reported and skipped")
    func nulByte() throws {
        let (report, out) = try run(Data("Who owns\0 mobile?\ntech budget?\n".utf8))
        #expect(report.errors == 1)
        #expect(report.questions == 1)
        #expect(out.diagnostics == ["test.script:1: NUL byte in line; line skipped"])
    }

    @Test("a line just over the length limit is reported and skipped")
    func justTooLong() throws {
        let length = LineReader.maximumLineLength + 10
        var data = Data("# long line next\n".utf8)
        data.append(Data(repeating: UInt8(ascii: "a"), count: length))
        data.append(Data("\nWho owns mobile?\n".utf8))
        let (report, out) = try run(data)
        #expect(report.errors == 1)
        #expect(report.questions == 1)
        #expect(out.diagnostics.count == 1)
    }

    @Test("a line far over the length limit is reported and skipped")
    func tooLong() throws {
        let length = LineReader.maximumLineLength * 4 + 10
        var data = Data("# long line next\n".utf8)
        data.append(Data(repeating: UInt8(ascii: "a"), count: length))
        data.append(Data("\nWho owns mobile?\n/expect mobile-ownership\n".utf8))
        let (report, out) = try run(data)
        #expect(report.errors == 1)
        #expect(report.questions == 1)
        #expect(report.expectationsPassed == 1)
        #expect(
            out.diagnostics == [
                "test.script:2: line of \(length) bytes is longer than the \(LineReader.maximumLineLength)-byte limit; line skipped"
            ])
    }

    @Test("CRLF line endings and a byte order mark are handled")
    func crlfAndBOM() throws {
        let (report, out) = try run(Data("\u{FEFF}Who owns mobile?\r\n/expect mobile-ownership\r\n\r\n# c\r\n".utf8))
        #expect(report.expectationsPassed == 1)
        #expect(report.errors == 0)
        #expect(out.text.hasPrefix("> Who owns mobile?\n"))
        #expect(!out.text.contains("\u{FEFF}"))
        #expect(!out.text.contains("\r"))
    }

    @Test("JSON mode prints one parsable answer object per question and nothing else")
    func json() throws {
        let (report, out) = try run(
            "# c\nWho owns mobile?\n/role cmo\n/why\nWhat does agile mean?\n/expect term-agile\nasdfgh\n/topics\n",
            json: true)
        #expect(report.questions == 3)
        #expect(report.expectationsPassed == 1)
        #expect(out.output.count == 3)
        let lines = out.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4)
        #expect(lines.last == "")
        var topics: [String] = []
        for line in lines.dropLast() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let topic = try #require(object["topic"] as? String)
            topics.append(topic)
            #expect(object["answer"] is String)
            #expect(object["sources"] is [Any])
            #expect(object.keys.contains("role"))
            #expect(object["why"] is [String: Any])
        }
        #expect(topics == ["mobile-ownership", "term-agile", "none"])
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["role"] is NSNull)
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(second["role"] as? String == "cmo")
    }

    @Test("text output neutralises control characters in questions and commands")
    func hostileText() throws {
        let (_, out) = try run("\u{1B}[2J\u{1B}]0;owned\u{07}Who owns mobile?\n/role \u{1B}[31mcmo\n")
        #expect(!out.text.unicodeScalars.contains("\u{1B}"))
        #expect(!out.text.unicodeScalars.contains("\u{07}"))
        #expect(out.text.contains("^[[2J"))
        #expect(out.diagnostics.allSatisfy { !$0.unicodeScalars.contains("\u{1B}") }, "\(out.diagnostics)")
    }

    @Test("a scripted session is recorded turn by turn")
    func recorded() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let recorder = try TranscriptRecorder.start(
            directory: temp.path, mode: "script", role: nil, knowledgeBase: "kb", version: "test",
            script: "test.script",
            warn: { _ in })
        let (report, _) = try run(
            Data("Who owns mobile?\n/role cio\nand to a CMO?\n".utf8), recorder: recorder)
        recorder.finish()
        #expect(report.questions == 2)
        let transcript = try TranscriptStore(directory: temp.path).read(recorder.id)
        #expect(transcript.warnings.isEmpty)
        #expect(transcript.turns.map(\.question) == ["Who owns mobile?", "and to a CMO?"])
        #expect(transcript.entries.count == 3)
        #expect(transcript.session?.script == "test.script")
        #expect(transcript.end?.turns == 2)
    }
}
