import AdvisorTestSupport
import Foundation

/// The compiled knowledge base cache as a file on disk.
///
/// Written anew here from README's description rather than borrowed from AdvisorKit: a test
/// that crafts a cache checks the format, not the code. The file ends with the XXH64 (seed 0) of every byte before it, as
/// 8 little-endian bytes.
enum CacheFile {
    /// The cache files in `directory`.
    static func files(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".bin") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// `bytes` with their last 8 bytes replaced by the checksum of the rest: a cache a
    /// malicious writer would make.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        let body = Array(bytes.dropLast(8))
        let checksum = xxh64(body)
        return body + (0..<8).map { UInt8(truncatingIfNeeded: checksum >> (8 * UInt64($0))) }
    }

    /// XXH64 with seed 0 (https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md).
    static func xxh64(_ input: [UInt8]) -> UInt64 {
        let p1: UInt64 = 0x9E37_79B1_85EB_CA87
        let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        let p3: UInt64 = 0x1656_67B1_9E37_79F9
        let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
        let p5: UInt64 = 0x27D4_EB2F_1656_67C5
        func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
        func lane(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(input[at + $1]) << (8 * UInt64($1)) } }
        func round(_ acc: UInt64, _ value: UInt64) -> UInt64 { rotl(acc &+ value &* p2, 31) &* p1 }
        var index = 0
        var hash: UInt64
        if input.count >= 32 {
            var acc: [UInt64] = [p1 &+ p2, p2, 0, 0 &- p1]
            while index + 32 <= input.count {
                for k in 0..<4 { acc[k] = round(acc[k], lane(index + 8 * k)) }
                index += 32
            }
            hash = rotl(acc[0], 1) &+ rotl(acc[1], 7) &+ rotl(acc[2], 12) &+ rotl(acc[3], 18)
            for value in acc { hash = (hash ^ round(0, value)) &* p1 &+ p4 }
        } else {
            hash = p5
        }
        hash = hash &+ UInt64(input.count)
        while index + 8 <= input.count {
            hash = rotl(hash ^ round(0, lane(index)), 27) &* p1 &+ p4
            index += 8
        }
        if index + 4 <= input.count {
            let word = (0..<4).reduce(UInt64(0)) { $0 | UInt64(input[index + $1]) << (8 * UInt64($1)) }
            hash = rotl(hash ^ word &* p1, 23) &* p2 &+ p3
            index += 4
        }
        while index < input.count {
            hash = rotl(hash ^ UInt64(input[index]) &* p5, 11) &* p1
            index += 1
        }
        hash = (hash ^ (hash >> 33)) &* p2
        hash = (hash ^ (hash >> 29)) &* p3
        return hash ^ (hash >> 32)
    }
}
