import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation

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
