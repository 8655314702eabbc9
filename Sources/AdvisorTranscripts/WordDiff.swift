/// A word-level diff of two texts, for `transcripts replay`'s "was/now" lines.
public enum WordDiff {
    /// One word of a text, marked when it is not in the other text's common words.
    public struct Word: Sendable, Equatable {
        /// The word as it appears in its text.
        public var text: String
        /// Whether the word is not part of the words the two texts share.
        public var changed: Bool

        /// Makes a word, marked `changed` or not.
        public init(_ text: String, changed: Bool) {
            self.text = text
            self.changed = changed
        }
    }

    /// Beyond this many words on a side (old times new), every word counts as changed
    /// rather than spending quadratic time and memory.
    public static let maximumCells = 4_000_000

    /// `old` and `new` split on whitespace, each word marked changed when it is not part of
    /// a longest common subsequence of the two.
    public static func diff(_ old: String, _ new: String) -> (old: [Word], new: [Word]) {
        let a = old.split(whereSeparator: \.isWhitespace).map(String.init)
        let b = new.split(whereSeparator: \.isWhitespace).map(String.init)
        let n = a.count
        let m = b.count
        guard n > 0, m > 0, n * m <= maximumCells else {
            return (a.map { Word($0, changed: true) }, b.map { Word($0, changed: true) })
        }
        // lengths[i][j]: the longest common subsequence of a[i...] and b[j...].
        let columns = m + 1
        var lengths = [Int32](repeating: 0, count: (n + 1) * columns)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i * columns + j] =
                    a[i] == b[j]
                    ? lengths[(i + 1) * columns + j + 1] + 1
                    : max(lengths[(i + 1) * columns + j], lengths[i * columns + j + 1])
            }
        }
        var oldWords = a.map { Word($0, changed: true) }
        var newWords = b.map { Word($0, changed: true) }
        var i = 0
        var j = 0
        while i < n, j < m {
            if a[i] == b[j] {
                oldWords[i].changed = false
                newWords[j].changed = false
                i += 1
                j += 1
            } else if lengths[(i + 1) * columns + j] >= lengths[i * columns + j + 1] {
                i += 1
            } else {
                j += 1
            }
        }
        return (oldWords, newWords)
    }
}
