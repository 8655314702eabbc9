import AdvisorTestSupport
import Foundation
import Testing

/// `advisor transcripts export` to an HTML page: named by the session's first question
/// and start, times in the local zone (`TZ`), figures and next steps as lists.
@Suite("advisor transcripts export: the HTML page")
struct TranscriptsExportHTMLTests {
    static let question = "How do we split the budget with marketing?"

    /// Records a CIO's session asking `question`, then its figures; returns the file.
    static func record(_ sandbox: Sandbox) async throws -> URL {
        let run = try await sandbox.advisor(
            ["run", "--role", "cio", "-"], input: "\(question)\nwhat do the numbers say?\n/why\n")
        #expect(run.status == 0, "\(run)")
        return try #require(sandbox.transcriptFiles().first)
    }

    /// The same session started at `at` (UTC), saved under a new id; returns that id.
    static func restarted(_ file: URL, at: String, in sandbox: Sandbox) throws -> String {
        var lines = String(decoding: try Data(contentsOf: file), as: UTF8.self).split(separator: "\n").map(String.init)
        var session = try JSON.object(lines[0])
        let id = "20260701-223000.000-1-abcdef"
        session["at"] = at
        session["id"] = id
        lines[0] = String(decoding: try JSONSerialization.data(withJSONObject: session), as: UTF8.self)
        try sandbox.write("transcripts/\(id).jsonl", lines.joined(separator: "\n") + "\n")
        return id
    }

    /// The text of the first `<name>` element of `page`.
    static func element(_ name: String, in page: String) -> String? {
        guard let start = page.range(of: "<\(name)>"),
            let end = page.range(of: "</\(name)>", range: start.upperBound..<page.endIndex)
        else { return nil }
        return String(page[start.upperBound..<end.lowerBound])
    }

    @Test("export -o x.html with TZ set: the title names the first question and the local start, lists")
    func namedPageInLocalTime() async throws {
        let sandbox = try Sandbox()
        let file = try await Self.record(sandbox)
        let id = try Self.restarted(file, at: "2026-07-01T22:30:00.000Z", in: sandbox)
        let paris = sandbox.path("paris.html")
        let utc = sandbox.path("utc.html")
        async let parisRun = sandbox.advisor(
            ["transcripts", "export", "-o", paris.path, id], env: ["TZ": "Europe/Paris"])
        async let utcRun = sandbox.advisor(["transcripts", "export", "-o", utc.path, id], env: ["TZ": "UTC"])
        let (parisResult, utcResult) = try await (parisRun, utcRun)
        #expect(parisResult.status == 0 && parisResult.err.isEmpty, "\(parisResult)")
        #expect(utcResult.status == 0 && utcResult.err.isEmpty, "\(utcResult)")

        let page = try String(contentsOf: paris, encoding: .utf8)
        // After midnight in Paris, in summer time.
        #expect(Self.element("title", in: page) == "\(Self.question) — 2 Jul 2026 00:30 CEST", "\(page)")
        #expect(Self.element("h1", in: page) == Self.element("title", in: page))
        #expect(page.contains("started <time datetime=\"2026-07-01T22:30:00.000Z\">2 Jul 2026 00:30 CEST</time>"))
        let utcPage = try String(contentsOf: utc, encoding: .utf8)
        #expect(Self.element("title", in: utcPage) == "\(Self.question) — 1 Jul 2026 22:30 UTC", "\(utcPage)")

        // Each turn's time, read back from the file, is shown in the zone.
        let events = try JSON.events(sandbox.transcripts.appendingPathComponent(id + ".jsonl"))
        let turnAt = try #require(events.first { $0["type"] as? String == "turn" }?["at"] as? String)
        let shown = try Self.parisClock(turnAt)
        #expect(page.contains("<time datetime=\"\(turnAt)\">\(shown)</time>"), "\(shown): \(page)")

        // The steps, then the figures, as lists; the sources numbered.
        let steps = try #require(page.range(of: "<p>Next steps for you as a CIO:</p>\n<ul class=\"steps\">\n<li>"))
        let figures = try #require(page.range(of: "<ul class=\"figures\">\n<li>68% of CMOs believe"), "\(page)")
        #expect(steps.upperBound < figures.lowerBound)
        #expect(page.contains("<ol class=\"sources\">\n<li>"))
        #expect(!page.contains("<p>- "), "no list line left as a paragraph")
        for external in ["src=", "<link", "http://", "https://", "@import", "<script"] {
            #expect(!page.lowercased().contains(external), "self-contained: found \(external)")
        }
    }

    @Test("show and export in text and Markdown give the same local times; JSON keeps UTC")
    func everyFormatAgrees() async throws {
        let sandbox = try Sandbox()
        let file = try await Self.record(sandbox)
        let id = try Self.restarted(file, at: "2026-12-02T08:14:05.000Z", in: sandbox)
        let paris: [String: String?] = ["TZ": "Europe/Paris"]
        async let text = sandbox.advisor(["transcripts", "show", id], env: paris)
        async let markdown = sandbox.advisor(["transcripts", "export", id], env: paris)
        async let html = sandbox.advisor(["transcripts", "export", "--format", "html", id], env: paris)
        async let json = sandbox.advisor(["transcripts", "export", "--format", "json", id], env: paris)
        let (textResult, markdownResult, htmlResult, jsonResult) = try await (text, markdown, html, json)
        for result in [textResult, markdownResult, htmlResult, jsonResult] {
            #expect(result.status == 0 && result.err.isEmpty, "\(result)")
        }
        #expect(textResult.outLines.dropFirst().first?.hasPrefix("started 2 Dec 2026 09:14 CET, mode script") == true)
        #expect(markdownResult.out.contains("\nstarted 2 Dec 2026 09:14 CET, mode script"), "\(markdownResult.out)")
        #expect(htmlResult.out.contains(">2 Dec 2026 09:14 CET</time>"))
        let end = try #require(try JSON.events(file).last?["at"] as? String)
        let ended = "ended \(try Self.parisDate(end)), 2 turns"
        #expect(textResult.outLines.last == ended, "\(textResult.out)")
        #expect(markdownResult.out.hasSuffix("*\(ended)*\n"))
        let session = try #require(try JSON.lines(jsonResult.out).first)
        #expect(session["at"] as? String == "2026-12-02T08:14:05.000Z", "JSON keeps the saved UTC time")
        #expect(!jsonResult.out.contains("CET"))
    }

    /// `at` in Paris as the page shows a turn's time ("00:30:05 CEST"), worked out here
    /// with Foundation rather than the C library the binary uses.
    static func parisClock(_ at: String) throws -> String { try paris(at, "HH:mm:ss") }

    /// `at` in Paris as a date and a time ("2 Dec 2026 09:14 CET").
    static func parisDate(_ at: String) throws -> String { try paris(at, "d MMM yyyy HH:mm") }

    private static func paris(_ at: String, _ pattern: String) throws -> String {
        let reader = ISO8601DateFormatter()
        reader.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = try #require(reader.date(from: at))
        let zone = try #require(TimeZone(identifier: "Europe/Paris"))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        // The zone database's names (ICU's English ones are "GMT+1", "GMT+2").
        return formatter.string(from: date) + (zone.isDaylightSavingTime(for: date) ? " CEST" : " CET")
    }
}
