import Foundation

/// Reads transcript files leniently: a torn last line, an invalid line or an unknown
/// event is skipped with a warning naming the line, and the rest is kept.
public enum TranscriptParser {
    /// The whole transcript.
    public static func parse(_ data: Data, id: String, path: String) -> Transcript {
        var transcript = Transcript(id: id, path: path)
        let decoder = JSONDecoder()
        if data.count >= TranscriptStore.maximumFileSize {
            transcript.warnings.append(
                "\(path): larger than \(TranscriptStore.maximumFileSize >> 20) MiB; read only its start")
        }
        let lastIsComplete = data.last == 0x0A
        var number = 0
        var consumed = 0
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            forEachLine(bytes) { line in
                number += 1
                consumed += line.count + 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { return }
                // The type is read without decoding the line, which is then decoded once.
                guard let type = JSONFieldScanner.fields(line, wanted: ["type"])?["type"] else {
                    let isLast = consumed >= bytes.count
                    let why =
                        isLast && !lastIsComplete
                        ? "torn last line (the session was cut off mid-write)" : "not a valid JSON event"
                    transcript.warnings.append("\(path):\(number): \(why); skipped")
                    return
                }
                decode(Data(line), type: type, number: number, into: &transcript, decoder: decoder)
            }
        }
        if transcript.session == nil {
            transcript.warnings.append("\(path): no session event")
        }
        return transcript
    }

    private static func decode(
        _ line: Data, type: String, number: Int, into transcript: inout Transcript, decoder: JSONDecoder
    ) {
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
            case .turn: transcript.entries.append(.turn(try decoder.decode(TurnEvent.self, from: line)))
            case .command: transcript.entries.append(.command(try decoder.decode(CommandEvent.self, from: line)))
            case .end: transcript.end = try decoder.decode(EndEvent.self, from: line)
            case nil:
                transcript.warnings.append(
                    "\(path):\(number): unknown event type '\(TerminalSafe.neutralize(type))'; skipped")
            }
        } catch {
            transcript.warnings.append(
                "\(path):\(number): a '\(TerminalSafe.neutralize(type))' event with missing or invalid fields; skipped")
        }
    }

    /// Event type markers: `"type":"turn"` (spaces allowed around the colon). Escaped
    /// text inside a JSON string cannot contain them, so a match is the event's own key.
    static let turnMarker = Array(#""turn""#.utf8)
    static let endMarker = Array(#""end""#.utf8)
    static let sessionMarker = Array(#""session""#.utf8)
    private static let typeKey = Array(#""type""#.utf8)

    /// Whether `line` holds the key "type" with the value `marker`.
    static func contains(_ line: some ContiguousBytes, _ marker: [UInt8]) -> Bool {
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
        var summary = TranscriptSummary(
            id: id, started: nil, mode: nil, role: nil, turns: 0, firstQuestion: nil, ended: false)
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            forEachLine(bytes) { line in
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
        return summary
    }

    /// Calls `body` with each line of `bytes` (without its newline).
    static func forEachLine(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
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
