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
        let directory = (self.path as NSString).deletingLastPathComponent
        let transcript: Transcript
        do {
            transcript = try TranscriptStore(directory: directory).read(id)
        } catch {
            throw SessionExportError("cannot read this session's transcript: \(error.description)")
        }
        let formatter = TranscriptFormatter(renderer: AnswerRenderer(width: 80, style: .plain), running: true)
        do {
            try SafeFile.replace(path, with: Data(formatter.render(transcript, as: format).utf8))
        } catch {
            throw SessionExportError(error.description)
        }
        return (path, format.rawValue, transcript.turns.count)
    }
}
