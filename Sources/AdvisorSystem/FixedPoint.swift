import Foundation

/// Numbers as `String(format: "%.2f")` writes them, without Foundation's formatter.
///
/// `String(format:)` builds a locale and parses its format at every call, which at start-up
/// costs more than answering the question. This writes the digits itself and falls back on
/// `String(format:)` only where its own arithmetic could round the other way: values that
/// are not finite, too large for exact integers, or within a hair of a rounding tie.
public enum FixedPoint {
    /// `value` with `digits` decimals (0 to 6), exactly as `String(format: "%.<digits>f")`.
    public static func format(_ value: Double, digits: Int) -> String {
        let digits = min(max(digits, 0), 6)
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = value * scale
        let rounded = scaled.rounded(.toNearestOrEven)
        // The product is off by at most an ulp: away from a tie, it rounds as the exact one does.
        guard value.isFinite, abs(scaled) < 1e15, abs(abs(scaled - rounded) - 0.5) > 1e-6 else {
            return String(format: "%.\(digits)f", value)
        }
        let magnitude = Int64(abs(rounded))
        let factor = Int64(scale)
        var text = value < 0 || (value == 0 && value.sign == .minus) ? "-" : ""
        text += String(magnitude / factor)
        if digits > 0 {
            let fraction = String(magnitude % factor)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return text
    }
}
