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
        topic == KnowledgeBase.noneTopic || topic == KnowledgeBase.smalltalkTopic ? "" : answer
    }
}

/// How one query decides whether a turn matches and how well. The linear scan and the
/// index both ask it, so they give the same hits, scores and snippets.
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
        var verdicts = TextVerdicts()
        return hit(in: turn, transcript: transcript, verdicts: &verdicts)
    }

    /// The hit `turn` makes, with the verdicts on its question and answer taken from (and
    /// kept in) `verdicts` when their text ids are given: a text that recurs in many turns
    /// (the answers composed from the knowledge base do) is matched once.
    func hit(
        in turn: SearchedTurn, transcript: String, questionID: Int64? = nil, answerID: Int64? = nil,
        verdicts: inout TextVerdicts
    ) -> SearchHit? {
        if let wanted = query.topic, turn.topic != wanted { return nil }
        if let since = query.since, turn.at < since { return nil }
        let answer = turn.searchableAnswer
        if !needle.isEmpty {
            let inQuestion = verdicts.found(questionID, turn.question, contains)
            if !inQuestion, !verdicts.found(answerID, answer, contains) { return nil }
        }
        var hit = SearchHit(
            transcript: transcript, turn: turn.n, at: turn.at, topic: turn.topic, question: turn.question)
        if !folded.isEmpty {
            let inQuestion = verdicts.score(questionID, turn.question) { score($0, snippet: false) }
            let inAnswer = verdicts.score(answerID, answer) { score($0, snippet: true) }
            hit.score = 3 * inQuestion.count + inAnswer.count
            hit.snippet = inAnswer.snippet
        }
        return hit
    }

    /// Whether `text` holds the needle.
    private func contains(_ text: String) -> Bool {
        TranscriptStore.contains(text, needle: needle, folded: folded)
    }

    /// How often the text occurs in `text`, and (when asked) the snippet around the first.
    private func score(_ text: String, snippet: Bool) -> TextVerdicts.Score {
        let ranges = TranscriptStore.matchRanges(of: query.text, in: text)
        let first = snippet ? ranges.first : nil
        return TextVerdicts.Score(count: ranges.count, snippet: first.map { TranscriptStore.snippet(text, around: $0) })
    }
}

/// What one query found in texts known by id, so that each distinct text is matched once.
struct TextVerdicts {
    /// The occurrences in one text and the snippet around the first.
    struct Score {
        var count: Int
        var snippet: String?
    }

    private var found: [Int64: Bool] = [:]
    private var scores: [Int64: Score] = [:]

    /// Whether `text` (with id `id`) holds the needle, as `decide` says, remembered by id.
    mutating func found(_ id: Int64?, _ text: String, _ decide: (String) -> Bool) -> Bool {
        Self.remembered(id, in: &found) { decide(text) }
    }

    /// The score of `text` (with id `id`), as `compute` gives it, remembered by id.
    mutating func score(_ id: Int64?, _ text: String, _ compute: (String) -> Score) -> Score {
        Self.remembered(id, in: &scores) { compute(text) }
    }

    /// `make()`'s value for `id`, computed once (always computed when there is no id).
    private static func remembered<Value>(_ id: Int64?, in cache: inout [Int64: Value], _ make: () -> Value)
        -> Value
    {
        guard let id else { return make() }
        if let known = cache[id] { return known }
        let value = make()
        cache[id] = value
        return value
    }
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
