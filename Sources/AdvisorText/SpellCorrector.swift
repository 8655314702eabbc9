import AdvisorSystem

/// Corrects typos against a fixed vocabulary ("platfrom" gives "platform").
///
/// A symmetric-delete index: every word is filed under the hashes of the strings one or
/// two deletions away, so a lookup costs the same however large the vocabulary is.
/// Candidates found through the index are confirmed by their real edit distance.
public struct SpellCorrector: Sendable {
    private var deletes: [UInt64: [Int32]] = [:]
    private var words: [String] = []
    private var scalars: [[UInt32]] = []
    private var frequency: [Int] = []
    private var known: [String: Int32] = [:]
    /// How many words the deletion index covers: it is built on first use, so a
    /// one-shot question that needs no correction never pays for it.
    private var indexed = 0

    /// The shortest word considered for correction; shorter words are too ambiguous.
    public static let minimumLength = 4
    /// Words this long or longer may be two edits away; shorter ones, one.
    public static let twoEditLength = 8

    /// Makes an empty corrector; `add(_:)` gives it its vocabulary.
    public init() {}

    /// The words and how often each was added, in the order added (for the cache).
    package var entries: [(word: String, frequency: Int)] { Array(zip(words, frequency)) }

    /// Rebuilds a corrector from `entries`.
    package init(entries: [(word: String, frequency: Int)]) {
        for (word, frequency) in entries {
            add(word)
            if let index = known[word] { self.frequency[Int(index)] = frequency }
        }
    }

    /// Adds a correctly spelled word (each call counts once toward its frequency).
    public mutating func add(_ word: String) {
        if let index = known[word] {
            frequency[Int(index)] += 1
            return
        }
        let index = Int32(words.count)
        let characters = word.unicodeScalars.map(\.value)
        words.append(word)
        scalars.append(characters)
        frequency.append(1)
        known[word] = index
    }

    /// Files every word not yet indexed under its deletions.
    private mutating func buildIndex() {
        while indexed < words.count {
            let characters = scalars[indexed]
            let index = Int32(indexed)
            indexed += 1
            guard characters.count >= Self.minimumLength - 1 else { continue }
            let depth = characters.count >= Self.twoEditLength - 2 ? 2 : 1
            Self.forEachDeletion(of: characters, depth: depth) { key in
                deletes[key, default: []].append(index)
            }
        }
    }

    /// Whether `word` is in the vocabulary as it is.
    public func contains(_ word: String) -> Bool { known[word] != nil }

    /// The number of distinct words.
    public var count: Int { words.count }

    /// The closest vocabulary word to `word`, or nil when none is close enough.
    public mutating func correction(for word: String) -> String? {
        candidates(for: word).first
    }

    /// Every vocabulary word as close to `word` as the closest, preferred first.
    ///
    /// The more frequent come first, then in alphabetical order; empty when none is close
    /// enough or `word` is known. More than one means the correction is a choice among rivals.
    public mutating func candidates(for word: String) -> [String] {
        guard known[word] == nil else { return [] }
        let characters = word.unicodeScalars.map(\.value)
        guard characters.count >= Self.minimumLength else { return [] }
        buildIndex()
        let limit = Self.maximumEdits(characters.count)
        var best: [Int32] = []
        var bestDistance = Int.max
        var checked = Set<Int32>()
        Self.forEachDeletion(of: characters, depth: limit) { key in
            guard let indices = deletes[key] else { return }
            for index in indices where checked.insert(index).inserted {
                let candidate = scalars[Int(index)]
                guard abs(candidate.count - characters.count) <= limit else { continue }
                let distance = Self.editDistance(characters, candidate)
                guard distance <= limit, distance <= bestDistance else { continue }
                if distance < bestDistance {
                    bestDistance = distance
                    best = []
                }
                best.append(index)
            }
        }
        best.sort { isPreferred($0, over: $1) }
        return best.map { words[Int($0)] }
    }

    private func isPreferred(_ candidate: Int32, over current: Int32) -> Bool {
        let a = frequency[Int(candidate)]
        let b = frequency[Int(current)]
        if a != b { return a > b }
        return words[Int(candidate)] < words[Int(current)]
    }

    package static func maximumEdits(_ length: Int) -> Int {
        length >= twoEditLength ? 2 : 1
    }

    /// Calls `body` with the hash of the word itself and of every string reached by
    /// deleting up to `depth` characters (a hash may repeat; callers tolerate that).
    package static func forEachDeletion(of characters: [UInt32], depth: Int, _ body: (UInt64) -> Void) {
        body(hash(characters, skipping: -1, and: -1))
        guard depth >= 1 else { return }
        let count = characters.count
        for first in 0..<count {
            if first > 0, characters[first] == characters[first - 1] { continue }  // same string as before
            body(hash(characters, skipping: first, and: -1))
            guard depth >= 2, count > 2 else { continue }
            for second in (first + 1)..<count {
                if second > first + 1, characters[second] == characters[second - 1] { continue }
                body(hash(characters, skipping: first, and: second))
            }
        }
    }

    /// FNV-1a of the UTF-8 text the scalars spell, leaving out positions `a` and `b`.
    @inline(__always)
    package static func hash(_ characters: [UInt32], skipping a: Int, and b: Int) -> UInt64 {
        var hasher = FNV1a64()
        for (position, scalar) in characters.enumerated() where position != a && position != b {
            hasher.combine(scalar: scalar)
        }
        return hasher.value
    }

    /// The name in `names` a mistyped `name` most likely meant ("did you mean"): the first
    /// that starts with it, else the closest within a third of its length (at least 2 edits).
    public static func nearest(to name: String, among names: [String]) -> String? {
        guard !name.isEmpty else { return nil }
        if let prefixed = names.first(where: { $0.hasPrefix(name) }) { return prefixed }
        let typed = Array(name)
        let scored = names.map { ($0, editDistance(typed, Array($0))) }
        guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }), best.1 <= max(2, name.count / 3) else {
            return nil
        }
        return best.0
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and
    /// transpositions of neighbours each cost one.
    public static func editDistance<C: Equatable>(_ a: [C], _ b: [C]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
