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

/// Entry point: maps argument errors to exit status 2, as the contract says.
@main
enum Main {
    static func main() {
        // A write past a file-size limit then fails with EFBIG, reported like a full disk,
        // instead of killing the process.
        signal(SIGXFSZ, SIG_IGN)
        let typed = Array(CommandLine.arguments.dropFirst())
        // A plain `advisor ask ...` is already in normal form (nothing before `ask`, which has
        // no subcommands): it skips reading the command tree, which instantiates every
        // command's type at start-up.
        let arguments: [String]
        do {
            arguments = typed.first == "ask" ? typed : try CommandLineWords.normalize(typed)
        } catch {
            Console.errorLine("advisor: error: \(error.message) (see 'advisor --help')")
            Foundation.exit(2)
        }
        if let request = AskRequest.fastPath(arguments) {
            do {
                try request.run()
                return
            } catch {
                Console.terminate(with: error)
            }
        }
        do {
            var command = try AdvisorCommand.parseAsRoot(arguments)
            try command.run()
        } catch {
            Console.terminate(with: error)
        }
    }
}
