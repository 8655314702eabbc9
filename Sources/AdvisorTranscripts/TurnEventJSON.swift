import AdvisorEngine
import AdvisorSystem

extension TurnEvent: JSONWritable {
    /// The answer's fields and the turn's own beside them: the hot path of a recorded session.
    package var jsonFields: [JSONField] {
        answer.jsonFields + [
            ("at", { $0.value(at) }), ("n", { $0.value(n) }), ("question", { $0.value(question) }),
            ("type", { $0.value(TranscriptEventType.turn.rawValue) }),
        ]
    }
}

extension SessionEvent: JSONWritable {
    package var jsonFields: [JSONField] {
        var fields: [JSONField] = [
            ("type", { $0.value(type.rawValue) }), ("at", { $0.value(at) }), ("id", { $0.value(id) }),
            ("mode", { $0.value(mode) }), ("version", { $0.value(version) }), ("kb", { $0.value(kb) }),
            ("role", { $0.value(role?.rawValue) }),  // null, not absent, when there is no role
        ]
        if let script { fields.append(("script", { $0.value(script) })) }
        return fields
    }
}

extension CommandEvent: JSONWritable {
    package var jsonFields: [JSONField] {
        var fields: [JSONField] = [
            ("type", { $0.value(type.rawValue) }), ("at", { $0.value(at) }), ("line", { $0.value(line) }),
            ("effect", { $0.value(effect) }),
        ]
        if let output { fields.append(("output", { $0.value(output) })) }
        return fields
    }
}

extension EndEvent: JSONWritable {
    package var jsonFields: [JSONField] {
        [("type", { $0.value(type.rawValue) }), ("at", { $0.value(at) }), ("turns", { $0.value(turns) })]
    }
}
