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
        wrapASCII(text) ?? wrapCharacters(text)
    }

    /// `wrap`, character by character.
    func wrapCharacters(_ text: String) -> String {
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

    /// `wrap` for ASCII text without carriage returns (nearly every answer), byte by byte:
    /// there a character is a byte, and splitting a long transcript's answers character
    /// by character dominated `transcripts show`. Nil for any other text.
    private func wrapASCII(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            for byte in bytes where byte >= 0x80 || byte == 0x0D { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / max(1, width) + 2)
            var lineStart = 0
            while lineStart <= bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                let hangs = lineEnd - lineStart >= 2 && bytes[lineStart] == 0x2D && bytes[lineStart + 1] == 0x20
                var current = 0  // the length of the output line being built
                var index = lineStart
                while index < lineEnd {
                    if bytes[index] == 0x20 {
                        index += 1
                        continue
                    }
                    var wordEnd = index
                    while wordEnd < lineEnd, bytes[wordEnd] != 0x20 { wordEnd += 1 }
                    let word = UnsafeBufferPointer(rebasing: bytes[index..<wordEnd])
                    if current == 0 {
                        out.append(contentsOf: word)
                        current = word.count
                    } else if current + 1 + word.count > width {
                        out.append(0x0A)
                        if hangs { out.append(contentsOf: [0x20, 0x20]) }
                        out.append(contentsOf: word)
                        current = (hangs ? 2 : 0) + word.count
                    } else {
                        out.append(0x20)
                        out.append(contentsOf: word)
                        current += 1 + word.count
                    }
                    index = wordEnd
                }
                out.append(0x0A)
                lineStart = lineEnd + 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
