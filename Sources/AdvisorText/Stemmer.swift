internal import CStemmer

/// The Snowball English stemmer from libstemmer, behind a Swift type.
///
/// A stemmer keeps a C buffer and is not thread-safe: give each thread its own.
public final class Stemmer {
    private let handle: OpaquePointer?

    /// Creates an English (Porter2) stemmer.
    public init() {
        handle = sb_stemmer_new("english", "UTF_8")
    }

    deinit {
        if let handle { sb_stemmer_delete(handle) }
    }

    /// Words the English stemmer conflates with words of another meaning, and the stem each
    /// gets instead (as Lucene's stemmer-override filter does).
    ///
    /// Porter2 gives "response" the stem of "responsibilities", "productivity" that of
    /// "product", "executive" that of "execution", "experiment" that of "experience",
    /// "technologist" that of "technology", "accountability" that of "accounts", "engine" that
    /// of "engineering", "literally" that of "literate", "personalized" that of "personal" and
    /// "conversion" that of "conversation", so
    /// "what is the best response?" read as a question about responsibilities (roles) and "do
    /// office IT restrictions hurt productivity?" as one about digital products. Each group
    /// here keeps one stem of its own; the words it was conflated with keep theirs.
    package static let overrides: [String: String] = [
        "response": "response", "responses": "response",
        "productivity": "productiv", "productive": "productiv", "unproductive": "unproductiv",
        "executive": "executive", "executives": "executive",
        "experiment": "experiment", "experiments": "experiment", "experimenting": "experiment",
        "experimented": "experiment", "experimentation": "experiment",
        "technologist": "technologist", "technologists": "technologist",
        "accountability": "accountabl", "accountable": "accountabl",
        "engine": "engine", "engines": "engine",
        "literally": "literally",
        "personalized": "personaliz", "personalised": "personaliz", "personalization": "personaliz",
        "personalisation": "personaliz", "personalize": "personaliz", "personalise": "personaliz",
        "conversion": "conversion", "conversions": "conversion",
    ]

    /// The stem of a lower-case word ("platforms" gives "platform").
    public func stem(_ word: String) -> String {
        if let override = Self.overrides[word] { return override }
        guard let handle, !word.isEmpty else { return word }
        var utf8 = Array(word.utf8)
        let count = Int32(utf8.count)
        return utf8.withUnsafeMutableBufferPointer { buffer -> String in
            guard let base = buffer.baseAddress,
                let stemmed = sb_stemmer_stem(handle, base, count)
            else { return word }
            let length = Int(sb_stemmer_length(handle))
            let bytes = UnsafeBufferPointer(start: stemmed, count: length)
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
