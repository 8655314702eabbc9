import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("TranscriptRecorder")
struct TranscriptRecorderTests {
    private func start(_ directory: String, role: Role? = nil) throws -> TranscriptRecorder {
        try TranscriptRecorder.start(
            directory: directory, mode: "script", role: role, knowledgeBase: "kb-fingerprint", version: "9.9.9",
            script: nil, warn: { _ in })
    }

    private func jsonLines(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test("writes session, turn, command and end events as JSON Lines")
    func events() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let recorder = try start(temp.path, role: .cmo)
        let answer = TestSupport.advisor().ask("Who owns mobile?")
        #expect(recorder.recordTurn(question: "Who owns mobile?", answer: answer))
        #expect(recorder.recordCommand(line: "/role cio", effect: "role set to cio"))
        #expect(recorder.isRecording)
        recorder.finish()
        #expect(!recorder.isRecording)
        #expect(recorder.path == temp.file(recorder.id + ".jsonl"))

        let events = try jsonLines(recorder.path)
        #expect(events.map { $0["type"] as? String } == ["session", "turn", "command", "end"])
        let iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
        for event in events {
            let at = try #require(event["at"] as? String)
            #expect(at.wholeMatch(of: iso) != nil, "\(at)")
        }
        #expect(events[0]["id"] as? String == recorder.id)
        #expect(events[0]["mode"] as? String == "script")
        #expect(events[0]["version"] as? String == "9.9.9")
        #expect(events[0]["kb"] as? String == "kb-fingerprint")
        #expect(events[0]["role"] as? String == "cmo")
        #expect(events[1]["n"] as? Int == 1)
        #expect(events[1]["question"] as? String == "Who owns mobile?")
        #expect(events[1]["topic"] as? String == "mobile-ownership")
        #expect(events[1]["answer"] as? String == answer.answer)
        #expect(events[2]["line"] as? String == "/role cio")
        #expect(events[2]["effect"] as? String == "role set to cio")
        #expect(events[3]["turns"] as? Int == 1)
        // Nothing is written after the end.
        #expect(!recorder.recordTurn(question: "late", answer: answer))
        #expect(try jsonLines(recorder.path).count == 4)
    }

    @Test("a session with no role records role null")
    func nullRole() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let recorder = try start(temp.path)
        recorder.finish()
        let first = try #require(try jsonLines(recorder.path).first)
        #expect(first["role"] is NSNull)
    }

    @Test("each event is on disk as soon as it is recorded")
    func flushedAtOnce() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let recorder = try start(temp.path)
        #expect(try jsonLines(recorder.path).count == 1)
        recorder.recordCommand(line: "/help", effect: "showed help")
        #expect(try jsonLines(recorder.path).count == 2)
        // Without finish(): a killed session keeps its events, with no end.
        let transcript = try TranscriptStore(directory: temp.path).read(recorder.id)
        #expect(transcript.end == nil)
        #expect(transcript.entries.count == 1)
    }

    @Test("the file is created with mode 0600 and a missing directory with 0700")
    func permissions() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let directory = temp.file("nested/transcripts")
        let recorder = try start(directory)
        var info = stat()
        #expect(stat(recorder.path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(info.st_mode & S_IFMT == S_IFREG)
        #expect(stat(directory, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
    }

    @Test("ids are valid and unique across 200 quick starts")
    func uniqueIDs() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        var ids = Set<String>()
        for _ in 0..<200 {
            let recorder = try start(temp.path)
            #expect(SessionID.isValid(recorder.id))
            #expect(ids.insert(recorder.id).inserted)
            recorder.finish()
        }
        #expect(try TranscriptStore(directory: temp.path).ids().count == 200)
        #expect(Set(try TranscriptStore(directory: temp.path).ids()) == ids)
    }

    @Test("session ids sort by time")
    func idsSortByTime() {
        let early = SessionID.make(date: Date(timeIntervalSince1970: 1_700_000_000))
        let late = SessionID.make(date: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(early < late)
        #expect(early.hasPrefix("20231114-221320.000-"))
    }

    @Test(
        "SessionID.isValid",
        arguments: [
            ("20261125-122005.123-4242-9f3a1c", true), ("abc", true), ("A.b_c-1", true), ("", false), (".", false),
            ("..", false), ("../x", false), ("/etc/passwd", false), ("a/b", false), ("a b", false), ("é", false),
            ("a\u{1B}b", false),
        ])
    func isValid(id: String, valid: Bool) {
        #expect(SessionID.isValid(id) == valid)
    }

    @Test("a read-only directory cannot be written: cannotWrite")
    func readOnlyDirectory() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let directory = temp.file("readonly")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        #expect(chmod(directory, 0o500) == 0)
        // Root ignores permission bits; procfs refuses new files even to root.
        let target = access(directory, W_OK) == 0 ? "/proc/self" : directory
        let error = try #require(throws: TranscriptError.self) { try start(target) }
        guard case .cannotWrite(let reported, _) = error else {
            Issue.record("expected cannotWrite, got \(error)")
            return
        }
        #expect(reported == target)
        #expect(error.description.hasPrefix("cannot save transcripts in \(target)"))
    }

    @Test("a regular file in place of the directory: cannotWrite")
    func fileInsteadOfDirectory() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let file = try temp.write("not-a-directory", "x")
        #expect(throws: TranscriptError.self) { try start(file) }
        #expect(throws: TranscriptError.self) { try start(file + "/below") }
    }

    @Test("transcripts are never read through a symbolic link")
    func symlinkNotFollowed() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let recorder = try start(temp.path)
        recorder.finish()
        let store = TranscriptStore(directory: temp.path)
        let link = "20990101-000000.000-1-aaaaaa"
        try FileManager.default.createSymbolicLink(atPath: store.path(of: link), withDestinationPath: recorder.path)
        let error = try #require(throws: TranscriptError.self) { try store.read(link) }
        #expect(error.description.contains("symbolic link"))
        let warnings = ScriptOutput()
        let summaries = try store.summaries(warn: { warnings.diagnostics.append($0) })
        #expect(summaries.map(\.id) == [recorder.id])
        #expect(warnings.diagnostics.count == 1)
    }

    @Test("the recorder creates its file exclusively, with O_NOFOLLOW (a planted symlink is never written through)")
    func recorderRefusesSymlink() throws {
        // The id is random, so a symlink cannot be planted at the exact path through the
        // public API; check instead that no start ever writes through the planted links.
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let target = try temp.write("target.txt", "untouched")
        let directory = temp.file("transcripts")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let planted = SessionID.make()
        try FileManager.default.createSymbolicLink(
            atPath: (directory as NSString).appendingPathComponent(planted + ".jsonl"), withDestinationPath: target)
        for _ in 0..<20 { try start(directory).finish() }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "untouched")
    }
}
