import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorSystem

@Suite("BoundedFile.read")
struct BoundedFileTests {
    @Test("reads whole files of any size up to the limit, byte for byte")
    func wholeFiles() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        var generator = SplitMix64(seed: 4)
        for size in [0, 1, 4095, 4096, 4097, 65_536, 65_537, 600_000] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let path = folder.file("f\(size)")
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            #expect(try BoundedFile.read(path, limit: 1 << 20) == Data(bytes), "\(size) bytes")
            // Exactly at the limit is allowed; a byte over is refused, or cut when truncating.
            #expect(try BoundedFile.read(path, limit: size) == Data(bytes))
            if size > 0 {
                #expect(throws: BoundedFile.Failure.self) { try BoundedFile.read(path, limit: size - 1) }
                #expect(try BoundedFile.read(path, limit: size - 1, truncating: true) == Data(bytes.prefix(size - 1)))
            }
        }
    }

    @Test("a FIFO, a folder or a link (when not followed) is refused at once, never waited on")
    func notRegular() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        #expect(mkfifo(folder.file("fifo"), 0o600) == 0)
        #expect(throws: BoundedFile.Failure.self) { try BoundedFile.read(folder.file("fifo"), limit: 10) }
        #expect(throws: BoundedFile.Failure.self) { try BoundedFile.read(folder.path, limit: 10) }
        #expect(FileManager.default.createFile(atPath: folder.file("real"), contents: Data("x".utf8)))
        try FileManager.default.createSymbolicLink(
            atPath: folder.file("link"), withDestinationPath: folder.file("real"))
        #expect(try BoundedFile.read(folder.file("link"), limit: 10) == Data("x".utf8))
        #expect(throws: BoundedFile.Failure.self) {
            try BoundedFile.read(folder.file("link"), limit: 10, followSymlinks: false)
        }
    }
}
