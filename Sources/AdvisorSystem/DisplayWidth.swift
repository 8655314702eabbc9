/// How many terminal columns text takes.
///
/// A character takes two columns when it is East Asian wide or full-width, or an emoji, none
/// when it is a combining mark or another zero-width character, and one otherwise. Text is
/// wrapped by this, not by its character count, so CJK and emoji lines fit the screen.
public enum DisplayWidth {
    /// The columns `text` takes on a terminal.
    public static func of(_ text: String) -> Int { asciiWidth(text.utf8) ?? width(of: text) }

    /// The columns `text` takes on a terminal.
    public static func of(_ text: Substring) -> Int { asciiWidth(text.utf8) ?? width(of: text) }

    /// The columns `text` takes on a terminal.
    public static func of(_ text: some StringProtocol) -> Int { asciiWidth(text.utf8) ?? width(of: text) }

    /// The columns of ASCII text (printable characters take one, control characters none),
    /// read byte by byte; nil when the text holds anything else.
    private static func asciiWidth(_ bytes: some Sequence<UInt8>) -> Int? {
        var total = 0
        for byte in bytes {
            guard byte < 0x80 else { return nil }
            total += byte >= 0x20 && byte != 0x7F ? 1 : 0
        }
        return total
    }

    private static func width(of text: some StringProtocol) -> Int {
        var total = 0
        for character in text {
            // ASCII is by far the common case.
            if let ascii = character.asciiValue {
                total += ascii >= 0x20 && ascii != 0x7F ? 1 : 0
                continue
            }
            total += of(character)
        }
        return total
    }

    /// The longest start of `text` that fits in `columns` terminal columns (whole characters).
    public static func prefix(of text: some StringProtocol, columns: Int) -> String {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let width = of(text[index])
            if used + width > columns { break }
            used += width
            end = text.index(after: index)
        }
        return String(text[..<end])
    }

    /// The columns one grapheme cluster takes: the widest of its scalars, emoji 2.
    public static func of(_ character: Character) -> Int {
        var widest = 0
        for scalar in character.unicodeScalars {
            let properties = scalar.properties
            if properties.isEmojiPresentation { return 2 }
            widest = max(widest, width(of: scalar))
        }
        // A text-style emoji turned into an emoji by VS16 (U+FE0F) is drawn two columns wide.
        if character.unicodeScalars.contains("\u{FE0F}"), character.unicodeScalars.first?.properties.isEmoji == true {
            return 2
        }
        return widest
    }

    /// wcwidth(3) for one scalar, from the Unicode properties rather than the C locale (which
    /// may not be UTF-8), with the East Asian Wide and Fullwidth ranges of Unicode 15.
    static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if value == 0x200B || (0x1160...0x11FF).contains(value) { return 0 }
        return wideRanges.contains { $0.contains(value) } ? 2 : 1
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
        0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
        0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
