/// A slash command read into what it asks for: the session switches on these, never on
/// command names.
public enum SessionCommand: Sendable, Equatable {
    case help, topics, why, sources, more, history, reset, transcript, clear, quit
    /// `/topic ID`.
    case topic(String)
    /// `/role cio|cmo|none [--save]`, as typed after the name.
    case role(String)
    /// `/whynot TOPIC`.
    case whyNot(String)
    /// `/expect TOPIC [as ROLE] [about ROLE]`, as typed after the name.
    case expect(String)
    /// `/save [FILE]`.
    case save(String)
    /// `/export FILE`.
    case export(String)

    /// The command `slash` names (aliases included); nil for an unknown name.
    public init?(_ slash: SlashCommand) {
        guard let name = slash.canonicalName else { return nil }
        let argument = slash.argument
        switch name {
        case "help": self = .help
        case "topics": self = .topics
        case "topic": self = .topic(argument)
        case "role": self = .role(argument)
        case "why": self = .why
        case "whynot": self = .whyNot(argument)
        case "sources": self = .sources
        case "more": self = .more
        case "history": self = .history
        case "reset": self = .reset
        case "transcript": self = .transcript
        case "expect": self = .expect(argument)
        case "save": self = .save(argument)
        case "export": self = .export(argument)
        case "clear": self = .clear
        case "quit": self = .quit
        default: return nil
        }
    }

    /// How the command's output is shown and kept in the transcript.
    public enum Display: Sendable {
        /// A rendered answer (styled, already wrapped); the transcript keeps its plain text.
        case answer
        /// Plain text about the conversation, wrapped; the transcript keeps it as shown.
        case kept
        /// Plain text, wrapped; the transcript keeps only the effect.
        case wrapped
        /// Nothing to wrap (clear, quit, expect's one line).
        case raw
    }

    /// How this command's output is shown and kept.
    public var display: Display {
        switch self {
        case .more, .topic: .answer
        case .why, .whyNot, .sources: .kept
        case .help, .topics, .history, .role, .reset, .transcript, .save, .export: .wrapped
        case .clear, .quit, .expect: .raw
        }
    }
}
