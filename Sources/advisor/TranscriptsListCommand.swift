import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation
import LineEditor

/// `advisor transcripts list`.
extension TranscriptsCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List transcripts, newest first.")

        @OptionGroup var options: Options
        @Flag(name: .long, help: "Print a JSON array.") var json = false
        @Option(name: .long, help: "Show at most this many.") var limit: Int?

        func run() throws {
            Console.ignoreBrokenPipe()
            var summaries: [TranscriptSummary]
            do {
                summaries = try options.store.summaries(warn: { Console.warning($0) })
            } catch {
                throw CommandFailure(error.description)
            }
            if let limit { summaries = Array(summaries.prefix(max(0, limit))) }
            if json {
                Console.write(JSONWriter.line(array: summaries))
                return
            }
            guard !summaries.isEmpty else {
                Console.write(
                    TerminalSafe.neutralize("No transcripts in \(options.store.directory).", keepNewlines: false) + "\n"
                )
                return
            }
            // Every column as wide as its widest cell, so the columns stay aligned.
            let rows: [[String]] = summaries.map { summary in
                var question = TerminalSafe.neutralize(summary.firstQuestion ?? "", keepNewlines: false)
                if DisplayWidth.of(question) > 50 { question = DisplayWidth.prefix(of: question, columns: 49) + "…" }
                return [
                    summary.id, (summary.started ?? "?").prefix(19).replacingOccurrences(of: "T", with: " "),
                    TerminalSafe.neutralize(summary.mode ?? "?", keepNewlines: false) + (summary.ended ? "" : "*"),
                    summary.role?.rawValue ?? "-", String(summary.turns), question,
                ]
            }
            let header = ["ID", "STARTED", "MODE", "ROLE", "TURNS", "FIRST QUESTION"]
            let widths = header.indices.map { column in
                ([header] + rows).map { DisplayWidth.of($0[column]) }.max() ?? 0
            }
            var out = ""
            for row in [header] + rows {
                let cells = row.indices.map { $0 == row.count - 1 ? row[$0] : pad(row[$0], widths[$0]) }
                out += cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
            }
            if summaries.contains(where: { !$0.ended }) { out += "* did not exit cleanly (killed or still running)\n" }
            Pager.show(out, plain: Console.write)
        }
    }
}

/// `text` followed by spaces up to `width` terminal columns (CJK and emoji count two).
private func pad(_ text: some StringProtocol, _ width: Int) -> String {
    String(text) + String(repeating: " ", count: max(0, width - DisplayWidth.of(text)))
}
