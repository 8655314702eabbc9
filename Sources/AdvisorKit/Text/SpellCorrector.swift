/// Corrects typos against a fixed vocabulary ("platfrom" gives "platform").
///
/// A symmetric-delete index: every word is stored under the strings one or two
/// deletions away, so a lookup costs the same however large the vocabulary is.
public struct SpellCorrector: Sendable {
    private var deletes: [String: [Int32]] = [:]
    private var words: [String] = []
    private var frequency: [Int] = []
    private var known: [String: Int32] = [:]

    /// The shortest word considered for correction; shorter words are too ambiguous.
    public static let minimumLength = 4
    /// Words this long or longer may be two edits away; shorter ones, one.
    public static let twoEditLength = 8

    public init() {}

    /// Adds a correctly spelled word (each call counts once toward its frequency).
    public mutating func add(_ word: String) {
        if let index = known[word] {
            frequency[Int(index)] += 1
            return
        }
        let index = Int32(words.count)
        words.append(word)
        frequency.append(1)
        known[word] = index
        let characters = Array(word)
        guard characters.count >= Self.minimumLength - 1 else { return }
        let depth = characters.count >= Self.twoEditLength - 2 ? 2 : 1
        for key in Self.deletions(of: characters, depth: depth) {
            deletes[key, default: []].append(index)
        }
    }

    /// Whether `word` is in the vocabulary as it is.
    public func contains(_ word: String) -> Bool { known[word] != nil }

    /// The number of distinct words.
    public var count: Int { words.count }

    /// The closest vocabulary word to `word`, or nil when none is close enough.
    public func correction(for word: String) -> String? {
        let characters = Array(word)
        guard characters.count >= Self.minimumLength, known[word] == nil else { return nil }
        let limit = Self.maximumEdits(characters.count)
        var best: (index: Int32, distance: Int)?
        var candidates = Set<Int32>()
        for key in Self.deletions(of: characters, depth: limit) {
            guard let indices = deletes[key] else { continue }
            candidates.formUnion(indices)
        }
        if let exact = known[word] { candidates.insert(exact) }
        for index in candidates {
            let candidate = Array(words[Int(index)])
            guard abs(candidate.count - characters.count) <= limit else { continue }
            let distance = Self.editDistance(characters, candidate)
            guard distance <= limit else { continue }
            if let current = best {
                if distance < current.distance
                    || (distance == current.distance
                        && isPreferred(index, over: current.index))
                {
                    best = (index, distance)
                }
            } else {
                best = (index, distance)
            }
        }
        return best.map { words[Int($0.index)] }
    }

    private func isPreferred(_ candidate: Int32, over current: Int32) -> Bool {
        let a = frequency[Int(candidate)]
        let b = frequency[Int(current)]
        if a != b { return a > b }
        return words[Int(candidate)] < words[Int(current)]
    }

    static func maximumEdits(_ length: Int) -> Int {
        length >= twoEditLength ? 2 : 1
    }

    /// The word itself and every string reached by deleting up to `depth` characters.
    static func deletions(of characters: [Character], depth: Int) -> Set<String> {
        var result: Set<String> = [String(characters)]
        var frontier: [[Character]] = [characters]
        for _ in 0..<depth {
            var next: [[Character]] = []
            for item in frontier where item.count > 1 {
                for position in item.indices {
                    var shorter = item
                    shorter.remove(at: position)
                    if result.insert(String(shorter)).inserted { next.append(shorter) }
                }
            }
            frontier = next
        }
        return result
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and
    /// transpositions of neighbours each cost one.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
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
