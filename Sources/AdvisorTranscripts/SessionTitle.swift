import AdvisorSystem
import Foundation

/// What an exported session is called: its first question, shortened, and when it started.
///
/// The start is shown in local time ("Who owns mobile? — 2 Dec 2026 09:14 CET"); a session
/// without a question is "Advisor session ID — date". Plain text: the caller escapes it.
enum SessionTitle {
    /// The most characters of the question kept in a title.
    static let questionLength = 60

    static func make(id: String, startedAt: String?, firstQuestion: String?, localTime: LocalTime) -> String {
        let question = firstQuestion.map { shortened(oneLine($0), to: questionLength) }
        let name = question.flatMap { $0.isEmpty ? nil : $0 } ?? "Advisor session \(oneLine(id))"
        guard let startedAt else { return name }
        return name + " — " + (localTime.dateTime(startedAt) ?? oneLine(startedAt))
    }

    /// `text` on one line: line breaks and tabs as spaces, runs of spaces as one, other
    /// control characters (escape sequences' introducers, bidi overrides) left out.
    static func oneLine(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" {
                pendingSpace = !result.isEmpty
            } else if !TerminalSafe.isControl(scalar) {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// `text` cut after at most `limit` characters at a word boundary, "…" added when cut
    /// (a first word longer than half the limit is cut inside it).
    static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        var kept = text.prefix(limit)
        let next = text[kept.endIndex]
        if next != " ", let space = kept.lastIndex(of: " "),
            kept.distance(from: kept.startIndex, to: space) >= limit / 2
        {
            kept = kept[..<space]
        }
        let trimmed = kept.reversed().drop { " ,;:-—".contains($0) }
        return String(trimmed.reversed()) + "…"
    }
}
