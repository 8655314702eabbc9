import Foundation

/// Reads files people may have replaced by anything: never blocks on a FIFO or a device,
/// never reads more than a limit, and says plainly what is wrong.
enum BoundedFile {
    /// Why a file could not be read.
    enum Failure: Error, CustomStringConvertible {
        case notFound
        case symbolicLink
        case notRegular
        case notOurs
        case tooLarge(Int, limit: Int)
        case unreadable(String)

        var description: String {
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

    /// The file's bytes. A larger file fails with `tooLarge`, unless `truncating`, when
    /// its first `limit` bytes are returned. With `ownedByUser`, a file another user owns,
    /// or that others may write, fails with `notOurs`.
    static func read(
        _ path: String, limit: Int, followSymlinks: Bool = true, truncating: Bool = false, ownedByUser: Bool = false
    ) throws(Failure) -> Data {
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
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notRegular }
        if ownedByUser, info.st_uid != geteuid() || info.st_mode & (S_IWGRP | S_IWOTH) != 0 { throw .notOurs }
        let size = Int(info.st_size)
        if size > limit, !truncating { throw .tooLarge(size, limit: limit) }
        var data = Data(capacity: min(size, limit))
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while data.count < limit {
            let wanted = min(buffer.count, limit - data.count)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, wanted) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .unreadable(String(cString: strerror(errno)))
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return data
    }
}
