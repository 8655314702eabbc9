import AdvisorSystem
import Foundation

/// A sorted list of words in a text file, read only when first needed and searched by
/// bisection over its lines: the advisor's dictionary of real words that are not typos.
public final class WordList {
    private let path: String?
    private var contents: Data?
    private var data: [UInt8]?
    private var lineStarts: [Int] = []

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
    /// False when the file cannot be read.
    public func contains(_ word: String) -> Bool {
        load()
        guard let data, !lineStarts.isEmpty else { return false }
        let needle = Array(word.utf8)
        var low = 0
        var high = lineStarts.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let order = compare(needle, lineAt: mid, in: data)
            if order == 0 { return true }
            if order < 0 { high = mid - 1 } else { low = mid + 1 }
        }
        return false
    }

    private func load() {
        guard data == nil else { return }
        let bytes: [UInt8]
        if let contents {
            bytes = [UInt8](contents)
            self.contents = nil
        } else {
            bytes = path.flatMap { try? BoundedFile.read($0, limit: 32 << 20) }.map { [UInt8]($0) } ?? []
        }
        var starts: [Int] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            if index > start, bytes[start] != UInt8(ascii: "#") { starts.append(start) }
            start = index + 1
        }
        if start < bytes.count, bytes[start] != UInt8(ascii: "#") { starts.append(start) }
        lineStarts = starts
        data = bytes
    }

    /// Byte-wise comparison of `needle` with line `index`: negative, zero or positive.
    private func compare(_ needle: [UInt8], lineAt index: Int, in data: [UInt8]) -> Int {
        var position = lineStarts[index]
        for byte in needle {
            guard position < data.count, data[position] != 0x0A else { return 1 }
            if byte != data[position] { return Int(byte) - Int(data[position]) }
            position += 1
        }
        return position < data.count && data[position] != 0x0A ? -1 : 0
    }
}
