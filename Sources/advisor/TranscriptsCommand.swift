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
                throw CommandFailure(error.description)
            }
        }

        func read(_ reference: String) throws -> Transcript {
            let (store, id) = try resolve(reference)
            do {
                let transcript = try store.read(id)
                for warning in transcript.warnings { Console.warning(warning) }
                return transcript
            } catch {
                throw CommandFailure(error.description)
            }
        }
    }
}

/// Deletes one transcript file (never following a link: unlink removes the name only).
func removeTranscript(_ id: String, in store: TranscriptStore) throws {
    let path = store.path(of: id)
    if unlink(path) != 0 {
        throw CommandFailure("cannot remove \(path): \(String(cString: strerror(errno)))")
    }
}
