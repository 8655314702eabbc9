/// A minimal JSON writer for the advisor's hot output paths, several times faster than `JSONEncoder`.
///
/// The hot paths write one answer object or one transcript event per line; `JSONEncoder`
/// stays in use for reading and for cold paths. Keys are written in the order given; callers
/// give them sorted, so output is byte-for-byte deterministic.
package struct JSONWriter {
    package private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    package init() {
        bytes.reserveCapacity(1024)
    }

    /// The JSON text written so far.
    package var text: String { String(decoding: bytes, as: UTF8.self) }

    package mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    package mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma.removeLast()
    }

    package mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    package mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma.removeLast()
    }

    /// Writes `"key":` inside an object; the value comes next.
    package mutating func key(_ key: String) {
        separate()
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        if !needsComma.isEmpty { needsComma[needsComma.count - 1] = false }
    }

    package mutating func value(_ string: String) {
        separate()
        writeString(string)
    }

    package mutating func value(_ string: String?) {
        if let string { value(string) } else { null() }
    }

    package mutating func value(_ number: Int) {
        separate()
        bytes.append(contentsOf: String(number).utf8)
    }

    package mutating func value(_ number: Double) {
        separate()
        if number.isFinite {
            bytes.append(
                contentsOf: (number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number))
                    .utf8)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
    }

    package mutating func value(_ flag: Bool) {
        separate()
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
    }

    package mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    package mutating func value(_ strings: [String]) {
        beginArray()
        for string in strings { value(string) }
        endArray()
    }

    package mutating func field(_ name: String, _ string: String) {
        key(name)
        value(string)
    }

    package mutating func field(_ name: String, _ string: String?) {
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
package typealias JSONField = (key: String, write: (inout JSONWriter) -> Void)

extension JSONWriter {
    /// Writes an object from fields, in key order.
    package mutating func object(_ fields: [JSONField]) {
        beginObject()
        for field in fields.sorted(by: { $0.key < $1.key }) {
            key(field.key)
            field.write(&self)
        }
        endObject()
    }

    /// Writes an array of objects.
    package mutating func array(_ values: [some JSONWritable]) {
        beginArray()
        for value in values { object(value.jsonFields) }
        endArray()
    }

    /// A JSON array of objects, newline included.
    package static func line(array values: [some JSONWritable]) -> String {
        var writer = JSONWriter()
        writer.array(values)
        return writer.text + "\n"
    }

    /// One JSON object from `fields` (sorted by key), newline included.
    package static func line(_ fields: [JSONField]) -> String {
        var writer = JSONWriter()
        writer.object(fields)
        return writer.text + "\n"
    }
}

/// A value advisor writes as one JSON object: every JSON line the project emits (answers,
/// transcript events, `--json` output) goes through ``JSONWriter`` by way of this.
package protocol JSONWritable {
    /// The object's fields, in any order (they are written sorted by key).
    var jsonFields: [JSONField] { get }
}

extension JSONWritable {
    /// The object as one line of JSON (sorted keys), newline included.
    package func jsonLine() -> String { JSONWriter.line(jsonFields) }
}
