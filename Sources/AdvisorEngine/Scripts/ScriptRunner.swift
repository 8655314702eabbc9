import AdvisorSystem
import Foundation

/// What a script run came to.
public struct ScriptReport: Sendable, Equatable {
    /// How many questions were asked and answered.
    public var questions = 0
    /// How many `/expect` lines held.
    public var expectationsPassed = 0
    /// How many `/expect` lines failed.
    public var expectationsFailed = 0
    /// Unknown commands, bad arguments, unreadable lines.
    public var errors = 0
    /// Whether the run stopped early (`--bail` or `/quit`).
    public var stoppedEarly = false

    /// Whether the run should exit 1.
    public var failed: Bool { expectationsFailed > 0 || errors > 0 }

    /// "3 questions; 2 of 3 expectations passed; 1 error".
    public var summary: String {
        var parts = ["\(questions) question\(questions == 1 ? "" : "s")"]
        let total = expectationsPassed + expectationsFailed
        if total > 0 { parts.append("\(expectationsPassed) of \(total) expectation\(total == 1 ? "" : "s") passed") }
        if errors > 0 { parts.append("\(errors) error\(errors == 1 ? "" : "s")") }
        return parts.joined(separator: "; ")
    }
}

/// Runs a script (format in the contracts): questions in one conversation, slash
/// commands, `/expect` assertions, through the same ``SessionDriver`` as the REPL; shows
/// each question and answer as text or one JSON object, and each problem as `FILE:LINE: message`.
public final class ScriptRunner: SessionPresenter {
    /// The conversation the script's questions and commands go to.
    public let session: Session
    /// The script's name in messages (`-` is shown as `<stdin>`).
    public let displayName: String
    /// Whether each answer is printed as one JSON object per line instead of text (`run --json`).
    public var json = false
    /// Whether the run stops at the first error or failed expectation (`run --bail`).
    public var bail = false
    private let output: (String) -> Void
    private let diagnostic: (String) -> Void

    /// `output` receives standard output text; `diagnostic` one-line errors.
    public init(
        session: Session, displayName: String, output: @escaping (String) -> Void,
        diagnostic: @escaping (String) -> Void
    ) {
        self.session = session
        self.displayName = displayName
        self.output = output
        self.diagnostic = diagnostic
    }

    /// Runs every line from `reader`, answering each before reading the next.
    public func run(_ reader: LineReader) -> ScriptReport {
        let driver = SessionDriver(session: session, interactive: false)
        driver.bail = bail
        return driver.run(reader, presenting: self)
    }

    /// Prints "> " and the question, then the rendered answer; with `json`, only the answer as one JSON line.
    public func show(question: String, answer: Answer) {
        if json {
            output(answer.jsonLine())
        } else {
            output("> \(TerminalSafe.neutralize(question))\n" + session.renderer.render(answer) + "\n")
        }
    }

    /// Prints "> " and the command, then its output unless it failed; nothing with `json`.
    public func show(command: String, outcome: CommandOutcome) {
        guard !json else { return }
        output(
            "> \(TerminalSafe.neutralize(command))\n"
                + (outcome.output.isEmpty || outcome.isError ? "" : outcome.output + "\n") + "\n")
    }

    /// Reports `message` through `diagnostic` as one line, `NAME:LINE: message`.
    public func problem(_ message: String, line: Int) {
        diagnostic(TerminalSafe.neutralize("\(displayName):\(line): \(message)", keepNewlines: false))
    }
}
