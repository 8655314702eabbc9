import AdvisorEngine
import AdvisorSystem
import Foundation

/// Formats of a transcript for people and programs.
public enum TranscriptFormat: String, Sendable, CaseIterable {
    case text, markdown, html, json

    /// The format a file name asks for by its extension (`.txt`, `.md`, `.html`, `.json`), if any.
    public init?(fileName: String) {
        switch (fileName as NSString).pathExtension.lowercased() {
        case "txt", "text": self = .text
        case "md", "markdown": self = .markdown
        case "html", "htm": self = .html
        case "json", "jsonl": self = .json
        default: return nil
        }
    }

    /// The usual file extension.
    public var fileExtension: String {
        switch self {
        case .text: return "txt"
        case .markdown: return "md"
        case .html: return "html"
        case .json: return "json"
        }
    }
}

/// Renders a transcript as text, Markdown, a self-contained HTML page, or JSON Lines.
///
/// Everything read from the file is untrusted: control characters and escape sequences
/// are neutralised in text and Markdown, and HTML is escaped. Times are shown in
/// `localTime` (the local zone, from `TZ`); JSON keeps them as saved, in UTC.
public struct TranscriptFormatter: Sendable {
    /// Renders the answers of text transcripts and styles their headings (wrap width, colours).
    public var renderer: AnswerRenderer
    /// The session is still running (saved from inside it): a missing end event is expected.
    public var running: Bool
    /// The zone times are shown in (JSON keeps the saved UTC times).
    public var localTime: LocalTime

    /// Makes a formatter that renders answers with `renderer` and shows times in `localTime`.
    ///
    /// By default answers are wrapped at 80 columns without colour, a missing end event is
    /// reported as an unclean exit, and times are shown in the process's local zone.
    public init(renderer: AnswerRenderer = AnswerRenderer(), running: Bool = false, localTime: LocalTime = .system) {
        self.renderer = renderer
        self.running = running
        self.localTime = localTime
    }

    /// The whole of `transcript` in `format`: its heading, every turn and command in order, and its ending.
    public func render(_ transcript: Transcript, as format: TranscriptFormat) -> String {
        let firstQuestion = transcript.turns.first?.question
        var out = begin(id: transcript.id, session: transcript.session, firstQuestion: firstQuestion, as: format)
        for entry in transcript.entries { out += render(entry, as: format) }
        return out + finish(end: transcript.end, as: format)
    }

    // MARK: Piece by piece

    // A transcript is rendered as it is read: `begin` once the session event is known,
    // `render(_:as:)` for each turn or command in order, `finish` with the end event (or
    // nil when there is none). The pieces joined are `render(_:as:)` of the whole.

    /// The start of the document: the title and what the session event says.
    ///
    /// `firstQuestion` is the question of the session's first turn, which names an HTML
    /// page (nil when it has none); a reader that streams the file peeks at it first
    /// (`TranscriptStore.firstQuestion(_:)`). Text, Markdown and JSON do not use it.
    public func begin(id: String, session: SessionEvent?, firstQuestion: String?, as format: TranscriptFormat)
        -> String
    {
        let lines = header(id: id, session: session)
        switch format {
        case .text:
            return lines.map { renderer.style.bold($0) }.joined(separator: "\n") + "\n\n"
        case .markdown:
            var out = "# Advisor session \(md(id))\n\n"
            if lines.count > 1 { out += md(lines[1]) + "\n\n" }
            return out
        case .html:
            return htmlBegin(id: id, session: session, firstQuestion: firstQuestion)
        case .json:
            return session.map { $0.jsonLine() } ?? ""
        }
    }

    /// One turn or command.
    public func render(_ entry: Transcript.Entry, as format: TranscriptFormat) -> String {
        switch format {
        case .text: return text(entry)
        case .markdown: return markdown(entry)
        case .html: return html(entry)
        case .json:
            switch entry {
            case .command(let command): return command.jsonLine()
            case .turn(let turn): return turn.jsonLine()
            }
        }
    }

    /// The end of the document: when the session ended, in local time, or that it did
    /// not exit cleanly.
    public func finish(end: EndEvent?, as format: TranscriptFormat) -> String {
        if format == .json { return end.map { $0.jsonLine() } ?? "" }
        if format == .html { return htmlFinish(end: end) }
        guard let footer = footer(end) else { return "" }
        return format == .text ? renderer.style.dim(safe(footer)) + "\n" : "*\(md(footer))*\n"
    }

    func safe(_ text: String) -> String { TerminalSafe.neutralize(text) }

    /// "Session ID", then "started 2 Dec 2026 09:14 CET, mode …" when the session event is known.
    private func header(id: String, session: SessionEvent?) -> [String] {
        guard let session else { return ["Session \(id)"] }
        let started = "started \(localTime.dateTime(session.at) ?? session.at)"
        return ["Session \(id)", ([started] + sessionFacts(session)).map(safe).joined(separator: ", ")]
    }

    /// What the session event says besides its start: mode, role, versions.
    func sessionFacts(_ session: SessionEvent) -> [String] {
        var parts = ["mode \(session.mode)"]
        if let role = session.role { parts.append("role \(role.rawValue)") }
        parts.append("advisor \(session.version)")
        parts.append("knowledge base \(session.kb)")
        return parts
    }

    /// The last line: "ended 2 Dec 2026 09:30 CET, 4 turns", or the missing end event
    /// (nil when the session is running, as expected).
    func footer(_ end: EndEvent?) -> String? {
        guard let end else { return running ? nil : Self.noEnd }
        return "ended \(localTime.dateTime(end.at) ?? end.at), \(end.turns) turn\(end.turns == 1 ? "" : "s")"
    }

    static let noEnd = "(no end event: the session did not exit cleanly)"

    private func text(_ entry: Transcript.Entry) -> String {
        switch entry {
        case .command(let command):
            if let output = command.output {
                // What the user read: the command as typed, then the text it showed.
                return renderer.style.accent("> \(safe(command.line))") + "\n"
                    + renderer.wrap(safe(output), table: true)
                    + "\n"
            }
            return renderer.style.dim("> \(safe(command.line))  (\(safe(command.effect)))") + "\n\n"
        case .turn(let turn):
            // The renderer neutralises every text of the answer.
            return renderer.style.accent("[\(turn.n)] > \(safe(turn.question))") + "\n" + renderer.render(turn.answer)
                + "\n"
        }
    }

    /// Neutralise controls, and keep Markdown/HTML syntax in the text literal.
    func md(_ text: String) -> String {
        let text = safe(text)
        if let escaped = Self.escapeASCII(text, Self.markdownEscape) { return escaped }
        var result = ""
        for character in text {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\\", "`", "*", "_", "[", "]", "#", "|": result += "\\\(character)"
            default: result.append(character)
            }
        }
        return result
    }

    private func markdown(_ entry: Transcript.Entry) -> String {
        var out = ""
        switch entry {
        case .command(let command):
            out +=
                "*Command* `\(safe(command.line).replacingOccurrences(of: "`", with: "'"))`: \(md(command.effect))\n\n"
            if let output = command.output {
                // Shown as it was read, in a fence no line of it can close.
                let text = safe(output).replacingOccurrences(of: "~~~", with: "~ ~ ~")
                out += "~~~text\n\(text)\n~~~\n\n"
            }
        case .turn(let turn):
            out += "## \(turn.n). \(md(turn.question))\n\n"
            out +=
                "**\(md(turn.answer.title))** (topic `\(safe(turn.answer.topic).replacingOccurrences(of: "`", with: "'"))`"
            if let role = turn.answer.role { out += ", for a \(role.displayName)" }
            out += ")\n\n"
            for paragraph in Self.paragraphs(turn.answer.answer) { out += md(paragraph) + "\n\n" }
            if let note = turn.answer.note { out += "> \(md(note))\n\n" }
            if !turn.answer.sources.isEmpty {
                out += "Sources:\n\n"
                for source in turn.answer.sources {
                    out += "- \(Self.reference(source, escaped: md))\n"
                }
                out += "\n"
            }
        }
        return out
    }

    /// A source as a reference line: "title, author, date", each part escaped for the format.
    static func reference(_ source: Citation, escaped escape: (String) -> String) -> String {
        ([source.title] + [source.author, source.date].compactMap { $0 }).map(escape).joined(separator: ", ")
    }

    /// The non-empty lines of `text`, as `split(separator: "\n")` gives them (byte by byte
    /// when there is no carriage return, which would join "\r\n" into one character).
    static func paragraphs(_ text: String) -> [String] {
        guard !text.utf8.contains(0x0D) else { return text.split(separator: "\n").map(String.init) }
        return text.utf8.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
    }

    /// What `md` writes for an ASCII byte, when not the byte itself: < > & \ ` * _ [ ] # |
    /// (bytes as numbers: this runs for every byte of a long transcript).
    private static func markdownEscape(_ byte: UInt8) -> String? {
        switch byte {
        case 0x3C: return "&lt;"
        case 0x3E: return "&gt;"
        case 0x26: return "&amp;"
        case 0x5C, 0x60, 0x2A, 0x5F, 0x5B, 0x5D, 0x23, 0x7C: return "\\" + String(UnicodeScalar(byte))
        default: return nil
        }
    }

    /// What `h` writes for an ASCII byte, when not the byte itself: < > & " ' and controls
    /// other than newline and tab.
    static func htmlEscape(_ byte: UInt8) -> String? {
        switch byte {
        case 0x3C: return "&lt;"
        case 0x3E: return "&gt;"
        case 0x26: return "&amp;"
        case 0x22: return "&quot;"
        case 0x27: return "&#39;"
        case 0x0A, 0x09: return nil
        case 0..<0x20, 0x7F: return "&#xFFFD;"
        default: return nil
        }
    }

    /// `text` with each byte `escape` names replaced, or nil unless it is ASCII without carriage returns.
    ///
    /// A character is then a byte: the fast path of long transcripts.
    static func escapeASCII(_ text: String, _ escape: (UInt8) -> String?) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            for byte in bytes {
                if byte >= 0x80 || byte == 0x0D { return nil }
                if let replacement = escape(byte) {
                    out.append(contentsOf: replacement.utf8)
                } else {
                    out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
