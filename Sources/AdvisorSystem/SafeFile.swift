import Foundation

/// Writes files people may have pointed anywhere, refusing whatever is not a regular file.
///
/// A device, a FIFO, a symbolic link or a folder at the path is refused, never replaced,
/// followed or chmod'ed. A new file is written beside the old one (created exclusively,
/// user-only permissions) and renamed over it, so readers see the old file or the new one,
/// never half of either.
public enum SafeFile {
    /// What stands at a path, as `lstat(2)` sees it (a symbolic link is not followed).
    public enum Kind: Equatable, Sendable, CustomStringConvertible {
        case missing
        case regular
        case directory
        case symbolicLink(target: String)
        case fifo
        case characterDevice
        case blockDevice
        case socket
        case unknown

        /// What stands at the path, as error messages name it ("a FIFO", "a directory").
        public var description: String {
            switch self {
            case .missing: return "missing"
            case .regular: return "a regular file"
            case .directory: return "a directory"
            case .symbolicLink: return "a symbolic link"
            case .fifo: return "a FIFO"
            case .characterDevice: return "a character device"
            case .blockDevice: return "a block device"
            case .socket: return "a socket"
            case .unknown: return "not a regular file"
            }
        }
    }

    /// Why a file was not written.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// Something other than a regular file stands at the path; it was left alone.
        case refused(path: String, kind: Kind)
        /// A system call failed.
        case system(path: String, reason: String)

        /// The failure as one line for the user, naming the path.
        public var description: String {
            switch self {
            case let .refused(path, kind):
                if case .symbolicLink = kind { return "\(path) is a symbolic link; not followed, not replaced" }
                return "\(path) is \(kind), not a regular file; not replaced"
            case let .system(path, reason): return "cannot write \(path): \(reason)"
            }
        }
    }

    /// What stands at `path`, without following a symbolic link.
    public static func kind(of path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK:
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? ""
            return .symbolicLink(target: target)
        case S_IFIFO: return .fifo
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        case S_IFSOCK: return .socket
        default: return .unknown
        }
    }

    /// Refuses anything but a missing path or a regular file.
    public static func checkReplaceable(_ path: String) throws(Failure) {
        let kind = kind(of: path)
        guard kind == .missing || kind == .regular else { throw .refused(path: path, kind: kind) }
    }

    /// Replaces the file at `path` with `data`, mode `mode` (0600 by default).
    ///
    /// The data goes to a temporary file in the same folder, created with `O_EXCL` (so
    /// never through a link) and flushed, then renamed over `path`; only a missing path or
    /// a regular file is replaced. On any failure the temporary file is removed and the
    /// path is left as it was.
    public static func replace(_ path: String, with data: Data, mode: mode_t = 0o600) throws(Failure) {
        try replace(path, mode: mode) { write in write(data) }
    }

    /// Replaces the file at `path` with what `produce` writes, piece by piece, as
    /// `replace(_:with:mode:)` does: a document of any size is written in bounded memory.
    ///
    /// `write` returns false once a write has failed; `produce` returns false to give up
    /// (it could not read what it was writing). Either way the temporary file is removed
    /// and `path` is left as it was; giving up returns false, a failed write throws.
    @discardableResult
    public static func replace(_ path: String, mode: mode_t = 0o600, writing produce: (_ write: (Data) -> Bool) -> Bool)
        throws(Failure) -> Bool
    {
        try checkReplaceable(path)
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let temporary = (folder as NSString).appendingPathComponent(".\(name).\(getpid()).\(suffix).tmp")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .system(path: path, reason: String(cString: strerror(errno))) }
        var failure: Failure?
        // umask may have taken bits away; the file is ours, so set exactly what was asked.
        if fchmod(descriptor, mode) != 0 { failure = .system(path: path, reason: String(cString: strerror(errno))) }
        var complete = true
        if failure == nil {
            complete = produce { data in
                if failure == nil { failure = writeAll(descriptor, data, path: path) }
                return failure == nil
            }
        }
        if failure == nil, complete, fsync(descriptor) != 0 {
            failure = .system(path: path, reason: String(cString: strerror(errno)))
        }
        if close(descriptor) != 0, failure == nil {
            failure = .system(path: path, reason: String(cString: strerror(errno)))
        }
        if failure == nil, complete {
            // Checked again just before the rename: something may have appeared meanwhile.
            do throws(Failure) {
                try checkReplaceable(path)
                if rename(temporary, path) != 0 {
                    failure = .system(path: path, reason: String(cString: strerror(errno)))
                }
            } catch {
                failure = error
            }
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
        if !complete { unlink(temporary) }
        return complete
    }

    private static func writeAll(_ descriptor: Int32, _ data: Data, path: String) -> Failure? {
        data.withUnsafeBytes { buffer -> Failure? in
            guard let base = buffer.baseAddress else { return nil }
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return .system(path: path, reason: String(cString: strerror(errno)))
                }
                offset += written
            }
            return nil
        }
    }

    /// Creates the missing folders of `path` with mode 0700; folders that exist are left
    /// exactly as they are.
    public static func createFolders(_ path: String) throws(Failure) {
        guard !path.isEmpty else { return }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw .system(path: path, reason: "not a directory")
            }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if parent != path { try createFolders(parent) }
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            throw .system(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
