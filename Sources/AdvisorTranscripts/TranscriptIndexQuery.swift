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
    /// SQL narrows the turns first (to texts whose trigrams hold the folded needle's, to the
    /// topic, to files modified since `--since`); `matcher` then decides each from the
    /// original texts. With a needle the index can look up, the texts that hold it are read
    /// and scored once each, first; a turn is then decided from its texts' ids alone, and its
    /// question is read only for a hit that is kept. `names` gives each file row's transcript
    /// id; a turn of a file not in it is skipped.
    private func candidates(_ matcher: SearchMatcher, names: [Int64: String], take: Offer) throws(SQLiteError) {
        let topics = try topicNames()
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        let trigrams = Self.trigramQuery(matcher.indexNeedle)
        if let trigrams {
            let texts = "(SELECT rowid FROM text_index WHERE text_index MATCH ?1)"
            conditions.append("(question IN \(texts) OR answer IN \(texts))")
            values.append(.text(trigrams))
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
        let texts = try TextReader(database)
        // Scores by text id: nil for a text without the needle. With trigrams, every text
        // that may hold the needle is scored here; any other cannot match.
        var scores: [Int64: TextScore?] = [:]
        if let trigrams {
            let matching = try database.prepare(
                "SELECT id, text FROM texts WHERE id IN (SELECT rowid FROM text_index WHERE text_index MATCH ?)")
            try matching.bind(1, trigrams)
            while try matching.step() {
                // Counts only: a snippet is made for the few hits kept, below.
                scores[matching.int64(0)] = matcher.textScore(matching.text(1), snippet: false)
            }
        }
        func score(_ id: Int64) throws(SQLiteError) -> TextScore? {
            if let known = scores[id] { return known }
            if trigrams != nil { return nil }
            let found = matcher.textScore(try texts.text(id), snippet: false)
            scores[id] = .some(found)
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
