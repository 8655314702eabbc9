import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation
import LineEditor

/// `advisor transcripts export`.
extension TranscriptsCommand {
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
            let transcript: Transcript
            if let path {
                do {
                    // Nothing is replaced unless the whole transcript was read.
                    transcript = try TranscriptExport.save(
                        id, in: store, as: format.transcriptFormat, formatter: formatter, toFile: path
                    ).transcript
                } catch {
                    switch error {
                    case .read(let failure): throw CommandFailure(failure.description)
                    case .write(let failure): throw CommandFailure(exportMessage(failure, path: path))
                    }
                }
            } else {
                do {
                    transcript = try TranscriptExport.write(
                        id, in: store, as: format.transcriptFormat, formatter: formatter
                    ) { data in
                        Console.write(String(decoding: data, as: UTF8.self))
                        return true
                    }.transcript
                } catch {
                    throw CommandFailure(error.description)
                }
            }
            for warning in transcript.warnings { Console.warning(warning) }
        }

        private func refuseUnlessReplaceable(_ path: String) throws {
            do {
                try SafeFile.checkReplaceable(path)
            } catch {
                throw CommandFailure(exportMessage(error, path: path))
            }
        }

        private func exportMessage(_ error: SafeFile.Failure, path: String) -> String {
            if case .refused(_, .directory) = error {
                return "\(path) is a directory; use -o \(path)/ to export into it as \(path)/ID.md"
            }
            return error.description
        }
    }
}
