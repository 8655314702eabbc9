import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("Hashing")
struct HashingTests {
    static func fnv(_ text: String) -> UInt64 {
        var hasher = FNV1a64()
        hasher.combine(Array(text.utf8))
        return hasher.value
    }

    @Test("FNV-1a 64 gives the published test vectors")
    func fnvVectors() {
        // From the reference implementation's test suite (Landon Curt Noll, test_fnv.c).
        #expect(Self.fnv("") == 0xcbf2_9ce4_8422_2325)
        #expect(Self.fnv("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(Self.fnv("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test("hashing a string scalar by scalar hashes its UTF-8 bytes")
    func fnvScalars() {
        for text in ["platform", "café", "日本語", "🤖 bot", "\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}"] {
            var hasher = FNV1a64()
            for scalar in text.unicodeScalars { hasher.combine(scalar: scalar.value) }
            #expect(hasher.value == Self.fnv(text), "\(text)")
        }
    }

    @Test("the spell corrector's deletion hash is FNV-1a of the text left")
    func spellHash() {
        let word = Array("platform".unicodeScalars.map(\.value))
        #expect(SpellCorrector.hash(word, skipping: -1, and: -1) == Self.fnv("platform"))
        #expect(SpellCorrector.hash(word, skipping: 0, and: -1) == Self.fnv("latform"))
        #expect(SpellCorrector.hash(word, skipping: 2, and: 7) == Self.fnv("pltfor"))
    }

    /// XXH64 with seed 0, from the reference library (libxxhash 0.8.1) over
    /// `(i * 31 + 7) % 251` for i in 0..<n: every path of the algorithm (tail of 1 to 7
    /// bytes, 4-byte word, 8-byte words, 32-byte stripes).
    static let xxhVectors: [(Int, UInt64)] = [
        (1, 0xa96c_7f0c_e858_bbb7), (3, 0x56e6_9576_32a4_87f9), (4, 0xc60d_15b1_e3ff_8f04),
        (5, 0x8088_1585_8624_dd4e), (7, 0xafbe_fc3d_6c6f_9a8e), (8, 0x3da5_c7aa_2696_83e0),
        (9, 0x465e_c429_b13c_3892), (12, 0x9650_fde9_3a38_3e90), (31, 0x3391_303d_485e_846e),
        (32, 0x40b7_aff7_5d45_bbc8), (33, 0x4997_cae4_951c_17a5), (35, 0x6457_9322_362a_42a4),
        (63, 0x2944_b4da_fc69_b206), (64, 0xbb76_f6ef_19bd_5a1b), (65, 0x814e_0c65_4a9f_d640),
        (100, 0xf0b2_9a91_5621_716d), (1000, 0x9e33_00c1_cde3_c58d),
    ]

    @Test("XXH64 gives the reference library's values")
    func xxhVectorsMatch() {
        #expect(XXH64.hash([UInt8]()) == 0xef46_db37_51d8_e999)
        #expect(XXH64.hash(Array("a".utf8)) == 0xd24e_c4f1_a98c_6e5b)
        #expect(XXH64.hash(Array("abc".utf8)) == 0x44bc_2cf5_ad77_0999)
        #expect(XXH64.hash(Array("Nobody inspects the spammish repetition".utf8)) == 0xfbce_a83c_8a37_8bf1)
        #expect(XXH64.hash(Array("abc".utf8), seed: 1) == 0xbea9_ca81_9932_8908)
        let data = (0..<1000).map { UInt8(($0 * 31 + 7) % 251) }
        for (count, expected) in Self.xxhVectors {
            #expect(XXH64.hash(Array(data.prefix(count))) == expected, "\(count) bytes")
        }
        // Unaligned input reads the same.
        let shifted = [0] + data
        let value = shifted.withUnsafeBytes { XXH64.hash(UnsafeRawBufferPointer(rebasing: $0[1..<101])) }
        #expect(value == 0xf0b2_9a91_5621_716d)
    }
}
