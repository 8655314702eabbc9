import AdvisorKnowledge
import AdvisorSystem
import Foundation

/// A cache file's device, inode, size and modification and change times, as `fstat` gave them
/// on the descriptor its bytes were mapped from.
///
/// Every write to a file sets its change time to the present, and no process can set a change
/// time back (only changing the system clock could); a rename over the file gives it another
/// inode. So a file whose stamp is the one it had when its bytes were verified holds those
/// same bytes, as long as the times were already some ticks old then (the clock that sets them
/// ticks coarsely: see `isSettled(now:)`).
package struct CacheFileStamp: Equatable, Sendable {
    package let fields: [Int]

    package init(_ info: stat) {
        // Device and inode numbers are unsigned and may use the top bit (CIFS, NFS).
        fields = [
            Int(truncatingIfNeeded: info.st_dev), Int(truncatingIfNeeded: info.st_ino), Int(info.st_size),
            info.st_mtim.tv_sec, info.st_mtim.tv_nsec, info.st_ctim.tv_sec, info.st_ctim.tv_nsec,
        ]
    }

    package init?(text: Substring) {
        let numbers = text.split(separator: " ").compactMap { Int($0) }
        guard numbers.count == 7 else { return nil }
        fields = numbers
    }

    package var text: String { fields.map(String.init).joined(separator: " ") }

    /// Whether both times are more than `KnowledgeBaseFiles.stampSettleTime` seconds before
    /// `now`: a write within the same tick of the file system's clock would not show in them.
    package func isSettled(now: time_t) -> Bool {
        let settled = now - KnowledgeBaseFiles.stampSettleTime
        return fields[3] < settled && fields[5] < settled
    }
}

/// The record of the last cache file whose bytes were verified whole (checksum and every
/// table entry), and the stamp it had then: `kb-<path hash>-verified` beside the caches.
///
/// A start that finds its cache file with that same stamp uses it without hashing 25 MB at
/// 100,000 rules or reading each rule to check its ids, so that it reads only the pages a
/// question touches. Any other start verifies the whole file, as before, and records it when
/// its times have settled. The record is advice to skip work, never a reason to use a file:
/// a missing, damaged or foreign record (another user's, writable by others, a link, a FIFO)
/// only means the file is verified again.
package struct CacheVerification {
    static let header = "advisor-verified 1"
    /// The largest record read.
    static let maximumSize = 4096

    /// The path of the record.
    let path: String

    /// The cache file named `name` was verified with `stamp`, by this record.
    func vouches(for name: String, stamp: CacheFileStamp) -> Bool {
        guard let data = try? BoundedFile.read(path, limit: Self.maximumSize, followSymlinks: false, ownedByUser: true)
        else { return false }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 4, lines[0] == Self.header, lines[1] == name, lines[3].isEmpty,
            let recorded = CacheFileStamp(text: lines[2])
        else { return false }
        return recorded == stamp
    }

    /// Records that the cache file `name` was verified with `stamp`, when its times have
    /// settled; written to a new file (0600, created exclusively) renamed into place.
    func record(_ name: String, stamp: CacheFileStamp, now: time_t) {
        guard stamp.isSettled(now: now), !name.contains("\n") else { return }
        var info = stat()
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG { return }
        let bytes = Array("\(Self.header)\n\(name)\n\(stamp.text)\n".utf8)
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        if close(descriptor) != 0 || written != bytes.count || rename(temporary, path) != 0 {
            unlink(temporary)
        }
    }
}
