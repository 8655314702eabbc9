/// A minimal JSON writer for the advisor's hot output paths (one answer object or one
/// transcript event per line), several times faster than `JSONEncoder`, which stays in use
/// for reading and for cold paths. Keys are written in the order given; callers give
/// them sorted, so output is byte-for-byte deterministic.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    init() {
        bytes.reserveCapacity(1024)
    }

    /// The JSON text written so far.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma.removeLast()
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma.removeLast()
    }

    /// Writes `"key":` inside an object; the value comes next.
    mutating func key(_ key: String) {
        separate()
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        if !needsComma.isEmpty { needsComma[needsComma.count - 1] = false }
    }

    mutating func value(_ string: String) {
        separate()
        writeString(string)
    }

    mutating func value(_ string: String?) {
        if let string { value(string) } else { null() }
    }

    mutating func value(_ number: Int) {
        separate()
        bytes.append(contentsOf: String(number).utf8)
    }

    mutating func value(_ number: Double) {
        separate()
        if number.isFinite {
            bytes.append(
                contentsOf: (number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number))
                    .utf8)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
    }

    mutating func value(_ flag: Bool) {
        separate()
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    mutating func value(_ strings: [String]) {
        beginArray()
        for string in strings { value(string) }
        endArray()
    }

    mutating func field(_ name: String, _ string: String) {
        key(name)
        value(string)
    }

    mutating func field(_ name: String, _ string: String?) {
        key(name)
        value(string)
    }

    private mutating func separate() {
        guard !needsComma.isEmpty else { return }
        if needsComma[needsComma.count - 1] {
            bytes.append(UInt8(ascii: ","))
        } else {
            needsComma[needsComma.count - 1] = true
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string: quotes, backslashes and control characters escaped (C1 controls and
    /// bidirectional overrides too, so output shown on a terminal stays inert), UTF-8 kept.
    private mutating func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case "\\": bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case "\n": bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case "\r": bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case "\t": bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            default:
                if TerminalSafe.isControl(scalar) {
                    bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u")])
                    for shift in [12, 8, 4, 0] { bytes.append(Self.hex[Int((scalar.value >> UInt32(shift)) & 0xF)]) }
                } else if scalar.isASCII {
                    bytes.append(UInt8(scalar.value))
                } else {
                    bytes.append(contentsOf: String(scalar).utf8)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// One key of an object and how to write its value.
typealias JSONField = (key: String, write: (inout JSONWriter) -> Void)

extension JSONWriter {
    /// Writes an object from fields, in key order.
    mutating func object(_ fields: [JSONField]) {
        beginObject()
        for field in fields.sorted(by: { $0.key < $1.key }) {
            key(field.key)
            field.write(&self)
        }
        endObject()
    }
}

extension Answer {
    /// The answer object's fields; transcript turn events add theirs beside them.
    var jsonFields: [JSONField] {
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
    public func jsonLine() -> String {
        var writer = JSONWriter()
        writer.object(jsonFields)
        return writer.text + "\n"
    }
}

extension TurnEvent {
    /// The event as one line of JSON (sorted keys), newline included: the hot path of a
    /// recorded session, written without `JSONEncoder`.
    func jsonLine() -> String {
        var writer = JSONWriter()
        writer.object(
            answer.jsonFields + [
                ("at", { $0.value(at) }), ("n", { $0.value(n) }), ("question", { $0.value(question) }),
                ("type", { $0.value(TranscriptEventType.turn.rawValue) }),
            ])
        return writer.text + "\n"
    }
}
