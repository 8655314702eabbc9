import AdvisorSystem
import Foundation

/// Where the driver reads lines: a script (``LineReader``) or the terminal (the REPL's editor).
public protocol InputSource: AnyObject {
    /// The next line, or nil at the end of the input. A source that cannot hold a line whole
    /// gives `.tooLong`; one whose bytes are not text gives `.invalid`.
    func next() -> ScriptLine?
    /// The number of the line last returned (1-based), for messages.
    var lineNumber: Int { get }
}

extension LineReader: InputSource {}

/// Shows what the driver did with each line: the REPL on a terminal, `run` on stdout.
public protocol SessionPresenter: AnyObject {
    /// A question was asked and answered (and recorded).
    func show(question: String, answer: Answer)
    /// A slash command ran (and was recorded). A failed one is also reported as a problem.
    func show(command: String, outcome: CommandOutcome)
    /// A line that was not used, or a command that failed: one line, without its location.
    func problem(_ message: String, line: Int)
}

/// The one input loop of the advisor: the REPL and scripts feed it lines and it applies the same rules to both.
///
/// Blank lines and `#` comments are skipped; a line longer than
/// ``LineReader/maximumLineLength`` bytes or not valid text is refused with one message;
/// `/...` is a command; anything else a question. `/quit` ends every session, and a bare
/// `quit` or `exit` ends an interactive one (in a script it is a question, as psql reads them).
public final class SessionDriver {
    /// The conversation every question and command goes to.
    public let session: Session
    /// Whether the input is a person at a terminal (bare `quit` and `exit` leave).
    public let interactive: Bool
    /// Stop at the first error or failed expectation (`run --bail`).
    public var bail = false

    /// Makes a driver feeding `session`; `interactive` is true for a person at a terminal.
    public init(session: Session, interactive: Bool) {
        self.session = session
        self.interactive = interactive
    }

    /// Reads every line from `source`, answering each before reading the next, and returns the tally.
    ///
    /// It says what happened through `presenter`. The session is not finished: the caller does that.
    public func run(_ source: some InputSource, presenting presenter: some SessionPresenter) -> ScriptReport {
        var report = ScriptReport()
        while let line = source.next() {
            let number = source.lineNumber
            switch line {
            case .invalid(let why):
                report.errors += 1
                presenter.problem("\(why); line skipped", line: number)
            case .tooLong(let length):
                report.errors += 1
                presenter.problem(
                    "line of \(length) bytes is longer than the \(LineReader.maximumLineLength)-byte limit; line skipped",
                    line: number)
            case .text(let raw):
                let text = raw.trimmingCharacters(in: .whitespaces)
                if text.isEmpty || text.hasPrefix("#") { continue }
                if interactive, Self.leaveWords.contains(text.lowercased()) {
                    report.stoppedEarly = true
                    return report
                }
                if text.hasPrefix("/") {
                    let outcome = session.run(command: text)
                    presenter.show(command: text, outcome: outcome)
                    switch outcome.expectationPassed {
                    case true?: report.expectationsPassed += 1
                    case false?: report.expectationsFailed += 1
                    case nil: if outcome.isError { report.errors += 1 }
                    }
                    if outcome.isError { presenter.problem(outcome.output, line: number) }
                    if outcome.quit {
                        report.stoppedEarly = true
                        return report
                    }
                } else {
                    let answer = session.ask(text)
                    report.questions += 1
                    presenter.show(question: text, answer: answer)
                }
            }
            if bail, report.failed {
                report.stoppedEarly = true
                return report
            }
        }
        return report
    }

    /// Bare words that end an interactive session.
    static let leaveWords: Set<String> = ["quit", "exit"]
}
