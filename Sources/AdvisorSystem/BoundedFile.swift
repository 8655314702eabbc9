import Foundation

/// Reads files people may have replaced by anything: never blocks on a FIFO or a device,
/// never reads more than a limit, and says plainly what is wrong.
package enum BoundedFile {
    /// Why a file could not be read.
    package enum Failure: Error, CustomStringConvertible {
        case notFound
        case symbolicLink
        case notRegular
        case notOurs
        case tooLarge(Int, limit: Int)
        case unreadable(String)

        package var description: String {
            switch self {
            case .notFound: return "file not found"
            case .symbolicLink: return "is a symbolic link (not followed)"
            case .notRegular: return "not a regular file"
            case .notOurs: return "not owned by this user, or writable by others"
            case let .tooLarge(size, limit):
                return "file is \(size) bytes, larger than the \(limit >> 20) MiB limit"
            case .unreadable(let reason): return "cannot read file: \(reason)"
            }
        }
    }

    /// Opens `path` for reading when it is a regular file: the descriptor and what `fstat` says of it.
    ///
    /// The open never blocks (a FIFO never hangs), and with `followSymlinks` false it does not
    /// go through a link. The caller closes the descriptor.
    package static func openRegularFile(_ path: String, followSymlinks: Bool) throws(Failure) -> (Int32, stat) {
        var flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC
        if !followSymlinks { flags |= O_NOFOLLOW }
        let descriptor = open(path, flags)
        guard descriptor >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR: throw .notFound
            case ELOOP: throw followSymlinks ? .unreadable("too many symbolic links") : .symbolicLink
            default: throw .unreadable(String(cString: strerror(errno)))
            }
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw .unreadable(reason)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw .notRegular
        }
        return (descriptor, info)
    }

    /// The bytes of the regular file at `path`, at most `limit` of them.
    ///
    /// A larger file fails with `tooLarge`, unless `truncating`, when its first `limit` bytes
    /// are returned. With `ownedByUser`, a file another user owns, or that others may write,
    /// fails with `notOurs`.
    package static func read(
        _ path: String, limit: Int, followSymlinks: Bool = true, truncating: Bool = false, ownedByUser: Bool = false
    ) throws(Failure) -> Data {
        let (descriptor, info) = try openRegularFile(path, followSymlinks: followSymlinks)
        defer { close(descriptor) }
        if ownedByUser, info.st_uid != geteuid() || info.st_mode & (S_IWGRP | S_IWOTH) != 0 { throw .notOurs }
        let size = Int(info.st_size)
        if size > limit, !truncating { throw .tooLarge(size, limit: limit) }
        // Read straight into the result, sized from fstat (a byte more, to see the end without
        // growing it) and grown only if the file grew since: a 590 KB dictionary costs one
        // copy, not one per 64 KB chunk.
        var data = Data(count: min(size + 1, limit))
        var filled = 0
        while filled < limit {
            if filled == data.count { data.count = min(limit, max(data.count * 2, 4096)) }
            let start = filled
            let count = data.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress.map { $0 + start }, buffer.count - start)
            }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .unreadable(String(cString: strerror(errno)))
            }
            if count == 0 { break }
            filled += count
        }
        data.count = filled
        return data
    }
}

extension BoundedFile {
    /// How a line ended.
    package enum LineEnd {
        /// With a newline.
        case newline
        /// At the end of a file that does not end with a newline (a torn last line).
        case endOfFile
        /// Longer than the limit: skipped without being held; the line holds nothing and
        /// the number is its length in bytes.
        case tooLong(Int)
    }

    /// Calls `body` with each line of the file at `path`, its number from 1 and how it ended.
    ///
    /// Lines come without their newline. The file is read `chunkSize` bytes at a time: memory
    /// stays bounded by the longest line kept, `maximumLineLength`, whatever the file's size.
    /// `body` returns false to stop.
    package static func forEachLine(
        _ path: String, followSymlinks: Bool = true, maximumLineLength: Int, chunkSize: Int = 1 << 20,
        _ body: (UnsafeRawBufferPointer, Int, LineEnd) -> Bool
    ) throws(Failure) {
        let (descriptor, info) = try openRegularFile(path, followSymlinks: followSymlinks)
        defer { close(descriptor) }

        var chunk = [UInt8](repeating: 0, count: max(1, chunkSize))
        var pending: [UInt8] = []  // the start of a line that began in an earlier chunk
        var skipped: Int?  // the length so far of a line too long to keep
        var number = 0
        var proceed = true
        func emit(_ line: UnsafeRawBufferPointer, _ end: LineEnd) {
            number += 1
            proceed = body(line, number, end)
        }
        while proceed {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .unreadable(String(cString: strerror(errno)))
            }
            if count == 0 { break }
            chunk.withUnsafeBytes { whole in
                guard let base = whole.baseAddress else { return }
                var start = 0
                while proceed, start < count {
                    guard let found = memchr(base + start, 0x0A, count - start) else {
                        // The rest of the chunk starts a line that goes on in the next one.
                        let rest = UnsafeRawBufferPointer(rebasing: whole[start..<count])
                        if let length = skipped {
                            skipped = length + rest.count
                        } else if pending.count + rest.count > maximumLineLength {
                            skipped = pending.count + rest.count
                            pending = []
                        } else {
                            pending.append(contentsOf: rest)
                        }
                        return
                    }
                    let end = base.distance(to: UnsafeRawPointer(found))
                    let piece = UnsafeRawBufferPointer(rebasing: whole[start..<end])
                    if let length = skipped {
                        emit(UnsafeRawBufferPointer(start: nil, count: 0), .tooLong(length + piece.count))
                        skipped = nil
                    } else if pending.isEmpty {
                        if piece.count > maximumLineLength {
                            emit(UnsafeRawBufferPointer(start: nil, count: 0), .tooLong(piece.count))
                        } else {
                            emit(piece, .newline)
                        }
                    } else if pending.count + piece.count > maximumLineLength {
                        emit(UnsafeRawBufferPointer(start: nil, count: 0), .tooLong(pending.count + piece.count))
                        pending = []
                    } else {
                        pending.append(contentsOf: piece)
                        pending.withUnsafeBytes { emit($0, .newline) }
                        pending.removeAll(keepingCapacity: pending.count <= chunk.count)
                    }
                    start = end + 1
                }
            }
        }
        guard proceed else { return }
        if let length = skipped {
            emit(UnsafeRawBufferPointer(start: nil, count: 0), .tooLong(length))
        } else if !pending.isEmpty {
            pending.withUnsafeBytes { emit($0, .endOfFile) }
        }
    }
}
