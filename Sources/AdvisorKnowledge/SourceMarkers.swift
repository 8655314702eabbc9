/// Inline source markers in knowledge-base prose: "68% of CMOs … [001]" cites source 001.
///
/// A marker is a source id in square brackets. Answers show it as the number of the
/// source in the answer's list of sources ("[2]").
public enum SourceMarkers {
    /// The source ids marked in `text`, in order of appearance (repeats included).
    public static func ids(in text: String) -> [String] {
        markers(in: text).map(\.id)
    }

    /// Each marker's id and the range it occupies in `text`.
    package static func markers(in text: String) -> [(id: String, range: Range<String.Index>)] {
        var result: [(String, Range<String.Index>)] = []
        var index = text.startIndex
        while let open = text[index...].firstIndex(of: "[") {
            guard let close = text[open...].firstIndex(of: "]") else { break }
            let inside = text[text.index(after: open)..<close]
            if !inside.isEmpty, inside.count <= 16,
                inside.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) })
            {
                result.append((String(inside), open..<text.index(after: close)))
            }
            index = text.index(after: open)
        }
        return result
    }

    /// `text` with each marker replaced by what `number` gives for its id; a marker
    /// `number` returns nil for is removed, with the space before it.
    public static func render(_ text: String, number: (String) -> Int?) -> String {
        var out = ""
        var index = text.startIndex
        for marker in markers(in: text) {
            var before = text[index..<marker.range.lowerBound]
            if let n = number(marker.id) {
                out += before + "[\(n)]"
            } else {
                while before.last == " " { before.removeLast() }
                out += before
            }
            index = marker.range.upperBound
        }
        return out + text[index...]
    }

    /// `text` without any marker: for routing and search.
    public static func stripped(_ text: String) -> String {
        render(text) { _ in nil }
    }
}
