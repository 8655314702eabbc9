import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation

/// What the command line means before the argument parser sees it, as git reads it:
/// options may come before the subcommand, an unknown command word gets "did you mean",
/// and a question typed without `ask` gets the command that asks it.
enum CommandLineWords {
    /// Subcommands by parent ("" is `advisor` itself), from the commands' own configurations.
    static let subcommands: [String: [String]] = {
        var result: [String: [String]] = [:]
        let top = AdvisorCommand.configuration.subcommands
        result[""] = top.map { $0._commandName }
        for command in top where !command.configuration.subcommands.isEmpty {
            result[command._commandName] = command.configuration.subcommands.map { $0._commandName }
        }
        return result
    }()

    /// Options that take a value (as the next argument unless written `--name=value`).
    static let valueOptions: Set<String> = ["--kb", "--transcripts", "--role", "--history", "--format", "--limit"]

    /// A command line that cannot mean anything: the one-line message and exit 2.
    struct Problem: Error {
        var message: String
    }

    /// `arguments` with options given before the subcommand moved after it
    /// (`--kb DIR kb check` is `kb check --kb DIR`), or the problem with the command word.
    static func normalize(_ arguments: [String]) throws(Problem) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count, arguments[index].hasPrefix("-"), arguments[index] != "-" {
            let argument = arguments[index]
            if ["-h", "--help", "--version", "--"].contains(argument) || argument.hasPrefix("--generate")
                || argument == "---completion"
            {
                return arguments
            }
            leading.append(argument)
            index += 1
            if valueOptions.contains(argument), index < arguments.count {
                leading.append(arguments[index])
                index += 1
            }
        }
        guard index < arguments.count else { return arguments }
        let first = arguments[index]
        if first == "help" { return arguments }
        guard let top = subcommands[""], top.contains(first) else {
            throw notACommand(first, rest: Array(arguments[(index + 1)...]))
        }
        var path = [first]
        index += 1
        if let children = subcommands[first], index < arguments.count {
            let next = arguments[index]
            if children.contains(next) || next == "help" {
                path.append(next)
                index += 1
            } else if !next.hasPrefix("-") {
                var message = "unknown command '\(first) \(next)'"
                if let near = near(next, among: children) { message += "; did you mean '\(first) \(near)'?" }
                message += " (commands: \(children.joined(separator: ", ")))"
                throw Problem(message: message)
            }
        }
        return path + leading + arguments[index...]
    }

    /// A first word that is no command: a typo of one, a script file, or a question.
    private static func notACommand(_ word: String, rest: [String]) -> Problem {
        let top = subcommands[""] ?? []
        if let near = near(word, among: top) {
            return Problem(message: "unknown command '\(word)'; did you mean '\(near)'?")
        }
        var isDirectory: ObjCBool = false
        if rest.isEmpty, FileManager.default.fileExists(atPath: word, isDirectory: &isDirectory), !isDirectory.boolValue
        {
            return Problem(message: "'\(word)' is not a command; to run it as a script: advisor run \(word)")
        }
        let words = [word] + rest.filter { !$0.hasPrefix("-") }
        let question = words.joined(separator: " ").replacingOccurrences(of: "\"", with: "\\\"")
        return Problem(message: "'\(word)' is not a command; to ask a question: advisor ask \"\(question)\"")
    }

    /// The command `word` was probably a typo of: one edit away, or two in a long word.
    private static func near(_ word: String, among names: [String]) -> String? {
        let typed = Array(word.lowercased())
        let scored = names.map { ($0, SpellCorrector.editDistance(typed, Array($0))) }
        guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else { return nil }
        if best.1 <= 1, typed.count >= 2 { return best.0 }
        if best.1 <= 2, typed.count >= 6 { return best.0 }
        return nil
    }
}
