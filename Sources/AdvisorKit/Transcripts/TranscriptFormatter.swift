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
/// are neutralised in text and Markdown, and HTML is escaped.
public struct TranscriptFormatter: Sendable {
    public var renderer: AnswerRenderer
    /// The session is still running (saved from inside it): a missing end event is expected.
    public var running: Bool

    public init(renderer: AnswerRenderer = AnswerRenderer(), running: Bool = false) {
        self.renderer = renderer
        self.running = running
    }

    public func render(_ transcript: Transcript, as format: TranscriptFormat) -> String {
        switch format {
        case .text: return text(transcript)
        case .markdown: return markdown(transcript)
        case .html: return html(transcript)
        case .json: return json(transcript)
        }
    }

    private func safe(_ text: String) -> String { TerminalSafe.neutralize(text) }

    private func header(_ transcript: Transcript) -> [String] {
        guard let session = transcript.session else { return ["Session \(transcript.id)"] }
        var parts = ["started \(session.at)", "mode \(session.mode)"]
        if let role = session.role { parts.append("role \(role.rawValue)") }
        parts.append("advisor \(session.version)")
        parts.append("knowledge base \(session.kb)")
        return ["Session \(transcript.id)", parts.map(safe).joined(separator: ", ")]
    }

    private func footer(_ transcript: Transcript) -> String? {
        transcript.end == nil && !running ? "(no end event: the session did not exit cleanly)" : nil
    }

    func text(_ transcript: Transcript) -> String {
        var out = header(transcript).map { renderer.style.bold($0) }.joined(separator: "\n") + "\n\n"
        for entry in transcript.entries {
            switch entry {
            case .command(let command):
                if let output = command.output {
                    // What the user read: the command as typed, then the text it showed.
                    out += renderer.style.accent("> \(safe(command.line))") + "\n"
                    out += renderer.wrap(safe(output), table: true) + "\n"
                } else {
                    out += renderer.style.dim("> \(safe(command.line))  (\(safe(command.effect)))") + "\n\n"
                }
            case .turn(let turn):
                out += renderer.style.accent("[\(turn.n)] > \(safe(turn.question))") + "\n"
                var answer = turn.answer
                answer.title = safe(answer.title)
                answer.answer = safe(answer.answer)
                answer.note = answer.note.map(safe)
                answer.topic = safe(answer.topic)
                answer.related = answer.related.map(safe)
                answer.sources = answer.sources.map {
                    Citation(
                        seed: safe($0.seed), title: safe($0.title), author: $0.author.map(safe), date: $0.date.map(safe)
                    )
                }
                out += renderer.render(answer) + "\n"
            }
        }
        if let footer = footer(transcript) { out += renderer.style.dim(footer) + "\n" }
        return out
    }

    func markdown(_ transcript: Transcript) -> String {
        func md(_ text: String) -> String {
            // Neutralise controls, and keep Markdown/HTML syntax in the text literal.
            var result = ""
            for character in safe(text) {
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
        let lines = header(transcript)
        var out = "# Advisor session \(md(transcript.id))\n\n"
        if lines.count > 1 { out += md(lines[1]) + "\n\n" }
        for entry in transcript.entries {
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
                for paragraph in turn.answer.answer.split(separator: "\n") { out += md(String(paragraph)) + "\n\n" }
                if let note = turn.answer.note { out += "> \(md(note))\n\n" }
                if !turn.answer.sources.isEmpty {
                    out += "Sources:\n\n"
                    for source in turn.answer.sources {
                        out +=
                            "- \(md(source.title))" + (source.author.map { ", \(md($0))" } ?? "")
                            + (source.date.map { ", \(md($0))" } ?? "") + "\n"
                    }
                    out += "\n"
                }
            }
        }
        if let footer = footer(transcript) { out += "*\(footer)*\n" }
        return out
    }

    func html(_ transcript: Transcript) -> String {
        func h(_ text: String) -> String {
            var result = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "<": result += "&lt;"
                case ">": result += "&gt;"
                case "&": result += "&amp;"
                case "\"": result += "&quot;"
                case "'": result += "&#39;"
                default:
                    if TerminalSafe.isControl(scalar), scalar != "\n", scalar != "\t" {
                        result += "&#xFFFD;"
                    } else {
                        result.unicodeScalars.append(scalar)
                    }
                }
            }
            return result
        }
        let name = sessionName(transcript)
        var body = "<h1>\(h(name))</h1>\n"
        if let session = transcript.session {
            var parts = ["Session \(session.id)", "started \(Self.localTime(session.at))", "mode \(session.mode)"]
            if let role = session.role { parts.append("role \(role.rawValue)") }
            parts.append("advisor \(session.version)")
            parts.append("knowledge base \(session.kb)")
            body += "<p class=\"meta\">\(h(parts.joined(separator: ", ")))</p>\n"
        } else {
            body += "<p class=\"meta\">Session \(h(transcript.id))</p>\n"
        }
        for entry in transcript.entries {
            switch entry {
            case .command(let command):
                body +=
                    "<p class=\"command\">\(time(command.at, h))<code>\(h(command.line))</code> \(h(command.effect))</p>\n"
                if let output = command.output { body += "<div class=\"shown\">\n\(blocks(output, h))</div>\n" }
            case .turn(let turn):
                body += "<section class=\"turn\">\n<h2>\(turn.n). \(h(turn.question))</h2>\n"
                body +=
                    "<p class=\"title\">\(time(turn.at, h))<strong>\(h(turn.answer.title))</strong> <span class=\"topic\">\(h(turn.answer.topic))</span></p>\n"
                body += blocks(turn.answer.answer, h)
                if let note = turn.answer.note { body += "<p class=\"note\">\(h(note))</p>\n" }
                if !turn.answer.sources.isEmpty {
                    body += "<ol class=\"sources\">\n"
                    for source in turn.answer.sources {
                        body +=
                            "<li>\(h(source.title))" + (source.author.map { ", \(h($0))" } ?? "")
                            + (source.date.map { ", \(h($0))" } ?? "") + "</li>\n"
                    }
                    body += "</ol>\n"
                }
                body += "</section>\n"
            }
        }
        if let footer = footer(transcript) { body += "<p class=\"meta\">\(h(footer))</p>\n" }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>\(h(name))</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }
            h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
            .meta, .topic, .command, .sources { color: #666; font-size: 0.9rem; }
            time { color: #666; font-size: 0.85rem; margin-right: 0.5rem; }
            pre { white-space: pre-wrap; }
            .shown { border-left: 3px solid #ddd; padding-left: 0.75rem; }
            .note { border-left: 3px solid #4a90d9; padding-left: 0.75rem; }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    /// Text as shown, as HTML blocks: lines starting "- " (figures, next steps) are list
    /// items, indented or column-aligned lines (`/why`'s candidates) preformatted, the
    /// others paragraphs.
    private func blocks(_ text: String, _ h: (String) -> String) -> String {
        var out = ""
        var open: String?
        func close() {
            if let tag = open { out += tag == "ul" ? "</ul>\n" : "</pre>\n" }
            open = nil
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("- ") {
                if open != "ul" {
                    close()
                    out += "<ul>\n"
                    open = "ul"
                }
                out += "<li>\(h(String(line.dropFirst(2))))</li>\n"
            } else if line.hasPrefix(" ") || line.contains("  ") {
                if open != "pre" {
                    close()
                    out += "<pre>"
                    open = "pre"
                } else {
                    out += "\n"
                }
                out += h(String(line))
            } else {
                close()
                if !line.trimmingCharacters(in: .whitespaces).isEmpty { out += "<p>\(h(String(line)))</p>\n" }
            }
        }
        close()
        return out
    }

    /// What a session is called in an HTML page's title and heading: its first question,
    /// then the date it started in local time.
    func sessionName(_ transcript: Transcript) -> String {
        var question = transcript.turns.first.map { TerminalSafe.neutralize($0.question, keepNewlines: false) }
        if let text = question, text.count > 80 { question = text.prefix(79) + "…" }
        let started = transcript.session.map { Self.localTime($0.at, seconds: false) }
        switch (question, started) {
        case (let question?, let started?): return "\(question) (\(started))"
        case (let question?, nil): return question
        case (nil, let started?): return "Advisor session, \(started)"
        case (nil, nil): return "Advisor session \(transcript.id)"
        }
    }

    /// `<time>` for an event's time, shown in local time with the zone.
    private func time(_ at: String, _ h: (String) -> String) -> String {
        guard Self.date(at) != nil else { return "" }
        return "<time datetime=\"\(h(at))\">\(h(Self.localTime(at, seconds: true, dateToo: false)))</time>"
    }

    /// An event time (ISO 8601, as saved) parsed, if it is one.
    static func date(_ at: String) -> Date? {
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: at) ?? ISO8601DateFormatter().date(from: at)
    }

    /// An event time in the local time zone with its offset: `2026-12-01 23:18 +01:00`;
    /// the text as saved when it is not a time.
    static func localTime(_ at: String, seconds: Bool = true, dateToo: Bool = true) -> String {
        guard let date = date(at) else { return at }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = (dateToo ? "yyyy-MM-dd " : "") + (seconds ? "HH:mm:ss" : "HH:mm") + " xxx"
        return formatter.string(from: date)
    }

    func json(_ transcript: Transcript) -> String {
        var out = ""
        if let session = transcript.session { out += TerminalSafe.jsonLine(session) }
        for entry in transcript.entries {
            switch entry {
            case .command(let command): out += TerminalSafe.jsonLine(command)
            case .turn(let turn): out += TerminalSafe.jsonLine(turn)
            }
        }
        if let end = transcript.end { out += TerminalSafe.jsonLine(end) }
        return out
    }
}
