import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation
import LineEditor

/// `advisor transcripts show`.
extension TranscriptsCommand {
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
                    throw CommandFailure("'\(self.id)' is not ID or ID#TURN (a turn number after #)")
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
                    throw CommandFailure("\(transcript.id) has \(transcript.turns.count) turn(s), no turn \(fromTurn)")
                }
            case .failure(let error):
                throw CommandFailure(error.description)
            }
        }
    }
}
