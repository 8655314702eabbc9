import Foundation

/// Read-only bytes that arrays and strings are used from in place, without decoding them:
/// a memory-mapped file, or a buffer filled in memory.
///
/// A compiled knowledge base keeps its large tables (terms, rules, postings, topics) this way,
/// so that a start maps the cache file and touches only the pages a question reads.
package final class ImageStorage: @unchecked Sendable {
    /// The first byte (8-byte aligned; nil when empty).
    package let base: UnsafeRawPointer?
    /// How many bytes there are.
    package let count: Int
    private let mapped: Bool

    /// A copy of `bytes` in memory.
    package init(copying bytes: [UInt8]) {
        count = bytes.count
        mapped = false
        guard !bytes.isEmpty else {
            base = nil
            return
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        base = UnsafeRawPointer(buffer.baseAddress)
    }

    /// The first `count` bytes of the open file `descriptor`, mapped read-only and private.
    ///
    /// Nil when the file cannot be mapped. The mapping outlives the descriptor.
    package init?(mapping descriptor: Int32, count: Int) {
        guard count > 0 else { return nil }
        let address = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address, address != MAP_FAILED else { return nil }
        base = UnsafeRawPointer(address)
        self.count = count
        mapped = true
    }

    deinit {
        guard let base else { return }
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// The bytes as a buffer.
    package var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}

/// The arrays of an image that starts `origin` bytes into its storage (a multiple of 8).
@frozen
package struct ImageView: @unchecked Sendable {
    /// The bytes, kept alive by whoever holds the view or an array of it.
    package let storage: ImageStorage
    /// Where the image starts in `storage`.
    package let origin: Int
    /// How many bytes it has.
    package let count: Int

    /// The image of `count` bytes (all that follow, when nil) at `origin` in `storage`.
    package init(_ storage: ImageStorage, origin: Int = 0, count: Int? = nil) {
        self.storage = storage
        self.origin = min(max(0, origin), storage.count)
        self.count = min(max(0, count ?? storage.count - self.origin), storage.count - self.origin)
    }

    /// The image's bytes.
    package var bytes: UnsafeRawBufferPointer {
        guard let base = storage.base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + origin, count: count)
    }

    /// The array `slot` describes, or nil when it does not lie inside the storage, aligned.
    @inlinable
    package func array<Element: BitwiseCopyable>(_ slot: ImageSlot, of _: Element.Type = Element.self)
        -> ImageArray<Element>?
    {
        let stride = MemoryLayout<Element>.stride
        let (offset, overflow) = slot.offset.addingReportingOverflow(origin)
        let end = origin + count
        guard !overflow, slot.offset >= 0, slot.count >= 0, origin % 8 == 0,
            offset % MemoryLayout<Element>.alignment == 0, offset <= end, slot.count <= (end - offset) / stride
        else { return nil }
        guard slot.count > 0, let base = storage.base else { return ImageArray(start: nil, count: 0) }
        return ImageArray(start: (base + offset).assumingMemoryBound(to: Element.self), count: slot.count)
    }
}

/// Where an array lies in an image: its first byte and its number of elements.
package struct ImageSlot: Equatable, Sendable {
    package var offset: Int
    package var count: Int

    package init(offset: Int, count: Int) {
        self.offset = offset
        self.count = count
    }

    /// Writes the slot as two varints.
    package func write(to writer: inout BinaryWriter) {
        writer.write(offset)
        writer.write(count)
    }

    /// Reads a slot `write(to:)` wrote.
    package init(from reader: inout BinaryReader) throws(BinaryReader.Damaged) {
        offset = try reader.int()
        count = try reader.int()
    }
}

/// An array of plain values used in place in an ``ImageStorage``, which its owner keeps
/// alive: a buffer pointer, whose every use the compiler specialises.
///
/// Indices are not checked when read: whoever reads an image checks first that every index
/// it holds lies inside the arrays it indexes.
package typealias ImageArray<Element> = UnsafeBufferPointer<Element>

/// Lays out arrays for an ``ImageStorage``: each is aligned to 8 bytes, and written as its
/// elements' bytes (little-endian machines only, like the cache that holds them).
package struct ImageWriter {
    package private(set) var bytes: [UInt8] = []

    package init() {}

    /// A writer that goes on after `image`'s bytes (whose slots stay valid).
    package init(after image: UnsafeRawBufferPointer) { bytes = Array(image) }

    /// Appends `values` and returns where they lie.
    package mutating func append<Element: BitwiseCopyable>(_ values: [Element]) -> ImageSlot {
        while bytes.count % 8 != 0 { bytes.append(0) }
        let slot = ImageSlot(offset: bytes.count, count: values.count)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        return slot
    }

    /// Appends `lists` end to end, after where each starts; returns the two slots, starts first.
    ///
    /// The starts are `lists.count + 1` bounds from 0: list i is `values[starts[i]..<starts[i + 1]]`.
    package mutating func append<Element: BitwiseCopyable>(lists: [[Element]]) -> [ImageSlot] {
        var starts: [UInt32] = [0]
        var values: [Element] = []
        for list in lists {
            values += list
            starts.append(UInt32(truncatingIfNeeded: values.count))
        }
        return [append(starts), append(values)]
    }
}

/// Whether `starts` holds `count + 1` bounds from 0 to `total`, never decreasing: the bounds
/// of `count` lists laid end to end in `total` elements (as `ImageWriter.append(lists:)` writes them).
package func areListBounds(_ starts: ImageArray<UInt32>, count: Int, over total: Int) -> Bool {
    guard count >= 0, starts.count == count + 1, starts[0] == 0, Int(starts[count]) == total else { return false }
    var ordered = true
    for index in 0..<count { ordered = ordered && starts[index] <= starts[index + 1] }
    return ordered
}

/// A table of strings used in place: their UTF-8 bytes end to end, where each starts, and
/// (when built with one) an open-addressing hash table that finds a string's number.
package struct ImageStrings: @unchecked Sendable {
    /// The bytes the table lies in, kept alive with it.
    private var owner: ImageStorage?
    private var starts = ImageArray<UInt32>(start: nil, count: 0)
    private var utf8 = ImageArray<UInt8>(start: nil, count: 0)
    private var slots = ImageArray<Int32>(start: nil, count: 0)

    /// The number of strings.
    package var count: Int { max(0, starts.count - 1) }

    /// An empty table.
    package init() {}

    /// Writes `strings` (and a hash table over them when `hashed`); returns the slots to
    /// store: the starts, the bytes and the hash table.
    package static func write(_ strings: [String], hashed: Bool, to writer: inout ImageWriter) -> [ImageSlot] {
        var table: [Int32] = []
        if hashed {
            var size = 8
            while size < strings.count * 2 { size <<= 1 }
            table = [Int32](repeating: -1, count: size)
            for (index, string) in strings.enumerated() {
                var slot = Int(hash(Array(string.utf8)) & UInt64(size - 1))
                while table[slot] >= 0 { slot = (slot + 1) & (size - 1) }
                table[slot] = Int32(index)
            }
        }
        return writer.append(lists: strings.map { Array($0.utf8) }) + [writer.append(table)]
    }

    /// The table `write` laid out at `slots` in `storage`, or nil when it is not whole: every
    /// start in order and inside the bytes, every hash entry a string's number.
    ///
    /// `trusted` (for bytes verified before, see `KnowledgeBaseCache`) skips the checks that
    /// read every entry (ordered starts, hash slots in range); the sizes are checked always.
    package init?(_ image: ImageView, _ slots: [ImageSlot], trusted: Bool = false) {
        guard slots.count == 3, let starts = image.array(slots[0], of: UInt32.self),
            let utf8 = image.array(slots[1], of: UInt8.self), let table = image.array(slots[2], of: Int32.self),
            trusted ? !starts.isEmpty : areListBounds(starts, count: starts.count - 1, over: utf8.count),
            table.isEmpty || (table.count.nonzeroBitCount == 1 && table.count >= starts.count - 1)
        else { return nil }
        let stringCount = Int32(starts.count - 1)
        if !trusted {
            for entry in table where entry >= stringCount || entry < -1 { return nil }
        }
        owner = image.storage
        self.starts = starts
        self.utf8 = utf8
        self.slots = table
    }

    /// String number `index` (inside the table).
    package subscript(index: Int) -> String {
        let range = Int(starts[index])..<Int(starts[index + 1])
        return String(decoding: UnsafeBufferPointer(rebasing: utf8[range]), as: UTF8.self)
    }

    /// The number of `string`, through the hash table; nil when absent or there is no table.
    package func index(of string: String) -> Int32? {
        guard !slots.isEmpty else { return nil }
        var string = string
        return string.withUTF8 { needle in
            let mask = slots.count - 1
            var slot = Int(Self.hash(needle) & UInt64(mask))
            // The table is at most half full when written; a damaged one ends after a lap.
            for _ in 0..<slots.count {
                let entry = slots[slot]
                if entry < 0 { return nil }
                if equals(Int(entry), needle) { return entry }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    private func equals(_ index: Int, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(starts[index])
        guard Int(starts[index + 1]) - start == needle.count else { return false }
        for offset in 0..<needle.count where utf8[start + offset] != needle[offset] { return false }
        return true
    }

    @inline(__always)
    private static func hash<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hasher = FNV1a64()
        for byte in bytes { hasher.combine(byte: byte) }
        return hasher.value
    }
}
