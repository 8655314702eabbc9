import Foundation

/// The REPL's line-editing history on disk, in libedit's format (a `_HiStOrY_V2_` line,
/// then one line per entry with strvis(3) escapes), read and written without ever touching
/// what is not ours.
///
/// - `/dev/null`, an empty path and a symbolic link to `/dev/null` mean "no history".
/// - Only a regular file is read, opened with `O_NOFOLLOW`, and only its last MiB; a
///   symbolic link, a device, a FIFO or a folder is refused, never opened.
/// - A save writes a new file beside it (`O_EXCL`, mode 0600) and renames it over the old
///   one: nothing is chmod'ed but a file this process created.
/// - A save re-reads the file and adds this session's new lines to what is there now, so
///   two sessions running at once keep both their lines.
public struct HistoryFile: Sendable {
    /// Where the history goes.
    public enum Location: Equatable, Sendable {
        /// No history is read or written.
        case off
        /// The history file's path.
        case file(String)
    }

    /// Why the history could not be read or saved.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// Something other than a regular file stands at the path; it was not opened.
        case refused(path: String, kind: SafeFile.Kind)
        /// A regular file that is not a history file (it does not start with the header).
        case notHistory(path: String)
        /// A system call failed.
        case system(path: String, reason: String)

        /// The failure as one line for the user, naming the history file's path.
        public var description: String {
            switch self {
            case let .refused(path, kind):
                if case .symbolicLink = kind { return "history file \(path) is a symbolic link (not followed)" }
                return "history file \(path) is \(kind), not a regular file"
            case let .notHistory(path):
                return "\(path) is not a history file (it does not start with \(HistoryFile.header))"
            case let .system(path, reason): return "history file \(path): \(reason)"
            }
        }
    }

    /// The first line of a libedit history file.
    public static let header = "_HiStOrY_V2_"
    /// The most bytes read from the end of the file.
    public static let byteLimit = 1 << 20

    /// The file's path.
    public let path: String
    /// The most lines kept.
    public let limit: Int

    /// Makes a history file at `path` that keeps at most `limit` lines.
    public init(path: String, limit: Int = 1000) {
        self.path = path
        self.limit = limit
    }

    /// Where the history goes, from `--history`, the environment or the user's state folder.
    ///
    /// The path is `option` (from `--history`), else `$ADVISOR_HISTORY`, else
    /// `$XDG_STATE_HOME/advisor/history`, else `~/.local/state/advisor/history`. An empty
    /// value, `/dev/null`, or a symbolic link to `/dev/null` mean no history.
    public static func location(option: String?, environment: [String: String], home: String) -> Location {
        let path: String
        if let option {
            path = option
        } else if let value = environment["ADVISOR_HISTORY"] {
            path = value
        } else {
            path = UserDirectory.state.path(environment: environment, home: home) + "/history"
        }
        if path.isEmpty || path == "/dev/null" { return .off }
        if case .symbolicLink(let target) = SafeFile.kind(of: path), target == "/dev/null" { return .off }
        return .file(path)
    }

    /// The saved lines, oldest first: at most `limit`, from at most the last `byteLimit` bytes.
    ///
    /// A missing file holds none.
    public func load() throws(Failure) -> [String] {
        guard let data = try readBytes() else { return [] }
        var lines = Self.decodeFile(data)
        if lines.count > limit { lines.removeFirst(lines.count - limit) }
        return lines
    }

    /// Adds `lines` after what the file holds now, keeps the last `limit` lines, and writes the file anew.
    ///
    /// Empty lines are skipped and a line equal to the one before it is kept once. Creates the
    /// missing folders (mode 0700) and the file (mode 0600).
    public func append(_ lines: [String]) throws(Failure) {
        let folder = (path as NSString).deletingLastPathComponent
        do throws(SafeFile.Failure) {
            try SafeFile.createFolders(folder.isEmpty ? "." : folder)
        } catch {
            throw Self.failure(error)
        }
        let lock = Self.lock(folder.isEmpty ? "." : folder)
        defer { if lock >= 0 { close(lock) } }
        var saved = try load()
        for line in lines where !line.isEmpty && saved.last != line {
            saved.append(line)
        }
        if saved.count > limit { saved.removeFirst(saved.count - limit) }
        var text = Self.header + "\n"
        for line in saved { text += Self.encode(line) + "\n" }
        do throws(SafeFile.Failure) {
            try SafeFile.replace(path, with: Data(text.utf8))
        } catch {
            throw Self.failure(error)
        }
    }

    private static func failure(_ error: SafeFile.Failure) -> Failure {
        switch error {
        case let .refused(path, kind): return .refused(path: path, kind: kind)
        case let .system(path, reason): return .system(path: path, reason: reason)
        }
    }

    /// Serialises the read-modify-write of two sessions saving at once: an exclusive
    /// `flock` on the folder, waited for at most a second (then the save goes ahead).
    private static func lock(_ folder: String) -> Int32 {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return -1 }
        for _ in 0..<100 {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return descriptor }
            usleep(10_000)
        }
        return descriptor
    }

    /// The file's last `byteLimit` bytes (from the start when it is smaller), or nil when there is no file.
    ///
    /// Refuses anything but a regular file before opening it.
    private func readBytes() throws(Failure) -> Data? {
        let kind = SafeFile.kind(of: path)
        switch kind {
        case .missing: return nil
        case .regular: break
        default: throw .refused(path: path, kind: kind)
        }
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            if errno == ELOOP { throw .refused(path: path, kind: SafeFile.kind(of: path)) }
            throw .system(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw .system(path: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .refused(path: path, kind: .unknown) }
        let size = Int(info.st_size)
        guard size > 0 else { return Data() }
        let head = try Self.read(descriptor, at: 0, count: Self.header.utf8.count + 1, path: path)
        guard head.starts(with: Data((Self.header + "\n").utf8)) || head == Data(Self.header.utf8) else {
            throw .notHistory(path: path)
        }
        let start = max(0, size - Self.byteLimit)
        var data = try Self.read(descriptor, at: start, count: min(size, Self.byteLimit), path: path)
        if start > 0 {
            // Begun mid-file: drop the partial first line.
            if let newline = data.firstIndex(of: UInt8(ascii: "\n")) {
                data = Data(data[data.index(after: newline)...])
            } else {
                data = Data()
            }
        }
        return data
    }

    private static func read(_ descriptor: Int32, at offset: Int, count: Int, path: String) throws(Failure) -> Data {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress.map { $0 + filled }, count - filled, off_t(offset + filled))
            }
            if got < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .system(path: path, reason: String(cString: strerror(errno)))
            }
            if got == 0 { break }
            filled += got
        }
        return Data(buffer[0..<filled])
    }

    // MARK: Format

    /// The entries of a history file's bytes (the header line, if any, skipped).
    package static func decodeFile(_ data: Data) -> [String] {
        var lines: [String] = []
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            if line.elementsEqual(header.utf8) { continue }
            let decoded = decode(Array(line))
            if !decoded.isEmpty { lines.append(decoded) }
        }
        return lines
    }

    /// One entry as a file line: printable ASCII and printable non-ASCII characters as
    /// they are, every other byte (space, backslash, controls) as a `\ooo` octal escape,
    /// which libedit's strunvis(3) reads back.
    public static func encode(_ line: String) -> String {
        var result = ""
        for scalar in line.unicodeScalars {
            let value = scalar.value
            let plain: Bool
            if value < 0x80 {
                plain = value > 0x20 && value < 0x7F && value != 0x5C
            } else {
                plain = !TerminalSafe.isControl(scalar)
            }
            if plain {
                result.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 {
                    let octal = String(byte, radix: 8)
                    result += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
                }
            }
        }
        return result
    }

    /// A file line back to its entry: the strvis(3) escapes libedit writes (`\ooo`, `\^X`,
    /// `\M-X`, `\M^X`, `\\`, C-style letters); invalid UTF-8 becomes U+FFFD.
    public static func decode(_ bytes: [UInt8]) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        func control(_ byte: UInt8) -> UInt8 { byte == UInt8(ascii: "?") ? 0x7F : byte & 0x1F }
        func isOctal(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7") }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                result.append(byte)
                index += 1
                continue
            }
            let next = bytes[index + 1]
            index += 2
            switch next {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(next - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < bytes.count, isOctal(bytes[index]) {
                    value = value * 8 + Int(bytes[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                result.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "^"):
                guard index < bytes.count else { break }
                result.append(control(bytes[index]))
                index += 1
            case UInt8(ascii: "M"):
                guard index + 1 < bytes.count else {
                    result.append(next)
                    break
                }
                let kind = bytes[index]
                let character = bytes[index + 1]
                index += 2
                result.append((kind == UInt8(ascii: "^") ? control(character) : character) | 0x80)
            case UInt8(ascii: "n"): result.append(0x0A)
            case UInt8(ascii: "r"): result.append(0x0D)
            case UInt8(ascii: "t"): result.append(0x09)
            case UInt8(ascii: "b"): result.append(0x08)
            case UInt8(ascii: "a"): result.append(0x07)
            case UInt8(ascii: "v"): result.append(0x0B)
            case UInt8(ascii: "f"): result.append(0x0C)
            case UInt8(ascii: "s"): result.append(0x20)
            case UInt8(ascii: "E"): result.append(0x1B)
            case UInt8(ascii: "$"): break
            default: result.append(next)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
