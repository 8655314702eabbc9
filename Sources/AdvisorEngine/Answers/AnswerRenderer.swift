import AdvisorSystem

/// Styles for text output: ANSI on a terminal that wants colour, plain otherwise.
public struct TextStyle: Sendable {
    /// Whether escape codes are emitted.
    public var colors: Bool

    /// Makes a style that emits ANSI escape codes when `colors` is true.
    public init(colors: Bool) { self.colors = colors }

    /// No colour at all.
    public static let plain = TextStyle(colors: false)

    /// `text` in bold (ANSI 1), for titles and headings; unchanged without colour.
    public func bold(_ text: String) -> String { wrap(text, "1") }
    /// `text` dimmed (ANSI 2), for secondary lines such as sources; unchanged without colour.
    public func dim(_ text: String) -> String { wrap(text, "2") }
    /// `text` in cyan (ANSI 36), for notes and what the user typed; unchanged without colour.
    public func accent(_ text: String) -> String { wrap(text, "36") }
    /// `text` in yellow (ANSI 33), for warnings; unchanged without colour.
    public func warning(_ text: String) -> String { wrap(text, "33") }
    /// `text` in red (ANSI 31), for errors; unchanged without colour.
    public func error(_ text: String) -> String { wrap(text, "31") }

    private func wrap(_ text: String, _ code: String) -> String {
        colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// Renders answers as text for people: title, answer, note, sources, wrapped to a width.
public struct AnswerRenderer: Sendable {
    /// The column width text is wrapped to, at least 20.
    public var width: Int
    /// The styles headings, notes and sources are shown in.
    public var style: TextStyle

    /// Makes a renderer wrapping at `width` columns (20 at least) in `style`.
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

    /// Word-wraps `text` to the width without breaking words, each line ending with a newline.
    ///
    /// It keeps the text's line breaks and each line's indentation; list items ("- ") hang.
    /// With `table`, a line with a column (a run of two or more spaces, as in
    /// "  /help   the commands") keeps its spacing and wraps under that column.
    public func wrap(_ text: String, table: Bool = false) -> String {
        var out = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            out += wrapLine(line, table: table) + "\n"
        }
        return out
    }

    /// A word of a line, the spaces before it, and the terminal columns it takes.
    private typealias Word = (gap: Int, word: Substring, width: Int)

    private func wrapLine(_ line: Substring, table: Bool) -> String {
        let leading = line.prefix { $0 == " " }
        let body = line.dropFirst(leading.count)
        var hang = String(leading) + (body.hasPrefix("- ") ? "  " : "")
        // A numbered citation ("[3] Title, author") hangs under its text.
        if table, body.hasPrefix("["), let close = body.firstIndex(of: "]"),
            body[body.index(after: body.startIndex)..<close].allSatisfy(\.isNumber),
            body[close...].hasPrefix("] ")
        {
            hang = String(leading) + String(repeating: " ", count: body.distance(from: body.startIndex, to: close) + 2)
        }
        // Each word with the number of spaces before it (collapsed to one unless a table).
        var words: [Word] = []
        var gap = 0
        for piece in body.split(separator: " ", omittingEmptySubsequences: false) {
            if piece.isEmpty {
                gap += 1
                continue
            }
            words.append((words.isEmpty ? 0 : (table ? gap + 1 : 1), piece, DisplayWidth.of(piece)))
            gap = 0
        }
        if words.isEmpty { return "" }
        if table, let column = words.firstIndex(where: { $0.gap >= 2 }) {
            let indent = leading.count + words[..<column].reduce(0) { $0 + $1.gap + $1.width } + words[column].gap
            if indent <= width / 2 { hang = String(repeating: " ", count: indent) }
        }
        var current = String(leading)
        var length = leading.count
        var empty = true
        for (gap, word, columns) in words {
            if !empty, length + gap + columns > width {
                while current.utf8.last == UInt8(ascii: " ") { current.removeLast() }
                return current + "\n" + wrapRest(hang: hang, after: words, from: word)
            }
            current += String(repeating: " ", count: gap) + word
            length += gap + columns
            empty = false
        }
        return current
    }

    /// The rest of a wrapped line: every word from `first` on, single-spaced under `hang`.
    private func wrapRest(hang: String, after words: [Word], from first: Substring) -> String {
        guard let start = words.firstIndex(where: { $0.word.startIndex == first.startIndex }) else { return "" }
        var out = ""
        var current = hang
        var length = DisplayWidth.of(hang)
        var empty = true
        for (_, word, columns) in words[start...] {
            if !empty, length + 1 + columns > width {
                out += current + "\n"
                current = hang + word
                length = DisplayWidth.of(hang) + columns
            } else {
                current += (empty ? "" : " ") + word
                length += (empty ? 0 : 1) + columns
                empty = false
            }
        }
        return out + current
    }
}
