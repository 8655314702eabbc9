import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import Foundation

/// Saves a session as it happens: one JSON Lines file, each event appended and
/// written through to the kernel at once, so a killed process keeps every completed turn.
///
/// The file is created exclusively (never shared, never overwritten, never through a
/// symlink) and is never rewritten. When a write fails (a full disk), the recorder says
/// so once through `warn` and stops: it never claims a turn it could not save.
public final class TranscriptRecorder {
    /// The session id, also the file's name without `.jsonl`.
    public let id: String
    /// The transcript file.
    public let path: String
    /// Why recording stopped, once it has.
    public private(set) var failure: String?
    private var descriptor: Int32
    private var turnCount = 0
    private var warn: (String) -> Void
    /// Creates the session's file in `directory` (made if missing) and writes the session event.
    public static func start(
        directory: String, mode: String, role: Role?, knowledgeBase: String, version: String, script: String?,
        warn: @escaping (String) -> Void
    ) throws(TranscriptError) -> TranscriptRecorder {
        try TranscriptStore.prepareDirectory(directory)
        for _ in 0..<20 {
            let id = SessionID.make()
            let path = (directory as NSString).appendingPathComponent(id + TranscriptStore.fileExtension)
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if descriptor < 0 {
                if errno == EEXIST { continue }
                throw TranscriptError.cannotWrite(directory, String(cString: strerror(errno)))
            }
            // The header's failure is reported once, by the caller, and leaves no empty file.
            let recorder = TranscriptRecorder(id: id, path: path, descriptor: descriptor, warn: { _ in })
            let event = SessionEvent(
                at: Timestamp.now(), id: id, mode: mode, version: version, kb: knowledgeBase, role: role, script: script
            )
            recorder.append(event.jsonLine(), what: "the session header")
            if let failure = recorder.failure {
                unlink(path)
                throw TranscriptError.cannotWrite(directory, failure)
            }
            recorder.warn = warn
            return recorder
        }
        throw TranscriptError.cannotWrite(directory, "could not find a free session id")
    }

    private init(id: String, path: String, descriptor: Int32, warn: @escaping (String) -> Void) {
        self.id = id
        self.path = path
        self.descriptor = descriptor
        self.warn = warn
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Whether events are still being saved.
    public var isRecording: Bool { failure == nil && descriptor >= 0 }

    /// Saves a question and its answer; returns whether it was saved.
    @discardableResult
    public func recordTurn(question: String, answer: Answer) -> Bool {
        turnCount += 1
        let event = TurnEvent(at: Timestamp.now(), n: turnCount, question: question, answer: answer)
        return append(event.jsonLine(), what: "turn \(turnCount)")
    }

    /// Saves a slash command and its effect; returns whether it was saved.
    @discardableResult
    public func recordCommand(line: String, effect: String, output: String? = nil) -> Bool {
        append(
            CommandEvent(at: Timestamp.now(), line: line, effect: effect, output: output).jsonLine(),
            what: "a command")
    }

    /// Writes the end event and closes the file.
    public func finish() {
        append(EndEvent(at: Timestamp.now(), turns: turnCount).jsonLine(), what: "the end of the session")
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
    }

    /// Writes one event line (newline included) with a single write(2).
    @discardableResult
    private func append(_ line: String, what: String) -> Bool {
        guard isRecording else { return false }
        var line = line
        let descriptor = self.descriptor
        let code = line.withUTF8 { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return 0 }
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return 0
        }
        if code != 0 { stop("cannot save \(what): \(String(cString: strerror(code)))") }
        return code == 0
    }

    private func stop(_ reason: String) {
        failure = reason
        warn("transcript \(path): \(reason); the rest of this session is not saved")
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
    }
}

/// Session ids: sortable by time, unique across processes, only `[A-Za-z0-9._-]`.
public enum SessionID {
    /// A new id such as `20261125-122005.123-4242-9f3a1c`.
    public static func make(date: Date = Date()) -> String {
        let stamp = Timestamp.format(date)  // 2026-11-25T12:20:05.123Z
        let compact = stamp.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            .replacingOccurrences(of: "T", with: "-").replacingOccurrences(of: "Z", with: "")
        let random = String(UInt32.random(in: 0...0xFF_FFFF), radix: 16)
        return "\(compact)-\(getpid())-\(String(repeating: "0", count: 6 - random.count))\(random)"
    }

    /// The process id an id made by `make` names (`20261125-122005.123-4242-9f3a1c`: 4242).
    public static func processID(of id: String) -> pid_t? {
        let parts = id.split(separator: "-")
        guard parts.count == 4, let pid = Int32(parts[2]), pid > 0 else { return nil }
        return pid
    }

    /// Whether `id` is made only of the allowed characters.
    public static func isValid(_ id: String) -> Bool {
        // Byte by byte: every allowed character is ASCII (a listing of 100,000 names is
        // checked on every search).
        !id.isEmpty && id.utf8.count <= 200 && id != "." && id != ".."
            && id.utf8.allSatisfy { byte in
                (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte)
                    || byte == 0x2E || byte == 0x5F || byte == 0x2D
            }
    }
}

/// Problems with the transcripts directory or a transcript.
public enum TranscriptError: Error, Sendable, CustomStringConvertible {
    /// The directory cannot be created or written.
    case cannotWrite(String, String)
    /// The directory cannot be read.
    case cannotRead(String, String)
    /// No transcript has this id or prefix.
    case notFound(String, String)
    /// Several transcripts start with this prefix.
    case ambiguous(String, [String])
    /// The id has characters outside `[A-Za-z0-9._-]` (a path, `..`).
    case invalidID(String)

    /// The message shown to the user, naming the folder, file or id concerned.
    public var description: String {
        switch self {
        case let .cannotWrite(directory, reason): return "cannot save transcripts in \(directory): \(reason)"
        case let .cannotRead(path, reason): return "cannot read \(path): \(reason)"
        case let .notFound(id, directory): return "no transcript '\(id)' in \(directory)"
        case let .ambiguous(id, matches):
            let shown = matches.prefix(5).joined(separator: ", ")
            return
                "'\(id)' is ambiguous: \(matches.count) transcripts match (\(shown)\(matches.count > 5 ? ", ..." : ""))"
        case let .invalidID(id):
            let shown = TerminalSafe.neutralize(id.count > 60 ? String(id.prefix(60)) + "…" : id, keepNewlines: false)
            return "invalid transcript id '\(shown)': ids use only letters, digits, '.', '_' and '-'"
        }
    }
}
