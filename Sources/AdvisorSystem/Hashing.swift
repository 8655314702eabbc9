import Foundation

/// The FNV-1a hash, 64 bits (Fowler, Noll and Vo), for short keys built up piece by piece.
///
/// It takes one byte at a time, `hash ^= byte` then `hash *= 0x100000001b3`, from the offset
/// basis `0xcbf29ce484222325`. Fast on short keys (the spell corrector's deletions, file
/// names); not for security.
package struct FNV1a64 {
    package static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    package static let prime: UInt64 = 0x0000_0100_0000_01b3

    package private(set) var value: UInt64 = offsetBasis

    package init() {}

    @inline(__always)
    package mutating func combine(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* Self.prime
    }

    package mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        var value = self.value
        for byte in bytes { value = (value ^ UInt64(byte)) &* Self.prime }
        self.value = value
    }

    package mutating func combine(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { combine(byte: byte) }
    }

    /// The UTF-8 encoding of a Unicode scalar value (so hashing a string scalar by scalar
    /// gives the hash of its UTF-8 bytes).
    @inline(__always)
    package mutating func combine(scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            combine(byte: UInt8(scalar))
        case 0x80..<0x800:
            combine(byte: UInt8(0xC0 | scalar >> 6))
            combine(byte: UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x1_0000:
            combine(byte: UInt8(0xE0 | scalar >> 12))
            combine(byte: UInt8(0x80 | scalar >> 6 & 0x3F))
            combine(byte: UInt8(0x80 | scalar & 0x3F))
        default:
            combine(byte: UInt8(0xF0 | scalar >> 18 & 0x07))
            combine(byte: UInt8(0x80 | scalar >> 12 & 0x3F))
            combine(byte: UInt8(0x80 | scalar >> 6 & 0x3F))
            combine(byte: UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// A string's UTF-8 bytes followed by a NUL, so that ("ab", "c") and ("a", "bc")
    /// hash differently.
    package mutating func combine(field text: String) {
        combine(text.utf8)
        combine(byte: 0)
    }

    /// A number as eight little-endian bytes.
    package mutating func combine(_ number: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) {
            combine(byte: UInt8(truncatingIfNeeded: number >> UInt64(shift)))
        }
    }

    package var hexDigest: String { Hex.digits(value) }
}

/// The XXH64 hash (Yann Collet's xxHash, 64 bits, seed 0 unless given), for bulk file contents.
///
/// It hashes several bytes a cycle, for the knowledge base fingerprint and the checksum of the
/// compiled cache. It detects damage, not tampering: it is not a cryptographic hash.
package enum XXH64 {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    @inline(__always)
    private static func rotl(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }

    @inline(__always)
    private static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        rotl(accumulator &+ input &* prime2, 31) &* prime1
    }

    @inline(__always)
    private static func merge(_ accumulator: UInt64, _ lane: UInt64) -> UInt64 {
        (accumulator ^ round(0, lane)) &* prime1 &+ prime4
    }

    /// The hash of `bytes`.
    package static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let count = bytes.count
        var offset = 0
        @inline(__always) func word64(_ at: Int) -> UInt64 {
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
        }
        var hash: UInt64
        if count >= 32 {
            var v1 = seed &+ prime1 &+ prime2
            var v2 = seed &+ prime2
            var v3 = seed
            var v4 = seed &- prime1
            while offset + 32 <= count {
                v1 = round(v1, word64(offset))
                v2 = round(v2, word64(offset + 8))
                v3 = round(v3, word64(offset + 16))
                v4 = round(v4, word64(offset + 24))
                offset += 32
            }
            hash = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            hash = merge(hash, v1)
            hash = merge(hash, v2)
            hash = merge(hash, v3)
            hash = merge(hash, v4)
        } else {
            hash = seed &+ prime5
        }
        hash = hash &+ UInt64(count)
        while offset + 8 <= count {
            hash = rotl(hash ^ round(0, word64(offset)), 27) &* prime1 &+ prime4
            offset += 8
        }
        if offset + 4 <= count {
            let word = UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            hash = rotl(hash ^ (word &* prime1), 23) &* prime2 &+ prime3
            offset += 4
        }
        while offset < count {
            hash = rotl(hash ^ (UInt64(bytes[offset]) &* prime5), 11) &* prime1
            offset += 1
        }
        hash ^= hash >> 33
        hash = hash &* prime2
        hash ^= hash >> 29
        hash = hash &* prime3
        hash ^= hash >> 32
        return hash
    }

    package static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    package static func hash(_ data: Data, seed: UInt64 = 0) -> UInt64 {
        data.withUnsafeBytes { hash($0, seed: seed) }
    }
}

/// Lower-case hexadecimal, zero-padded.
package enum Hex {
    package static func digits(_ value: UInt64) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
