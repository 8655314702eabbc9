import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("HistoryFile and SafeFile")
struct HistoryFileTests {
    static func mode(_ path: String) -> mode_t {
        var info = stat()
        lstat(path, &info)
        return info.st_mode & 0o7777
    }

    @Test(
        "where history goes: /dev/null, an empty value and a link to /dev/null mean none",
        arguments: [
            (nil, ["ADVISOR_HISTORY": ""], HistoryFile.Location.off),
            (nil, ["ADVISOR_HISTORY": "/dev/null"], .off),
            ("/dev/null", ["ADVISOR_HISTORY": "/tmp/h"], .off),
            ("", [:], .off),
            ("/tmp/h", ["ADVISOR_HISTORY": "/tmp/other"], .file("/tmp/h")),
            (nil, ["ADVISOR_HISTORY": "/tmp/other"], .file("/tmp/other")),
            (nil, ["XDG_STATE_HOME": "/state"], .file("/state/advisor/history")),
            (nil, ["XDG_STATE_HOME": "relative"], .file("/home/u/.local/state/advisor/history")),
            (nil, [:], .file("/home/u/.local/state/advisor/history")),
        ] as [(String?, [String: String], HistoryFile.Location)])
    func location(option: String?, environment: [String: String], expected: HistoryFile.Location) {
        #expect(HistoryFile.location(option: option, environment: environment, home: "/home/u") == expected)
    }

    @Test("a symbolic link to /dev/null turns history off; other links are a path like any")
    func linkToDevNull() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let link = folder.file("history")
        // Only the link is made: nothing here opens, reads or changes /dev/null.
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
        #expect(HistoryFile.location(option: link, environment: [:], home: "/h") == .off)
        let other = folder.file("other")
        try FileManager.default.createSymbolicLink(atPath: other, withDestinationPath: folder.file("target"))
        #expect(HistoryFile.location(option: other, environment: [:], home: "/h") == .file(other))
    }

    @Test("cleaning a test folder never changes what a link in it points at")
    func cleanupDoesNotFollowLinks() throws {
        let outside = try TemporaryDirectory()
        defer { outside.remove() }
        let target = try outside.write("precious", "keep me\n")
        #expect(chmod(target, 0o644) == 0)
        let folder = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: folder.file("link"), withDestinationPath: target)
        folder.remove()
        var info = stat()
        #expect(stat(target, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o644, "the link's target keeps its mode")
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test("lines survive the round trip, in libedit's format")
    func roundTrip() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let lines = [
            "Who should own mobile?", "tab\there", "back\\slash", "esc \u{1B}[31m red", "café ☕ 👩‍💻",
            "c1 \u{9B} bidi \u{202E}x", "  leading", "del\u{7F}", "^ caret \\040 literal",
        ]
        let history = HistoryFile(path: folder.file("state/advisor/history"))
        try history.append(lines)
        #expect(try history.load() == lines)
        let text = try String(contentsOfFile: history.path, encoding: .utf8)
        #expect(text.hasPrefix("_HiStOrY_V2_\n"))
        #expect(text.contains("Who\\040should\\040own\\040mobile?\n"), "libedit's own escapes: \(text)")
        #expect(!text.unicodeScalars.contains { TerminalSafe.isControl($0) && $0 != "\n" }, "\(text)")
        #expect(Self.mode(history.path) == 0o600)
        #expect(Self.mode(folder.file("state/advisor")) == 0o700, "a folder we made is user-only")
    }

    @Test("libedit's own escapes are read: \\^X, \\M-X, \\M^X, C-style, octal")
    func libeditEscapes() {
        #expect(HistoryFile.decode(Array(#"esc\040\^[[31m\040red"#.utf8)) == "esc \u{1B}[31m red")
        #expect(HistoryFile.decode(Array(#"x\^Ay\^?z\134"#.utf8)) == "x\u{01}y\u{7F}z\\")
        #expect(HistoryFile.decode(Array(#"a\tb\nc\sd\\e"#.utf8)) == "a\tb\nc d\\e")
        #expect(HistoryFile.decode(Array(#"\303\251t\303\251"#.utf8)) == "été")
        #expect(HistoryFile.decode(Array(#"\M-C\M-)"#.utf8)) == "é")
        #expect(HistoryFile.decode(Array(#"trailing\"#.utf8)) == "trailing\\")
    }

    @Test("a save adds to what is in the file now: two sessions keep both their lines")
    func twoSessions() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("history")
        let first = HistoryFile(path: path)
        let second = HistoryFile(path: path)
        try first.append(["alpha"])
        try second.append(["beta"])
        try first.append(["gamma"])
        try first.append(["gamma"])
        #expect(try first.load() == ["alpha", "beta", "gamma"])
    }

    @Test("the file keeps the last lines up to the limit, and reads at most its last MiB")
    func bounded() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let small = HistoryFile(path: folder.file("small"), limit: 3)
        try small.append(["1", "2", "3", "4", "5"])
        #expect(try small.load() == ["3", "4", "5"])

        // 3 MiB of history written by someone else: only the tail is read.
        var text = "_HiStOrY_V2_\n"
        let line = String(repeating: "x", count: 1000)
        for index in 0..<3000 { text += "\(index)\(line)\n" }
        let path = try folder.write("big", text)
        let big = HistoryFile(path: path, limit: 10_000)
        let loaded = try big.load()
        #expect(!loaded.isEmpty && loaded.count <= 1100, "\(loaded.count) lines")
        #expect(loaded.last == "2999\(line)")
        #expect(loaded.allSatisfy { $0.hasSuffix(line) }, "no partial first line")
    }

    @Test("a regular file that is not a history file is refused, not overwritten")
    func notHistory() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("notes.txt", "my notes\n")
        let history = HistoryFile(path: path)
        #expect(throws: HistoryFile.Failure.notHistory(path: path)) { try history.load() }
        #expect(throws: HistoryFile.Failure.notHistory(path: path)) { try history.append(["x"]) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "my notes\n")
    }

    @Test("a symbolic link, a FIFO or a folder is refused and left exactly as it was")
    func refused() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let target = try folder.write("target", "_HiStOrY_V2_\nsecret\n")
        chmod(target, 0o644)
        let link = folder.file("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let fifo = folder.file("fifo")
        try #require(mkfifo(fifo, 0o644) == 0)
        let directory = folder.file("dir")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        chmod(directory, 0o755)
        for (path, kind) in [
            (link, SafeFile.Kind.symbolicLink(target: target)), (fifo, .fifo), (directory, .directory),
        ] {
            let history = HistoryFile(path: path)
            #expect(throws: HistoryFile.Failure.refused(path: path, kind: kind)) { try history.load() }
            #expect(throws: HistoryFile.Failure.refused(path: path, kind: kind)) { try history.append(["x"]) }
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "_HiStOrY_V2_\nsecret\n")
        #expect(Self.mode(target) == 0o644)
        #expect(SafeFile.kind(of: link) == .symbolicLink(target: target))
        #expect(SafeFile.kind(of: fifo) == .fifo && Self.mode(fifo) == 0o644)
        #expect(Self.mode(directory) == 0o755)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(left == ["dir", "fifo", "link", "target"], "no temporary file left: \(left)")
    }

    @Test("SafeFile.replace writes a new 0600 file over a regular one, and nothing else")
    func replace() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("out.md", "old")
        chmod(path, 0o644)
        var before = stat()
        lstat(path, &before)
        try SafeFile.replace(path, with: Data("new".utf8))
        var after = stat()
        lstat(path, &after)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        #expect(Self.mode(path) == 0o600)
        #expect(before.st_ino != after.st_ino, "a new file, renamed over the old one")
        let missing = folder.file("new.md")
        try SafeFile.replace(missing, with: Data("fresh".utf8))
        #expect(Self.mode(missing) == 0o600)
        #expect(throws: SafeFile.Failure.self) { try SafeFile.replace(folder.file("no/such/dir/x"), with: Data()) }
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(left == ["new.md", "out.md"], "\(left)")
    }

    @Test("SafeFile.replace written piece by piece replaces the file only when the writer completes")
    func replacePieceByPiece() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("out.html", "old")
        let replaced = try SafeFile.replace(path) { write in
            write(Data("one ".utf8)) && write(Data("two".utf8))
        }
        #expect(replaced)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "one two")
        let gaveUp = try SafeFile.replace(path) { write in
            _ = write(Data("half a page".utf8))
            return false
        }
        #expect(!gaveUp)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "one two", "left as it was")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(left == ["out.html"], "no temporary file left: \(left)")
    }
}
