import AdvisorKit
import ArgumentParser

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run")
    func run() throws {}
}
struct TranscriptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transcripts")
    func run() throws {}
}
struct ChatSession {
    var common: CommonOptions
    var role: Role?
    func run() throws {}
}
struct ScriptSession {
    var common: CommonOptions
    var session: SessionOptions
    var path: String
    func run() throws {}
}
