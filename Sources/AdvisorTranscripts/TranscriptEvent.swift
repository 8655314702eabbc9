import AdvisorEngine
import AdvisorKnowledge
import Foundation

/// The kinds of line in a transcript.
public enum TranscriptEventType: String, Sendable, Codable {
    case session, turn, command, end
}

/// The first line of a transcript.
public struct SessionEvent: Sendable, Decodable, Equatable {
    /// The event's kind, always `session`.
    public var type = TranscriptEventType.session
    /// When the session started, as `Timestamp` writes it (`2026-11-25T12:20:05.123Z`).
    public var at: String
    /// The session id, also the transcript's file name without `.jsonl`.
    public var id: String
    /// `interactive` or `script`.
    public var mode: String
    /// The advisor version that recorded the session.
    public var version: String
    /// The knowledge base's fingerprint when the session started.
    public var kb: String
    /// The asker's role when the session started (from `--role` or the preferences), or nil when none was set.
    public var role: Role?
    /// The script file, for a scripted session.
    public var script: String?

    /// Makes the session event from its fields, `type` left as `session`.
    public init(at: String, id: String, mode: String, version: String, kb: String, role: Role?, script: String?) {
        self.at = at
        self.id = id
        self.mode = mode
        self.version = version
        self.kb = kb
        self.role = role
        self.script = script
    }
}

/// One question and its answer.
public struct TurnEvent: Sendable, Decodable, Equatable {
    /// When the question was answered, as `Timestamp` writes it.
    public var at: String
    /// 1-based turn number in the session.
    public var n: Int
    /// The question as the user typed it.
    public var question: String
    /// The answer object, as `--json` prints it.
    public var answer: Answer

    package enum CodingKeys: String, CodingKey { case type, at, n, question }

    /// Makes a turn event from its fields.
    public init(at: String, n: Int, question: String, answer: Answer) {
        self.at = at
        self.n = n
        self.question = question
        self.answer = answer
    }

    /// Reads a turn line: `at`, `n` and `question`, and the answer from the same JSON object.
    ///
    /// - Throws: A `DecodingError` when a field is missing or has the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        at = try container.decode(String.self, forKey: .at)
        n = try container.decode(Int.self, forKey: .n)
        question = try container.decode(String.self, forKey: .question)
        answer = try Answer(from: decoder)
    }
}

/// A slash command and what it did.
public struct CommandEvent: Sendable, Decodable, Equatable {
    /// The event's kind, always `command`.
    public var type = TranscriptEventType.command
    /// When the command ran, as `Timestamp` writes it.
    public var at: String
    /// The command line as typed ("/role cmo").
    public var line: String
    /// What it changed or showed ("role set to cmo").
    public var effect: String
    /// The text shown, as the user read it (an answer shown by /more, /why's
    /// explanation, /sources' citations); absent when nothing was shown.
    public var output: String?

    /// Makes a command event; `output` is nil when the command showed nothing.
    public init(at: String, line: String, effect: String, output: String? = nil) {
        self.at = at
        self.line = line
        self.effect = effect
        self.output = output
    }
}

/// The last line of a transcript, written on a clean exit.
public struct EndEvent: Sendable, Decodable, Equatable {
    /// The event's kind, always `end`.
    public var type = TranscriptEventType.end
    /// When the session ended, as `Timestamp` writes it.
    public var at: String
    /// How many questions the session answered.
    public var turns: Int

    /// Makes the end event from the time and the number of turns.
    public init(at: String, turns: Int) {
        self.at = at
        self.turns = turns
    }
}

/// Timestamps for transcripts: ISO-8601 UTC with milliseconds.
public enum Timestamp {
    /// Now, formatted.
    public static func now() -> String { format(Date()) }

    /// `date` as `2026-11-25T12:20:05.123Z`.
    public static func format(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        let millis = Int((date.timeIntervalSince1970 * 1000).rounded(.down)) % 1000
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
    }
}
