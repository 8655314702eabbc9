import AdvisorKnowledge

/// Where a session is kept as it happens.
///
/// The engine only calls it; the transcripts layer (``TranscriptRecorder`` in
/// AdvisorTranscripts) implements it, so the engine never knows how or where a session is
/// stored.
public protocol SessionLog: AnyObject {
    /// The session's id.
    var id: String { get }
    /// Where it is kept, for `/transcript`.
    var path: String { get }
    /// Whether events are still being saved.
    var isRecording: Bool { get }
    /// Why saving stopped, once it has.
    var failure: String? { get }
    /// Keeps a question and its answer; returns whether it was kept.
    @discardableResult func recordTurn(question: String, answer: Answer) -> Bool
    /// Keeps a slash command, its effect and what it showed; returns whether it was kept.
    @discardableResult func recordCommand(line: String, effect: String, output: String?) -> Bool
    /// Ends the session.
    func finish()
    /// Writes the session so far to `path` (`/save`, `/export`), in the format its extension
    /// names (`.md`, `.html`, `.json`, `.txt`; else Markdown); `path` ending in "/" is a
    /// folder to write `ID.md` into. Returns the path written, the format's name (`markdown`)
    /// and the number of turns.
    func export(to path: String) throws(SessionExportError) -> (path: String, format: String, turns: Int)
}

/// Why `/save` or `/export` wrote nothing, in a sentence.
public struct SessionExportError: Error, CustomStringConvertible {
    /// What went wrong, as one sentence for the user ("cannot read this session's transcript: ...").
    public var description: String
    /// Makes the error from its sentence.
    public init(_ description: String) { self.description = description }
}
