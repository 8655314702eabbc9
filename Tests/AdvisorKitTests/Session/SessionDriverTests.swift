import AdvisorTestSupport
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge

/// Lines given one by one, as a terminal or a script would.
private final class Lines: InputSource {
    private var lines: [ScriptLine]
    private(set) var lineNumber = 0
    init(_ lines: [ScriptLine]) { self.lines = lines }
    func next() -> ScriptLine? {
        guard !lines.isEmpty else { return nil }
        lineNumber += 1
        return lines.removeFirst()
    }
}

/// Records what the driver showed.
private final class Record: SessionPresenter {
    var questions: [String] = []
    var commands: [String] = []
    var problems: [String] = []
    func show(question: String, answer: Answer) { questions.append(question) }
    func show(command: String, outcome: CommandOutcome) { commands.append(command) }
    func problem(_ message: String, line: Int) { problems.append("\(line): \(message)") }
}

@Suite("SessionDriver: one input loop, the same rules for the REPL and scripts")
struct SessionDriverTests {
    private func drive(_ lines: [ScriptLine], interactive: Bool) -> (ScriptReport, Record) {
        let session = Session(advisor: TestSupport.advisor(), role: nil, recorder: nil, renderer: AnswerRenderer())
        let record = Record()
        let report = SessionDriver(session: session, interactive: interactive).run(Lines(lines), presenting: record)
        return (report, record)
    }

    @Test("blank lines and # comments are skipped in both modes; commands and questions are told apart")
    func sameRules() {
        let lines: [ScriptLine] = [.text("  "), .text("# a note"), .text("who owns mobile?"), .text("/why")]
        for interactive in [true, false] {
            let (report, record) = drive(lines, interactive: interactive)
            #expect(record.questions == ["who owns mobile?"])
            #expect(record.commands == ["/why"])
            #expect(report.questions == 1 && report.errors == 0)
        }
    }

    @Test("a line too long or not text is refused with its line number, in both modes")
    func refusedLines() {
        for interactive in [true, false] {
            let (report, record) = drive([.tooLong(70_000), .invalid("invalid UTF-8")], interactive: interactive)
            #expect(report.errors == 2)
            #expect(record.problems.count == 2)
            #expect(record.problems[0].hasPrefix("1: line of 70000 bytes is longer than"))
            #expect(record.problems[1] == "2: invalid UTF-8; line skipped")
            #expect(record.questions.isEmpty)
        }
    }

    @Test("/quit ends every session; a bare quit or exit ends only an interactive one")
    func leaving() {
        let (scripted, scriptRecord) = drive(
            [.text("exit"), .text("quit"), .text("/quit"), .text("never")], interactive: false)
        #expect(scriptRecord.questions == ["exit", "quit"], "in a script they are questions, as the contract says")
        #expect(scripted.stoppedEarly)
        let (interactive, record) = drive([.text("Exit"), .text("never asked")], interactive: true)
        #expect(interactive.stoppedEarly && record.questions.isEmpty)
    }

    @Test("a failed command is shown and reported as a problem, and counts as an error")
    func failedCommand() {
        let (report, record) = drive([.text("/bogus")], interactive: true)
        #expect(record.commands == ["/bogus"])
        #expect(record.problems.first?.contains("unknown command '/bogus'") == true)
        #expect(report.errors == 1)
    }
}
