import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation
import LineEditor

/// `advisor transcripts rm`.
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
}
