import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation

/// `advisor`: a chat REPL on a terminal, a scripted session otherwise.
struct AdvisorCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "advisor",
        abstract: "Advice for CIOs and CMOs on working together, from five articles, with sources.",
        discussion: """
            With no subcommand, starts a chat session on a terminal; with standard input \
            not a terminal, runs it as a script (the same as `advisor run -`).
            """,
        version: version,
        subcommands: [ChatCommand.self, AskCommand.self, RunCommand.self, TranscriptsCommand.self, KBCommand.self],
        defaultSubcommand: ChatCommand.self
    )
}

/// The default: chat on a terminal, a script otherwise.
struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat on a terminal (the default); with standard input not a terminal, run it as a script.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var session: SessionOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The line-editing history file (else $ADVISOR_HISTORY, else $XDG_STATE_HOME/advisor/history).",
            valueName: "file"),
        completion: .file())
    var history: String?

    @Flag(name: .long, help: "With standard input not a terminal: stop at the first error or failed expectation.")
    var bail = false

    func run() throws {
        if isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 {
            try ChatSession(common: common, role: session.role, historyFile: history).run()
        } else {
            try ScriptSession(common: common, session: session, path: "-", bail: bail).run()
        }
    }
}

/// Entry point: maps argument errors to exit status 2, as the contract says.
@main
enum Main {
    static func main() {
        // A write past a file-size limit then fails with EFBIG, reported like a full disk,
        // instead of killing the process.
        signal(SIGXFSZ, SIG_IGN)
        let arguments: [String]
        do {
            arguments = try CommandLineWords.normalize(Array(CommandLine.arguments.dropFirst()))
        } catch {
            Console.errorLine("advisor: error: \(error.message) (see 'advisor --help')")
            Foundation.exit(2)
        }
        if let request = AskRequest.fastPath(arguments) {
            do {
                try request.run()
                return
            } catch {
                exit(with: error)
            }
        }
        do {
            var command = try AdvisorCommand.parseAsRoot(arguments)
            try command.run()
        } catch {
            exit(with: error)
        }
    }

    /// Help and version go to standard output as the argument parser writes them; an
    /// error is one line on standard error, `advisor: error: ...`, with whatever the user
    /// typed neutralised (an escape in an argument is shown as `^[`, never sent raw).
    static func exit(with error: Error) -> Never {
        if let code = error as? ExitCode { Foundation.exit(code.rawValue) }
        let code = AdvisorCommand.exitCode(for: error)
        if code == .success { AdvisorCommand.exit(withError: error) }
        Console.errorLine("advisor: error: " + oneLine(error))
        Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
    }

    /// The argument parser's message, its first letter lower-cased as in the rest of our
    /// messages, and where to find help.
    static func oneLine(_ error: Error) -> String {
        var message = AdvisorCommand.message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
        if let first = message.first, first.isUppercase, message.dropFirst().first?.isLowercase == true {
            message = first.lowercased() + message.dropFirst()
        }
        let hint = AdvisorCommand.fullMessage(for: error).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("See '") && $0.hasSuffix("for more information.") }
        if let hint, let end = hint.range(of: " for more information.") {
            message += " (see" + hint.dropFirst(3)[..<end.lowerBound] + ")"
        }
        return message
    }
}
