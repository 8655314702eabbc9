import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

/// Builds transcripts for tests: recorded through a real session, or written line by line.
enum TranscriptFixtures {
    /// Records a session asking `questions` (lines starting with "/" are commands) in `directory`.
    @discardableResult
    static func record(
        _ lines: [String], in directory: String, advisor: Advisor = TestSupport.advisor(), role: Role? = nil,
        finish: Bool = true
    ) throws -> String {
        let recorder = try TranscriptRecorder.start(
            directory: directory, mode: "script", role: role, knowledgeBase: advisor.knowledgeBase.fingerprint,
            version: "test", script: nil, warn: { _ in })
        let session = Session(advisor: advisor, role: role, recorder: recorder, renderer: AnswerRenderer())
        for line in lines {
            if line.hasPrefix("/") {
                _ = session.run(command: line)
            } else {
                _ = session.ask(line)
            }
        }
        if finish { session.finish() }
        return recorder.id
    }

    /// One JSON line of an encodable event.
    static func line(_ value: some JSONWritable) throws -> String {
        String(value.jsonLine().dropLast())
    }

    /// An answer object with the given fields, for hand-made turns.
    static func answer(topic: String, text: String = "An answer.", confidence: Double = 0.8) -> Answer {
        Answer(
            topic: topic, title: "Title of \(topic)", answer: text, role: nil, confidence: confidence, sources: [],
            related: [], note: nil, facts: nil,
            why: Explanation(matched: [], rules: [], candidates: [], corrections: [], context: nil))
    }

    static func session(id: String, at: String = "2026-01-01T00:00:00.000Z") -> SessionEvent {
        SessionEvent(at: at, id: id, mode: "script", version: "test", kb: "kb", role: nil, script: nil)
    }
}
