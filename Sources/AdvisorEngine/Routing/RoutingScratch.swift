/// A set of one question's terms, each by its slot: its place among the question's distinct
/// known terms.
///
/// A bit per slot, the first 64 inline: a topic's matched terms cost no allocation and no
/// hashing, however many topics a question reaches (at 100,000 rules, a hundred or more).
package struct TermSlots: Equatable {
    private var low: UInt64 = 0
    private var high: [UInt64] = []

    package init() {}

    /// Whether the set holds no slot.
    package var isEmpty: Bool { low == 0 && high.allSatisfy { $0 == 0 } }

    /// Adds `slot`.
    @inline(__always)
    package mutating func insert(_ slot: Int) {
        if slot < 64 {
            low |= 1 << UInt64(slot)
            return
        }
        let word = slot / 64 - 1
        if high.count <= word { high += [UInt64](repeating: 0, count: word + 1 - high.count) }
        high[word] |= 1 << UInt64(slot % 64)
    }

    /// Whether the set holds `slot`.
    @inline(__always)
    package func contains(_ slot: Int) -> Bool {
        if slot < 64 { return low & (1 << UInt64(slot)) != 0 }
        let word = slot / 64 - 1
        return word < high.count && high[word] & (1 << UInt64(slot % 64)) != 0
    }

    /// Adds every slot of `other`.
    package mutating func formUnion(_ other: TermSlots) {
        low |= other.low
        if high.count < other.high.count { high += [UInt64](repeating: 0, count: other.high.count - high.count) }
        for (word, bits) in other.high.enumerated() { high[word] |= bits }
    }

    /// The slots of the set that `other` lacks.
    package func subtracting(_ other: TermSlots) -> TermSlots {
        var result = self
        result.low &= ~other.low
        for word in result.high.indices where word < other.high.count { result.high[word] &= ~other.high[word] }
        return result
    }

    /// The slots, in increasing order.
    package var slots: [Int] {
        var result: [Int] = []
        for (offset, bits) in ([low] + high).enumerated() where bits != 0 {
            for bit in 0..<64 where bits & (1 << UInt64(bit)) != 0 { result.append(offset * 64 + bit) }
        }
        return result
    }
}

/// The rules each topic matched for one question, as chains through one shared array: a
/// topic keeps only the place of its last rule, so matching a rule allocates nothing.
struct RuleTrail {
    private var links: [(rule: Int32, previous: Int32)] = []

    /// Empties the trail for a new question, keeping its capacity.
    mutating func start() { links.removeAll(keepingCapacity: true) }

    /// Appends `rule` after the chain ending at `last` (-1 for none); returns the new end.
    mutating func append(_ rule: Int32, after last: Int32) -> Int32 {
        links.append((rule, last))
        return Int32(links.count - 1)
    }

    /// The rules of the chain ending at `last`, in the order they were appended.
    func rules(endingAt last: Int32) -> [Int32] {
        var rules: [Int32] = []
        var place = last
        while place >= 0 {
            rules.append(links[Int(place)].rule)
            place = links[Int(place)].previous
        }
        return rules.reversed()
    }
}

/// The retrieval's score and matched-term count per topic for one question, and which topics
/// its patterns scored, in a small open-addressing table sized for the question's postings.
///
/// The table is as large as the question's postings, not as the knowledge base: at 100,000
/// topics, one flat entry per topic put each posting on a cold cache line of its own.
/// Entries are stamped with the question's mark instead of cleared.
struct TextTally {
    private struct Entry {
        var mark: UInt32 = 0
        var topic: Int32 = 0
        var terms: Int32 = 0
        var hasPattern = false
        var score = 0.0
    }
    private var entries: [Entry] = []
    private var mask = 0
    private var mark: UInt32 = 0
    /// The entries given a retrieval score this question, in the order first met.
    private var touched: [Int] = []

    /// Starts a question with `mark` (new for each question) for at most `topics` topics.
    mutating func start(topics: Int, mark: UInt32) {
        var capacity = 16
        while capacity < 2 * topics { capacity *= 2 }
        if entries.count < capacity { entries = Array(repeating: Entry(), count: capacity) }
        mask = capacity - 1
        self.mark = mark
        touched.removeAll(keepingCapacity: true)
    }

    /// The place of `topic`'s entry, made (empty) when it has none this question.
    @inline(__always)
    private mutating func place(of topic: Int32) -> Int {
        var place = Int(truncatingIfNeeded: (UInt32(bitPattern: topic) &* 0x9E37_79B1) >> 7) & mask
        while entries[place].mark == mark {
            if entries[place].topic == topic { return place }
            place = (place + 1) & mask
        }
        entries[place] = Entry(mark: mark, topic: topic)
        return place
    }

    /// Notes that the patterns scored `topic`.
    mutating func markPatternTopic(_ topic: Int32) { entries[place(of: topic)].hasPattern = true }

    /// Adds one matched term's `impact` to `topic`, unless `skip` says the topic's own
    /// patterns already matched the term (it is asked only for topics the patterns scored).
    @inline(__always)
    mutating func add(_ topic: Int32, impact: Double, skip: () -> Bool) {
        let place = place(of: topic)
        if entries[place].hasPattern, skip() { return }
        if entries[place].terms == 0 { touched.append(place) }
        entries[place].score += impact
        entries[place].terms += 1
    }

    /// Calls `body` with each topic given a retrieval score, its score and matched-term count,
    /// and whether the patterns scored it.
    func forEachTouched(_ body: (_ topic: Int32, _ score: Double, _ terms: Int, _ hasPattern: Bool) -> Void) {
        for place in touched {
            let entry = entries[place]
            body(entry.topic, entry.score, Int(entry.terms), entry.hasPattern)
        }
    }
}

/// The distinct known terms of one question, each with its slot, in a small open-addressing
/// table.
///
/// It takes the place of two arrays as long as the whole vocabulary (stamped per question):
/// those cost 8 bytes a term, zeroed at the first question (800 KB at 100,000 rules, a
/// fifth of a one-shot question's time), and every look-up was a cache miss somewhere in
/// them. This table holds a question's few terms in a few cache lines.
package struct QuestionTerms {
    /// `(term + 1) << 32 | slot`; 0 is an empty entry.
    private var entries = [UInt64](repeating: 0, count: 64)
    private var shift: UInt64 = 58

    package init() {}

    /// Empties the table, with room for `count` terms at most half full.
    package mutating func reset(for count: Int) {
        if count * 2 > entries.count {
            var capacity = entries.count
            while capacity < count * 2 { capacity *= 2 }
            entries = [UInt64](repeating: 0, count: capacity)
            shift = UInt64(64 - capacity.trailingZeroBitCount)
        } else {
            entries.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
    }

    @inline(__always)
    private func home(_ term: Int32) -> Int {
        Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: term)) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Adds `term` (a term id, at least 0) at `slot`; false when the table holds it already.
    ///
    /// A term already held keeps its first slot.
    @inline(__always)
    package mutating func insert(_ term: Int32, slot: Int32) -> Bool {
        let key = UInt64(UInt32(bitPattern: term)) + 1
        let mask = entries.count - 1
        var position = home(term)
        while true {
            let entry = entries[position]
            if entry == 0 {
                entries[position] = key << 32 | UInt64(UInt32(bitPattern: slot))
                return true
            }
            if entry >> 32 == key { return false }
            position = (position + 1) & mask
        }
    }

    /// The slot of `term`, or -1 when the question does not hold it.
    @inline(__always)
    package func slot(of term: Int32) -> Int32 {
        let key = UInt64(UInt32(bitPattern: term)) + 1
        let mask = entries.count - 1
        var position = home(term)
        while true {
            let entry = entries[position]
            if entry == 0 { return -1 }
            if entry >> 32 == key { return Int32(truncatingIfNeeded: entry & 0xFFFF_FFFF) }
            position = (position + 1) & mask
        }
    }

    /// Whether the question holds `term`.
    @inline(__always)
    package func contains(_ term: Int32) -> Bool { slot(of: term) >= 0 }
}
