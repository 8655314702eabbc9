import Foundation

/// A turn whose answer differs when asked again against today's knowledge base.
public struct ReplayChange: Sendable, Codable, Equatable {
    public var turn: Int
    public var question: String
    public var oldTopic: String
    public var newTopic: String
    public var oldAnswer: String
    public var newAnswer: String

    /// Whether the topic (not only the wording) changed.
    public var topicChanged: Bool { oldTopic != newTopic }
}

/// A question the knowledge base answered badly, with how often it was asked.
public struct Gap: Sendable, Codable, Equatable {
    public var question: String
    public var count: Int
    /// `none`, or the low-confidence topic it went to.
    public var topic: String
    public var confidence: Double
    /// Where it was asked, as `ID#TURN` (first few).
    public var examples: [String]
}

/// Reviewing saved transcripts against today's knowledge base.
public enum TranscriptReview {
    /// Asks every question of `transcript` again, in order and with its commands, and
    /// returns the turns whose topic or answer changed.
    public static func replay(_ transcript: Transcript, advisor: Advisor) -> [ReplayChange] {
        let session = Session(
            advisor: advisor, role: transcript.session?.role, recorder: nil, renderer: AnswerRenderer())
        var changes: [ReplayChange] = []
        for entry in transcript.entries {
            switch entry {
            case .command(let command):
                let outcome = session.run(command: command.line)
                if outcome.quit { return changes }
            case .turn(let turn):
                let answer = session.ask(turn.question)
                if answer.topic != turn.answer.topic || answer.answer != turn.answer.answer {
                    changes.append(
                        ReplayChange(
                            turn: turn.n, question: turn.question, oldTopic: turn.answer.topic, newTopic: answer.topic,
                            oldAnswer: turn.answer.answer, newAnswer: answer.answer))
                }
            }
        }
        return changes
    }

    /// Questions answered `none` or below `threshold` across every transcript, grouped
    /// by their folded text and counted, most asked first.
    public static func gaps(in store: TranscriptStore, threshold: Double, warn: (String) -> Void)
        throws(TranscriptError)
        -> (gaps: [Gap], askedTopics: Set<String>)
    {
        var groups: [String: Gap] = [:]
        var asked: Set<String> = []
        for id in try store.ids() {
            let transcript: Transcript
            do {
                transcript = try store.read(id)
            } catch {
                warn(error.description)
                continue
            }
            for turn in transcript.turns {
                let answer = turn.answer
                asked.insert(answer.topic)
                guard answer.topic == KnowledgeBase.noneTopic || answer.confidence < threshold,
                    answer.topic != KnowledgeBase.smalltalkTopic
                else { continue }
                let key = Tokenizer.tokenize(turn.question).map(\.text).joined(separator: " ")
                var gap =
                    groups[key]
                    ?? Gap(
                        question: turn.question, count: 0, topic: answer.topic, confidence: answer.confidence,
                        examples: [])
                gap.count += 1
                if gap.examples.count < 3 { gap.examples.append("\(id)#\(turn.n)") }
                groups[key] = gap
            }
        }
        let sorted = groups.values.sorted { ($1.count, $0.question) < ($0.count, $1.question) }
        return (sorted, asked)
    }
}
