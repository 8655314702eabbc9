import AdvisorSystem
import Foundation

/// What a script run came to.
public struct ScriptReport: Sendable, Equatable {
    public var questions = 0
    public var expectationsPassed = 0
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
    public let session: Session
    /// The script's name in messages (`-` is shown as `<stdin>`).
    public let displayName: String
    public var json = false
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

    public func show(question: String, answer: Answer) {
        if json {
            output(answer.jsonLine())
        } else {
            output("> \(TerminalSafe.neutralize(question))\n" + session.renderer.render(answer) + "\n")
        }
    }

    public func show(command: String, outcome: CommandOutcome) {
        guard !json else { return }
        output(
            "> \(TerminalSafe.neutralize(command))\n"
                + (outcome.output.isEmpty || outcome.isError ? "" : outcome.output + "\n") + "\n")
    }

    public func problem(_ message: String, line: Int) {
        diagnostic(TerminalSafe.neutralize("\(displayName):\(line): \(message)", keepNewlines: false))
    }
}
