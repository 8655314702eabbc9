import AdvisorText
import Foundation

/// A slash command as typed in the REPL or a script (`/role cmo`).
public struct SlashCommand: Sendable, Equatable {
    /// The command's name without the slash ("role").
    public var name: String
    /// What follows the name, trimmed.
    public var argument: String

    /// What a command's argument is, so that completion can offer it.
    public enum ArgumentKind: Sendable {
        case none, topic, role, file, text
    }

    /// One command of the catalog: its name, its argument as shown in /help, what it does,
    /// and what kind of argument it takes.
    public struct Entry: Sendable {
        /// The command's name without the slash ("role").
        public var name: String
        /// The argument as `/help` shows it ("cio|cmo|none", "[FILE]"); empty when the command takes none.
        public var argument: String
        /// What the command does, in the few words `/help` shows ("list the commands").
        public var help: String
        /// What kind of argument the command takes, for completion.
        public var takes: ArgumentKind
    }

    /// Every command: name, argument, what it does, and what its argument is.
    public static let catalog: [Entry] = [
        Entry(name: "help", argument: "", help: "list the commands", takes: .none),
        Entry(name: "topics", argument: "", help: "list the topics the advisor covers", takes: .none),
        Entry(name: "topic", argument: "ID", help: "show a topic directly", takes: .topic),
        Entry(name: "role", argument: "cio|cmo|none", help: "frame every later answer for a role", takes: .role),
        Entry(name: "why", argument: "", help: "why the last answer was chosen", takes: .none),
        Entry(name: "whynot", argument: "TOPIC", help: "why that topic lost to the last answer", takes: .topic),
        Entry(name: "sources", argument: "", help: "full citations of the last answer", takes: .none),
        Entry(name: "more", argument: "", help: "the longer explanation of the last topic", takes: .none),
        Entry(name: "history", argument: "", help: "this session's questions", takes: .none),
        Entry(name: "reset", argument: "", help: "forget the conversation so far", takes: .none),
        Entry(name: "transcript", argument: "", help: "where this session is being saved", takes: .none),
        Entry(
            name: "save", argument: "[FILE]",
            help: "save this session so far (ID.md here, or FILE: .md, .html, .json, .txt)", takes: .file),
        Entry(
            name: "export", argument: "FILE", help: "export this session so far as FILE (.md, .html, .json, .txt)",
            takes: .file),
        Entry(name: "clear", argument: "", help: "clear the screen (also Ctrl-L)", takes: .none),
        Entry(
            name: "expect", argument: "TOPIC", help: "check the topic of the last answer (for scripts)", takes: .topic),
        Entry(name: "quit", argument: "", help: "end the session (also /exit, Ctrl-D)", takes: .none),
    ]

    /// The catalog entry this command means, or nil for an unknown command.
    public var entry: Entry? {
        canonicalName.flatMap { name in Self.catalog.first { $0.name == name } }
    }

    /// Every name a command can be typed as, with its slash, for completion: the catalog's
    /// and the longer aliases (`/exit`).
    public static var completions: [String] {
        (catalog.map(\.name) + aliases.keys.filter { $0.count > 1 }).map { "/" + $0 }.sorted()
    }

    /// Names accepted besides the catalog's.
    public static let aliases: [String: String] = ["exit": "quit", "q": "quit", "h": "help", "?": "help"]

    /// Parses a line starting with "/"; nil when it does not.
    public init?(line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("/") else { return nil }
        let body = trimmed.dropFirst()
        let name = body.prefix { !$0.isWhitespace }
        self.name = name.lowercased()
        argument = body.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
    }

    /// The catalog name this command means, or nil for an unknown command.
    public var canonicalName: String? {
        if Self.catalog.contains(where: { $0.name == name }) { return name }
        return Self.aliases[name]
    }

    /// The known command closest to an unknown `name`, for "did you mean".
    public static func suggestion(for name: String) -> String? {
        SpellCorrector.nearest(to: name, among: catalog.map(\.name) + aliases.keys.filter { $0.count > 1 }.sorted())
    }
}
