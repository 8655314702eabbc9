import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation
import LineEditor

/// `advisor transcripts replay`.
extension TranscriptsCommand {
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
                    throw CommandFailure(error.description)
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
                        throw CommandFailure(error.description)
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
}
