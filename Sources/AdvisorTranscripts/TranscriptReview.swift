import AdvisorEngine
import AdvisorKnowledge
import AdvisorText
import Foundation

/// A turn whose answer differs when asked again against today's knowledge base.
public struct ReplayChange: Sendable, Equatable {
    /// The turn's number in its session, from 1.
    public var turn: Int
    /// The question as it was asked.
    public var question: String
    /// The topic id the saved answer went to.
    public var oldTopic: String
    /// The topic id the question goes to today.
    public var newTopic: String
    /// The saved answer's text.
    public var oldAnswer: String
    /// Today's answer's text.
    public var newAnswer: String

    /// Whether the topic (not only the wording) changed.
    public var topicChanged: Bool { oldTopic != newTopic }
}

/// A question the knowledge base answered badly, with how often it was asked.
public struct Gap: Sendable, Equatable {
    /// The question as first asked, among those that fold to the same words.
    public var question: String
    /// How many times the question was asked, across every transcript.
    public var count: Int
    /// `none`, or the low-confidence topic it went to.
    public var topic: String
    /// The routing's confidence the first time it was asked, from 0 to 1.
    public var confidence: Double
    /// Where it was asked, as `ID#TURN` (first few).
    public var examples: [String]
}

/// Reviewing saved transcripts against today's knowledge base.
public enum TranscriptReview {
    /// Asks every question of `transcript` again, in order and with its commands, and
    /// returns the turns whose topic or answer changed.
    public static func replay(_ transcript: Transcript, advisor: Advisor) -> [ReplayChange] {
        var replaying = Replaying(advisor: advisor)
        for entry in transcript.entries {
            guard replaying.step(entry, role: transcript.session?.role) else { break }
        }
        return replaying.changes
    }

    /// Replays transcript `id` of `store` as it is read, one entry at a time, like `replay(_:advisor:)`.
    ///
    /// A session of any length is replayed in bounded memory. Returns the transcript without
    /// its entries (session, end, warnings), how many turns it has, and the changes.
    public static func replay(_ id: String, in store: TranscriptStore, advisor: Advisor) throws(TranscriptError)
        -> (transcript: Transcript, turns: Int, changes: [ReplayChange])
    {
        var replaying = Replaying(advisor: advisor)
        var turns = 0
        var stopped = false
        let transcript = try store.stream(id) { entry, session in
            if case .turn = entry { turns += 1 }
            if !stopped { stopped = !replaying.step(entry, role: session?.role) }
            return true
        }
        return (transcript, turns, replaying.changes)
    }

    /// A replay in progress: one session asked again, entry by entry.
    private struct Replaying {
        package let advisor: Advisor
        package var session: Session?
        package var changes: [ReplayChange] = []

        package init(advisor: Advisor) { self.advisor = advisor }

        /// Replays `entry`; false once the session has quit (later entries are not replayed).
        package mutating func step(_ entry: Transcript.Entry, role: Role?) -> Bool {
            let session =
                self.session ?? Session(advisor: advisor, role: role, recorder: nil, renderer: AnswerRenderer())
            self.session = session
            switch entry {
            case .command(let command):
                return !session.run(command: command.line).quit
            case .turn(let turn):
                let answer = session.ask(turn.question)
                if answer.topic != turn.answer.topic || answer.answer != turn.answer.answer {
                    changes.append(
                        ReplayChange(
                            turn: turn.n, question: turn.question, oldTopic: turn.answer.topic, newTopic: answer.topic,
                            oldAnswer: turn.answer.answer, newAnswer: answer.answer))
                }
                return true
            }
        }
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
            // One entry at a time: a session of any length is covered in bounded memory.
            do {
                _ = try store.stream(id) { entry, _ in
                    guard case .turn(let turn) = entry else { return true }
                    let answer = turn.answer
                    asked.insert(answer.topic)
                    let kind = TopicKind(topicID: answer.topic)
                    guard kind == .fallback || (kind == .advice && answer.confidence < threshold) else { return true }
                    let key = Tokenizer.tokenize(turn.question).map(\.text).joined(separator: " ")
                    var gap =
                        groups[key]
                        ?? Gap(
                            question: turn.question, count: 0, topic: answer.topic, confidence: answer.confidence,
                            examples: [])
                    gap.count += 1
                    if gap.examples.count < 3 { gap.examples.append("\(id)#\(turn.n)") }
                    groups[key] = gap
                    return true
                }
            } catch {
                warn(error.description)
            }
        }
        let sorted = groups.values.sorted { ($1.count, $0.question) < ($0.count, $1.question) }
        return (sorted, asked)
    }
}
