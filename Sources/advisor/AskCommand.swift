import AdvisorKit
import ArgumentParser
import Foundation

/// `advisor ask QUESTION...`: one question, one answer, no transcript.
struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer one question and exit (no transcript is recorded).")

    @OptionGroup var common: CommonOptions
    @OptionGroup var session: SessionOptions

    @Argument(help: "The question, in plain words.")
    var question: [String]

    func validate() throws {
        if question.joined().trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("ask needs a question, e.g. advisor ask \"Who should own mobile?\"")
        }
    }

    func run() throws {
        Console.ignoreBrokenPipe()
        let advisor = try common.loadAdvisor()
        let answer = advisor.ask(question.joined(separator: " "), role: session.role)
        if session.json {
            Console.write(answer.jsonLine())
        } else {
            let renderer = AnswerRenderer(
                width: Console.terminalWidth(), style: TextStyle(colors: common.useColor()))
            Console.write(renderer.render(answer))
        }
    }
}
