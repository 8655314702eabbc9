import Foundation

/// Renders a saved transcript as it is read, one entry at a time: a session of any
/// length is exported whole in bounded memory.
public enum TranscriptExport {
    /// Writes transcript `id` of `store` in `format` to `write`, in pieces of about `chunkSize` bytes.
    ///
    /// `write` returns false to stop (its output failed); `countTurn` is called once for each
    /// turn read.
    /// An HTML page is named by the first question, read first (up to the first turn
    /// only). Returns the transcript without its entries (session, end, warnings) and
    /// whether every piece was written.
    public static func write(
        _ id: String, in store: TranscriptStore, as format: TranscriptFormat, formatter: TranscriptFormatter,
        chunkSize: Int = 64 << 10, to write: (Data) -> Bool, counting countTurn: () -> Void = {}
    ) throws(TranscriptError) -> (transcript: Transcript, complete: Bool) {
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
            if case .turn = entry { countTurn() }
            return add(formatter.render(entry, as: format))
        }
        if !begun {
            _ = add(formatter.begin(id: id, session: transcript.session, firstQuestion: firstQuestion, as: format))
        }
        _ = add(formatter.finish(end: transcript.end, as: format))
        if !failed, !buffer.isEmpty { failed = !write(buffer) }
        return (transcript, !failed)
    }
}
