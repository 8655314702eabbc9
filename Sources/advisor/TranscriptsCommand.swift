import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation
import LineEditor

/// `advisor transcripts ...`: review saved sessions.
struct TranscriptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcripts",
        abstract: "List, show, search, export and replay saved sessions.",
        subcommands: [
            List.self, Show.self, Search.self, Export.self, Replay.self, Gaps.self, Remove.self, Prune.self,
        ],
        defaultSubcommand: List.self)

    /// Options shared by the transcript commands, `--transcripts` and `--no-color` (replay
    /// and gaps, which answer again, take `--kb` too), and the helpers built on them.
    struct Options: ParsableArguments {
        @OptionGroup var folder: TranscriptsFolderOption
        @OptionGroup var color: ColorOption

        func useColor() -> Bool { color.useColor() }

        var store: TranscriptStore { TranscriptStore(directory: folder.transcriptsDirectory()) }

        /// Resolves an id, prefix or `last`, or exits 2 with a clear message.
        func resolve(_ reference: String) throws -> (TranscriptStore, String) {
            let store = store
            do {
                return (store, try store.resolve(reference))
            } catch {
                Console.error("advisor: \(error.description)")
                throw ExitCode(2)
            }
        }

        func read(_ reference: String) throws -> Transcript {
            let (store, id) = try resolve(reference)
            do {
                let transcript = try store.read(id)
                for warning in transcript.warnings { Console.warning(warning) }
                return transcript
            } catch {
                Console.error("advisor: \(error.description)")
                throw ExitCode(2)
            }
        }
    }

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
                Console.error("advisor: \(error.description)")
                throw ExitCode(2)
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

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a transcript: ID, a unique prefix, or 'last'.")

        @OptionGroup var options: Options
        @Option(name: .long, help: "text, markdown or json.") var format: Format = .text
        @Argument(
            help: "ID, unique prefix, or 'last'; ID#N (as search prints it) starts at turn N.",
            completion: Completions.transcriptIDs)
        var id: String

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown, json }

        /// Renders the transcript as it is read, through the pager: a session of any length
        /// is shown whole in bounded memory.
        func run() throws {
            Console.ignoreBrokenPipe()
            var reference = self.id
            var fromTurn: Int?
            if let hash = reference.lastIndex(of: "#") {
                guard let turn = Int(reference[reference.index(after: hash)...]), turn > 0 else {
                    Console.errorLine("advisor: error: '\(self.id)' is not ID or ID#TURN (a turn number after #)")
                    throw ExitCode(2)
                }
                reference = String(reference[..<hash])
                fromTurn = turn
            }
            let (store, id) = try options.resolve(reference)
            let renderer = AnswerRenderer(
                width: isatty(STDOUT_FILENO) == 1 ? TerminalPolicy.outputWidth() : 80,
                style: TextStyle(colors: format == .text && options.useColor()))
            let formatter = TranscriptFormatter(renderer: renderer)
            let format = TranscriptFormat(rawValue: self.format.rawValue) ?? .text
            var outcome: Result<Transcript, TranscriptError> = .failure(.notFound(id, store.directory))
            var reached = fromTurn == nil
            Pager.stream(plain: Console.write) { write in
                var begun = false
                do throws(TranscriptError) {
                    let transcript = try store.stream(id) { entry, session in
                        // ID#N: the entries before turn N are left out.
                        if !reached, case .turn(let turn) = entry, let fromTurn, turn.n >= fromTurn { reached = true }
                        guard reached else { return true }
                        if !begun {
                            begun = true
                            // show has no HTML, the one format named by its first question.
                            let begin = formatter.begin(id: id, session: session, firstQuestion: nil, as: format)
                            guard write(begin) else { return false }
                        }
                        return write(formatter.render(entry, as: format))
                    }
                    guard reached else {
                        outcome = .success(transcript)
                        return
                    }
                    if !begun {
                        _ = write(formatter.begin(id: id, session: transcript.session, firstQuestion: nil, as: format))
                    }
                    _ = write(formatter.finish(end: transcript.end, as: format))
                    outcome = .success(transcript)
                } catch {
                    outcome = .failure(error)
                }
            }
            switch outcome {
            case .success(let transcript):
                for warning in transcript.warnings { Console.warning(warning) }
                if !reached, let fromTurn {
                    Console.errorLine(
                        "advisor: error: \(transcript.id) has \(transcript.turns.count) turn(s), no turn \(fromTurn)")
                    throw ExitCode(2)
                }
            case .failure(let error):
                Console.error("advisor: \(error.description)")
                throw ExitCode(2)
            }
        }
    }

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
                Console.error("advisor: \(error.description)")
                throw ExitCode(2)
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

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Export a transcript as a Markdown, HTML or JSON Lines document.",
            discussion: """
                With -o, the format is taken from the file's extension (.md, .html, .json) unless \
                --format says otherwise; -o DIR/ writes DIR/ID.md (or .html, .json). Only a \
                regular file or a missing path is replaced (mode 0600): a device, a FIFO, a \
                symbolic link or a directory is refused and left alone.

                -o - writes to standard output, as no -o does.
                """)

        @OptionGroup var options: Options
        @Option(name: .long, help: "markdown, html or json (default: from the -o extension, else markdown).")
        var format: Format?
        @Option(
            name: [.short, .long],
            help: ArgumentHelp("Write to this file (DIR/ for DIR/ID.ext, - for standard output).", valueName: "file"),
            completion: .file())
        var output: String?
        @Argument(help: "ID, unique prefix, or 'last'.", completion: Completions.transcriptIDs) var id: String

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case markdown, html, json

            var fileExtension: String {
                switch self {
                case .markdown: return "md"
                case .html: return "html"
                case .json: return "json"
                }
            }

            /// The format a file name asks for by its extension, if any.
            init?(fileName: String) {
                switch (fileName as NSString).pathExtension.lowercased() {
                case "md", "markdown": self = .markdown
                case "html", "htm": self = .html
                case "json", "jsonl": self = .json
                default: return nil
                }
            }

            var transcriptFormat: TranscriptFormat {
                switch self {
                case .markdown: return .markdown
                case .html: return .html
                case .json: return .json
                }
            }
        }

        func run() throws {
            Console.ignoreBrokenPipe()
            let intoFolder = output.map { $0.hasSuffix("/") } ?? false
            let format =
                self.format ?? (intoFolder ? nil : output.flatMap { Format(fileName: $0) }) ?? .markdown
            var path = output == "-" ? nil : output
            if let target = path, !intoFolder {
                // Refused before anything is read or written.
                try refuseUnlessReplaceable(target)
            }
            let (store, id) = try options.resolve(self.id)
            if intoFolder, let folder = path {
                path = folder + id + "." + format.fileExtension
            }
            // Rendered as it is read, so a transcript of any size is exported in bounded memory.
            let formatter = TranscriptFormatter()
            var outcome: Result<Transcript, TranscriptError> = .failure(.notFound(id, store.directory))
            func export(_ write: (Data) -> Bool) -> Bool {
                do throws(TranscriptError) {
                    let (transcript, complete) = try TranscriptExport.write(
                        id, in: store, as: format.transcriptFormat, formatter: formatter, to: write)
                    outcome = .success(transcript)
                    return complete
                } catch {
                    outcome = .failure(error)
                    return false
                }
            }
            if let path {
                do {
                    // Nothing is replaced unless the whole transcript was read.
                    try SafeFile.replace(path) { write in export(write) }
                } catch {
                    Console.errorLine("advisor: error: \(exportMessage(error, path: path))")
                    throw ExitCode(2)
                }
            } else {
                _ = export { data in
                    Console.write(String(decoding: data, as: UTF8.self))
                    return true
                }
            }
            switch outcome {
            case .success(let transcript):
                for warning in transcript.warnings { Console.warning(warning) }
            case .failure(let error):
                Console.error("advisor: \(error.description)")
                throw ExitCode(2)
            }
        }

        private func refuseUnlessReplaceable(_ path: String) throws {
            do {
                try SafeFile.checkReplaceable(path)
            } catch {
                Console.errorLine("advisor: error: \(exportMessage(error, path: path))")
                throw ExitCode(2)
            }
        }

        private func exportMessage(_ error: SafeFile.Failure, path: String) -> String {
            if case .refused(_, .directory) = error {
                return "\(path) is a directory; use -o \(path)/ to export into it as \(path)/ID.md"
            }
            return error.description
        }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replay",
            abstract:
                "Ask transcripts' questions again against today's knowledge base; exit 1 when any answer changed.",
            discussion: """
                Each changed answer is shown as a "was" and a "now" line with the changed words \
                marked: in colour on a terminal, else as [-old words-] and {+new words+}. The \
                last line sums up: sessions, turns, and how many answers changed.
                """)

        @OptionGroup var options: Options
        @OptionGroup var knowledgeBase: KnowledgeBaseOption
        @Flag(name: .long, help: "Print the changes as JSON Lines.") var json = false
        @Flag(name: .long, help: "Replay every saved transcript.") var all = false
        @Argument(
            help: "ID, unique prefix, or 'last' (one or more; none with --all).", completion: Completions.transcriptIDs)
        var ids: [String] = []

        func validate() throws {
            if all, !ids.isEmpty { throw ValidationError("replay takes IDs or --all, not both") }
            if !all, ids.isEmpty { throw ValidationError("replay needs an ID (or several), or --all") }
        }

        func run() throws {
            Console.ignoreBrokenPipe()
            // Every id is resolved before anything is replayed: one bad id replays nothing.
            let store = options.store
            var resolved: [String] = []
            if all {
                do {
                    resolved = try store.ids()
                } catch {
                    Console.error("advisor: \(error.description)")
                    throw ExitCode(2)
                }
            } else {
                for reference in ids {
                    let id = try options.resolve(reference).1
                    if !resolved.contains(id) { resolved.append(id) }
                }
            }
            let advisor = try knowledgeBase.loadAdvisor()
            let style = TextStyle(colors: !json && options.useColor())
            let width = TerminalPolicy.readingWidth()
            var sessions = 0
            var turns = 0
            var changed = 0
            for id in resolved {
                let transcript: Transcript
                do {
                    transcript = try store.read(id)
                } catch {
                    if !all {
                        Console.error("advisor: \(error.description)")
                        throw ExitCode(2)
                    }
                    Console.warning(error.description)
                    continue
                }
                for warning in transcript.warnings { Console.warning(warning) }
                let changes = TranscriptReview.replay(transcript, advisor: advisor)
                sessions += 1
                turns += transcript.turns.count
                changed += changes.count
                if json {
                    Console.write(
                        changes.map { JSONWriter.line($0.jsonFields + [("transcript", { $0.value(id) })]) }.joined())
                    continue
                }
                // Several sessions: only those that changed are named, the summary counts the rest.
                guard !changes.isEmpty || resolved.count == 1 else { continue }
                var out = ""
                for change in changes { out += Self.describe(change, in: id, style: style, width: width) }
                let count = transcript.turns.count
                out += "\(id): \(changes.count) of \(count) turn\(count == 1 ? "" : "s") changed"
                if let old = transcript.session?.kb, old != advisor.knowledgeBase.fingerprint {
                    out += " (knowledge base \(TerminalSafe.neutralize(old)) -> \(advisor.knowledgeBase.fingerprint))"
                }
                Console.write(out + "\n")
            }
            if !json, resolved.count != 1 {
                Console.write(
                    "\(sessions) session\(sessions == 1 ? "" : "s"), \(turns) turn\(turns == 1 ? "" : "s"), "
                        + "\(changed) changed\n")
            }
            if changed > 0 { throw ExitCode(1) }
        }

        /// One changed turn: `ID#N: question`, the topic, and the wrapped was/now lines.
        static func describe(_ change: ReplayChange, in id: String, style: TextStyle, width: Int) -> String {
            var out =
                style.bold("\(id)#\(change.turn): \(TerminalSafe.neutralize(change.question, keepNewlines: false))")
                + "\n"
            if change.topicChanged {
                out += "  topic: \(TerminalSafe.neutralize(change.oldTopic)) -> \(change.newTopic)\n"
            } else {
                out += "  topic: \(change.newTopic) (unchanged); the answer's text changed\n"
            }
            let diff = WordDiff.diff(
                TerminalSafe.neutralize(change.oldAnswer, keepNewlines: false),
                TerminalSafe.neutralize(change.newAnswer, keepNewlines: false))
            out += marked("  was: ", diff.old, open: "[-", close: "-]", color: "31", style: style, width: width)
            out += marked("  now: ", diff.new, open: "{+", close: "+}", color: "32", style: style, width: width)
            return out
        }

        /// `label` and the words, wrapped to `width` under the label, runs of changed words
        /// coloured (on a terminal) or between `open` and `close`.
        static func marked(
            _ label: String, _ words: [WordDiff.Word], open: String, close: String, color: String, style: TextStyle,
            width: Int
        ) -> String {
            let hang = String(repeating: " ", count: label.count)
            var out = ""
            var line = label
            var length = label.count
            var empty = true
            for (index, word) in words.enumerated() {
                var visible = word.text
                var shown = word.text
                if word.changed {
                    if style.colors {
                        shown = "\u{1B}[\(color)m\(word.text)\u{1B}[0m"
                    } else {
                        if index == 0 || !words[index - 1].changed { visible = open + visible }
                        if index == words.count - 1 || !words[index + 1].changed { visible += close }
                        shown = visible
                    }
                }
                if !empty, length + 1 + visible.count > width {
                    out += line + "\n"
                    line = hang
                    length = hang.count
                    empty = true
                }
                line += (empty ? "" : " ") + shown
                length += (empty ? 0 : 1) + visible.count
                empty = false
            }
            return out + line + "\n"
        }
    }

    struct Gaps: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gaps",
            abstract: "Questions answered 'none' or with low confidence, and topics nobody asked about.")

        @OptionGroup var options: Options
        @OptionGroup var knowledgeBase: KnowledgeBaseOption
        @Option(name: .long, help: "Confidence below which an answer counts as weak.") var threshold: Double = 0.5
        @Flag(name: .long, help: "Print a JSON object.") var json = false

        func run() throws {
            Console.ignoreBrokenPipe()
            let advisor = try knowledgeBase.loadAdvisor()
            let result: (gaps: [Gap], askedTopics: Set<String>)
            do {
                result = try TranscriptReview.gaps(
                    in: options.store, threshold: threshold, warn: { Console.warning($0) })
            } catch {
                Console.error("advisor: \(error.description)")
                throw ExitCode(2)
            }
            let exempt: Set<String> = [KnowledgeBase.noneTopic, KnowledgeBase.smalltalkTopic]
            let unasked = advisor.knowledgeBase.topics.map(\.id).filter {
                !result.askedTopics.contains($0) && !exempt.contains($0)
            }
            if json {
                Console.write(
                    JSONWriter.line([
                        ("gaps", { $0.array(result.gaps) }), ("unaskedTopics", { $0.value(unasked) }),
                    ]))
                return
            }
            var out = "Questions answered none or below confidence \(threshold):\n"
            if result.gaps.isEmpty { out += "  none\n" }
            for gap in result.gaps {
                let topic =
                    gap.topic == KnowledgeBase.noneTopic
                    ? "none" : "\(gap.topic) \(String(format: "%.2f", gap.confidence))"
                out +=
                    "  \(String(gap.count).padding(toLength: 4, withPad: " ", startingAt: 0))\(TerminalSafe.neutralize(gap.question, keepNewlines: false))  [\(TerminalSafe.neutralize(topic))]  e.g. \(gap.examples.joined(separator: ", "))\n"
            }
            out += "Topics nobody has asked about (\(unasked.count)):\n"
            out += unasked.isEmpty ? "  none\n" : unasked.map { "  \($0)\n" }.joined()
            Pager.show(out, plain: Console.write)
        }
    }
}

extension TranscriptsCommand {
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm", abstract: "Delete transcripts: each ID, unique prefix, or 'last'.")

        @OptionGroup var options: Options
        @Argument(help: "ID, unique prefix, or 'last'.", completion: Completions.transcriptIDs) var ids: [String]

        func validate() throws {
            if ids.isEmpty { throw ValidationError("rm needs at least one ID") }
        }

        func run() throws {
            // Every id is resolved before anything is deleted: one bad id deletes nothing.
            var resolved: [String] = []
            for reference in ids { resolved.append(try options.resolve(reference).1) }
            for id in Set(resolved).sorted() {
                try removeTranscript(id, in: options.store)
                Console.write("removed \(id)\n")
            }
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prune",
            abstract: "Delete transcripts of sessions started more than DAYS days ago.",
            discussion: "A session that did not exit cleanly (it may still be running) is kept unless --all.")

        @OptionGroup var options: Options
        @Option(name: .customLong("older-than"), help: ArgumentHelp("Age in days.", valueName: "days"))
        var olderThan: Int
        @Flag(name: .long, help: "Only list what would be deleted.") var dryRun = false
        @Flag(name: .long, help: "Also delete sessions without an end event.") var all = false

        func validate() throws {
            if olderThan < 0 { throw ValidationError("--older-than takes a number of days, 0 or more") }
        }

        func run() throws {
            Console.ignoreBrokenPipe()
            let store = options.store
            let summaries: [TranscriptSummary]
            do {
                summaries = try store.summaries(warn: { Console.warning($0) })
            } catch {
                Console.error("advisor: \(error.description)")
                throw ExitCode(2)
            }
            let cutoff = Date().addingTimeInterval(-Double(olderThan) * 86_400)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            var removed = 0
            for summary in summaries {
                let plain = ISO8601DateFormatter()
                guard let started = summary.started.flatMap({ formatter.date(from: $0) ?? plain.date(from: $0) }),
                    started < cutoff,
                    summary.ended || all
                else { continue }
                if !dryRun { try removeTranscript(summary.id, in: store) }
                Console.write((dryRun ? "would remove " : "removed ") + summary.id + "\n")
                removed += 1
            }
            Console.write("\(removed) transcript\(removed == 1 ? "" : "s") \(dryRun ? "would be " : "")removed\n")
        }
    }
}

/// Deletes one transcript file (never following a link: unlink removes the name only).
private func removeTranscript(_ id: String, in store: TranscriptStore) throws {
    let path = store.path(of: id)
    if unlink(path) != 0 {
        Console.errorLine("advisor: error: cannot remove \(path): \(String(cString: strerror(errno)))")
        throw ExitCode(2)
    }
}

/// `text` followed by spaces up to `width` terminal columns (CJK and emoji count two).
private func pad(_ text: some StringProtocol, _ width: Int) -> String {
    String(text) + String(repeating: " ", count: max(0, width - DisplayWidth.of(text)))
}
