import AdvisorText
import Foundation

/// A slash command as typed in the REPL or a script (`/role cmo`).
public struct SlashCommand: Sendable, Equatable {
    /// The command's name without the slash ("role").
    public var name: String
    /// What follows the name, trimmed.
    public var argument: String

    /// Every command: name, argument, and what it does.
    public static let catalog: [(name: String, argument: String, help: String)] = [
        ("help", "", "list the commands"),
        ("topics", "", "list the topics the advisor covers"),
        ("topic", "ID", "show a topic directly"),
        ("role", "cio|cmo|none", "frame every later answer for a role"),
        ("why", "", "why the last answer was chosen"),
        ("whynot", "TOPIC", "why that topic lost to the last answer"),
        ("sources", "", "full citations of the last answer"),
        ("more", "", "the longer explanation of the last topic"),
        ("history", "", "this session's questions"),
        ("reset", "", "forget the conversation so far"),
        ("transcript", "", "where this session is being saved"),
        ("save", "[FILE]", "save this session so far (ID.md here, or FILE: .md, .html, .json, .txt)"),
        ("export", "FILE", "export this session so far as FILE (.md, .html, .json, .txt)"),
        ("clear", "", "clear the screen (also Ctrl-L)"),
        ("expect", "TOPIC", "check the topic of the last answer (for scripts)"),
        ("quit", "", "end the session (also /exit, Ctrl-D)"),
    ]

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
