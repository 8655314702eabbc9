/// Styles for text output: ANSI on a terminal that wants colour, plain otherwise.
public struct TextStyle: Sendable {
    /// Whether escape codes are emitted.
    public var colors: Bool

    public init(colors: Bool) { self.colors = colors }

    /// No colour at all.
    public static let plain = TextStyle(colors: false)

    public func bold(_ text: String) -> String { wrap(text, "1") }
    public func dim(_ text: String) -> String { wrap(text, "2") }
    public func accent(_ text: String) -> String { wrap(text, "36") }
    public func warning(_ text: String) -> String { wrap(text, "33") }
    public func error(_ text: String) -> String { wrap(text, "31") }

    private func wrap(_ text: String, _ code: String) -> String {
        colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// Renders answers as text for people: title, answer, note, sources, wrapped to a width.
public struct AnswerRenderer: Sendable {
    public var width: Int
    public var style: TextStyle

    public init(width: Int = 80, style: TextStyle = .plain) {
        self.width = max(20, width)
        self.style = style
    }

    /// The answer as lines of text, ending with a newline.
    ///
    /// Every text of the answer is neutralised (`TerminalSafe`) before the renderer's own
    /// styles are added: whatever it came from (knowledge base, compiled cache, transcript,
    /// question), nothing in an answer reaches a terminal as a control character.
    public func render(_ answer: Answer) -> String {
        func safe(_ text: String) -> String { TerminalSafe.neutralize(text) }
        var out = style.bold(safe(answer.title)) + " " + style.dim("[\(safe(answer.topic))]") + "\n"
        if let notice = answer.notice { out += style.accent(wrap(safe(notice))) }
        out += wrap(safe(answer.answer))
        if let note = answer.note { out += style.accent(wrap(safe(note))) }
        if !answer.sources.isEmpty {
            let sources = answer.sources.enumerated().map { index, source in
                "[\(index + 1)] " + safe(source.title) + (source.author.map { " (\(safe($0)))" } ?? "")
            }.joined(separator: "; ")
            out += style.dim(wrap("Sources: " + sources))
        }
        if !answer.related.isEmpty {
            out += style.dim(wrap("Related: " + answer.related.map(safe).joined(separator: ", ")))
        }
        return out
    }

    /// Word-wraps `text` to the width, keeping its line breaks; list items ("- ") hang.
    public func wrap(_ text: String) -> String {
        var out = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.hasPrefix("- ") ? "  " : ""
            var current = ""
            for word in line.split(separator: " ") {
                if current.isEmpty {
                    current = String(word)
                } else if current.count + 1 + word.count > width {
                    out += current + "\n"
                    current = indent + word
                } else {
                    current += " " + word
                }
            }
            out += current + "\n"
        }
        return out
    }
}
