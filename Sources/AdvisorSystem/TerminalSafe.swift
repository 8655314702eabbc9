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
}
