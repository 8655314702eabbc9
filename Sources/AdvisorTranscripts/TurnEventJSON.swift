import AdvisorEngine
import AdvisorSystem

extension TurnEvent {
    /// The event as one line of JSON (sorted keys), newline included: the hot path of a
    /// recorded session, written without `JSONEncoder`.
    package func jsonLine() -> String {
        var writer = JSONWriter()
        writer.object(
            answer.jsonFields + [
                ("at", { $0.value(at) }), ("n", { $0.value(n) }), ("question", { $0.value(question) }),
                ("type", { $0.value(TranscriptEventType.turn.rawValue) }),
            ])
        return writer.text + "\n"
    }
}
