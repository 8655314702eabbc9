import Foundation

/// One word of a question as typed, after case folding.
public struct Token: Sendable, Equatable {
    /// The word, case- and accent-folded ("Platform" gives "platform").
    public var text: String
    /// Whether the word was typed in capitals ("IT", "CMO's"), for case-sensitive synonyms.
    public var isCapitalized: Bool
    /// Whether the word began with a capital letter ("Rome"), a hint of a proper noun.
    public var startsUppercase: Bool

    /// Makes a token; a word typed in capitals also counts as starting with one.
    public init(text: String, isCapitalized: Bool, startsUppercase: Bool = false) {
        self.text = text
        self.isCapitalized = isCapitalized
        self.startsUppercase = startsUppercase || isCapitalized
    }
}

/// Splits text into folded words: Unicode compatibility and case folding, accents
/// removed, punctuation dropped, terminal escape sequences skipped, contractions expanded.
public enum Tokenizer {
    /// The words of `text`, in order.
    public static func tokenize(_ text: String) -> [Token] {
        let text = text.utf8.contains(0x1B) ? withoutEscapeSequences(text) : text
        // Fast path: plain ASCII text (most questions) is folded byte by byte.
        if let result = text.utf8.withContiguousStorageIfAvailable({ tokenizeASCII($0) }) ?? nil {
            return result
        }
        var tokens: [Token] = []
        var word = String.UnicodeScalarView()
        var shape = WordShape()
        func flush() {
            guard !word.isEmpty else { return }
            appendFolded(String(word), shape: shape, to: &tokens)
            word = String.UnicodeScalarView()
            shape = WordShape()
        }
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            if isApostrophe(scalar) {
                if !word.isEmpty {
                    word.append("'")
                    shape.afterApostrophe = true
                }
            } else if properties.isAlphabetic || properties.numericType != nil {
                word.append(scalar)
                shape.add(isLetter: properties.isAlphabetic, isLowercase: properties.isLowercase)
            } else if properties.generalCategory == .nonspacingMark, !word.isEmpty {
                continue  // a combining accent on the letter before it
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }

    /// How a word was typed: capitals before any apostrophe.
    private struct WordShape {
        package var hasLower = false
        package var letterCount = 0
        package var firstIsUpper: Bool?
        package var afterApostrophe = false

        package mutating func add(isLetter: Bool, isLowercase: Bool) {
            guard isLetter, !afterApostrophe else { return }
            if firstIsUpper == nil { firstIsUpper = !isLowercase }
            if isLowercase { hasLower = true }
            letterCount += 1
        }

        package var isCapitalized: Bool { !hasLower && letterCount >= 2 }
    }

    /// Tokenises ASCII text without Foundation; nil when the text is not all ASCII.
    private static func tokenizeASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> [Token]? {
        var tokens: [Token] = []
        var word: [UInt8] = []
        var shape = WordShape()
        func flush() {
            guard !word.isEmpty else { return }
            while word.last == UInt8(ascii: "'") { word.removeLast() }
            let text = String(decoding: word, as: UTF8.self)
            if shape.afterApostrophe {
                appendFolded(text, shape: shape, to: &tokens)
            } else if !text.isEmpty {
                tokens.append(
                    Token(text: text, isCapitalized: shape.isCapitalized, startsUppercase: shape.firstIsUpper ?? false))
            }
            word.removeAll(keepingCapacity: true)
            shape = WordShape()
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                word.append(byte)
                shape.add(isLetter: true, isLowercase: true)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                word.append(byte + 32)
                shape.add(isLetter: true, isLowercase: false)
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                word.append(byte)
            case UInt8(ascii: "'"):
                if !word.isEmpty {
                    word.append(byte)
                    shape.afterApostrophe = true
                }
            case 0x80...0xFF:
                return nil
            default:
                flush()
            }
        }
        flush()
        return tokens
    }

    private static func isApostrophe(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "'" || scalar == "\u{2019}" || scalar == "\u{2018}" || scalar == "\u{02BC}"
    }

    /// Case-folds a word, strips accents and expands a contraction into its words.
    private static func appendFolded(_ raw: String, shape: WordShape, to tokens: inout [Token]) {
        let capitalized = shape.isCapitalized
        let upper = shape.firstIsUpper ?? false
        var folded = raw.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        while folded.hasSuffix("'") { folded.removeLast() }
        while folded.hasPrefix("'") { folded.removeFirst() }
        guard !folded.isEmpty else { return }
        guard folded.contains("'") else {
            tokens.append(Token(text: folded, isCapitalized: capitalized, startsUppercase: upper))
            return
        }
        // "IT's", "CMO's": an acronym's possessive, not "it is".
        if capitalized, folded.hasSuffix("'s") {
            tokens.append(Token(text: String(folded.dropLast(2)), isCapitalized: true))
            return
        }
        if let expansion = StopWords.contractions[folded] {
            tokens.append(contentsOf: expansion.map { Token(text: $0, isCapitalized: false) })
            return
        }
        for (suffix, expansion) in StopWords.contractionSuffixes where folded.hasSuffix(suffix) {
            let stem = String(folded.dropLast(suffix.count))
            if !stem.isEmpty { tokens.append(Token(text: stem, isCapitalized: capitalized, startsUppercase: upper)) }
            if !expansion.isEmpty { tokens.append(Token(text: expansion, isCapitalized: false)) }
            return
        }
        for part in folded.split(separator: "'") {
            tokens.append(Token(text: String(part), isCapitalized: capitalized, startsUppercase: upper))
        }
    }

    /// `text` without terminal escape sequences (CSI such as ESC[31m, OSC such as
    /// ESC]0;title BEL): a question is routed on what the user sees.
    package static func withoutEscapeSequences(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\u{1B}" else {
                result.append(scalar)
                continue
            }
            switch scalars.next() {
            case "["?:  // CSI: parameters, then one final byte in @...~
                while let next = scalars.next(), !(0x40...0x7E).contains(next.value) {}
            case "]"?:  // OSC: until BEL or ESC \
                while let next = scalars.next() {
                    if next == "\u{07}" { break }
                    if next == "\u{1B}" {
                        _ = scalars.next()
                        break
                    }
                }
            default:
                result.append(" ")
            }
        }
        return String(result)
    }
}
