import AdvisorKnowledge
import AdvisorSystem
import Foundation

/// Reads transcript files leniently: a torn last line, an invalid line or an unknown
/// event is skipped with a warning naming the line, and the rest is kept.
///
/// Files are read line by line in bounded memory, however large: every command sees the
/// whole session. Only a single line longer than `maximumLineLength` (never written by the
/// recorder) is skipped, with a warning.
public enum TranscriptParser {
    /// The longest line read; a longer one is skipped with a warning, without being held.
    public static let maximumLineLength = 16 << 20

    /// The whole transcript, from bytes already in memory.
    public static func parse(_ data: Data, id: String, path: String) -> Transcript {
        var builder = Builder(id: id, path: path)
        let lastIsComplete = data.last == 0x0A
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var consumed = 0
            forEachLine(bytes) { line in
                consumed += line.count + 1
                let end: BoundedFile.LineEnd = consumed >= bytes.count && !lastIsComplete ? .endOfFile : .newline
                if let entry = builder.consume(line, end: end) { builder.transcript.entries.append(entry) }
            }
        }
        return builder.finish()
    }

    /// The whole transcript in the file at `path` (never through a symbolic link).
    package static func parse(path: String, id: String) throws(BoundedFile.Failure) -> Transcript {
        var entries: [Transcript.Entry] = []
        var transcript = try stream(path: path, id: id) { entry, _ in
            entries.append(entry)
            return true
        }
        transcript.entries = entries
        return transcript
    }

    /// Reads the file at `path` one line at a time and calls `body` with each turn or command, in order.
    ///
    /// `body` also gets the session event met so far, and returns false to stop. Returns the
    /// transcript without its entries: the session, the end and the warnings.
    package static func stream(
        path: String, id: String, _ body: (Transcript.Entry, SessionEvent?) -> Bool
    ) throws(BoundedFile.Failure) -> Transcript {
        var builder = Builder(id: id, path: path)
        try BoundedFile.forEachLine(path, followSymlinks: false, maximumLineLength: maximumLineLength) {
            line, _, end in
            guard let entry = builder.consume(line, end: end) else { return true }
            return body(entry, builder.transcript.session)
        }
        return builder.finish()
    }

    /// Turns lines into events, keeping the session, the end and the warnings.
    package struct Builder {
        package var transcript: Transcript
        private var number = 0
        private let decoder = JSONDecoder()

        package init(id: String, path: String) {
            transcript = Transcript(id: id, path: path)
        }

        /// The entry `line` holds, if it holds one; other events are kept, problems warned.
        package mutating func consume(_ line: UnsafeRawBufferPointer, end: BoundedFile.LineEnd) -> Transcript.Entry? {
            number += 1
            let path = transcript.path
            if case .tooLong(let length) = end {
                transcript.warnings.append(
                    "\(path):\(number): a line of \(length) bytes, longer than the \(TranscriptParser.maximumLineLength >> 20) MiB limit; skipped"
                )
                return nil
            }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { return nil }
            // The type is read without decoding the line, which is then decoded once.
            guard let type = JSONFieldScanner.fields(line, wanted: ["type"])?["type"] else {
                var why = "not a valid JSON event"
                if case .endOfFile = end { why = "torn last line (the session was cut off mid-write)" }
                transcript.warnings.append("\(path):\(number): \(why); skipped")
                return nil
            }
            return decode(Data(line), type: type)
        }

        private mutating func decode(_ line: Data, type: String) -> Transcript.Entry? {
            let path = transcript.path
            do {
                switch TranscriptEventType(rawValue: type) {
                case .session:
                    let session = try decoder.decode(SessionEvent.self, from: line)
                    if transcript.session == nil {
                        transcript.session = session
                    } else {
                        transcript.warnings.append("\(path):\(number): a second session event; skipped")
                    }
                case .turn: return .turn(try decoder.decode(TurnEvent.self, from: line))
                case .command: return .command(try decoder.decode(CommandEvent.self, from: line))
                case .end: transcript.end = try decoder.decode(EndEvent.self, from: line)
                case nil:
                    transcript.warnings.append(
                        "\(path):\(number): unknown event type '\(TerminalSafe.neutralize(type))'; skipped")
                }
            } catch {
                transcript.warnings.append(
                    "\(path):\(number): a '\(TerminalSafe.neutralize(type))' event with missing or invalid fields; skipped"
                )
            }
            return nil
        }

        package func finish() -> Transcript {
            var transcript = transcript
            if transcript.session == nil {
                transcript.warnings.append("\(transcript.path): no session event")
            }
            return transcript
        }
    }

    /// An event type's name in quotes, the value looked for in `"type":"turn"` (spaces allowed around the colon).
    ///
    /// Escaped text inside a JSON string cannot contain them, so a match is the event's own key.
    package static let turnMarker = Array(#""turn""#.utf8)
    package static let endMarker = Array(#""end""#.utf8)
    package static let sessionMarker = Array(#""session""#.utf8)
    private static let typeKey = Array(#""type""#.utf8)

    /// Whether `line` holds the key "type" with the value `marker`.
    package static func contains(_ line: some ContiguousBytes, _ marker: [UInt8]) -> Bool {
        line.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, bytes.count >= typeKey.count + marker.count + 1 else { return false }
            var offset = 0
            let last = bytes.count - typeKey.count
            while offset <= last {
                guard let found = memchr(base + offset, Int32(UInt8(ascii: "\"")), last - offset + 1) else {
                    return false
                }
                var index = base.distance(to: UnsafeRawPointer(found))
                offset = index + 1
                guard memcmp(base + index, typeKey, typeKey.count) == 0 else { continue }
                index += typeKey.count
                while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { continue }
                index += 1
                while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
                if index + marker.count <= bytes.count, memcmp(base + index, marker, marker.count) == 0 { return true }
            }
            return false
        }
    }

    /// A summary read cheaply: the header, the number of turns and the first question.
    public static func summary(_ data: Data, id: String) -> TranscriptSummary {
        var summary = SummaryBuilder(id: id)
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            forEachLine(bytes) { summary.consume($0) }
        }
        return summary.summary
    }

    /// The summary of the file at `path`, read line by line (never through a symbolic link).
    package static func summary(path: String, id: String) throws(BoundedFile.Failure) -> TranscriptSummary {
        var summary = SummaryBuilder(id: id)
        try BoundedFile.forEachLine(path, followSymlinks: false, maximumLineLength: maximumLineLength) {
            line, _, _ in
            summary.consume(line)
            return true
        }
        return summary.summary
    }

    package struct SummaryBuilder {
        package var summary: TranscriptSummary

        package init(id: String) {
            summary = TranscriptSummary(
                id: id, started: nil, mode: nil, role: nil, turns: 0, firstQuestion: nil, ended: false)
        }

        package mutating func consume(_ line: UnsafeRawBufferPointer) {
            if contains(line, turnMarker), line.last == UInt8(ascii: "}") {
                if summary.firstQuestion == nil {
                    guard let fields = JSONFieldScanner.fields(line, wanted: ["question"]),
                        let question = fields["question"]
                    else { return }
                    summary.firstQuestion = question
                }
                summary.turns += 1
            } else if summary.started == nil, contains(line, sessionMarker),
                let fields = JSONFieldScanner.fields(line, wanted: ["at", "mode", "role"])
            {
                summary.started = fields["at"]
                summary.mode = fields["mode"]
                summary.role = fields["role"].flatMap(Role.init(rawValue:))
            } else if contains(line, endMarker) {
                summary.ended = true
            }
        }
    }

    /// Calls `body` with each line of `bytes` (without its newline).
    package static func forEachLine(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        guard let base = bytes.baseAddress else { return }
        var start = 0
        while start < bytes.count {
            let end: Int
            if let newline = memchr(base + start, 0x0A, bytes.count - start) {
                end = base.distance(to: UnsafeRawPointer(newline))
            } else {
                end = bytes.count
            }
            body(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            start = end + 1
        }
    }
}
