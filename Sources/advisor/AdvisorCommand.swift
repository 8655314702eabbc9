import AdvisorKit
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
            valueName: "file"))
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
        if let request = AskRequest.fastPath(Array(CommandLine.arguments.dropFirst())) {
            do {
                try request.run()
                return
            } catch {
                AdvisorCommand.exit(withError: error)
            }
        }
        do {
            var command = try AdvisorCommand.parseAsRoot()
            try command.run()
        } catch {
            let code = AdvisorCommand.exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((AdvisorCommand.fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            AdvisorCommand.exit(withError: error)
        }
    }
}
