import AdvisorEngine
import AdvisorSystem
import Foundation

extension TranscriptRecorder: SessionLog {
    /// The session so far, as `transcripts export` writes it; only a regular file or a
    /// missing path is replaced (mode 0600).
    public func export(to path: String) throws(SessionExportError) -> (path: String, format: String, turns: Int) {
        var path = path
        let intoFolder = path.hasSuffix("/")
        let format = intoFolder ? .markdown : TranscriptFormat(fileName: path) ?? .markdown
        if intoFolder { path += id + "." + format.fileExtension }
        let store = TranscriptStore(directory: (self.path as NSString).deletingLastPathComponent)
        let formatter = TranscriptFormatter(renderer: AnswerRenderer(width: 80, style: .plain), running: true)
        // Rendered as it is read, like `transcripts export`: a long session is saved in
        // bounded memory, and nothing is replaced unless the whole session was read.
        do {
            let saved = try TranscriptExport.save(id, in: store, as: format, formatter: formatter, toFile: path)
            return (path, format.rawValue, saved.turns)
        } catch {
            switch error {
            case .read(let failure):
                throw SessionExportError("cannot read this session's transcript: \(failure.description)")
            case .write(let failure): throw SessionExportError(failure.description)
            }
        }
    }
}
