import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation
import LineEditor

/// `advisor transcripts prune`.
extension TranscriptsCommand {
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
                throw CommandFailure(error.description)
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
