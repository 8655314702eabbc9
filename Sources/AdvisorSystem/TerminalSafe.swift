import Foundation

/// Makes text safe to print on a terminal: control characters and escape sequences
/// are shown as visible caret notation (ESC as `^[`), never sent raw.
public enum TerminalSafe {
    /// `text` with every control character but newline and tab made visible.
    public static func neutralize(_ text: String, keepNewlines: Bool = true) -> String {
        // Printable ASCII (the common case) is checked byte by byte.
        var copy = text
        let printable = copy.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte >= 0x7F {
                if keepNewlines, byte == 0x0A || byte == 0x09 { continue }
                return false
            }
            return true
        }
        if printable { return text }
        var needsWork = false
        for scalar in text.unicodeScalars where isControl(scalar) {
            if keepNewlines, scalar == "\n" || scalar == "\t" { continue }
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if keepNewlines, scalar == "\n" || scalar == "\t" {
                result.append(scalar)
            } else if scalar.value < 0x20 {
                result.append("^")
                result.append(Unicode.Scalar(UInt8(scalar.value) + 0x40))
            } else if scalar.value == 0x7F {
                result.append(contentsOf: "^?".unicodeScalars)
            } else if isControl(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result.append(
                    contentsOf: "<U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex)>".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// C0, DEL, C1 controls, and the bidirectional overrides that can disguise text.
    package static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
    }

    /// JSON text with C1 controls and bidi overrides written as `\uXXXX` escapes: JSON
    /// allows them raw, but output shown on a terminal must stay inert. They can only
    /// stand inside JSON strings, so escaping them keeps the document's meaning.
    public static func escapingControlsInJSON(_ json: String) -> String {
        // Below DEL there is nothing to escape (the encoder escaped C0 controls).
        var copy = json
        if copy.withUTF8({ bytes in !bytes.contains { $0 >= 0x7F } }) { return json }
        guard json.unicodeScalars.contains(where: isControl) else { return json }
        var text = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if isControl(scalar) {
                let hex = String(scalar.value, radix: 16)
                text.append(contentsOf: "\\u\(String(repeating: "0", count: 4 - hex.count))\(hex)".unicodeScalars)
            } else {
                text.append(scalar)
            }
        }
        return String(text)
    }

    /// One line of JSON for `value` (sorted keys), controls escaped as above; newline included.
    public static func jsonLine(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null\n" }
        return escapingControlsInJSON(String(decoding: data, as: UTF8.self)) + "\n"
    }
}
