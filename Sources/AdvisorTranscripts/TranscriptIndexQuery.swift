import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import Foundation

extension TranscriptIndex {
    /// The hits of `query` among transcripts `ids` (the folder's listing), after bringing
    /// the index up to date; the same hits, in the same order, as the linear scan.
    func search(_ query: SearchQuery, ids: [String], warn: (String) -> Void) throws(Failure) -> [SearchHit] {
        var hits: [SearchHit] = []
        try search(query, ids: ids, warn: warn) { _, _, _, make throws(SQLiteError) in hits.append(try make()) }
        // Rows come in index order; the scan's order is by transcript, then turn.
        return hits.sorted { ($0.transcript, $0.turn) < ($1.transcript, $1.turn) }
    }

    /// The best `limit` hits of `query` (all when nil), ranked, and how many matched:
    /// only the hits kept are built, so a broad search costs little more than a narrow one.
    func ranked(_ query: SearchQuery, ids: [String], limit: Int?, warn: (String) -> Void) throws(Failure)
        -> SearchResults
    {
        var best = BestHits(limit: limit)
        try search(query, ids: ids, warn: warn) { score, transcript, turn, make throws(SQLiteError) in
            try best.offer(score: score, transcript: transcript, turn: turn, make)
        }
        return best.results
    }

    /// A matching turn offered to a search: its score, transcript and turn number, and a
    /// function that builds its hit.
    typealias Offer = (Int, String, Int, () throws(SQLiteError) -> SearchHit) throws(SQLiteError) -> Void

    /// Brings the index up to date, then offers each matching turn to `take`.
    private func search(_ query: SearchQuery, ids: [String], warn: (String) -> Void, take: Offer) throws(Failure) {
        let matcher = SearchMatcher(query)
        // Warnings wait for success: on failure the scan that takes over gives its own.
        var warnings: [String] = []
        do throws(SQLiteError) {
            let names = try synchronize(ids, matcher: matcher, warn: { warnings.append($0) })
            try candidates(matcher, names: names, take: take)
        } catch {
            throw Self.failure(error)
        }
        warnings.forEach(warn)
    }

    /// Offers to `take` each indexed turn that `matcher` finds matching.
    ///
    /// With a needle the index can look up, the texts whose trigrams hold the folded
    /// needle's are read and scored once each, first (answers recur in thousands of turns);
    /// `matcher` decides from the original text. The turns are then found one of two ways:
    /// when few texts match, through the turns' indexes on those text ids; when many do, by
    /// one pass over all turns that tests each turn's two text ids in memory (fetching
    /// 200,000 turns one by one through an index costs twice a plain pass over 1,000,000).
    /// Topic and `--since` narrow the turns in SQL, and a turn's question is read only for
    /// a hit that is kept. `names` gives each file row's transcript id; a turn of a file
    /// not in it is skipped.
    private func candidates(_ matcher: SearchMatcher, names: [Int64: String], take: Offer) throws(SQLiteError) {
        let topics = try topicNames()
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        let texts = try TextReader(database)
        // Verdicts by text id: with trigrams, every text that may hold the needle is scored
        // here (counts only: a snippet is made for the few hits kept), and any other cannot match.
        var verdicts = TextVerdicts()
        let trigrams = Self.trigramQuery(matcher.indexNeedle)
        if let trigrams {
            let matching = try database.prepare(
                "SELECT id, text FROM texts WHERE id IN (SELECT rowid FROM text_index WHERE text_index MATCH ?)")
            try matching.bind(1, trigrams)
            var found: [(id: Int64, score: TextScore)] = []
            while try matching.step() {
                if let score = matcher.textScore(matching.text(1), snippet: false) {
                    found.append((matching.int64(0), score))
                }
            }
            if found.isEmpty { return }
            verdicts = TextVerdicts(found)
            if turnAccess == .lookup || turnAccess == .automatic && found.count <= Self.lookupLimit {
                let ids = found.map { String($0.id) }.joined(separator: ",")
                conditions.append("(question IN (\(ids)) OR answer IN (\(ids)))")
            }
        }
        if let wanted = matcher.query.topic {
            // Compared here, as the matcher compares (canonical equivalence), not in SQL.
            let ids = topics.filter { $0.value == wanted }.keys.map(String.init)
            conditions.append("topic IN (\(ids.joined(separator: ",")))")
        }
        if let seconds = matcher.sinceSeconds {
            conditions.append("file IN (SELECT file FROM files WHERE mtime_s >= ?\(values.count + 1))")
            values.append(.integer(seconds))
        }
        func score(_ id: Int64) throws(SQLiteError) -> TextScore? {
            if let known = verdicts[id] { return known }
            if trigrams != nil { return nil }
            let found = matcher.textScore(try texts.text(id), snippet: false)
            verdicts[id] = .some(found)
            return found
        }
        // Snippets by answer id, made for the hits built: answers recur in many turns.
        var snippets: [Int64: String?] = [:]
        func snippet(_ answerID: Int64) throws(SQLiteError) -> String? {
            if let known = snippets[answerID] { return known }
            let made = matcher.snippet(of: try texts.text(answerID))
            snippets[answerID] = .some(made)
            return made
        }
        let statement = try database.prepare(
            "SELECT file, n, at, topic, question, answer FROM turns"
                + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")))
        for (offset, value) in values.enumerated() {
            switch value {
            case .text(let text): try statement.bind(Int32(offset + 1), text)
            case .integer(let number): try statement.bind(Int32(offset + 1), number)
            }
        }
        while try statement.step() {
            let questionID = statement.int64(4)
            let answerID = statement.int64(5)
            // The pass over every turn: most hold neither text.
            if trigrams != nil, verdicts.isMiss(questionID), verdicts.isMiss(answerID) { continue }
            let topic = topics[statement.int64(3)] ?? ""
            var failure: SQLiteError?
            func scored(_ id: Int64) -> TextScore? {
                do throws(SQLiteError) { return try score(id) } catch {
                    failure = error
                    return nil
                }
            }
            var answerMatched = false
            let found = matcher.match(
                topic: topic, at: statement.text(2), question: { scored(questionID) },
                answer: {
                    let score = scored(answerID)
                    answerMatched = score != nil
                    return score
                })
            if let failure { throw failure }
            guard let found, let transcript = names[statement.int64(0)] else { continue }
            let turn = Int(statement.int64(1))
            try take(found.score, transcript, turn) { () throws(SQLiteError) -> SearchHit in
                SearchHit(
                    transcript: transcript, turn: turn, at: statement.text(2), topic: topic,
                    question: try texts.text(questionID),
                    snippet: answerMatched ? try snippet(answerID) : nil, score: found.score)
            }
        }
    }

    /// The most matching texts whose turns are found through the turns' indexes; above it,
    /// one pass over all turns is cheaper.
    static let lookupLimit = 500

    /// How a search finds the turns of the texts that match.
    enum TurnAccess {
        /// Through the turns' indexes when few texts match, else by one pass over all turns.
        case automatic
        /// Always through the indexes.
        case lookup
        /// Always by one pass over all turns.
        case pass
    }

    private enum SQLiteValue {
        case text(String)
        case integer(Int64)
    }

    /// Every topic by id.
    private func topicNames() throws(SQLiteError) -> [Int64: String] {
        let statement = try database.prepare("SELECT id, name FROM topics")
        var names: [Int64: String] = [:]
        while try statement.step() { names[statement.int64(0)] = statement.text(1) }
        return names
    }

    /// The FTS5 query for the texts whose folded form may hold `needle`, all its trigrams joined by AND.
    ///
    /// The index keeps no positions, so the matcher decides. Nil when the index cannot
    /// narrow the search: a needle of fewer than three characters (no trigram) or with a
    /// control character; then every turn is a candidate.
    static func trigramQuery(_ needle: String) -> String? {
        let scalars = Array(needle.unicodeScalars)
        guard scalars.count >= 3, !scalars.contains(where: { $0.value < 0x20 }) else { return nil }
        var seen: Set<String> = []
        var terms: [String] = []
        for start in 0...(scalars.count - 3) {
            var trigram = ""
            trigram.unicodeScalars.append(contentsOf: scalars[start..<start + 3])
            if seen.insert(trigram).inserted {
                terms.append("\"" + trigram.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
            }
        }
        return terms.joined(separator: " AND ")
    }
}

/// Reads texts by id.
private struct TextReader {
    let statement: SQLiteStatement

    init(_ database: SQLiteDatabase) throws(SQLiteError) {
        statement = try database.prepare("SELECT text FROM texts WHERE id = ?")
    }

    func text(_ id: Int64) throws(SQLiteError) -> String {
        try statement.bind(1, id)
        defer { statement.reset() }
        return try statement.step() ? statement.text(0) : ""
    }
}

/// What is known of each text for one query: its score, nil when it does not hold the needle.
///
/// The texts that match are found by id through a flat table when the ids are
/// small enough, since a pass over every turn asks about two texts per turn.
private struct TextVerdicts {
    /// By text id: the index in `matches` of its score, or -1.
    private var slots: [Int32] = []
    private var matches: [TextScore] = []
    private var others: [Int64: TextScore?] = [:]

    init() {}

    /// The verdicts of the texts that hold the needle (with trigrams, no other text does).
    init(_ found: [(id: Int64, score: TextScore)]) {
        let largest = found.map(\.id).max() ?? 0
        guard found.allSatisfy({ $0.id >= 0 }), largest < Int64(Self.tableLimit) else {
            for (id, score) in found { others[id] = .some(score) }
            return
        }
        slots = Array(repeating: -1, count: Int(largest) + 1)
        matches.reserveCapacity(found.count)
        for (id, score) in found {
            slots[Int(id)] = Int32(matches.count)
            matches.append(score)
        }
    }

    /// Ids below this are found through the flat table (4 bytes an id).
    static let tableLimit = 16_000_000

    private func slot(_ id: Int64) -> Int32 {
        id >= 0 && id < Int64(slots.count) ? slots[Int(id)] : -1
    }

    /// The verdict on text `id`: nil when not known, `.some(nil)` when it does not match.
    subscript(id: Int64) -> TextScore?? {
        get {
            let slot = slot(id)
            return slot >= 0 ? .some(matches[Int(slot)]) : others[id]
        }
        set { others[id] = newValue }
    }

    /// Whether text `id` is not among those found to match.
    func isMiss(_ id: Int64) -> Bool {
        slot(id) < 0 && others[id] == nil
    }
}
