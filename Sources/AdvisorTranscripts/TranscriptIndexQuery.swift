import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import Foundation

extension TranscriptIndex {
    /// The hits of `query` among transcripts `ids` (the folder's listing), after bringing
    /// the index up to date; the same hits, in the same order, as the linear scan.
    func search(_ query: SearchQuery, ids: [String], warn: (String) -> Void) throws(Failure) -> [SearchHit] {
        let matcher = SearchMatcher(query)
        // Warnings wait for success: on failure the scan that takes over gives its own.
        var warnings: [String] = []
        let hits: [SearchHit]
        do throws(SQLiteError) {
            try synchronize(ids, matcher: matcher, warn: { warnings.append($0) })
            hits = try candidates(matcher)
        } catch {
            throw Self.failure(error)
        }
        warnings.forEach(warn)
        return hits
    }

    /// The turns that may match, narrowed in SQL (texts whose trigrams hold the folded
    /// needle's, the topic, the file's modification time), each decided by `matcher` from
    /// the original text, oldest transcript first and in line order within one.
    private func candidates(_ matcher: SearchMatcher) throws(SQLiteError) -> [SearchHit] {
        let topics = try topicNames()
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        if let query = Self.trigramQuery(matcher.indexNeedle) {
            let texts = "(SELECT rowid FROM text_index WHERE text_index MATCH ?1)"
            conditions.append("(t.question IN \(texts) OR t.answer IN \(texts))")
            values.append(.text(query))
        }
        if let wanted = matcher.query.topic {
            // Compared here, as the matcher compares (canonical equivalence), not in SQL.
            let ids = topics.filter { $0.value == wanted }.keys.map(String.init)
            conditions.append("t.topic IN (\(ids.joined(separator: ",")))")
        }
        if let seconds = matcher.sinceSeconds {
            conditions.append("f.mtime_s >= ?\(values.count + 1)")
            values.append(.integer(seconds))
        }
        let statement = try database.prepare(
            "SELECT f.name, t.line, t.n, t.at, t.topic, q.text, t.question, t.answer FROM turns t"
                + " JOIN files f ON f.file = t.file JOIN texts q ON q.id = t.question"
                + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
                + " ORDER BY f.name, t.line")
        for (offset, value) in values.enumerated() {
            switch value {
            case .text(let text): try statement.bind(Int32(offset + 1), text)
            case .integer(let number): try statement.bind(Int32(offset + 1), number)
            }
        }
        var answers = try TextReader(database)
        var verdicts = TextVerdicts()
        // Names are ASCII (`SessionID`): SQL's byte order is `String`'s order, the scan's.
        var hits: [SearchHit] = []
        while try statement.step() {
            // Questions are read with their turn (most are asked once); answers, which
            // recur, once each.
            let questionID = statement.int64(6)
            let answerID = statement.int64(7)
            let turn = SearchedTurn(
                n: Int(statement.int64(2)), at: statement.text(3), topic: topics[statement.int64(4)] ?? "",
                question: statement.text(5), answer: try answers.text(answerID))
            let transcript = statement.text(0)
            if let hit = matcher.hit(
                in: turn, transcript: transcript, questionID: questionID, answerID: answerID, verdicts: &verdicts)
            {
                hits.append(hit)
            }
        }
        return hits
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

    /// The FTS5 query that finds the texts whose folded form may hold `needle`: all of its
    /// trigrams (the index keeps no positions, so the matcher decides). Nil when the index
    /// cannot narrow the search: a needle of fewer than three characters (no trigram) or
    /// with a control character; then every turn is a candidate.
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

/// Reads texts by id, each once.
private struct TextReader {
    let statement: SQLiteStatement
    var known: [Int64: String] = [:]

    init(_ database: SQLiteDatabase) throws(SQLiteError) {
        statement = try database.prepare("SELECT text FROM texts WHERE id = ?")
    }

    mutating func text(_ id: Int64) throws(SQLiteError) -> String {
        if let text = known[id] { return text }
        try statement.bind(1, id)
        defer { statement.reset() }
        let text = try statement.step() ? statement.text(0) : ""
        known[id] = text
        return text
    }
}
