import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation
import LineEditor

/// `advisor transcripts search`.
extension TranscriptsCommand {
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search", abstract: "Find turns whose question or answer contains TEXT.")

        @OptionGroup var options: Options
        @Option(name: .long, help: "Only turns answered with this topic.", completion: Completions.topicIDs)
        var topic: String?
        @Option(name: .long, help: "Only turns on or after this date (YYYY-MM-DD).") var since: String?
        @Flag(name: .long, help: "Print JSON Lines.") var json = false
        @Option(
            name: .long,
            help: ArgumentHelp(
                "Show the N best matches (default \(Self.defaultLimit); 0 for all; --json prints all unless given).",
                valueName: "n"))
        var limit: Int?
        @Flag(
            name: .customLong("no-index"),
            help: "Read every transcript file instead of the search index (also with ADVISOR_NO_SEARCH_INDEX=1).")
        var noIndex = false
        @Argument(help: "The text to find (case-insensitive).") var text: String = ""

        /// The cache folder holding the search index, or nil to read the files directly.
        private var indexCacheDirectory: String? {
            let environment = ProcessInfo.processInfo.environment
            if noIndex || environment[TranscriptIndex.disableVariable] == "1" { return nil }
            return KnowledgeBaseCache.defaultDirectory(environment: environment)
        }

        /// `line` with every occurrence of the searched text in bold (on a terminal).
        private func highlight(_ line: String, style: TextStyle) -> String {
            guard style.colors else { return line }
            let ranges = TranscriptStore.matchRanges(of: text, in: line)
            guard !ranges.isEmpty else { return line }
            var out = ""
            var position = line.startIndex
            for range in ranges {
                out += line[position..<range.lowerBound] + style.bold(String(line[range]))
                position = range.upperBound
            }
            return out + line[position...]
        }

        /// How many matches a search shows on its own: a screenful, best first.
        static let defaultLimit = 20

        func validate() throws {
            if let limit, limit < 0 { throw ValidationError("--limit takes 0 (all) or more, not \(limit)") }
            if let since, !TranscriptStore.isValidDate(since) {
                throw ValidationError("--since takes a date as YYYY-MM-DD, not '\(since)'")
            }
            if text.isEmpty, topic == nil, since == nil {
                throw ValidationError("search needs TEXT, --topic or --since")
            }
        }

        func run() throws {
            Console.ignoreBrokenPipe()
            // Best first, equal scores newest first; only the hits shown are built.
            let shown = limit ?? (json ? 0 : Self.defaultLimit)
            let results: SearchResults
            do {
                results = try TranscriptIndex.ranked(
                    SearchQuery(text: text, topic: topic, since: since), in: options.store,
                    cacheDirectory: indexCacheDirectory, limit: shown == 0 ? nil : shown,
                    warn: { Console.warning($0) })
            } catch {
                throw CommandFailure(error.description)
            }
            if json {
                Console.write(results.hits.map { $0.jsonLine() }.joined())
                return
            }
            let style = TextStyle(colors: options.useColor())
            var out = ""
            for hit in results.hits {
                let question = highlight(TerminalSafe.neutralize(hit.question, keepNewlines: false), style: style)
                out +=
                    "\(hit.transcript)#\(hit.turn)  \(hit.at.prefix(10))  [\(TerminalSafe.neutralize(hit.topic))]  \(question)\n"
                if let snippet = hit.snippet {
                    out +=
                        "    " + highlight(TerminalSafe.neutralize(snippet, keepNewlines: false), style: style) + "\n"
                }
            }
            let total = results.total
            let noun = "matching turn\(total == 1 ? "" : "s")"
            out +=
                results.hits.count < total
                ? "\(results.hits.count) best of \(total) \(noun) (--limit N for more, 0 for all)\n"
                : "\(total) \(noun)\n"
            Pager.show(out, plain: Console.write)
        }
    }
}
