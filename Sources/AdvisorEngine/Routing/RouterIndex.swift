import AdvisorSystem

/// The router's large tables, flat and used in place: the term table, the rules, and the
/// three inverted indexes (patterns, retrieval over the topics' text, example questions).
///
/// They are laid out in an ``ImageStorage``: compiled in memory, or mapped from the cache
/// file, in which case a question reads only the pages it touches and a start does not grow
/// with the number of rules.
package struct RouterIndex: @unchecked Sendable {
    /// The bytes every table below lies in.
    package let image: ImageView
    /// Where each table lies in `image` (what the cache stores beside it).
    package let slots: [ImageSlot]
    /// How many bytes of `image`, from its start, the tables span (the image of a cache holds
    /// more after them: topics, stems, the spelling vocabulary).
    package let byteCount: Int
    /// The size of one element of each slot's table, in slot order.
    private static let strides = [4, 1, 4, 8, 4, 4, 4, 1, 4, 4, 4, 8, 4, 4, 8, 4, 1, 4, 4, 4, 4, 8, 4, 4, 1, 4, 4, 4]
    /// Every term (stem or concept), hashed: a term's number is its id.
    package let terms: ImageStrings
    /// How informative each term is (by term id).
    package let termWeights: ImageArray<Double>
    /// Rule r's record is `ruleRecords[ruleStarts[r]..<ruleStarts[r + 1]]`: its topic, its
    /// weight (a `Double`'s bits, low word first), whether it is made only of stop words,
    /// and its distinct term ids in pattern order (see ``RuleRecord``).
    ///
    /// One record holds all that scoring a rule reads, so a rule costs one or two cache lines,
    /// not one for each of five tables (at 100,000 rules, each of those reads was a miss).
    package let ruleStarts: ImageArray<UInt32>
    package let ruleRecords: ImageArray<UInt32>
    /// Each rule's pattern as written.
    package let ruleTexts: ImageStrings
    /// The rules filed under term t, as where each one's record starts in `ruleRecords`, are
    /// `postingRecords[postingStarts[t]..<postingStarts[t + 1]]`.
    package let postingStarts: ImageArray<UInt32>
    package let postingRecords: ImageArray<UInt32>
    /// Beside each posting, its rule's signature (see ``signature(of:)``): a question can
    /// pass over a rule it cannot match without reading the rule.
    package let postingSignatures: ImageArray<UInt64>
    /// Term t's retrieval postings, strongest first: `textTopics` and `textImpacts` over
    /// `textStarts[t]..<textStarts[t + 1]`.
    package let textStarts: ImageArray<UInt32>
    package let textTopics: ImageArray<Int32>
    package let textImpacts: ImageArray<Double>
    /// The topic ids, by topic number, hashed.
    package let topics: ImageStrings
    /// Each topic's place in the order of the ids (ties between scores go to the id that
    /// sorts first, without reading the ids).
    package let topicRanks: ImageArray<Int32>
    /// Term t's example postings, strongest first: the examples (by number) in
    /// `exampleNumbers` and their BM25 impacts in `exampleImpacts`, over
    /// `exampleStarts[t]..<exampleStarts[t + 1]`.
    package let exampleStarts: ImageArray<UInt32>
    package let exampleNumbers: ImageArray<Int32>
    package let exampleImpacts: ImageArray<Double>
    /// Each example's topic number, by example number.
    package let exampleTopics: ImageArray<Int32>
    /// Each example's question as written.
    package let exampleTexts: ImageStrings
    /// Example e's distinct content terms, ascending, are
    /// `exampleTerms[exampleTermStarts[e]..<exampleTermStarts[e + 1]]`.
    package let exampleTermStarts: ImageArray<UInt32>
    package let exampleTerms: ImageArray<Int32>

    /// One compiled rule, as the compiler makes it.
    package struct DraftRule {
        package var topic: Int32
        package var terms: [Int32]
        package var text: String
        package var weight: Double
        package var stopOnly: Bool
        /// Whether the question must hold every term (else a rule of three terms or more
        /// matches with one missing).
        package var requiresAll = false
        /// The terms whose postings hold the rule: its rarest, and its second rarest when that
        /// one is filed too (set when the rules are filed).
        package var filedUnder: [Int32] = []
    }

    /// What the compiler gathered, before it is laid out flat.
    package struct Draft {
        package var terms: [String] = []
        package var termIDs: [String: Int32] = [:]
        package var termWeights: [Double] = []
        package var stopTerms: Set<Int32> = []
        package var rules: [DraftRule] = []
        package var postings: [[Int32]] = []
        package var textPostings: [[(topic: Int32, impact: Double)]] = []
        /// By term: the examples that hold it and its impact in each, strongest first.
        package var examplePostings: [[(example: Int32, impact: Double)]] = []
        /// By example: its topic number, its question and its distinct content terms (ascending).
        package var exampleTopics: [Int32] = []
        package var exampleTexts: [String] = []
        package var exampleTerms: [[Int32]] = []

        package init() {}

        /// The id of `term`, new when it has none yet.
        package mutating func termID(_ term: String, isStop: Bool) -> Int32 {
            if let id = termIDs[term] { return id }
            let id = Int32(terms.count)
            termIDs[term] = id
            terms.append(term)
            termWeights.append(0)
            postings.append([])
            if isStop { stopTerms.insert(id) }
            return id
        }
    }

    /// The number of slots `write` stores, in order.
    package static let slotCount = 28

    /// Lays out `draft` and the topic ids, returning the slots to store (`slotCount` of them).
    package static func write(_ draft: Draft, topicIDs: [String], to writer: inout ImageWriter) -> [ImageSlot] {
        var slots = ImageStrings.write(draft.terms, hashed: true, to: &writer)
        slots.append(writer.append(draft.termWeights))
        let records = draft.rules.enumerated().map { RuleRecord.words($1, number: Int32($0)) }
        slots += writer.append(lists: records)
        slots += ImageStrings.write(draft.rules.map(\.text), hashed: false, to: &writer)
        var recordStarts: [UInt32] = [0]
        for record in records { recordStarts.append(recordStarts[recordStarts.count - 1] + UInt32(record.count)) }
        slots += writer.append(lists: draft.postings.map { $0.map { recordStarts[Int($0)] } })
        slots.append(writer.append(draft.postings.flatMap { $0.map { signature(of: draft.rules[Int($0)]) } }))
        slots += writer.append(lists: draft.textPostings.map { $0.map(\.topic) })
        slots.append(writer.append(draft.textPostings.flatMap { $0.map(\.impact) }))
        slots += ImageStrings.write(topicIDs, hashed: true, to: &writer)
        var ranks = [Int32](repeating: 0, count: topicIDs.count)
        for (rank, topic) in topicIDs.indices.sorted(by: { (topicIDs[$0], $0) < (topicIDs[$1], $1) }).enumerated() {
            ranks[topic] = Int32(rank)
        }
        slots.append(writer.append(ranks))
        var examplePostings = draft.examplePostings
        if examplePostings.count < draft.terms.count {
            examplePostings += [[(example: Int32, impact: Double)]](
                repeating: [], count: draft.terms.count - examplePostings.count)
        }
        slots += writer.append(lists: examplePostings.map { $0.map(\.example) })
        slots.append(writer.append(examplePostings.flatMap { $0.map(\.impact) }))
        slots.append(writer.append(draft.exampleTopics))
        slots += ImageStrings.write(draft.exampleTexts, hashed: false, to: &writer)
        slots += writer.append(lists: draft.exampleTerms)
        return slots
    }

    /// The bit that stands for `term` in a signature: one of bits 1 to 63, by a hash of the id.
    @inline(__always)
    package static func signatureBit(_ term: Int32) -> UInt64 {
        let hash = UInt64(UInt32(bitPattern: term)) &* 0x9E37_79B9_7F4A_7C15
        return 1 << (1 + (hash >> 58) % 63)
    }

    /// A rule's signature: the bits of its terms, and bit 0 set when it may still match with
    /// one term missing (three terms or more, not only stop words, not `requiresAll`).
    ///
    /// A term the question holds sets its bit in the question's signature too, so a rule bit
    /// the question lacks stands for at least one missing term: with more such bits than the
    /// rule may miss, the rule cannot match, and it is passed over unread (the same answers).
    package static func signature(of rule: DraftRule) -> UInt64 {
        var signature: UInt64 = rule.terms.count >= 3 && !rule.stopOnly && !rule.requiresAll ? 1 : 0
        for term in rule.terms { signature |= signatureBit(term) }
        return signature
    }

    /// Whether a rule of `signature` may match a question of `question` signature (see
    /// ``signature(of:)``).
    @inline(__always)
    package static func mayMatch(_ signature: UInt64, question: UInt64) -> Bool {
        let missing = signature & ~question & ~1
        return missing == 0 || (signature & 1 != 0 && missing & (missing &- 1) == 0)
    }

    /// The index `write` laid out at `slots` in `storage`, or nil when it is not whole: every
    /// table inside the bytes, every list's bounds in order, every id inside its table.
    ///
    /// `trusted` (for bytes verified whole before, see `KnowledgeBaseCache`) checks only that
    /// each table lies inside the bytes and that their sizes agree, without reading every
    /// entry: the start then costs the same at any number of rules.
    package init?(_ image: ImageView, _ slots: [ImageSlot], trusted: Bool = false) {
        guard slots.count == Self.slotCount,
            let terms = ImageStrings(image, Array(slots[0..<3]), trusted: trusted),
            let termWeights = image.array(slots[3], of: Double.self),
            let ruleStarts = image.array(slots[4], of: UInt32.self),
            let ruleRecords = image.array(slots[5], of: UInt32.self),
            let ruleTexts = ImageStrings(image, Array(slots[6..<9]), trusted: trusted),
            let postingStarts = image.array(slots[9], of: UInt32.self),
            let postingRecords = image.array(slots[10], of: UInt32.self),
            let postingSignatures = image.array(slots[11], of: UInt64.self),
            let textStarts = image.array(slots[12], of: UInt32.self),
            let textTopics = image.array(slots[13], of: Int32.self),
            let textImpacts = image.array(slots[14], of: Double.self),
            let topics = ImageStrings(image, Array(slots[15..<18]), trusted: trusted),
            let topicRanks = image.array(slots[18], of: Int32.self), topicRanks.count == topics.count,
            let exampleStarts = image.array(slots[19], of: UInt32.self),
            let exampleNumbers = image.array(slots[20], of: Int32.self),
            let exampleImpacts = image.array(slots[21], of: Double.self),
            let exampleTopics = image.array(slots[22], of: Int32.self),
            let exampleTexts = ImageStrings(image, Array(slots[23..<26]), trusted: trusted),
            let exampleTermStarts = image.array(slots[26], of: UInt32.self),
            let exampleTerms = image.array(slots[27], of: Int32.self)
        else { return nil }
        let termCount = terms.count
        let ruleCount = ruleTexts.count
        let topicCount = Int32(topics.count)
        guard termWeights.count == termCount, ruleStarts.count == ruleCount + 1,
            postingStarts.count == termCount + 1, textStarts.count == termCount + 1,
            postingSignatures.count == postingRecords.count, textImpacts.count == textTopics.count,
            exampleStarts.count == termCount + 1, exampleImpacts.count == exampleNumbers.count,
            exampleTexts.count == exampleTopics.count, exampleTermStarts.count == exampleTopics.count + 1
        else { return nil }
        if !trusted {
            guard
                Self.isWhole(
                    ruleStarts: ruleStarts, ruleRecords: ruleRecords, postingStarts: postingStarts,
                    postingRecords: postingRecords, textStarts: textStarts, textTopics: textTopics,
                    termCount: termCount, topicCount: topicCount),
                areListBounds(exampleStarts, count: termCount, over: exampleNumbers.count),
                Self.isEach(of: exampleNumbers, below: Int32(exampleTopics.count)),
                Self.isEach(of: exampleTopics, below: topicCount),
                areListBounds(exampleTermStarts, count: exampleTopics.count, over: exampleTerms.count),
                Self.isEach(of: exampleTerms, below: Int32(termCount))
            else { return nil }
        }
        self.image = image
        self.slots = slots
        byteCount = zip(slots, Self.strides).map { $0.offset + $0.count * $1 }.max() ?? 0
        self.terms = terms
        self.termWeights = termWeights
        self.ruleStarts = ruleStarts
        self.ruleRecords = ruleRecords
        self.ruleTexts = ruleTexts
        self.postingStarts = postingStarts
        self.postingRecords = postingRecords
        self.postingSignatures = postingSignatures
        self.textStarts = textStarts
        self.textTopics = textTopics
        self.textImpacts = textImpacts
        self.topics = topics
        self.topicRanks = topicRanks
        self.exampleStarts = exampleStarts
        self.exampleNumbers = exampleNumbers
        self.exampleImpacts = exampleImpacts
        self.exampleTopics = exampleTopics
        self.exampleTexts = exampleTexts
        self.exampleTermStarts = exampleTermStarts
        self.exampleTerms = exampleTerms
    }

    /// The checks that read every entry: each list's bounds in order, every record whole (its
    /// own rule's number, a topic, a term at least, every id inside its table), every
    /// posting pointing at the start of a record, every text posting at a topic.
    private static func isWhole(
        ruleStarts: ImageArray<UInt32>, ruleRecords: ImageArray<UInt32>, postingStarts: ImageArray<UInt32>,
        postingRecords: ImageArray<UInt32>, textStarts: ImageArray<UInt32>, textTopics: ImageArray<Int32>,
        termCount: Int, topicCount: Int32
    ) -> Bool {
        let ruleCount = ruleStarts.count - 1
        guard areListBounds(ruleStarts, count: ruleCount, over: ruleRecords.count),
            areListBounds(postingStarts, count: termCount, over: postingRecords.count),
            areListBounds(textStarts, count: termCount, over: textTopics.count),
            isEach(of: textTopics, below: topicCount)
        else { return false }
        for rule in 0..<ruleCount {
            let start = Int(ruleStarts[rule])
            guard
                RuleRecord.isWhole(
                    UnsafeBufferPointer(rebasing: ruleRecords[start..<Int(ruleStarts[rule + 1])]),
                    number: Int32(rule), topicCount: topicCount, termCount: Int32(termCount))
            else { return false }
        }
        var pointed = true
        for offset in postingRecords {
            let rule = Int(offset) < ruleRecords.count ? Int(ruleRecords[Int(offset)]) : ruleCount
            pointed = pointed && rule < ruleCount && ruleStarts[rule] == offset
        }
        return pointed
    }

    /// Whether every id in `ids` lies in `0..<limit`.
    private static func isEach(of ids: ImageArray<Int32>, below limit: Int32) -> Bool {
        // As unsigned, a negative id is above any limit: one comparison per id.
        let bound = UInt32(bitPattern: limit)
        var inside = true
        for id in ids { inside = inside && UInt32(bitPattern: id) < bound }
        return inside
    }

    /// The index of a compiled `draft`, in memory; nil only when a table outgrows the 32-bit
    /// offsets of the format (gigabytes of patterns).
    package init?(_ draft: Draft, topicIDs: [String]) {
        var writer = ImageWriter()
        let slots = Self.write(draft, topicIDs: topicIDs, to: &writer)
        guard writer.bytes.count < Int(UInt32.max) else { return nil }
        self.init(ImageView(ImageStorage(copying: writer.bytes)), slots)
    }

    /// The number of rules.
    package var ruleCount: Int { ruleStarts.count - 1 }

    /// The id of `term`, if the knowledge base uses it.
    @inline(__always)
    package func termID(_ term: String) -> Int32? { terms.index(of: term) }

    /// Rule `rule`'s record.
    @inline(__always)
    package func rule(_ rule: Int32) -> RuleRecord { RuleRecord(ruleRecords, at: Int(ruleStarts[Int(rule)])) }

    /// The record that starts at `offset` in `ruleRecords` (as `postingRecords` gives it).
    @inline(__always)
    package func rule(at offset: UInt32) -> RuleRecord { RuleRecord(ruleRecords, at: Int(offset)) }

    /// The term ids of rule `rule`.
    @inline(__always)
    package func ruleTerms(_ rule: Int32) -> ImageArray<Int32> { self.rule(rule).terms }

    /// The numbers of the rules filed under `term`.
    package func postings(_ term: Int32) -> [Int32] { postingRange(term).map { rule(at: postingRecords[$0]).number } }

    /// Where the rules filed under `term` lie in `postingRecords` and `postingSignatures`.
    @inline(__always)
    package func postingRange(_ term: Int32) -> Range<Int> {
        Int(postingStarts[Int(term)])..<Int(postingStarts[Int(term) + 1])
    }

    /// The number of example questions.
    package var exampleCount: Int { exampleTopics.count }

    /// Where term `term`'s example postings lie in `exampleNumbers` and `exampleImpacts`.
    @inline(__always)
    package func exampleRange(_ term: Int32) -> Range<Int> {
        Int(exampleStarts[Int(term)])..<Int(exampleStarts[Int(term) + 1])
    }

    /// The distinct content terms of example `example`, ascending.
    package func exampleTermList(_ example: Int32) -> ImageArray<Int32> {
        let start = Int(exampleTermStarts[Int(example)])
        return UnsafeBufferPointer(rebasing: exampleTerms[start..<Int(exampleTermStarts[Int(example) + 1])])
    }

    /// Where term `term`'s retrieval postings lie in `textTopics` and `textImpacts`.
    @inline(__always)
    package func textRange(_ term: Int32) -> Range<Int> {
        Int(textStarts[Int(term)])..<Int(textStarts[Int(term) + 1])
    }
}

/// One rule as the router scores it, read in place from ``RouterIndex/ruleRecords``.
///
/// Its words: the rule's number; its topic number; the flags (bit 0: made only of stop
/// words; bit 1: every term required) with the term count above them; the weight's `Double`
/// bits, low word first; the two terms it is filed under (the second `UInt32.max` when it is
/// filed once); then the term ids.
package struct RuleRecord {
    /// How many words come before the terms.
    static let headerCount = 7
    /// Where the term count starts in the flags word, above the flag bits.
    static let countShift: UInt32 = 2
    /// The rule's number (its place among the rules, as `ruleTexts` has them).
    package let number: Int32
    /// The rule's topic number.
    package let topic: Int32
    /// The rule's weight (1 for a full-weight pattern).
    package let weight: Double
    /// Whether the pattern is made only of stop words.
    package let isStopOnly: Bool
    /// Whether the question must hold every term.
    package let requiresAll: Bool
    /// The rule's distinct term ids, in pattern order.
    package let terms: ImageArray<Int32>
    /// The terms whose postings hold the rule; `filedAlso` is -1 when only one does.
    package let filedFirst: Int32
    package let filedAlso: Int32

    @inline(__always)
    init(_ words: ImageArray<UInt32>, at start: Int) {
        number = Int32(bitPattern: words[start])
        topic = Int32(bitPattern: words[start + 1])
        let flags = words[start + 2]
        isStopOnly = flags & 1 != 0
        requiresAll = flags & 2 != 0
        weight = Double(bitPattern: UInt64(words[start + 3]) | UInt64(words[start + 4]) << 32)
        filedFirst = Int32(bitPattern: words[start + 5])
        filedAlso = Int32(bitPattern: words[start + 6])
        let first = start + Self.headerCount
        let raw = UnsafeBufferPointer(rebasing: words[first..<(first + Int(flags >> Self.countShift))])
        terms = UnsafeRawBufferPointer(raw).assumingMemoryBound(to: Int32.self)
    }

    /// The words of the record of `rule`, rule number `number`.
    static func words(_ rule: RouterIndex.DraftRule, number: Int32) -> [UInt32] {
        let bits = rule.weight.bitPattern
        return [
            UInt32(bitPattern: number), UInt32(bitPattern: rule.topic),
            UInt32(rule.terms.count) << countShift | (rule.stopOnly ? 1 : 0) | (rule.requiresAll ? 2 : 0),
            UInt32(truncatingIfNeeded: bits), UInt32(truncatingIfNeeded: bits >> 32),
            UInt32(bitPattern: rule.filedUnder.first ?? -1),
            UInt32(bitPattern: rule.filedUnder.dropFirst().first ?? -1),
        ] + rule.terms.map { UInt32(bitPattern: $0) }
    }

    /// Whether `words` is one whole record of rule `number`: a topic below `topicCount`, as
    /// many terms as its flags say (one at least: the scorer reads the first), each below
    /// `termCount`, and the terms it is filed under below `termCount` too (the second may be none).
    static func isWhole(_ words: ImageArray<UInt32>, number: Int32, topicCount: Int32, termCount: Int32) -> Bool {
        let limit = UInt32(bitPattern: termCount)
        guard words.count > headerCount, words[0] == UInt32(bitPattern: number),
            UInt32(bitPattern: topicCount) > words[1], Int(words[2] >> countShift) == words.count - headerCount,
            words[5] < limit, words[6] < limit || words[6] == .max
        else { return false }
        var inside = true
        for position in headerCount..<words.count { inside = inside && words[position] < limit }
        return inside
    }
}
