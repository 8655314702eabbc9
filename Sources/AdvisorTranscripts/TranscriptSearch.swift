import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import Foundation

/// A turn that matched a search.
public struct SearchHit: Sendable, Equatable {
    /// The id of the transcript the turn is in.
    public var transcript: String
    /// The turn's 1-based number in its session.
    public var turn: Int
    /// When the turn was answered, as `Timestamp` writes it.
    public var at: String
    /// The topic the turn was answered with.
    public var topic: String
    /// The question as the user typed it.
    public var question: String
    /// A piece of the answer around the first match, when the answer matched.
    public var snippet: String?
    /// How well the turn matched: three per match in the question, one per match in the answer.
    ///
    /// Results are shown best first.
    public var score: Int = 0

    /// Makes a hit from its fields; without a snippet and scored 0 unless they are given.
    public init(
        transcript: String, turn: Int, at: String, topic: String, question: String, snippet: String? = nil,
        score: Int = 0
    ) {
        self.transcript = transcript
        self.turn = turn
        self.at = at
        self.topic = topic
        self.question = question
        self.snippet = snippet
        self.score = score
    }
}

/// The best hits of a search and how many turns matched in all.
public struct SearchResults: Sendable, Equatable {
    /// The hits shown, best first, at most the limit asked for.
    ///
    /// Equal scores come newest first (later transcript, later turn).
    public var hits: [SearchHit]
    /// How many turns matched, shown or not.
    public var total: Int

    /// Ranks `hits`, given oldest first as a search finds them, keeping the best `limit`
    /// (all when nil).
    public static func ranking(_ hits: [SearchHit], limit: Int?) -> SearchResults {
        var best = BestHits(limit: limit)
        for hit in hits { best.offer(score: hit.score, transcript: hit.transcript, turn: hit.turn) { hit } }
        return best.results
    }
}

/// The best hits among those offered oldest first, without building the others: a broad
/// search over years of sessions matches tens of thousands of turns and shows a screenful.
struct BestHits {
    let limit: Int?
    private(set) var total = 0
    /// The hits kept so far, with their ranking keys.
    ///
    /// With a limit: kept best first, so the one to evict is the last. Without: every hit
    /// as offered, ranked once at the end.
    private var kept: [(key: Key, hit: SearchHit)] = []

    /// Best first: the higher score, then the newer turn (later transcript, later turn).
    struct Key: Comparable {
        var score: Int
        var transcript: String
        var turn: Int

        static func < (left: Key, right: Key) -> Bool {
            (left.score, left.transcript, left.turn) < (right.score, right.transcript, right.turn)
        }
    }

    init(limit: Int?) { self.limit = limit.map { max(0, $0) } }

    /// Counts a matching turn; `make` builds its hit only if it is kept.
    mutating func offer<Failure: Error>(
        score: Int, transcript: String, turn: Int, _ make: () throws(Failure) -> SearchHit
    ) throws(Failure) {
        total += 1
        let key = Key(score: score, transcript: transcript, turn: turn)
        guard let limit else {
            kept.append((key, try make()))
            return
        }
        guard limit > 0 else { return }
        if kept.count == limit {
            guard let worst = kept.last, key > worst.key else { return }
            kept.removeLast()
        }
        let hit = try make()
        let index = kept.firstIndex { $0.key < key } ?? kept.count
        kept.insert((key, hit), at: index)
    }

    /// The kept hits, best first, and the count of all.
    var results: SearchResults {
        let ranked = limit == nil ? kept.sorted { $0.key > $1.key } : kept
        return SearchResults(hits: ranked.map(\.hit), total: total)
    }
}

/// What to look for across transcripts.
public struct SearchQuery: Sendable {
    /// Text to find in questions and answers (case- and accent-insensitive); empty matches all.
    public var text: String
    /// Only turns answered with this topic.
    public var topic: String?
    /// Only turns at or after this ISO-8601 date or timestamp ("2026-11-01").
    public var since: String?

    /// Makes a query; a nil `topic` or `since` does not narrow it.
    public init(text: String, topic: String? = nil, since: String? = nil) {
        self.text = text
        self.topic = topic
        self.since = since
    }
}

extension TranscriptStore {
    /// Every turn matching `query`, oldest transcript first, in turn order, by reading
    /// every transcript file (`TranscriptIndex` gives the same hits from a derived index).
    ///
    /// Lines are screened on their raw bytes before any JSON is decoded, so a search
    /// over thousands of transcripts decodes only the turns that can match.
    public func search(_ query: SearchQuery, warn: (String) -> Void) throws(TranscriptError) -> [SearchHit] {
        let matcher = SearchMatcher(query)
        var hits: [SearchHit] = []
        for id in try ids() {
            let path = path(of: id)
            if !matcher.admitsFile(modifiedAt: Self.modificationTime(path)) { continue }
            do {
                try BoundedFile.forEachLine(
                    path, followSymlinks: false, maximumLineLength: TranscriptParser.maximumLineLength
                ) { line, _, _ in
                    guard TranscriptParser.contains(line, TranscriptParser.turnMarker), matcher.mayMatch(rawLine: line),
                        let turn = SearchedTurn(line: line)
                    else { return true }
                    if let hit = matcher.hit(in: turn, transcript: id) { hits.append(hit) }
                    return true
                }
            } catch {
                warn(TranscriptError.cannotRead(path, error.description).description)
            }
        }
        return hits
    }

    /// Whether `text` holds the needle, case- and accent-insensitively: byte by byte for
    /// ASCII text (the common case), through Foundation otherwise.
    static func contains(_ text: String, needle: [UInt8], folded: String) -> Bool {
        var text = text
        let found = text.withUTF8 { bytes -> Bool? in
            let raw = UnsafeRawBufferPointer(bytes)
            guard isASCII(raw), folded.utf8.count == needle.count else { return nil }
            return containsASCIIInsensitive(raw, needle)
        }
        return found ?? text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).contains(folded)
    }

    /// Where `text` occurs in `string`, case- and accent-insensitively.
    public static func matchRanges(of text: String, in string: String) -> [Range<String.Index>] {
        guard !text.isEmpty else { return [] }
        if let ranges = asciiMatchRanges(of: text, in: string) { return ranges }
        var ranges: [Range<String.Index>] = []
        var start = string.startIndex
        while let range = string.range(
            of: text, options: [.caseInsensitive, .diacriticInsensitive], range: start..<string.endIndex)
        {
            ranges.append(range)
            start = range.upperBound
        }
        return ranges
    }

    /// The ranges `matchRanges` gives, found byte by byte when `text` is printable ASCII and `string` ASCII.
    ///
    /// That is the common case, and these are the same ranges Foundation finds, at a fraction
    /// of its cost. Nil for any other text or string.
    static func asciiMatchRanges(of text: String, in string: String) -> [Range<String.Index>]? {
        guard text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        let pattern = text.utf8.map(lower)
        var string = string
        let offsets = string.withUTF8 { bytes -> [Int]? in
            guard isASCII(UnsafeRawBufferPointer(bytes)) else { return nil }
            var starts: [Int] = []
            var index = 0
            while index + pattern.count <= bytes.count {
                var offset = 0
                while offset < pattern.count, lower(bytes[index + offset]) == pattern[offset] { offset += 1 }
                if offset == pattern.count {
                    starts.append(index)
                    index += pattern.count
                } else {
                    index += 1
                }
            }
            return starts
        }
        guard let offsets else { return nil }
        let utf8 = string.utf8
        return offsets.map { start in
            let lower = utf8.index(utf8.startIndex, offsetBy: start)
            return lower..<utf8.index(lower, offsetBy: pattern.count)
        }
    }

    /// About 100 characters of `text` around `range`, cut at spaces, on one line.
    static func snippet(_ text: String, around range: Range<String.Index>) -> String {
        var start = text.index(range.lowerBound, offsetBy: -40, limitedBy: text.startIndex) ?? text.startIndex
        var end = text.index(range.upperBound, offsetBy: 60, limitedBy: text.endIndex) ?? text.endIndex
        if start > text.startIndex, let space = text[start..<range.lowerBound].firstIndex(of: " ") {
            start = text.index(after: space)
        }
        if end < text.endIndex, let space = text[range.upperBound..<end].lastIndex(of: " ") { end = space }
        let piece = text[start..<end].replacingOccurrences(of: "\n", with: " ")
        return (start > text.startIndex ? "…" : "") + piece + (end < text.endIndex ? "…" : "")
    }

    static let searchedFields: Set<String> = ["at", "n", "question", "answer", "topic"]

    static func containsASCIIInsensitive(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count, let first = needle.first else { return needle.isEmpty }
        let last = haystack.count - needle.count
        var index = 0
        while index <= last {
            if lower(haystack[index]) == first {
                var offset = 1
                while offset < needle.count, lower(haystack[index + offset]) == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            index += 1
        }
        return false
    }

    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes where byte >= 0x80 { return false }
        return true
    }

    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }

    static func modificationTime(_ path: String) -> Double? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Double(info.st_mtim.tv_sec)
    }

    /// Seconds since the epoch of "YYYY-MM-DD" or a longer ISO-8601 timestamp (UTC).
    static func epoch(of date: String) -> Double? {
        let digits = date.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard digits.count == 3 else { return nil }
        var parts = tm()
        parts.tm_year = Int32(digits[0] - 1900)
        parts.tm_mon = Int32(digits[1] - 1)
        parts.tm_mday = Int32(digits[2])
        return Double(timegm(&parts))
    }

    /// Whether `date` reads as YYYY-MM-DD (optionally followed by a time).
    public static func isValidDate(_ date: String) -> Bool {
        let head = date.prefix(10)
        guard head.count == 10, epoch(of: String(head)) != nil else { return false }
        return head.enumerated().allSatisfy { index, character in
            index == 4 || index == 7 ? character == "-" : character.isASCII && character.isNumber
        }
    }
}
