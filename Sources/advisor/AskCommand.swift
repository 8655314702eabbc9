import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation
import LineEditor

/// `advisor ask QUESTION...`: one question, one answer, no transcript.
struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer one question and exit (no transcript is recorded).")

    @OptionGroup var knowledgeBase: KnowledgeBaseOption
    @OptionGroup var color: ColorOption
    @OptionGroup var session: SessionOptions

    @Argument(help: "The question, in plain words.")
    var question: [String]

    func validate() throws {
        if question.joined().trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("ask needs a question, e.g. advisor ask \"Who should own mobile?\"")
        }
    }

    func run() throws {
        try AskRequest(
            question: question.joined(separator: " "), role: session.role, json: session.json, kb: knowledgeBase.kb,
            noColor: color.noColor
        ).run()
    }
}

/// What `advisor ask` does, apart from parsing its arguments.
struct AskRequest {
    var question: String
    var role: Role?
    var json = false
    var kb: String?
    var noColor = false

    func run() throws {
        Console.ignoreBrokenPipe()
        let advisor = try CommonOptions.loadAdvisor(kb: kb)
        let answer = advisor.ask(question, role: role)
        if json {
            Console.write(answer.jsonLine())
        } else {
            let renderer = AnswerRenderer(
                width: TerminalPolicy.outputWidth(), style: TextStyle(colors: CommonOptions.useColor(noColor: noColor)))
            Console.write(renderer.render(answer))
        }
        // The process exits next: freeing the advisor's tables one by one would only delay it.
        _ = Unmanaged.passRetained(advisor)
    }

    /// The arguments of a plain one-shot question (`ask [--role R] [--json] [--kb DIR]
    /// [--no-color] WORDS...`), read without the argument parser, whose reflection costs
    /// several milliseconds at every start; nil for anything else (help, errors, other
    /// options), which then goes through the argument parser as usual.
    static func fastPath(_ arguments: [String]) -> AskRequest? {
        guard arguments.first == "ask" else { return nil }
        var request = AskRequest(question: "")
        var words: [String] = []
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--json": request.json = true
            case "--no-color": request.noColor = true
            case "--role", "--kb":
                guard index + 1 < arguments.count, !arguments[index + 1].hasPrefix("-") else { return nil }
                index += 1
                if argument == "--kb" {
                    request.kb = arguments[index]
                } else {
                    guard let role = Role(rawValue: arguments[index].lowercased()) else { return nil }
                    request.role = role
                }
            default:
                guard !argument.hasPrefix("-") else { return nil }
                words.append(argument)
            }
            index += 1
        }
        // By hand: `joined(separator:)` and `trimmingCharacters(in:)` are generic or Foundation
        // code that instantiates its types at the first call, slower than the whole loop.
        for (position, word) in words.enumerated() {
            if position > 0 { request.question += " " }
            request.question += word
        }
        guard !isBlank(request.question) else { return nil }
        return request
    }

    /// Whether `text` holds only spaces and tabs (Unicode's space separators and U+0009,
    /// what `CharacterSet.whitespaces` holds).
    static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }
}
