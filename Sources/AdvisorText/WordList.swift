import AdvisorSystem
import Foundation

/// A sorted list of words in a text file, read only when first needed and searched by
/// bisection over its lines: the advisor's dictionary of real words that are not typos.
public final class WordList {
    private let path: String?
    /// The file's bytes, once read (searched where they lie: no copy).
    private var contents: Data?
    private var isLoaded = false

    /// Makes a list over the file at `path`, which is not read until a word is looked up.
    public init(path: String) {
        self.path = path
    }

    /// A list over a file's bytes already read.
    package init(contents: Data) {
        path = nil
        self.contents = contents
    }

    /// Whether the file lists `word`, given in lower case.
    ///
    /// False when the file cannot be read. The lines are bisected where they lie in the file's
    /// bytes, with no index of where each starts: a one-shot question with an unknown word
    /// costs a read of the file and a few dozen comparisons, not a pass over its 63,000 lines.
    public func contains(_ word: String) -> Bool {
        load()
        guard let contents, !word.isEmpty else { return false }
        let needle = Array(word.utf8)
        return contents.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            // The word, if listed, is a line that starts in low..<high.
            var low = 0
            var high = bytes.count
            while low < high {
                let middle = (low + high) / 2
                var start = middle
                while start > low, bytes[start - 1] != 0x0A { start -= 1 }
                // Comment lines are not in the order: compare with the next line that is a word.
                var line = start
                while line < high, bytes[line] == UInt8(ascii: "#") { line = Self.end(ofLineAt: line, in: bytes) + 1 }
                guard line < high else {
                    high = start
                    continue
                }
                let end = Self.end(ofLineAt: line, in: bytes)
                let order = Self.compare(needle, bytes[line..<end])
                if order == 0 { return true }
                if order < 0 { high = start } else { low = end + 1 }
            }
            return false
        }
    }

    private func load() {
        guard !isLoaded else { return }
        isLoaded = true
        if contents == nil, let path { contents = try? BoundedFile.read(path, limit: 32 << 20) }
    }

    /// Where the line that starts at `start` ends: its newline, or the end of the bytes.
    private static func end(ofLineAt start: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var end = start
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        return end
    }

    /// Byte-wise comparison of `needle` with `line`: negative, zero or positive.
    private static func compare(_ needle: [UInt8], _ line: Slice<UnsafeBufferPointer<UInt8>>) -> Int {
        var position = line.startIndex
        for byte in needle {
            guard position < line.endIndex else { return 1 }
            if byte != line[position] { return Int(byte) - Int(line[position]) }
            position += 1
        }
        return position < line.endIndex ? -1 : 0
    }
}
