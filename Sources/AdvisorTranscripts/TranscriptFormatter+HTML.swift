import AdvisorEngine
import AdvisorSystem
import Foundation

// The HTML page of a transcript: one self-contained document (no script, no external
// resource) named by the session's first question and start, every text escaped.
extension TranscriptFormatter {
    /// The page's head, its `<h1>` naming the session, and the session's facts.
    func htmlBegin(id: String, session: SessionEvent?, firstQuestion: String?) -> String {
        let title = h(
            SessionTitle.make(id: id, startedAt: session?.at, firstQuestion: firstQuestion, localTime: localTime))
        var out = Self.htmlStart(title: title) + "<h1>\(title)</h1>\n"
        var meta = h("Session \(id)")
        if let session {
            meta += ", started " + timeElement(session.at, shown: localTime.dateTime(session.at))
            meta += ", " + h(sessionFacts(session).joined(separator: ", "))
        }
        out += "<p class=\"meta\">\(meta)</p>\n"
        return out
    }

    /// When the session ended (or that it did not exit cleanly), and the end of the page.
    func htmlFinish(end: EndEvent?) -> String {
        var out = ""
        if let end {
            let turns = "\(end.turns) turn\(end.turns == 1 ? "" : "s")"
            out += "<p class=\"meta\">ended \(timeElement(end.at, shown: localTime.dateTime(end.at))), \(turns)</p>\n"
        } else if let footer = footer(end) {
            out += "<p class=\"meta\">\(h(footer))</p>\n"
        }
        return out + "</body>\n</html>\n"
    }

    /// One turn or command.
    func html(_ entry: Transcript.Entry) -> String {
        var body = ""
        switch entry {
        case .command(let command):
            body += "<p class=\"command\">\(timeElement(command.at, shown: localTime.time(command.at))) "
            body += "<code>\(h(command.line))</code> \(h(command.effect))</p>\n"
            if let output = command.output { body += "<pre class=\"shown\">\(h(output))</pre>\n" }
        case .turn(let turn):
            body += "<section class=\"turn\">\n<h2>\(turn.n). \(h(turn.question))</h2>\n"
            body += "<p class=\"title\">\(timeElement(turn.at, shown: localTime.time(turn.at))) "
            body +=
                "<strong>\(h(turn.answer.title))</strong> <span class=\"topic\">\(h(turn.answer.topic))</span></p>\n"
            if let notice = turn.answer.notice { body += "<p class=\"notice\">\(h(notice))</p>\n" }
            body += answerBlocks(turn.answer)
            if let note = turn.answer.note { body += "<p class=\"note\">\(h(note))</p>\n" }
            if !turn.answer.sources.isEmpty {
                // Numbered as the answer's [n] markers.
                body += "<ol class=\"sources\">\n"
                for source in turn.answer.sources {
                    body += "<li>\(Self.reference(source, escaped: h))</li>\n"
                }
                body += "</ol>\n"
            }
            body += "</section>\n"
        }
        return body
    }

    /// The answer text as shown, as HTML lists and paragraphs.
    ///
    /// Its "- " lines (figures, next steps) become lists and the other lines paragraphs. A
    /// list whose every item is one of the answer's facts is `figures`, one of its next steps
    /// `steps`.
    func answerBlocks(_ answer: Answer) -> String {
        var out = ""
        var items: [String] = []
        let facts = Set((answer.facts ?? []).map(\.text))
        let steps = Set(answer.nextSteps.map(\.step))
        func closeList() {
            guard !items.isEmpty else { return }
            let unmarked = items.map(Self.withoutMarker)
            var kind = ""
            if !facts.isEmpty, unmarked.allSatisfy(facts.contains) {
                kind = " class=\"figures\""
            } else if !steps.isEmpty, unmarked.allSatisfy(steps.contains) {
                kind = " class=\"steps\""
            }
            out += "<ul\(kind)>\n" + items.map { "<li>\(h($0))</li>\n" }.joined() + "</ul>\n"
            items.removeAll()
        }
        for line in Self.paragraphs(answer.answer) {
            if line.hasPrefix("- ") {
                items.append(String(line.dropFirst(2)))
            } else {
                closeList()
                out += "<p>\(h(line))</p>\n"
            }
        }
        closeList()
        return out
    }

    /// A list item without the citation it ends with: " [2]", or " (our suggestion, from [2])".
    static func withoutMarker(_ item: String) -> String {
        if item.hasSuffix(")"), let start = item.range(of: " (our suggestion, from [", options: .backwards) {
            return String(item[..<start.lowerBound])
        }
        if item.hasSuffix("]"), let start = item.range(of: " [", options: .backwards),
            item[start.upperBound..<item.index(before: item.endIndex)].allSatisfy(\.isNumber)
        {
            return String(item[..<start.lowerBound])
        }
        return item
    }

    /// `<time>` with the saved UTC time as its machine-readable value and `shown` (a local
    /// time) as its text; the saved text itself when it is not a time.
    func timeElement(_ at: String, shown: String?) -> String {
        guard let shown else { return h(at) }
        return "<time datetime=\"\(h(at))\">\(h(shown))</time>"
    }

    /// `text` escaped for HTML: markup characters as entities, control characters other
    /// than newline and tab as U+FFFD.
    func h(_ text: String) -> String {
        if let escaped = Self.escapeASCII(text, Self.htmlEscape) { return escaped }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default:
                if TerminalSafe.isControl(scalar), scalar != "\n", scalar != "\t" {
                    result += "&#xFFFD;"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    static func htmlStart(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <title>\(title)</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }
        h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
        .meta, .topic, .command, .sources, time { color: #666; font-size: 0.9rem; }
        .note, .notice { border-left: 3px solid #4a90d9; padding-left: 0.75rem; }
        pre.shown { white-space: pre-wrap; }
        </style>
        </head>
        <body>

        """
    }
}
