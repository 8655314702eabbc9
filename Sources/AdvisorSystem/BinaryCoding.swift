import Foundation

/// Writes the compiled knowledge base cache: little-endian varints, doubles and
/// length-prefixed UTF-8 strings.
package struct BinaryWriter {
    package private(set) var bytes: [UInt8] = []

    package init() {}

    package mutating func write(_ value: Int) {
        var remaining = UInt64(bitPattern: Int64(value))
        while remaining >= 0x80 {
            bytes.append(UInt8(remaining & 0x7F) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    package mutating func write(_ value: Int32) { write(Int(value)) }

    /// Bytes as they are, with no length.
    package mutating func append(raw: some Sequence<UInt8>) { bytes.append(contentsOf: raw) }

    package mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    package mutating func write(_ value: Double) {
        var bits = value.bitPattern
        for _ in 0..<8 {
            bytes.append(UInt8(bits & 0xFF))
            bits >>= 8
        }
    }

    package mutating func write(_ value: String) {
        let utf8 = value.utf8
        write(utf8.count)
        bytes.append(contentsOf: utf8)
    }

    package mutating func write(_ value: String?) {
        write(value != nil)
        if let value { write(value) }
    }

    package mutating func write<T>(_ values: [T], _ element: (inout BinaryWriter, T) -> Void) {
        write(values.count)
        for value in values { element(&self, value) }
    }
}

/// Reads what `BinaryWriter` wrote, checking every bound: a damaged cache is an error,
/// never a crash.
package struct BinaryReader {
    package struct Damaged: Error {
        package init() {}
    }

    private let bytes: [UInt8]
    private var offset: Int
    /// Where the input ends: reading never goes past it.
    private let end: Int

    package init(_ bytes: [UInt8]) { self.init(bytes, from: 0, to: bytes.count) }

    /// Reads `bytes[start..<end]`.
    package init(_ bytes: [UInt8], from start: Int, to end: Int) {
        self.bytes = bytes
        self.end = max(0, min(end, bytes.count))
        offset = min(max(0, start), self.end)
    }

    package var isAtEnd: Bool { offset == end }

    /// How far reading has gone, from the start of `bytes`.
    package var position: Int { offset }

    package mutating func int() throws(Damaged) -> Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end, shift < 64 else { throw Damaged() }
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return Int(Int64(bitPattern: result))
    }

    package mutating func int32() throws(Damaged) -> Int32 {
        let value = try int()
        guard let narrow = Int32(exactly: value) else { throw Damaged() }
        return narrow
    }

    /// A count of elements that must fit in what is left of the input.
    package mutating func count() throws(Damaged) -> Int {
        let value = try int()
        guard value >= 0, value <= end - offset else { throw Damaged() }
        return value
    }

    package mutating func bool() throws(Damaged) -> Bool {
        guard offset < end else { throw Damaged() }
        offset += 1
        return bytes[offset - 1] != 0
    }

    package mutating func double() throws(Damaged) -> Double {
        guard offset + 8 <= end else { throw Damaged() }
        var bits: UInt64 = 0
        for index in (0..<8).reversed() { bits = bits << 8 | UInt64(bytes[offset + index]) }
        offset += 8
        return Double(bitPattern: bits)
    }

    package mutating func string() throws(Damaged) -> String {
        let length = try count()
        // From a contiguous buffer, not an `ArraySlice`: the slice takes the standard
        // library's generic, unspecialised path, several times slower at every start.
        let start = offset
        let text = bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[start..<(start + length)]), as: UTF8.self)
        }
        offset += length
        return text
    }

    /// A count, then that many strings.
    package mutating func strings() throws(Damaged) -> [String] {
        let count = try count()
        var values: [String] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try string()) }
        return values
    }

    /// A count, then that many 32-bit integers.
    package mutating func int32s() throws(Damaged) -> [Int32] {
        let count = try count()
        var values: [Int32] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try int32()) }
        return values
    }

    package mutating func optionalString() throws(Damaged) -> String? {
        try bool() ? try string() : nil
    }
}
