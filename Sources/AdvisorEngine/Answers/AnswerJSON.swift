import AdvisorKnowledge
import AdvisorSystem

extension Answer: JSONWritable {
    /// The answer object's fields; transcript turn events add theirs beside them.
    package var jsonFields: [JSONField] {
        var fields: [JSONField] = [
            ("answer", { $0.value(answer) }),
            ("confidence", { $0.value(confidence) }),
            ("related", { $0.value(related) }),
            ("role", { $0.value(role?.rawValue) }),
            ("about", { $0.value(about?.rawValue) }),
            (
                "next_steps",
                { w in
                    w.beginArray()
                    for step in nextSteps {
                        w.object([
                            ("inferred", { $0.value(step.inferred) }), ("role", { $0.value(step.role.rawValue) }),
                            ("seed", { $0.value(step.seed) }), ("step", { $0.value(step.step) }),
                        ])
                    }
                    w.endArray()
                }
            ),
            (
                "sources",
                { w in
                    w.beginArray()
                    for source in sources {
                        var fields: [JSONField] = [
                            ("seed", { $0.value(source.seed) }), ("title", { $0.value(source.title) }),
                        ]
                        if let author = source.author { fields.append(("author", { $0.value(author) })) }
                        if let date = source.date { fields.append(("date", { $0.value(date) })) }
                        w.object(fields)
                    }
                    w.endArray()
                }
            ),
            ("title", { $0.value(title) }),
            ("topic", { $0.value(topic) }),
            (
                "why",
                { w in
                    var fields: [JSONField] = [
                        (
                            "candidates",
                            { w in
                                w.beginArray()
                                for candidate in why.candidates {
                                    w.object([
                                        ("score", { $0.value(candidate.score) }),
                                        ("topic", { $0.value(candidate.topic) }),
                                    ])
                                }
                                w.endArray()
                            }
                        ),
                        ("corrections", { $0.value(why.corrections) }),
                        ("matched", { $0.value(why.matched) }),
                        ("rules", { $0.value(why.rules) }),
                    ]
                    if let context = why.context { fields.append(("context", { $0.value(context) })) }
                    if let role = why.role { fields.append(("role", { $0.value(role) })) }
                    if let about = why.about { fields.append(("about", { $0.value(about) })) }
                    if let also = why.also { fields.append(("also", { $0.value(also) })) }
                    if let evidence = why.evidence { fields.append(("evidence", { $0.value(evidence) })) }
                    if let example = why.example { fields.append(("example", { $0.value(example) })) }
                    w.object(fields)
                }
            ),
        ]
        if let note { fields.append(("note", { $0.value(note) })) }
        if let notice { fields.append(("notice", { $0.value(notice) })) }
        if let also {
            fields.append(
                (
                    "also",
                    { w in
                        var entry: [JSONField] = [
                            ("title", { $0.value(also.title) }), ("topic", { $0.value(also.topic) }),
                        ]
                        if let step = also.step { entry.append(("step", { $0.value(step) })) }
                        w.object(entry)
                    }
                ))
        }
        if let facts {
            fields.append(
                (
                    "facts",
                    { w in
                        w.beginArray()
                        for fact in facts {
                            w.object([("seed", { $0.value(fact.seed) }), ("text", { $0.value(fact.text) })])
                        }
                        w.endArray()
                    }
                ))
        }
        return fields
    }

    /// The answer object as one line of JSON (sorted keys), newline included.
    public func jsonLine() -> String { JSONWriter.line(jsonFields) }
}
