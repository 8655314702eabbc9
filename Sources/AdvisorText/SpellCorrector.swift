import AdvisorSystem

/// Corrects typos against a fixed vocabulary ("platfrom" gives "platform").
///
/// A symmetric-delete index: every word is filed under the hashes of the strings one or
/// two deletions away, so a lookup costs the same however large the vocabulary is.
/// Candidates found through the index are confirmed by their real edit distance.
public struct SpellCorrector: Sendable {
    /// The vocabulary and its deletion index as laid out in a compiled cache, used in place;
    /// nil for a corrector built word by word.
    private var stored: StoredVocabulary?
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
    package var entries: [(word: String, frequency: Int)] {
        if let stored { return (0..<stored.words.count).map { (stored.words[$0], Int(stored.frequency[$0])) } }
        return Array(zip(words, frequency))
    }

    /// Rebuilds a corrector from `entries`.
    package init(entries: [(word: String, frequency: Int)]) {
        for (word, frequency) in entries {
            add(word)
            if let index = known[word] { self.frequency[Int(index)] = frequency }
        }
    }

    /// A corrector over a vocabulary laid out by `write(to:)`, used where it lies.
    package init(stored: StoredVocabulary) { self.stored = stored }

    /// Lays out the vocabulary, its frequencies and its deletion index (built first, when it
    /// is not yet); returns the slots to store (`StoredVocabulary.slotCount` of them).
    package mutating func write(to writer: inout ImageWriter) -> [ImageSlot] {
        if let stored { return stored.write(to: &writer) }
        buildIndex()
        var pairs: [(key: UInt64, word: Int32)] = []
        for (key, indices) in deletes { for index in indices { pairs.append((key, index)) } }
        pairs.sort { ($0.key, $0.word) < ($1.key, $1.word) }
        return ImageStrings.write(words, hashed: true, to: &writer) + [
            writer.append(frequency.map { Int32(clamping: $0) }), writer.append(pairs.map(\.key)),
            writer.append(pairs.map(\.word)),
        ]
    }

    /// Adds a correctly spelled word (each call counts once toward its frequency).
    public mutating func add(_ word: String) {
        if stored != nil { materialize() }
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

    /// Turns a stored vocabulary into one held in memory, to add words to it.
    private mutating func materialize() {
        guard let stored else { return }
        self.stored = nil
        for index in 0..<stored.words.count {
            let word = stored.words[index]
            add(word)
            // A word stored twice (only in a crafted cache) keeps its larger frequency.
            if let known = known[word] {
                frequency[Int(known)] = max(frequency[Int(known)], Int(stored.frequency[index]))
            }
        }
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
    public func contains(_ word: String) -> Bool {
        if let stored { return stored.words.index(of: word) != nil }
        return known[word] != nil
    }

    /// The number of distinct words.
    public var count: Int { stored?.words.count ?? words.count }

    /// The closest vocabulary word to `word`, or nil when none is close enough.
    public mutating func correction(for word: String) -> String? {
        candidates(for: word).first
    }

    /// Every vocabulary word as close to `word` as the closest, preferred first.
    ///
    /// The more frequent come first, then in alphabetical order; empty when none is close
    /// enough or `word` is known. More than one means the correction is a choice among rivals.
    public mutating func candidates(for word: String) -> [String] {
        guard !contains(word) else { return [] }
        let characters = word.unicodeScalars.map(\.value)
        guard characters.count >= Self.minimumLength else { return [] }
        if let stored { return stored.candidates(for: characters, limit: Self.maximumEdits(characters.count)) }
        buildIndex()
        return Self.closest(
            to: characters, limit: Self.maximumEdits(characters.count),
            filed: { deletes[$0] ?? [] },
            word: { (scalars[Int($0)], words[Int($0)], frequency[Int($0)]) })
    }

    /// The words at the smallest edit distance from `characters` (at most `limit`) among
    /// those filed under its deletions, the more frequent first, then alphabetically.
    ///
    /// `filed` gives the numbers of the words filed under a deletion hash; `word` gives a word's scalars, text and frequency, or nil for no such word.
    static func closest(
        to characters: [UInt32], limit: Int, filed: (UInt64) -> [Int32],
        word: (Int32) -> (scalars: [UInt32], text: String, frequency: Int)?
    ) -> [String] {
        var best: [(text: String, frequency: Int)] = []
        var bestDistance = Int.max
        var checked = Set<Int32>()
        forEachDeletion(of: characters, depth: limit) { key in
            for index in filed(key) {
                guard checked.insert(index).inserted, let candidate = word(index),
                    abs(candidate.scalars.count - characters.count) <= limit
                else { continue }
                let distance = editDistance(characters, candidate.scalars)
                guard distance <= limit, distance <= bestDistance else { continue }
                if distance < bestDistance {
                    bestDistance = distance
                    best = []
                }
                best.append((candidate.text, candidate.frequency))
            }
        }
        best.sort { $0.frequency != $1.frequency ? $0.frequency > $1.frequency : $0.text < $1.text }
        return best.map(\.text)
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

/// A spelling corrector's vocabulary laid out flat in a compiled cache: the words (hashed),
/// how often each is used, and the deletion index as (hash, word) pairs sorted by hash.
///
/// Nothing is decoded at start: a lookup hashes the word, and a correction reads only the
/// index entries of its deletions' hashes.
package struct StoredVocabulary: @unchecked Sendable {
    /// The bytes the tables lie in, kept alive with them.
    package let image: ImageView
    package let words: ImageStrings
    package let frequency: ImageArray<Int32>
    package let keys: ImageArray<UInt64>
    package let keyWords: ImageArray<Int32>

    /// The number of slots a stored vocabulary takes.
    package static let slotCount = 6

    /// The vocabulary laid out at `slots` in `image`, or nil when its tables do not lie inside it.
    ///
    /// Nil too when their lengths disagree. The index's order and words are checked as they
    /// are read (an entry out of order is not found; one naming no word is skipped).
    /// `trusted` is passed on to the word table (see `ImageStrings`).
    package init?(_ image: ImageView, _ slots: [ImageSlot], trusted: Bool = false) {
        guard slots.count == Self.slotCount, let words = ImageStrings(image, Array(slots[0..<3]), trusted: trusted),
            let frequency = image.array(slots[3], of: Int32.self), let keys = image.array(slots[4], of: UInt64.self),
            let keyWords = image.array(slots[5], of: Int32.self), frequency.count == words.count,
            keyWords.count == keys.count
        else { return nil }
        self.image = image
        self.words = words
        self.frequency = frequency
        self.keys = keys
        self.keyWords = keyWords
    }

    /// Lays the same tables out again (for a cache rewritten from one read).
    func write(to writer: inout ImageWriter) -> [ImageSlot] {
        ImageStrings.write((0..<words.count).map { words[$0] }, hashed: true, to: &writer) + [
            writer.append(Array(frequency)), writer.append(Array(keys)), writer.append(Array(keyWords)),
        ]
    }

    /// What `SpellCorrector.candidates(for:)` returns, for a word of `characters` at most
    /// `limit` edits away.
    func candidates(for characters: [UInt32], limit: Int) -> [String] {
        SpellCorrector.closest(
            to: characters, limit: limit,
            filed: { key in
                var filed: [Int32] = []
                var position = firstIndex(of: key)
                while position < keys.count, keys[position] == key {
                    filed.append(keyWords[position])
                    position += 1
                }
                return filed
            },
            word: { index in
                guard index >= 0, Int(index) < words.count else { return nil }
                let text = words[Int(index)]
                return (text.unicodeScalars.map(\.value), text, Int(frequency[Int(index)]))
            })
    }

    /// The first position whose key is not below `key` (the keys are sorted).
    private func firstIndex(of key: UInt64) -> Int {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
