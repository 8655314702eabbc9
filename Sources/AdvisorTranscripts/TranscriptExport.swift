import AdvisorSystem
import Foundation

/// Renders a saved transcript as it is read, one entry at a time: a session of any
/// length is exported whole in bounded memory.
public enum TranscriptExport {
    /// Writes transcript `id` of `store` in `format` to `write`, in pieces of about
    /// `chunkSize` bytes; `write` returns false to stop (its output failed).
    ///
    /// An HTML page is named by the first question, read first (up to the first turn
    /// only). Returns the transcript without its entries (session, end, warnings) and
    /// whether every piece was written.
    public static func write(
        _ id: String, in store: TranscriptStore, as format: TranscriptFormat, formatter: TranscriptFormatter,
        chunkSize: Int = 64 << 10, to write: (Data) -> Bool
    ) throws(TranscriptError) -> (transcript: Transcript, complete: Bool) {
        let written = try stream(id, in: store, as: format, formatter: formatter, chunkSize: chunkSize, to: write)
        return (written.transcript, written.complete)
    }

    /// Why a transcript could not be saved to a file.
    public enum FileFailure: Error {
        /// The transcript could not be read.
        case read(TranscriptError)
        /// The file could not be written, or may not be replaced.
        case write(SafeFile.Failure)
    }

    /// Writes transcript `id` of `store` in `format` to the file at `path` (mode 0600), as it
    /// is read; the file is replaced only when the whole transcript was read and written.
    ///
    /// Returns the transcript without its entries and the number of turns written.
    public static func save(
        _ id: String, in store: TranscriptStore, as format: TranscriptFormat, formatter: TranscriptFormatter,
        toFile path: String
    ) throws(FileFailure) -> (transcript: Transcript, turns: Int) {
        var outcome: Result<(transcript: Transcript, turns: Int), TranscriptError> = .failure(
            .notFound(id, store.directory))
        do {
            try SafeFile.replace(path) { write in
                do throws(TranscriptError) {
                    let written = try stream(id, in: store, as: format, formatter: formatter, to: write)
                    outcome = .success((written.transcript, written.turns))
                    return written.complete
                } catch {
                    outcome = .failure(error)
                    return false
                }
            }
        } catch {
            throw .write(error)
        }
        switch outcome {
        case .success(let saved): return saved
        case .failure(let error): throw .read(error)
        }
    }

    private static func stream(
        _ id: String, in store: TranscriptStore, as format: TranscriptFormat, formatter: TranscriptFormatter,
        chunkSize: Int = 64 << 10, to write: (Data) -> Bool
    ) throws(TranscriptError) -> (transcript: Transcript, complete: Bool, turns: Int) {
        var turns = 0
        let firstQuestion = format == .html ? try store.firstQuestion(id) : nil
        var buffer = Data()
        var failed = false
        func add(_ piece: String) -> Bool {
            guard !failed else { return false }
            buffer.append(contentsOf: piece.utf8)
            if buffer.count >= chunkSize {
                failed = !write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
            return !failed
        }
        var begun = false
        let transcript = try store.stream(id) { entry, session in
            if !begun {
                begun = true
                guard add(formatter.begin(id: id, session: session, firstQuestion: firstQuestion, as: format)) else {
                    return false
                }
            }
            if case .turn = entry { turns += 1 }
            return add(formatter.render(entry, as: format))
        }
        if !begun {
            _ = add(formatter.begin(id: id, session: transcript.session, firstQuestion: firstQuestion, as: format))
        }
        _ = add(formatter.finish(end: transcript.end, as: format))
        if !failed, !buffer.isEmpty { failed = !write(buffer) }
        return (transcript, !failed, turns)
    }
}
