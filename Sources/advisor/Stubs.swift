import AdvisorKit
import ArgumentParser

struct TranscriptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transcripts")
    func run() throws {}
}
struct ChatSession {
    var common: CommonOptions
    var role: Role?
    func run() throws {}
}
