import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation
import LineEditor

/// `advisor transcripts gaps`.
extension TranscriptsCommand {
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
                throw CommandFailure(error.description)
            }
            let unasked = advisor.knowledgeBase.topics.ids.filter {
                !result.askedTopics.contains($0) && TopicKind.isAdvice($0)
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
                    TopicKind(topicID: gap.topic) == .fallback
                    ? gap.topic : "\(gap.topic) \(String(format: "%.2f", gap.confidence))"
                out +=
                    "  \(String(gap.count).padding(toLength: 4, withPad: " ", startingAt: 0))\(TerminalSafe.neutralize(gap.question, keepNewlines: false))  [\(TerminalSafe.neutralize(topic))]  e.g. \(gap.examples.joined(separator: ", "))\n"
            }
            out += "Topics nobody has asked about (\(unasked.count)):\n"
            out += unasked.isEmpty ? "  none\n" : unasked.map { "  \($0)\n" }.joined()
            Pager.show(out, plain: Console.write)
        }
    }
}
