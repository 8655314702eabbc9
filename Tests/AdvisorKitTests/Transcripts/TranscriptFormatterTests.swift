import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("TranscriptFormatter")
struct TranscriptFormatterTests {
    static let hostileQuestion =
        "<script>alert('x')</script> \u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m \u{202E}evil & mobile?"

    /// A transcript recorded from a real session with a hostile question and command.
    private func recorded() throws -> (TemporaryDirectory, Transcript) {
        let temp = try TemporaryDirectory()
        let id = try TranscriptFixtures.record(
            [Self.hostileQuestion, "/role \u{1B}[31mcmo", "Who owns mobile?"], in: temp.path, finish: false)
        return (temp, try TranscriptStore(directory: temp.path).read(id))
    }

    /// A transcript whose answer fields themselves are hostile (a tampered file).
    private func tampered() throws -> Transcript {
        var answer = TranscriptFixtures.answer(
            topic: "mobile\u{1B}[31m", text: "line one \u{1B}[1m<b>bold</b>\nline two\u{9D}")
        answer.title = "<img src=x onerror=alert(1)>\u{1B}[5m"
        answer.note = "note \u{1B}]8;;http://evil\u{07}link"
        answer.sources = [Citation(seed: "s\u{1B}.txt", title: "T\u{1B}[0m", author: "A\u{1B}", date: "D\u{1B}")]
        answer.related = ["r\u{1B}"]
        let lines = [
            try TranscriptFixtures.line(TranscriptFixtures.session(id: "t1")),
            try TranscriptFixtures.line(
                TurnEvent(at: "2026-01-01T00:00:01.000Z", n: 1, question: Self.hostileQuestion, answer: answer)),
            try TranscriptFixtures.line(
                CommandEvent(at: "2026-01-01T00:00:02.000Z", line: "/x \u{1B}[31m`rm`", effect: "e\u{1B}")),
        ]
        return TranscriptParser.parse(Data((lines.joined(separator: "\n") + "\n").utf8), id: "t1", path: "/t1.jsonl")
    }

    @Test("no format ever contains a raw ESC byte", arguments: TranscriptFormat.allCases)
    func noEscape(format: TranscriptFormat) throws {
        let (temp, transcript) = try recorded()
        defer { temp.remove() }
        for item in [transcript, try tampered()] {
            let output = TranscriptFormatter().render(item, as: format)
            #expect(!output.utf8.contains(0x1B), "\(format) has a raw ESC")
            #expect(!output.unicodeScalars.contains("\u{07}"))
            // JSON is for programs: it escapes C0 controls and keeps other text as it is.
            if format != .json {
                #expect(!output.unicodeScalars.contains("\u{9B}"))
                #expect(!output.unicodeScalars.contains("\u{202E}"))
            }
        }
    }

    @Test("HTML escapes markup and neutralises control characters")
    func html() throws {
        let (temp, transcript) = try recorded()
        defer { temp.remove() }
        for item in [transcript, try tampered()] {
            let page = TranscriptFormatter().render(item, as: .html)
            #expect(page.hasPrefix("<!DOCTYPE html>"))
            #expect(!page.contains("<script>"))
            #expect(!page.contains("<img"))
            #expect(!page.contains("<b>"))
            #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
            #expect(page.contains("&amp;"))
            #expect(page.contains("Content-Security-Policy"))
        }
        #expect(TranscriptFormatter().render(transcript, as: .html).contains("did not exit cleanly"))
    }

    @Test("text shows each question and answer, and the missing end")
    func text() throws {
        let (temp, transcript) = try recorded()
        defer { temp.remove() }
        let output = TranscriptFormatter().render(transcript, as: .text)
        #expect(output.contains("[2] > Who owns mobile?"))
        #expect(output.contains("[mobile-ownership]"))
        #expect(output.contains("^["))
        #expect(output.contains("(no end event: the session did not exit cleanly)"))
    }

    @Test("markdown escapes its syntax")
    func markdown() throws {
        let output = TranscriptFormatter().render(try tampered(), as: .markdown)
        #expect(output.hasPrefix("# Advisor session t1"))
        #expect(!output.contains("<script>"))
        #expect(output.contains("&lt;script&gt;"))
        #expect(!output.contains("`rm`"))
    }

    @Test("json re-emits every event as one parsable line")
    func json() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let id = try TranscriptFixtures.record(["Who owns mobile?", "/role cio", "tech budget?"], in: temp.path)
        let transcript = try TranscriptStore(directory: temp.path).read(id)
        let output = TranscriptFormatter().render(transcript, as: .json)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 5)
        let types = try lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["type"] as? String
        }
        #expect(types == ["session", "turn", "command", "turn", "end"])
        let reparsed = TranscriptParser.parse(Data(output.utf8), id: id, path: "x")
        #expect(reparsed.warnings.isEmpty)
        #expect(reparsed.turns.map(\.answer) == transcript.turns.map(\.answer))
    }

    // MARK: The session's name and local times

    /// A hand-made session started at `at` (UTC), with one turn asking `question` unless nil.
    private func session(asking question: String?, at: String = "2026-12-02T08:14:05.000Z") throws -> Transcript {
        var lines = [try TranscriptFixtures.line(TranscriptFixtures.session(id: "t1", at: at))]
        if let question {
            var answer = TranscriptFixtures.answer(topic: "mobile-ownership")
            answer.answer = "Mobile is shared."
            lines.append(
                try TranscriptFixtures.line(
                    TurnEvent(at: "2026-12-02T08:15:30.000Z", n: 1, question: question, answer: answer)))
        }
        lines.append(
            try TranscriptFixtures.line(EndEvent(at: "2026-12-02T08:40:00.000Z", turns: question == nil ? 0 : 1)))
        return TranscriptParser.parse(Data((lines.joined(separator: "\n") + "\n").utf8), id: "t1", path: "/t1.jsonl")
    }

    private func formatter(_ zone: String) throws -> TranscriptFormatter {
        TranscriptFormatter(localTime: LocalTime(timeZone: try #require(TimeZone(identifier: zone))))
    }

    /// The text between `<open>` and `</close>` of the first such element.
    private func element(_ name: String, in page: String) -> String? {
        guard let start = page.range(of: "<\(name)>"),
            let end = page.range(of: "</\(name)>", range: start.upperBound..<page.endIndex)
        else { return nil }
        return String(page[start.upperBound..<end.lowerBound])
    }

    @Test("the HTML title and heading name the session by its first question and local start")
    func titleFromFirstQuestion() throws {
        let page = try formatter("Europe/Paris").render(try session(asking: "Who owns mobile?"), as: .html)
        #expect(element("title", in: page) == "Who owns mobile? — 2 Dec 2026 09:14 +01:00", "\(page)")
        #expect(element("h1", in: page) == "Who owns mobile? — 2 Dec 2026 09:14 +01:00")
        #expect(page.contains("<p class=\"meta\">Session t1, started <time datetime=\"2026-12-02T08:14:05.000Z\">"))
    }

    @Test("a long first question is shortened at a word boundary")
    func longQuestionShortened() throws {
        let question =
            "How should the CIO and the CMO split the technology budget when marketing already runs its own cloud software?"
        let page = try formatter("UTC").render(try session(asking: question), as: .html)
        let title = try #require(element("title", in: page))
        let name = try #require(title.components(separatedBy: " — ").first)
        #expect(name.hasSuffix("…"), "\(title)")
        let kept = String(name.dropLast())
        #expect(kept.count <= SessionTitle.questionLength && kept.count >= SessionTitle.questionLength / 2, "\(name)")
        #expect(question.hasPrefix(kept + " "), "cut where a word ends: \(name)")
        #expect(title.hasSuffix(" — 2 Dec 2026 08:14 UTC"), "\(title)")
        #expect(page.contains("<h2>1. \(question)</h2>"), "the turn keeps the whole question")
        #expect(SessionTitle.shortened("Short enough?", to: 60) == "Short enough?")
    }

    @Test("a session without a turn is named by its id and start")
    func noTurnSession() throws {
        let page = try formatter("Europe/Paris").render(try session(asking: nil), as: .html)
        #expect(element("title", in: page) == "Advisor session t1 — 2 Dec 2026 09:14 +01:00", "\(page)")
        let bare = TranscriptParser.parse(Data(), id: "t1", path: "/t1.jsonl")
        #expect(element("title", in: TranscriptFormatter().render(bare, as: .html)) == "Advisor session t1")
    }

    @Test(
        "every format shows times in the formatter's zone, JSON keeps UTC",
        arguments: [
            ("Europe/Paris", "2026-12-02T08:14:05.000Z", "2 Dec 2026 09:14 +01:00"),
            ("Europe/Paris", "2026-07-01T22:30:00.000Z", "2 Jul 2026 00:30 +02:00"),
            ("UTC", "2026-12-02T08:14:05.000Z", "2 Dec 2026 08:14 UTC"),
            ("America/New_York", "2026-12-02T03:00:00Z", "1 Dec 2026 22:00 -05:00"),
        ])
    func localTimes(zone: String, at: String, shown: String) throws {
        let transcript = try session(asking: "Who owns mobile?", at: at)
        let formatter = try formatter(zone)
        for format in [TranscriptFormat.text, .markdown, .html] {
            let output = formatter.render(transcript, as: format)
            #expect(
                output.contains("started \(shown)") || output.contains("\">\(shown)</time>"), "\(format): \(output)")
            // The saved time stays only as HTML's machine-readable <time datetime="...">.
            let shownText = output.replacingOccurrences(of: "datetime=\"\(at)\"", with: "")
            #expect(!shownText.contains(at), "\(format) shows no UTC timestamp as text")
        }
        let json = formatter.render(transcript, as: .json)
        #expect(json.contains("\"at\":\"\(at)\""), "JSON keeps the saved time: \(json)")
        #expect(!json.contains(shown))
    }

    @Test("turn and end times are local in every format that shows them")
    func turnAndEndTimes() throws {
        let transcript = try session(asking: "Who owns mobile?")
        let formatter = try formatter("Europe/Paris")
        let page = formatter.render(transcript, as: .html)
        #expect(page.contains("<time datetime=\"2026-12-02T08:15:30.000Z\">09:15:30 +01:00</time>"), "\(page)")
        #expect(
            page.contains("ended <time datetime=\"2026-12-02T08:40:00.000Z\">2 Dec 2026 09:40 +01:00</time>, 1 turn"))
        #expect(formatter.render(transcript, as: .text).contains("ended 2 Dec 2026 09:40 +01:00, 1 turn\n"))
        #expect(formatter.render(transcript, as: .markdown).contains("*ended 2 Dec 2026 09:40 +01:00, 1 turn*\n"))
    }

    @Test("a time that is not a saved timestamp is shown as it is, escaped")
    func unparsableTime() throws {
        let transcript = try session(asking: "Who owns mobile?", at: "<b>yesterday</b>")
        let page = try formatter("UTC").render(transcript, as: .html)
        #expect(element("title", in: page) == "Who owns mobile? — &lt;b&gt;yesterday&lt;/b&gt;", "\(page)")
        #expect(!page.contains("<b>"))
    }

    @Test("HTML shows figures and next steps as lists, sources numbered")
    func lists() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let id = try TranscriptFixtures.record(
            ["How do we split the budget with marketing?", "what do the numbers say?"], in: temp.path, role: .cio)
        let transcript = try TranscriptStore(directory: temp.path).read(id)
        let page = TranscriptFormatter().render(transcript, as: .html)
        let steps = try #require(transcript.turns.first?.answer.nextSteps)
        let facts = try #require(transcript.turns.last?.answer.facts)
        #expect(steps.count >= 2 && facts.count >= 2)
        let stepList = try #require(page.range(of: "<ul class=\"steps\">\n"), "\(page)")
        #expect(page[stepList.upperBound...].hasPrefix("<li>"))
        for step in steps {
            let escaped = step.step.replacingOccurrences(of: "'", with: "&#39;")
            #expect(page.contains("<li>\(escaped) "), "\(step.step)")
        }
        let figureList = try #require(page.range(of: "<ul class=\"figures\">\n"), "\(page)")
        let figureEnd = try #require(page.range(of: "</ul>", range: figureList.upperBound..<page.endIndex))
        let figures = page[figureList.upperBound..<figureEnd.lowerBound]
        #expect(figures.components(separatedBy: "<li>").count - 1 == facts.count, "one item per figure: \(figures)")
        #expect(!page.contains("<p>- "), "no list line is left as a paragraph")
        let sources = try #require(transcript.turns.first?.answer.sources)
        #expect(page.contains("<ol class=\"sources\">\n<li>\(sources[0].title)"))
    }

    @Test("a hostile first question is escaped in the title, without control characters")
    func hostileTitle() throws {
        let question = "<script>alert(1)</script>\n\u{1B}]0;x\u{07} who\towns \u{9B}1m\u{202E}mobile & \"it\"?"
        let page = try formatter("UTC").render(try session(asking: question), as: .html)
        let title = try #require(element("title", in: page))
        #expect(!title.contains("<"), "\(title)")
        #expect(
            title
                == "&lt;script&gt;alert(1)&lt;/script&gt; ]0;x who owns 1mmobile &amp; &quot;it&quot;? — 2 Dec 2026 08:14 UTC"
        )
        #expect(!title.unicodeScalars.contains { TerminalSafe.isControl($0) || $0 == "\n" || $0 == "\t" }, "\(title)")
        #expect(element("h1", in: page) == title)
        #expect(!page.lowercased().contains("<script"))
    }
}
