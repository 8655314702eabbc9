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
/// commands, `/expect` assertions; blank lines and `#` comments are skipped.
public final class ScriptRunner {
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
        var report = ScriptReport()
        while let line = reader.next() {
            let number = reader.lineNumber
            func fail(_ message: String) {
                diagnostic(TerminalSafe.neutralize("\(displayName):\(number): \(message)", keepNewlines: false))
            }
            switch line {
            case .invalid(let why):
                report.errors += 1
                fail("\(why); line skipped")
            case .tooLong(let length):
                report.errors += 1
                fail(
                    "line of \(length) bytes is longer than the \(LineReader.maximumLineLength)-byte limit; line skipped"
                )
            case .text(let raw):
                let text = raw.trimmingCharacters(in: .whitespaces)
                if text.isEmpty || text.hasPrefix("#") { continue }
                if text.hasPrefix("/") {
                    let outcome = session.run(command: text)
                    if !json {
                        output(
                            "> \(TerminalSafe.neutralize(text))\n"
                                + (outcome.output.isEmpty || outcome.isError ? "" : outcome.output + "\n") + "\n")
                    }
                    switch outcome.expectationPassed {
                    case true?: report.expectationsPassed += 1
                    case false?: report.expectationsFailed += 1
                    case nil: if outcome.isError { report.errors += 1 }
                    }
                    if outcome.isError { fail(outcome.output) }
                    if outcome.quit {
                        report.stoppedEarly = true
                        return report
                    }
                } else {
                    let answer = session.ask(text)
                    report.questions += 1
                    if json {
                        output(answer.jsonLine())
                    } else {
                        output("> \(TerminalSafe.neutralize(text))\n" + session.renderer.render(answer) + "\n")
                    }
                }
            }
            if bail, report.failed {
                report.stoppedEarly = true
                return report
            }
        }
        return report
    }
}
