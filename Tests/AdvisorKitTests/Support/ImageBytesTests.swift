import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem

@Suite("Flat images used in place")
struct ImageBytesTests {
    @Test("a string table finds every string it holds by hash, and nothing else")
    func stringTable() throws {
        let strings = ["alpha", "beta", "", "été", "platform", "@budget"] + (0..<500).map { "term\($0)" }
        var writer = ImageWriter()
        let slots = ImageStrings.write(strings, hashed: true, to: &writer)
        let table = try #require(ImageStrings(ImageView(ImageStorage(copying: writer.bytes)), slots))
        #expect(table.count == strings.count)
        for (index, string) in strings.enumerated() {
            #expect(table[index] == string)
            #expect(table.index(of: string) == Int32(index), "\(string)")
        }
        for absent in ["gamma", "alph", "term500", "Alpha"] { #expect(table.index(of: absent) == nil) }
        // Without a hash table, strings are read by number and never found by value.
        var plain = ImageWriter()
        let plainSlots = ImageStrings.write(strings, hashed: false, to: &plain)
        let unhashed = try #require(ImageStrings(ImageView(ImageStorage(copying: plain.bytes)), plainSlots))
        #expect(unhashed[3] == "été")
        #expect(unhashed.index(of: "alpha") == nil)
    }

    @Test("slots outside the image, misaligned, or with starts out of order are refused")
    func refusedSlots() throws {
        var writer = ImageWriter()
        let slots = ImageStrings.write(["one", "two"], hashed: true, to: &writer)
        let image = ImageView(ImageStorage(copying: writer.bytes))
        #expect(image.array(ImageSlot(offset: writer.bytes.count, count: 1), of: UInt32.self) == nil)
        #expect(image.array(ImageSlot(offset: 1, count: 1), of: UInt32.self) == nil)
        #expect(image.array(ImageSlot(offset: -8, count: 1), of: UInt32.self) == nil)
        #expect(image.array(ImageSlot(offset: 0, count: Int.max / 2), of: UInt64.self) == nil)
        #expect(image.array(ImageSlot(offset: Int.max - 3, count: 1), of: UInt8.self) == nil)
        // The same bytes with the second start beyond the end of the strings.
        var damaged = writer.bytes
        damaged[slots[0].offset + 4] = 0xFF
        #expect(ImageStrings(ImageView(ImageStorage(copying: damaged)), slots) == nil)
        // A hash entry naming no string.
        var badEntry = writer.bytes
        badEntry[slots[2].offset] = 0x7F
        #expect(ImageStrings(ImageView(ImageStorage(copying: badEntry)), slots) == nil)
    }

    @Test("a router index refuses any table whose ids or bounds do not hold")
    func routerIndexChecks() throws {
        var draft = RouterIndex.Draft()
        let budget = draft.termID("@budget", isStop: false)
        let mobile = draft.termID("mobil", isStop: false)
        draft.termWeights = [1, 2]
        draft.rules = [
            RouterIndex.DraftRule(
                topic: 0, terms: [budget], text: "budget", weight: 1, stopOnly: false, filedUnder: [budget]),
            RouterIndex.DraftRule(
                topic: 1, terms: [mobile, budget], text: "mobile budget", weight: 0.5, stopOnly: false,
                requiresAll: true, filedUnder: [mobile]),
        ]
        draft.postings = [[0], [1]]
        draft.textPostings = [[(topic: 1, impact: 0.5)], []]
        var writer = ImageWriter()
        let slots = RouterIndex.write(draft, topicIDs: ["tech-budget", "mobile-ownership"], to: &writer)
        let image = ImageView(ImageStorage(copying: writer.bytes))
        let index = try #require(RouterIndex(image, slots))
        #expect(index.termID("mobil") == mobile)
        #expect(Array(index.ruleTerms(1)) == [mobile, budget])
        #expect(index.rule(1).topic == 1 && index.rule(1).weight == 0.5 && !index.rule(1).isStopOnly)
        #expect(index.rule(1).requiresAll && !index.rule(0).requiresAll)
        #expect(index.rule(1).filedFirst == mobile && index.rule(1).filedAlso == -1)
        #expect(Array(index.postings(budget)) == [0])
        #expect(index.ruleTexts[1] == "mobile budget")
        #expect(index.topics.index(of: "mobile-ownership") == 1)
        #expect(index.textRange(budget).map { index.textTopics[$0] } == [1])
        // Each table, damaged to point outside what it indexes, is refused: a record's rule
        // number, topic, term count, filing term and first term, a posting's record, a
        // retrieval posting's topic.
        let damages: [(slot: Int, element: Int, value: Int32)] = [
            (5, 0, 1), (5, 1, 2), (5, 2, 2 << 2), (5, 5, 9), (5, 7, 7), (10, 0, 3), (10, 1, 5), (13, 0, -1),
        ]
        for (slot, element, value) in damages {
            var bytes = writer.bytes
            let offset = slots[slot].offset + 4 * element
            withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<(offset + 4), with: $0) }
            #expect(RouterIndex(ImageView(ImageStorage(copying: bytes)), slots) == nil, "slot \(slot)")
        }
        #expect(RouterIndex(image, Array(slots.dropLast())) == nil)
    }
}
