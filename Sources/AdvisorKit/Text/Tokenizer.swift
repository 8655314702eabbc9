import Foundation

/// One word of a question as typed, after case folding.
public struct Token: Sendable, Equatable {
    /// The word, case- and accent-folded ("Platform" gives "platform").
    public var text: String
    /// Whether the word was typed in capitals ("IT"), for case-sensitive synonyms.
    public var isCapitalized: Bool
}

/// Splits text into folded words: Unicode compatibility and case folding, accents
/// removed, punctuation dropped, contractions expanded.
public enum Tokenizer {
    /// The words of `text`, in order.
    public static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        // Fast path: plain ASCII text (most questions) is folded byte by byte.
        if let result = text.utf8.withContiguousStorageIfAvailable({ tokenizeASCII($0) }) ?? nil {
            return result
        }
        var word = String.UnicodeScalarView()
        var hasLower = false
        var letterCount = 0

        func flush() {
            guard !word.isEmpty else { return }
            let raw = String(word)
            let capitalized = !hasLower && letterCount >= 2
            word = String.UnicodeScalarView()
            hasLower = false
            letterCount = 0
            appendFolded(raw, capitalized: capitalized, to: &tokens)
        }

        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil {
                word.append(scalar)
                if properties.isLowercase { hasLower = true }
                if properties.isAlphabetic { letterCount += 1 }
            } else if isApostrophe(scalar), !word.isEmpty {
                word.append("'")
            } else if properties.generalCategory == .nonspacingMark, !word.isEmpty {
                continue  // a combining accent on the letter before it
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }

    /// Tokenises ASCII text without Foundation; nil when the text is not all ASCII.
    private static func tokenizeASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> [Token]? {
        var tokens: [Token] = []
        var word: [UInt8] = []
        var hasLower = false
        var hasApostrophe = false
        var letterCount = 0
        func flush() {
            guard !word.isEmpty else { return }
            while word.last == UInt8(ascii: "'") { word.removeLast() }
            let text = String(decoding: word, as: UTF8.self)
            let capitalized = !hasLower && letterCount >= 2
            if hasApostrophe {
                appendFolded(text, capitalized: capitalized, to: &tokens)
            } else if !text.isEmpty {
                tokens.append(Token(text: text, isCapitalized: capitalized))
            }
            word.removeAll(keepingCapacity: true)
            hasLower = false
            hasApostrophe = false
            letterCount = 0
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                word.append(byte)
                hasLower = true
                letterCount += 1
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                word.append(byte + 32)
                letterCount += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                word.append(byte)
            case UInt8(ascii: "'"):
                if !word.isEmpty {
                    word.append(byte)
                    hasApostrophe = true
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
    private static func appendFolded(_ raw: String, capitalized: Bool, to tokens: inout [Token]) {
        var folded = raw.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        while folded.hasSuffix("'") { folded.removeLast() }
        while folded.hasPrefix("'") { folded.removeFirst() }
        guard !folded.isEmpty else { return }
        guard folded.contains("'") else {
            tokens.append(Token(text: folded, isCapitalized: capitalized))
            return
        }
        if let expansion = StopWords.contractions[folded] {
            tokens.append(contentsOf: expansion.map { Token(text: $0, isCapitalized: false) })
            return
        }
        for (suffix, expansion) in StopWords.contractionSuffixes where folded.hasSuffix(suffix) {
            let stem = String(folded.dropLast(suffix.count))
            if !stem.isEmpty { tokens.append(Token(text: stem, isCapitalized: capitalized)) }
            if !expansion.isEmpty { tokens.append(Token(text: expansion, isCapitalized: false)) }
            return
        }
        for part in folded.split(separator: "'") {
            tokens.append(Token(text: String(part), isCapitalized: capitalized))
        }
    }
}
