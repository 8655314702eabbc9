import AdvisorKnowledge
import AdvisorSystem
import Foundation

/// A saved transcript, read back as far as it goes.
public struct Transcript: Sendable {
    /// One line of the conversation after the session header.
    public enum Entry: Sendable {
        case turn(TurnEvent)
        case command(CommandEvent)
    }

    /// The transcript's id: its file name without `.jsonl`.
    public var id: String
    /// The file the transcript was read from.
    public var path: String
    /// The file's first session event; nil when it has none (a warning then says so).
    public var session: SessionEvent?
    /// The turns and commands, in file order; empty when read by `TranscriptStore.stream`.
    public var entries: [Entry] = []
    /// The end event written on a clean exit; nil when the session was cut off or is still running.
    public var end: EndEvent?
    /// Problems met while reading, as `FILE:LINE: message`.
    public var warnings: [String] = []

    /// The questions and answers, in order.
    public var turns: [TurnEvent] {
        entries.compactMap { if case let .turn(turn) = $0 { return turn } else { return nil } }
    }
}

/// A transcript's summary for `transcripts list`.
public struct TranscriptSummary: Sendable {
    /// The transcript's id: its file name without `.jsonl`.
    public var id: String
    /// When the session started (`2026-11-25T12:20:05.123Z`); nil without a session event.
    public var started: String?
    /// `interactive` or `script`, from the session event; nil without one.
    public var mode: String?
    /// The asker's role when the session started; nil when none was set or there is no session event.
    public var role: Role?
    /// How many turns the file records.
    public var turns: Int
    /// The question of the first turn; nil when there are no turns.
    public var firstQuestion: String?
    /// Whether the session ended cleanly (it has an end event).
    public var ended: Bool
}

/// The transcripts directory: finding, resolving and reading transcripts.
public struct TranscriptStore: Sendable {
    /// The environment variable naming the transcripts directory.
    public static let environmentVariable = "ADVISOR_TRANSCRIPTS"
    /// Transcript files end with this.
    public static let fileExtension = ".jsonl"
    /// The folder holding the transcript files (`ID.jsonl`).
    public let directory: String

    /// A store over the transcripts in `directory`, which is neither created nor checked here
    /// (`prepareDirectory` does that).
    public init(directory: String) {
        self.directory = directory
    }

    /// The default directory for a user: `$XDG_DATA_HOME/advisor/transcripts`
    /// (`~/.local/share/advisor/transcripts`).
    public static func userDirectory(environment: [String: String]) -> String {
        UserDirectory.data.path(environment: environment) + "/transcripts"
    }

    /// Creates `directory` (user-only) if it is missing and checks it is a writable directory.
    public static func prepareDirectory(_ directory: String) throws(TranscriptError) {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw .cannotWrite(directory, "cannot create the directory")
            }
        } else if !isDirectory.boolValue {
            throw .cannotWrite(directory, "not a directory")
        }
        if access(directory, W_OK | X_OK) != 0 {
            throw .cannotWrite(directory, String(cString: strerror(errno)))
        }
    }

    /// Transcript ids in the directory, oldest first (ids sort by time).
    public func ids() throws(TranscriptError) -> [String] {
        try unsortedIDs().sorted()
    }

    /// Transcript ids in the directory, in the order the directory lists them (sorting
    /// 100,000 names costs a search through the index as much as reading them).
    func unsortedIDs() throws(TranscriptError) -> [String] {
        // readdir(3) directly: FileManager's listing was a tenth of a search through the
        // index over a folder of 100,000 transcripts.
        guard let listing = opendir(directory) else {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) { return [] }
            throw .cannotRead(directory, "cannot list the directory")
        }
        defer { closedir(listing) }
        var ids: [String] = []
        let suffix = Array(Self.fileExtension.utf8)
        while let entry = readdir(listing) {
            // The suffix is checked on the bytes; only the id becomes a string.
            let id = withUnsafeBytes(of: &entry.pointee.d_name) { bytes -> String? in
                let name = bytes.prefix { $0 != 0 }
                guard name.count > suffix.count, name.suffix(suffix.count).elementsEqual(suffix) else { return nil }
                return String(decoding: name.dropLast(suffix.count), as: UTF8.self)
            }
            if let id, SessionID.isValid(id) { ids.append(id) }
        }
        return ids
    }

    /// The id meant by `reference`: a full id, a unique prefix of one, or `last` (the
    /// newest finished transcript that is a regular file: a link, folder or FIFO named like
    /// a transcript is passed over, and so is a session still running).
    public func resolve(_ reference: String) throws(TranscriptError) -> String {
        let all = try ids()
        if reference == "last" {
            guard let last = all.last(where: { isRegularFile(path(of: $0)) && !isRunning($0) }) else {
                throw .notFound(reference, directory)
            }
            return last
        }
        guard SessionID.isValid(reference) else { throw .invalidID(reference) }
        if all.contains(reference) { return reference }
        let matches = all.filter { $0.hasPrefix(reference) }
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty { throw .notFound(reference, directory) }
        throw .ambiguous(reference, matches)
    }

    /// The file of transcript `id`.
    public func path(of id: String) -> String {
        (directory as NSString).appendingPathComponent(id + Self.fileExtension)
    }

    /// Whether the session `id` is still running: the process its id names is an advisor
    /// that is alive, and its file does not end with an `end` event.
    package func isRunning(_ id: String) -> Bool {
        guard let pid = SessionID.processID(of: id), Self.isAdvisorProcess(pid) else { return false }
        guard let handle = FileHandle(forReadingAtPath: path(of: id)) else { return false }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return false }
        let tail = min(size, 4096)
        try? handle.seek(toOffset: size - tail)
        guard let data = try? handle.readToEnd(), let text = String(data: data, encoding: .utf8) else { return true }
        let lastLine = text.split(separator: "\n").last ?? ""
        return !lastLine.contains("\"type\":\"end\"")
    }

    /// Whether `pid` is a live process of this program (its command name is ours), so that a
    /// killed session whose process id was reused by something else is not taken as running.
    package static func isAdvisorProcess(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM,
            let name = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
            let ours = try? String(contentsOfFile: "/proc/self/comm", encoding: .utf8)
        else { return false }
        return name == ours
    }

    /// Whether `path` is a regular file (not through a symbolic link).
    private func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Reads transcript `id` (already resolved) as far as it goes, the whole file.
    public func read(_ id: String) throws(TranscriptError) -> Transcript {
        let path = path(of: id)
        do {
            return try TranscriptParser.parse(path: path, id: id)
        } catch {
            throw .cannotRead(path, error.description)
        }
    }

    /// Reads transcript `id` one entry at a time, in bounded memory.
    ///
    /// `body` gets each turn or command in order with the session event met so far, and
    /// returns false to stop. Returns the transcript without its entries (session, end and
    /// warnings); throws `cannotRead` when the file cannot be read.
    public func stream(_ id: String, _ body: (Transcript.Entry, SessionEvent?) -> Bool) throws(TranscriptError)
        -> Transcript
    {
        let path = path(of: id)
        do {
            return try TranscriptParser.stream(path: path, id: id, body)
        } catch {
            throw .cannotRead(path, error.description)
        }
    }

    /// The question of transcript `id`'s first turn, nil when it has none: read up to that
    /// turn and no further, in bounded memory, so that a streamed HTML export can be named
    /// by it before its first entry is rendered.
    public func firstQuestion(_ id: String) throws(TranscriptError) -> String? {
        var question: String?
        _ = try stream(id) { entry, _ in
            guard case .turn(let turn) = entry else { return true }
            question = turn.question
            return false
        }
        return question
    }

    /// Summaries of every transcript, newest first; unreadable ones are skipped with a warning.
    public func summaries(warn: (String) -> Void) throws(TranscriptError) -> [TranscriptSummary] {
        var result: [TranscriptSummary] = []
        for id in try ids().reversed() {
            do {
                result.append(try TranscriptParser.summary(path: path(of: id), id: id))
            } catch {
                warn(TranscriptError.cannotRead(path(of: id), error.description).description)
            }
        }
        return result
    }
}
