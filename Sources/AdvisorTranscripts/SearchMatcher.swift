import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import Foundation

/// The fields of a turn that search looks at, as read from its JSON line.
struct SearchedTurn {
    var n: Int
    var at: String
    var topic: String
    var question: String
    /// The answer text as recorded (canned replies included).
    var answer: String

    /// The turn a transcript line holds; nil when the line lacks a field or is not JSON.
    init?(line: UnsafeRawBufferPointer) {
        guard let fields = JSONFieldScanner.fields(line, wanted: TranscriptStore.searchedFields),
            let at = fields["at"], let n = fields["n"].flatMap({ Int($0) }), let question = fields["question"],
            let topic = fields["topic"]
        else { return nil }
        self.init(n: n, at: at, topic: topic, question: question, answer: fields["answer"] ?? "")
    }

    init(n: Int, at: String, topic: String, question: String, answer: String) {
        self.n = n
        self.at = at
        self.topic = topic
        self.question = question
        self.answer = answer
    }

    /// The answer's own words: empty for the canned replies of none and smalltalk, which
    /// search never looks in (only the question of such a turn is searched).
    var searchableAnswer: String {
        Self.isSearchable(answerOf: topic) ? answer : ""
    }

    /// Whether search looks in the answers of `topic` (not in canned replies).
    static func isSearchable(answerOf topic: String) -> Bool {
        TopicKind.isAdvice(topic)
    }
}

/// How one query decides whether a turn matches and how well.
///
/// The linear scan and the index both ask it, so they give the same hits, scores and snippets.
struct SearchMatcher {
    let query: SearchQuery
    /// The text folded for case and accents ("Café" is "cafe").
    let folded: String
    /// `folded` lowercased, as UTF-8: what the byte comparisons and the index look for.
    let needle: [UInt8]
    /// Whether a raw ASCII line without the needle's bytes can be skipped undecoded.
    private let rawScreen: Bool
    private let sinceTime: Double?

    init(_ query: SearchQuery) {
        self.query = query
        folded = query.text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        needle = Array(folded.lowercased().utf8)
        rawScreen =
            !needle.isEmpty
            && folded.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 }
        sinceTime = query.since.flatMap(TranscriptStore.epoch(of:))
    }

    /// Whether a transcript last modified at `seconds` since the epoch can hold a turn on or
    /// after `--since` (a file not written since then cannot).
    func admitsFile(modifiedAt seconds: Double?) -> Bool {
        guard let sinceTime, let seconds else { return true }
        return seconds >= sinceTime
    }

    /// False only when the raw line certainly does not match (an ASCII line without the
    /// needle's bytes; the screen is exact only on ASCII: "Café" must still match "cafe").
    func mayMatch(rawLine line: UnsafeRawBufferPointer) -> Bool {
        !(rawScreen && TranscriptStore.isASCII(line) && !TranscriptStore.containsASCIIInsensitive(line, needle))
    }

    /// The hit `turn` of `transcript` makes, or nil when it does not match.
    func hit(in turn: SearchedTurn, transcript: String) -> SearchHit? {
        guard
            let found = match(
                topic: turn.topic, at: turn.at, question: { textScore(turn.question, snippet: false) },
                answer: { textScore(turn.answer, snippet: true) })
        else { return nil }
        return SearchHit(
            transcript: transcript, turn: turn.n, at: turn.at, topic: turn.topic, question: turn.question,
            snippet: found.snippet, score: found.score)
    }

    /// The score and answer snippet of a turn that matches the query, or nil when it does not.
    ///
    /// The score is three per occurrence in the question and one per occurrence in the
    /// answer (0 for an empty query, which matches every turn of the topic and date asked
    /// for). The question's and the answer's scores are asked for only when needed
    /// (`textScore`, or a verdict kept by text id); the answers of none and smalltalk turns
    /// (canned replies) are never looked in.
    func match(
        topic: String, at: @autoclosure () -> String, question: () -> TextScore?, answer: () -> TextScore?
    ) -> (score: Int, snippet: String?)? {
        if let wanted = query.topic, topic != wanted { return nil }
        if let since = query.since, at() < since { return nil }
        guard !folded.isEmpty else { return (0, nil) }
        let inQuestion = question()
        let inAnswer = SearchedTurn.isSearchable(answerOf: topic) ? answer() : nil
        if inQuestion == nil, inAnswer == nil { return nil }
        return (3 * (inQuestion?.count ?? 0) + (inAnswer?.count ?? 0), inAnswer?.snippet)
    }

    /// What `text` holds of the query: nil when it does not hold it; else how often, and
    /// (when asked) the snippet around the first occurrence.
    func textScore(_ text: String, snippet: Bool) -> TextScore? {
        guard TranscriptStore.contains(text, needle: needle, folded: folded) else { return nil }
        let ranges = TranscriptStore.matchRanges(of: query.text, in: text)
        let first = snippet ? ranges.first : nil
        return TextScore(count: ranges.count, snippet: first.map { TranscriptStore.snippet(text, around: $0) })
    }

    /// The snippet of `text` around the query's first occurrence, as `textScore` gives it.
    func snippet(of text: String) -> String? {
        TranscriptStore.matchRanges(of: query.text, in: text).first.map { TranscriptStore.snippet(text, around: $0) }
    }

}

/// The occurrences of the query in one text, and the snippet around the first.
struct TextScore {
    var count: Int
    var snippet: String?
}

extension SearchMatcher {
    /// `text` folded the way the index stores it: whenever the query matches a question or
    /// answer, `needle` is a substring of that text folded (the converse need not hold: the
    /// index only narrows the candidates, and `hit(in:transcript:)` decides).
    static func indexFolded(_ text: String) -> String {
        var text = text
        let ascii = text.withUTF8 { bytes -> String? in
            guard TranscriptStore.isASCII(UnsafeRawBufferPointer(bytes)) else { return nil }
            return String(decoding: bytes.lazy.map(TranscriptStore.lower), as: UTF8.self)
        }
        return ascii ?? text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
    }

    /// `--since` as whole seconds since the epoch: a file modified earlier holds no hit.
    var sinceSeconds: Int64? {
        sinceTime.map { Int64(exactly: $0) ?? ($0 > 0 ? Int64.max : Int64.min) }
    }

    /// The needle as text, for the index's query.
    var indexNeedle: String { String(decoding: needle, as: UTF8.self) }
}
