import AdvisorSystem

// The review commands' `--json` output, written by the one JSON writer.

extension TranscriptSummary: JSONWritable {
    package var jsonFields: [JSONField] {
        [
            ("id", { $0.value(id) }), ("started", { $0.value(started) }), ("mode", { $0.value(mode) }),
            ("role", { $0.value(role?.rawValue) }), ("turns", { $0.value(turns) }),
            ("firstQuestion", { $0.value(firstQuestion) }), ("ended", { $0.value(ended) }),
        ]
    }
}

extension SearchHit: JSONWritable {
    package var jsonFields: [JSONField] {
        var fields: [JSONField] = [
            ("transcript", { $0.value(transcript) }), ("turn", { $0.value(turn) }), ("at", { $0.value(at) }),
            ("topic", { $0.value(topic) }), ("question", { $0.value(question) }), ("score", { $0.value(score) }),
        ]
        if let snippet { fields.append(("snippet", { $0.value(snippet) })) }
        return fields
    }
}

extension ReplayChange: JSONWritable {
    package var jsonFields: [JSONField] {
        [
            ("turn", { $0.value(turn) }), ("question", { $0.value(question) }),
            ("oldTopic", { $0.value(oldTopic) }), ("newTopic", { $0.value(newTopic) }),
            ("oldAnswer", { $0.value(oldAnswer) }), ("newAnswer", { $0.value(newAnswer) }),
        ]
    }
}

extension Gap: JSONWritable {
    package var jsonFields: [JSONField] {
        [
            ("question", { $0.value(question) }), ("count", { $0.value(count) }), ("topic", { $0.value(topic) }),
            ("confidence", { $0.value(confidence) }), ("examples", { $0.value(examples) }),
        ]
    }
}
