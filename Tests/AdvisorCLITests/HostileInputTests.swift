import AdvisorTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Hostile input over the built binary (issue 6): questions no one should type, broken
/// knowledge bases, hostile transcript ids and folders, a full disk.
///
/// What other suites already cover is not repeated here: the 10 MB line of a script
/// (RunTests), the alias bombs of the fixture knowledge base (KnowledgeBaseTests), `..`,
/// `a/b`, `../x` and `/etc/passwd` as ids and a question with CSI and OSC escapes
/// through every transcripts command (TranscriptsTests), a transcripts folder under a
/// regular file (CrashSafetyTests).
@Suite("hostile input")
struct HostileInputTests {
    // MARK: Helpers

    /// ESC, BEL, BS, C1 controls and bidi overrides found raw in `data`.
    static func rawControls(_ data: Data) -> [String] {
        TranscriptsTests.rawControls(data, strict: true)
    }

    /// The turn events of a transcript file, in order.
    static func turns(_ file: URL) throws -> [[String: Any]] {
        try JSON.events(file).filter { $0["type"] as? String == "turn" }
    }

    /// Whether two strings hold exactly the same scalars (Swift's `==` would accept a
    /// precomposed "á" for "a" + U+0301).
    static func sameScalars(_ left: String?, _ right: String) -> Bool {
        guard let left else { return false }
        return Array(left.unicodeScalars) == Array(right.unicodeScalars)
    }

    /// Every file under `directory` (relative path -> size and modification time).
    static func snapshot(_ directory: URL) -> [String: String] {
        var result: [String: String] = [:]
        let base = directory.standardizedFileURL.path
        guard let files = FileManager.default.enumerator(atPath: base) else { return result }
        while let relative = files.nextObject() as? String {
            var info = stat()
            guard lstat(base + "/" + relative, &info) == 0 else { continue }
            result[relative] = "\(info.st_mode) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }
        return result
    }

    // MARK: Questions

    /// A question that is valid UTF-8 but hostile in some other way.
    struct Question: Sendable, CustomStringConvertible {
        var name: String
        var text: String
        var description: String { name }
        /// Whether the text holds nothing a terminal would act on, so it may be shown as is.
        var printable: Bool {
            !text.unicodeScalars.contains { TerminalSafeProbe.isControl($0) }
        }
    }

    static let questions: [Question] = [
        Question(name: "only punctuation", text: "?!?!... ;;; --- (((*))) ,,, ¿¡ …"),
        Question(name: "only emoji", text: "🤖🔥💬 👩‍💻 🇫🇷 🏳️‍🌈 👍🏽"),
        Question(name: "Arabic (right to left)", text: "ما معنى المنصة للمدير التسويقي؟"),
        Question(name: "Hebrew (right to left)", text: "מה פירוש פלטפורמה עבור CMO?"),
        Question(name: "combining characters", text: "pla\u{0301}tform for a CMO"),
        Question(name: "stacked combining marks", text: "m\u{0300}\u{0301}\u{0302}\u{0303}\u{0304}\u{0305}obile owner"),
        Question(name: "zero-width and noncharacters", text: "mo\u{200B}bi\u{FEFF}le \u{FFFE}\u{FFFF} owner"),
        Question(name: "ANSI CSI colour", text: "Who owns \u{1B}[31mmobile\u{1B}[0m?"),
        Question(name: "OSC title ended by BEL", text: "platform \u{1B}]0;pwned\u{07} now"),
        Question(
            name: "OSC 8 hyperlink ended by ST",
            text: "\u{1B}]8;;https://evil.example/\u{1B}\\agile\u{1B}]8;;\u{1B}\\ for a CMO"),
        Question(name: "C1 controls", text: "C1 \u{9B}31m \u{85} \u{9D}0;t\u{9C} platform"),
        Question(name: "bidi override", text: "who owns \u{202E}elibom\u{202C} now"),
        Question(name: "other C0 controls", text: "back\u{08}\u{08}space and\rreturn and\u{0C}feed"),
    ]

    @Test("ask answers a hostile question without crashing and records nothing", arguments: questions)
    func askHostile(_ question: Question) async throws {
        let sandbox = try Sandbox()
        async let json = sandbox.advisor(["ask", "--json", question.text], timeout: .seconds(15))
        async let text = sandbox.advisor(["ask", question.text], timeout: .seconds(15))
        let (jsonResult, textResult) = try await (json, text)
        for result in [jsonResult, textResult] {
            #expect(result.exitedNormally && !result.err.contains("Fatal error"), "never a crash: \(result)")
            #expect(result.status == 0, "\(result)")
            #expect(Self.rawControls(result.stderr).isEmpty, "\(result)")
        }
        let answers = try JSON.lines(jsonResult.out)
        #expect(answers.count == 1, "one answer object: \(jsonResult)")
        let answer = try #require(answers.first)
        #expect(answer["topic"] is String && answer["answer"] is String && answer["sources"] is [Any], "\(answer)")
        #expect(Self.rawControls(textResult.stdout).isEmpty, "ask printed \(Self.rawControls(textResult.stdout)) raw")
        #expect(sandbox.transcriptFiles().isEmpty, "ask records no transcript")
    }

    @Test("ask takes invalid UTF-8 in its argument: an answer, exit 0, never a crash")
    func askInvalidUTF8() async throws {
        let sandbox = try Sandbox()
        let advisor = try #require(AdvisorProcess.executable)
        // Swift strings cannot hold invalid UTF-8: let the shell's printf make the bytes.
        // (An argument can never hold a NUL byte: argv strings end at the first one.)
        let script = #"exec "$0" ask --json "$(printf 'who owns \377\376 mobile \300\257 \355\240\200 x\302')""#
        let result = try await sandbox.run("/bin/sh", ["-c", script, advisor], timeout: .seconds(15))
        #expect(result.exitedNormally && !result.err.contains("Fatal error"), "\(result)")
        #expect(result.status == 0, "\(result)")
        let answers = try JSON.lines(result.out)
        #expect(answers.count == 1, "\(result)")
        #expect(answers.first?["topic"] is String)
    }

    @Test("ask takes a 100 KB question (near the argument limit) quickly")
    func askHugeArgument() async throws {
        let sandbox = try Sandbox()
        let question = "Who should own mobile? " + String(repeating: "platform agile ", count: 100_000 / 15)
        let result = try await sandbox.advisor(["ask", "--json", question], timeout: .seconds(20))
        #expect(result.exitedNormally && !result.err.contains("Fatal error"), "\(result)")
        #expect(result.status == 0, "\(result)")
        #expect(try JSON.lines(result.out).count == 1)
        #expect(result.elapsed < .seconds(10), "took \(result.elapsed)")
    }

    @Test(
        "a hostile question through run is answered, stored as typed and never shown raw",
        arguments: questions)
    func runHostile(_ question: Question) async throws {
        let sandbox = try Sandbox()
        let script = question.text + "\nhello\n"
        let json = try await sandbox.advisor(["run", "--json", "-"], input: script, timeout: .seconds(15))
        #expect(json.exitedNormally && !json.err.contains("Fatal error"), "never a crash: \(json)")
        #expect(json.status == 0, "\(json)")
        let answers = try JSON.lines(json.out)
        #expect(answers.count == 2, "an answer object for each question: \(json)")
        #expect(answers.allSatisfy { $0["topic"] is String && $0["answer"] is String })
        #expect(answers.last?["topic"] as? String == "smalltalk")

        let file = try #require(sandbox.transcriptFiles().first)
        let id = file.deletingPathExtension().lastPathComponent
        let stored = try Self.turns(file).map { $0["question"] as? String }
        #expect(stored.count == 2)
        #expect(
            Self.sameScalars(stored.first ?? nil, question.text),
            "stored as typed: \(String(reflecting: stored.first ?? nil)) vs \(String(reflecting: question.text))")

        let text = try await sandbox.advisor(["run", "--no-transcript", "-"], input: script, timeout: .seconds(15))
        #expect(text.status == 0, "\(text)")
        #expect(Self.rawControls(text.stdout).isEmpty, "run printed \(Self.rawControls(text.stdout)) raw")

        let commands: [[String]] = [
            ["show", id], ["show", "--format", "markdown", id], ["list"], ["search", "--since", "2000-01-01"],
            ["search", "hello"],
        ]
        let results = try await withThrowingTaskGroup(of: ([String], ProcessResult).self) { group in
            for command in commands {
                group.addTask { (command, try await sandbox.advisor(["transcripts"] + command)) }
            }
            var all: [([String], ProcessResult)] = []
            for try await pair in group { all.append(pair) }
            return all
        }
        for (command, result) in results {
            #expect(result.exitedNormally && result.status == 0, "\(command): \(result)")
            #expect(
                Self.rawControls(result.stdout).isEmpty,
                "transcripts \(command) printed \(Self.rawControls(result.stdout)) raw")
            #expect(Self.rawControls(result.stderr).isEmpty, "transcripts \(command) stderr")
            if question.printable, command == ["show", id] || command.contains("--since") {
                #expect(result.out.contains(question.text), "a printable question is shown as typed: \(command)")
            }
        }
        let showJSON = try await sandbox.advisor(["transcripts", "show", "--format", "json", id])
        #expect(showJSON.status == 0)
        #expect(TranscriptsTests.rawControls(showJSON.stdout, strict: false).isEmpty, "no raw ESC or BEL in JSON")
        let round = try JSON.lines(showJSON.out).filter { $0["type"] as? String == "turn" }
        #expect(Self.sameScalars(round.first?["question"] as? String, question.text), "show --format json round-trips")
    }

    @Test("invalid UTF-8, NUL bytes and a 10 MB last line without a newline, through a pipe")
    func invalidBytesThroughPipe() async throws {
        let sandbox = try Sandbox()
        var input = Data("hello\n".utf8)
        let bad: [[UInt8]] = [
            [0x62, 0x61, 0x64, 0x20, 0xFF, 0xFE],  // "bad " + bytes never valid in UTF-8
            Array("nul ".utf8) + [0x00] + Array(" byte".utf8),  // a NUL byte
            [0x74, 0x72, 0x75, 0x6E, 0xC2],  // a sequence cut short
            [0x6F, 0x76, 0xC0, 0xAF],  // an overlong "/"
            [0x73, 0x75, 0xED, 0xA0, 0x80],  // a UTF-16 surrogate encoded as UTF-8
            [0x00, 0x00, 0x00],  // only NULs
        ]
        for line in bad { input.append(contentsOf: line + [0x0A]) }
        input.append(Data("Who should own mobile?\n".utf8))
        let shortInput = input
        input.append(Data(repeating: UInt8(ascii: "a"), count: 10 << 20))  // no final newline
        let json = try await sandbox.advisor(["run", "--json", "-"], stdin: input, timeout: .seconds(40))
        #expect(json.exitedNormally && !json.err.contains("Fatal error"), "never a crash: \(json)")
        #expect(json.status == 1, "unreadable lines make the run exit 1: \(json)")
        #expect(json.elapsed < .seconds(20), "took \(json.elapsed)")
        for number in 2...7 {
            #expect(json.errLines.contains { $0.hasPrefix("<stdin>:\(number): ") }, "line \(number) reported: \(json)")
        }
        #expect(json.errLines.contains { $0.hasPrefix("<stdin>:8: ") } == false, "line 8 is a fine question")
        #expect(json.errLines.contains { $0.hasPrefix("<stdin>:9: ") }, "the 10 MB last line is reported: \(json)")
        #expect(try JSON.lines(json.out).map { $0["topic"] as? String } == ["smalltalk", "mobile-ownership"])
        #expect(Self.rawControls(json.stderr).isEmpty, "diagnostics are terminal-safe")
        let file = try #require(sandbox.transcriptFiles().first)
        #expect(try Self.turns(file).map { $0["question"] as? String } == ["hello", "Who should own mobile?"])

        let text = try await sandbox.advisor(["run", "--no-transcript", "-"], stdin: shortInput, timeout: .seconds(15))
        #expect(text.exitedNormally && text.status == 1, "\(text)")
        #expect(Self.rawControls(text.stdout).isEmpty)
        #expect(!text.stdout.contains(0x00), "no NUL byte printed")
    }

    // MARK: Knowledge bases

    /// A way to break a copy of the shipped knowledge base.
    enum Breakage: String, CaseIterable, Sendable, CustomStringConvertible {
        case nestedSequences = "10,000 nested ["
        case nestedMappings = "10,000 nested mappings"
        case duplicateKey = "duplicate key"
        case aliasBombInConcepts = "alias bomb of mappings in concepts.yaml"
        case fiftyMegabytes = "50 MB topic file"
        case symlinkToDevZero = "topic file is a symlink to /dev/zero"
        case fifo = "topic file is a FIFO"
        case directory = "directory named like a topic file"

        var description: String { rawValue }

        /// The file at fault, relative to the knowledge base.
        var file: String { self == .aliasBombInConcepts ? "concepts.yaml" : "topics/term-agile.yaml" }

        /// Whether the problem is in the text, so the message must carry LINE:COLUMN.
        var hasPosition: Bool {
            [.nestedSequences, .nestedMappings, .duplicateKey, .aliasBombInConcepts].contains(self)
        }

        /// Words one of which the message must hold (lowercased).
        var words: [String] {
            switch self {
            case .nestedSequences, .nestedMappings: return ["nest", "deep", "depth"]
            case .duplicateKey: return ["duplicate"]
            case .aliasBombInConcepts: return ["alias"]
            case .fiftyMegabytes: return ["limit", "larger", "too large", "mib"]
            case .symlinkToDevZero, .fifo, .directory: return []  // any message (its clarity: see below)
            }
        }

        /// Whether the message's wording is a known problem (see `clearMessage`).
        var notARegularFile: Bool { [.symlinkToDevZero, .fifo, .directory].contains(self) }

        func apply(to base: URL) throws {
            let target = base.appendingPathComponent(file)
            let original = try String(contentsOf: target, encoding: .utf8)
            switch self {
            case .nestedSequences:
                try (original + "nested: " + String(repeating: "[", count: 10_000) + "\n")
                    .write(to: target, atomically: true, encoding: .utf8)
            case .nestedMappings:
                let nested =
                    String(repeating: "{a: ", count: 10_000) + "b" + String(repeating: "}", count: 10_000)
                try (original + "nested: " + nested + "\n").write(to: target, atomically: true, encoding: .utf8)
            case .duplicateKey:
                try (original + "title: A second title\n").write(to: target, atomically: true, encoding: .utf8)
            case .aliasBombInConcepts:
                var lines = ["concepts:", "  lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                for level in 1..<10 {
                    let items = (0..<9).map { "m\($0): *a\(level - 1)" }.joined(separator: ", ")
                    lines.append("  lol\(level): &a\(level) {\(items)}")
                }
                try (lines.joined(separator: "\n") + "\n").write(to: target, atomically: true, encoding: .utf8)
            case .fiftyMegabytes:
                // Real bytes (a valid topic, then a long comment), so loading it would show.
                let handle = try FileHandle(forWritingTo: target)
                defer { try? handle.close() }
                try handle.seekToEnd()
                let comment = Data(("# " + String(repeating: "x", count: 1 << 20 - 3) + "\n").utf8)
                for _ in 0..<50 { try handle.write(contentsOf: comment) }
            case .symlinkToDevZero:
                try FileManager.default.removeItem(at: target)
                try FileManager.default.createSymbolicLink(atPath: target.path, withDestinationPath: "/dev/zero")
            case .fifo:
                try FileManager.default.removeItem(at: target)
                guard mkfifo(target.path, 0o644) == 0 else {
                    throw SpawnError(description: "mkfifo failed: \(String(cString: strerror(errno)))")
                }
            case .directory:
                try FileManager.default.removeItem(at: target)
                try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
                try "id: term-agile\n".write(
                    to: target.appendingPathComponent("inside.yaml"), atomically: true, encoding: .utf8)
            }
        }
    }

    /// A copy of the shipped knowledge base in the sandbox.
    static func shippedCopy(_ sandbox: Sandbox, _ name: String) throws -> URL {
        try sandbox.copy(try #require(AdvisorProcess.shippedKnowledgeBase), to: name)
    }

    /// The diagnostics of `result` that name `path`: `PATH:LINE:COLUMN: ...` or `PATH: ...`.
    static func diagnostics(_ result: ProcessResult, naming path: String, withPosition: Bool) -> [String] {
        result.errLines.filter { line in
            guard line.hasPrefix(path + ":") else { return false }
            let rest = line.dropFirst(path.count + 1)
            if rest.range(of: #"^\d+:\d+: "#, options: .regularExpression) != nil { return true }
            return !withPosition && rest.hasPrefix(" ")
        }
    }

    @Test(
        "a broken knowledge base is refused quickly by kb check and ask, with FILE:LINE:COLUMN",
        arguments: Breakage.allCases)
    func brokenKnowledgeBase(_ breakage: Breakage) async throws {
        let sandbox = try Sandbox()
        let base = try Self.shippedCopy(sandbox, "kb")
        try breakage.apply(to: base)
        let path = base.appendingPathComponent(breakage.file).path
        async let checking = sandbox.advisor(["kb", "check", "--kb", base.path], timeout: .seconds(15))
        async let asking = sandbox.advisor(
            ["ask", "--json", "--kb", base.path, "What does agile mean?"], timeout: .seconds(15))
        let (check, ask) = try await (checking, asking)
        for result in [check, ask] {
            #expect(!result.timedOut, "never hangs: \(result)")
            #expect(result.exitedNormally && !result.err.contains("Fatal error"), "never a crash: \(result)")
            #expect(result.status == 1, "\(result)")
            #expect(result.elapsed < .seconds(5), "took \(result.elapsed)")
            let lines = Self.diagnostics(result, naming: path, withPosition: breakage.hasPosition)
            #expect(
                !lines.isEmpty, "a diagnostic naming \(path)\(breakage.hasPosition ? ":LINE:COLUMN" : ""): \(result)")
            if !breakage.words.isEmpty {
                #expect(
                    lines.contains { line in breakage.words.contains { line.lowercased().contains($0) } },
                    "the message says why (\(breakage.words)): \(lines)")
            }
            #expect(Self.rawControls(result.stderr).isEmpty)
        }
        #expect(ask.stdout.isEmpty, "no answer from an invalid knowledge base: \(ask)")
        #expect(check.err.contains(path), "\(check)")
        #expect(sandbox.transcriptFiles().isEmpty)
        if breakage.notARegularFile {
            let lines = Self.diagnostics(check, naming: path, withPosition: false)
            for line in lines {
                #expect(
                    !line.lowercased().contains("permission"), "running as root: not a permission problem: \(line)")
                #expect(!line.contains("NSCocoaErrorDomain"), "a clear message, not an error domain: \(line)")
            }
        }
    }

    @Test("a topic file that is a symlink to a file over the size limit is refused by size, without loading it")
    func symlinkToHugeFile() async throws {
        let sandbox = try Sandbox()
        let base = try Self.shippedCopy(sandbox, "kb")
        // 33 MiB: just over the 32 MiB limit, a valid topic followed by a long comment.
        let huge = sandbox.path("outside/huge.yaml")
        try FileManager.default.createDirectory(at: huge.deletingLastPathComponent(), withIntermediateDirectories: true)
        let topic = base.appendingPathComponent("topics/term-agile.yaml")
        try FileManager.default.copyItem(at: topic, to: huge)
        let handle = try FileHandle(forWritingTo: huge)
        try handle.seekToEnd()
        let comment = Data(("# " + String(repeating: "x", count: 1 << 20 - 3) + "\n").utf8)
        for _ in 0..<33 { try handle.write(contentsOf: comment) }
        try handle.close()
        try FileManager.default.removeItem(at: topic)
        try FileManager.default.createSymbolicLink(atPath: topic.path, withDestinationPath: huge.path)

        let result = try await sandbox.advisor(["kb", "check", "--kb", base.path], timeout: .seconds(30))
        #expect(!result.err.contains("Fatal error"), "never a crash: \(result)")
        let lines = Self.diagnostics(result, naming: topic.path, withPosition: false)
        #expect(!result.timedOut && result.status == 1, "\(result)")
        #expect(
            lines.contains { $0.contains("limit") || $0.contains("larger") },
            "refused by size, like the same file in place: \(result)")
        #expect(result.elapsed < .seconds(5), "refusing by size is quick; took \(result.elapsed)")
    }

    @Test("cyclic related topics (a -> b -> a) are accepted and answered without looping")
    func cyclicRelated() async throws {
        let sandbox = try Sandbox()
        let base = try Self.shippedCopy(sandbox, "kb")
        for (id, other) in [("term-agile", "term-platform"), ("term-platform", "term-agile")] {
            let file = base.appendingPathComponent("topics/\(id).yaml")
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            let relinked = lines.map { $0.hasPrefix("related:") ? "related: [\(other)]" : $0 }
            try #require(relinked != lines, "\(id).yaml has a related: line")
            try relinked.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        }
        async let check = sandbox.advisor(["kb", "check", "--kb", base.path], timeout: .seconds(15))
        async let ask = sandbox.advisor(["ask", "--json", "--kb", base.path, "What does agile mean?"])
        async let run = sandbox.advisor(
            ["run", "--json", "--kb", base.path, "-"],
            input: "What does agile mean?\n/more\n/sources\nwhat about platform?\n/more\nand to a CMO?\n/history\n",
            timeout: .seconds(15))
        let (checkResult, askResult, runResult) = try await (check, ask, run)
        #expect(checkResult.status == 0, "a cycle of related topics is fine: \(checkResult)")
        #expect(askResult.status == 0, "\(askResult)")
        let answer = try JSON.object(askResult.out)
        #expect(answer["topic"] as? String == "term-agile", "\(askResult)")
        #expect(answer["related"] as? [String] == ["term-platform"], "\(askResult)")
        // The three start together on a fresh copy, so each compiles it cold (its 4,500 example
        // questions too): seconds under the address sanitizer, where a loop would take the timeout.
        let bound: Duration =
            ProcessInfo.processInfo.environment["ADVISOR_SANITIZED"] == nil ? .seconds(5) : .seconds(12)
        #expect(runResult.status == 0 && runResult.elapsed < bound, "\(runResult)")
        #expect(
            try JSON.lines(runResult.out).map { $0["topic"] as? String } == [
                "term-agile", "term-platform", "term-platform",
            ])
    }

    // MARK: Transcript ids and folders

    /// A transcript reference that must be refused.
    struct BadID: Sendable, CustomStringConvertible {
        var name: String
        var id: String
        var description: String { name }
    }

    static let badIDs: [BadID] = [
        BadID(name: "empty", id: ""),
        BadID(name: "dot", id: "."),
        BadID(name: "three dots", id: "..."),
        BadID(name: "dot slash", id: "./"),
        BadID(name: "encoded dots", id: "%2e%2e%2fetc%2fpasswd"),
        BadID(name: "unicode slash", id: "\u{2215}etc\u{2215}passwd"),
        BadID(name: "tilde", id: "~/x"),
        BadID(name: "10,000 characters", id: String(repeating: "a", count: 10_000)),
        BadID(name: "escape sequence", id: "x\u{1B}]0;pwned\u{07}y"),
        BadID(name: "tab", id: "a\tb"),
        BadID(name: "newline", id: "a\nb"),
        BadID(name: "trailing newline", id: "last\n"),
    ]

    @Test("transcripts show refuses a hostile id with one clear line and exit 2", arguments: badIDs)
    func hostileID(_ bad: BadID) async throws {
        let sandbox = try Sandbox()
        let run = try await sandbox.advisor(["run", "-"], input: "hello\n")
        #expect(run.status == 0)
        async let text = sandbox.advisor(["transcripts", "show", bad.id])
        async let json = sandbox.advisor(["transcripts", "show", "--format", "json", bad.id])
        let (textResult, jsonResult) = try await (text, json)
        for result in [textResult, jsonResult] {
            #expect(result.exitedNormally && !result.err.contains("Fatal error"), "\(result)")
            #expect(result.status == 2, "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            #expect(Self.rawControls(result.stderr).isEmpty, "the id is shown safely: \(result)")
            let check = {
                #expect(result.errLines.count == 1, "one clear line: \(result)")
            }
            check()
        }
    }

    static let linkName = "20990101-000000.000-1-aaaaaa"
    static let secret = "SECRET-OUTSIDE-TARGET"

    @Test("a symlink named like a transcript is never followed: show refuses it, list and search skip it")
    func symlinkedTranscript() async throws {
        let sandbox = try Sandbox()
        let run = try await sandbox.advisor(["run", "-"], input: "hello\n")
        #expect(run.status == 0)
        let real = try #require(sandbox.transcriptFiles().first)
        let realID = real.deletingPathExtension().lastPathComponent
        // The target is itself a valid transcript, so reading it would show.
        let contents = try String(contentsOf: real, encoding: .utf8).replacingOccurrences(
            of: "hello", with: Self.secret)
        let target = try sandbox.write("outside/target.jsonl", contents)
        let link = sandbox.transcripts.appendingPathComponent(Self.linkName + ".jsonl")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: target.path)

        let commands: [[String]] = [
            ["show", Self.linkName], ["show", "--format", "json", Self.linkName], ["show", "2099"],
            ["export", Self.linkName], ["list"], ["list", "--json"], ["search", Self.secret],
            ["search", "--json", "--since", "2000-01-01"], ["gaps"],
        ]
        let results = try await withThrowingTaskGroup(of: ([String], ProcessResult).self) { group in
            for command in commands {
                group.addTask { (command, try await sandbox.advisor(["transcripts"] + command)) }
            }
            var all: [([String], ProcessResult)] = []
            for try await pair in group { all.append(pair) }
            return all
        }
        for (command, result) in results {
            #expect(result.exitedNormally && !result.timedOut, "\(command): \(result)")
            #expect(!result.out.contains(Self.secret), "\(command) read the link's target: \(result)")
            #expect(result.errLines.count <= 1, "\(command): at most one line about the link: \(result)")
            if let line = result.errLines.first {
                #expect(line.contains(Self.linkName), "\(command): the message names the link: \(result)")
            }
            if ["show", "export"].contains(command[0]) {
                #expect(result.status == 2, "\(command): \(result)")
                #expect(result.stdout.isEmpty, "\(command): \(result)")
            } else {
                #expect(result.status == 0, "\(command): \(result)")
                if command[0] == "list" || command.contains("--since") {
                    #expect(result.out.contains(realID), "\(command) still shows the real one: \(result)")
                }
            }
        }
        #expect(try String(contentsOf: target, encoding: .utf8) == contents, "the target is untouched")
    }

    @Test("a FIFO or a folder named like a transcript never hangs the readers")
    func fifoTranscript() async throws {
        let sandbox = try Sandbox()
        let run = try await sandbox.advisor(["run", "-"], input: "hello\n")
        #expect(run.status == 0)
        let realID = try #require(sandbox.transcriptFiles().first).deletingPathExtension().lastPathComponent
        let folderID = "20990101-000000.000-1-cccccc"
        try FileManager.default.createDirectory(
            at: sandbox.transcripts.appendingPathComponent(folderID + ".jsonl"), withIntermediateDirectories: false)
        let folderList = try await sandbox.advisor(["transcripts", "list", "--json"], timeout: .seconds(5))
        #expect(folderList.status == 0 && folderList.out.contains(realID), "\(folderList)")
        #expect(folderList.errLines.count == 1 && folderList.err.contains(folderID), "\(folderList)")

        let fifoID = "20990101-000000.000-1-bbbbbb"
        let fifo = sandbox.transcripts.appendingPathComponent(fifoID + ".jsonl")
        try #require(mkfifo(fifo.path, 0o600) == 0)
        // While the bug stands each reader blocks until its deadline: keep the deadlines short.
        async let list = sandbox.advisor(["transcripts", "list"], timeout: .seconds(4))
        async let show = sandbox.advisor(["transcripts", "show", fifoID], timeout: .seconds(4))
        async let search = sandbox.advisor(["transcripts", "search", "hello"], timeout: .seconds(4))
        let (listResult, showResult, searchResult) = try await (list, show, search)
        for result in [listResult, showResult, searchResult] {
            #expect(!result.timedOut, "never hangs: \(result)")
        }
        #expect(listResult.status == 0 && listResult.out.contains(realID), "\(listResult)")
        #expect(searchResult.status == 0 && searchResult.out.contains(realID), "\(searchResult)")
        #expect(showResult.status == 2 && showResult.errLines.count == 1, "\(showResult)")
    }

    @Test("a transcripts folder that is a symlink to another folder is followed; a dangling one warns")
    func symlinkedFolder() async throws {
        let sandbox = try Sandbox()
        let real = sandbox.path("real-transcripts")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        let link = sandbox.path("linked-transcripts")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: real.path)
        let run = try await sandbox.advisor(
            ["run", "--json", "-"], input: "hello\n", env: ["ADVISOR_TRANSCRIPTS": link.path])
        #expect(run.status == 0 && run.err.isEmpty, "\(run)")
        let files = sandbox.transcriptFiles(in: real)
        #expect(files.count == 1, "saved in the folder the link points to")
        let list = try await sandbox.advisor(
            ["transcripts", "list", "--json"], env: ["ADVISOR_TRANSCRIPTS": link.path])
        let rows = try #require(try JSONSerialization.jsonObject(with: list.stdout) as? [[String: Any]])
        #expect(rows.count == 1 && rows.first?["turns"] as? Int == 1, "\(list)")

        let dangling = sandbox.path("dangling-transcripts")
        let nowhere = sandbox.path("nowhere")
        try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: nowhere.path)
        let lost = try await sandbox.advisor(
            ["run", "--json", "-"], input: "hello\n", env: ["ADVISOR_TRANSCRIPTS": dangling.path])
        #expect(lost.status == 0, "\(lost)")
        #expect(try JSON.lines(lost.out).count == 1, "still answers: \(lost)")
        #expect(lost.errLines.count == 1 && lost.err.contains(dangling.path), "one warning: \(lost)")
    }

    @Test("a session writes nothing outside its transcripts folder, whatever the script says")
    func writesOnlyItsTranscript() async throws {
        let sandbox = try Sandbox()
        try FileManager.default.createDirectory(at: sandbox.transcripts, withIntermediateDirectories: true)
        let script = [
            "../../../../tmp/pwned", "$(touch pwned)", "`touch pwned2`", "/transcript", "/history",
            "/topic ../../../etc/passwd", "/sources", "/more", "~/.bashrc > out.txt",
            "\u{1B}]0;x\u{07}; touch pwned3",
        ].joined(separator: "\n")
        // No knowledge base cache either: the check is on the session itself.
        let environment: [String: String?] = ["ADVISOR_CACHE": "off"]
        let before = Self.snapshot(sandbox.root)
        let result = try await sandbox.advisor(
            ["run", "-"], stdin: Data((script + "\n").utf8), env: environment, cwd: sandbox.root)
        let after = Self.snapshot(sandbox.root)
        #expect(result.exitedNormally && result.status == 1, "the unknown topic is a script error: \(result)")
        let added = Set(after.keys).subtracting(before.keys)
        let changed = before.keys.filter { after[$0] != nil && after[$0] != before[$0] && $0 != "transcripts" }
        #expect(added.count == 1, "one new file: \(added.sorted())")
        #expect(added.allSatisfy { $0.hasPrefix("transcripts/") && $0.hasSuffix(".jsonl") }, "\(added.sorted())")
        #expect(changed.isEmpty, "nothing else changed: \(changed)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/pwned"))
    }

    // MARK: Full disk and unusable folders

    /// Whether a 64 KiB tmpfs can be mounted here (root, and a kernel that lets us).
    static let tmpfsAvailable: Bool = {
        guard getuid() == 0, let mount = AdvisorProcess.which("mount"), let umount = AdvisorProcess.which("umount"),
            let sandbox = try? Sandbox()
        else { return false }
        let folder = sandbox.path("probe")
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil,
            let process = try? ChildProcess(
                executable: mount, arguments: ["-t", "tmpfs", "-o", "size=64k", "tmpfs", folder.path],
                environment: sandbox.environment)
        else { return false }
        guard process.finish(timeout: .seconds(10)).status == 0 else { return false }
        if let unmount = try? ChildProcess(
            executable: umount, arguments: ["-l", folder.path], environment: sandbox.environment)
        {
            _ = unmount.finish(timeout: .seconds(10))
        }
        return true
    }()

    /// A script of `count` numbered questions.
    static func numberedQuestions(_ count: Int) -> [String] {
        (1...count).map { "What does agile mean to a CIO? (question \($0))" }
    }

    /// Checks a session cut off by a full disk: every answer printed, exit 0, one warning
    /// naming the transcript and the first unsaved turn, and exactly the turns before it saved.
    static func expectCutOff(
        _ result: ProcessResult, questions: [String], folder: URL, sandbox: Sandbox
    ) async throws {
        #expect(result.exitedNormally && !result.err.contains("Fatal error"), "\(result)")
        #expect(result.status == 0, "\(result)")
        #expect(try JSON.lines(result.out).count == questions.count, "every answer printed: \(result)")
        let file = try #require(sandbox.transcriptFiles(in: folder).first, "\(result)")
        #expect(sandbox.transcriptFiles(in: folder).count == 1)
        #expect(result.errLines.count == 1, "one warning: \(result)")
        let warning = result.errLines.first ?? ""
        #expect(warning.lowercased().contains("warning"), "\(warning)")
        #expect(warning.contains(file.path), "the warning names the transcript: \(warning)")
        let match = warning.firstMatch(of: /turn (\d+)/)
        let firstLost = try #require(match.flatMap { Int($0.1) }, "the warning says from which turn: \(warning)")
        #expect(firstLost >= 2 && firstLost <= questions.count, "\(warning)")

        // Every complete line is an event; only a last line without its newline may be torn.
        let data = try Data(contentsOf: file)
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let torn = lines.removeLast()
        let events = try lines.map { try JSON.object(String(decoding: $0, as: UTF8.self)) }
        #expect(events.first?["type"] as? String == "session")
        let turns = events.filter { $0["type"] as? String == "turn" }
        #expect(turns.map { $0["question"] as? String } == questions.prefix(firstLost - 1).map { Optional($0) })
        #expect(turns.map { $0["n"] as? Int } == (1..<firstLost).map { Optional($0) })
        #expect(events.count == firstLost, "the session event and the turns before the warning, nothing else")
        if !torn.isEmpty {
            #expect((try? JSON.object(String(decoding: torn, as: UTF8.self))) == nil, "a torn last line")
        }

        let id = file.deletingPathExtension().lastPathComponent
        let show = try await sandbox.advisor(
            ["transcripts", "show", "--format", "json", id], env: ["ADVISOR_TRANSCRIPTS": folder.path])
        #expect(show.status == 0, "\(show)")
        #expect(show.errLines.count <= 1 && show.errLines.allSatisfy { $0.contains("torn") }, "\(show)")
        let shown = try JSON.lines(show.out).filter { $0["type"] as? String == "turn" }
        #expect(shown.count == firstLost - 1, "\(show)")
    }

    @Test(
        "a full disk (64 KiB tmpfs): one warning, every answer, exactly the saved turns", .enabled(if: tmpfsAvailable))
    func fullDisk() async throws {
        let sandbox = try Sandbox()
        let mount = try #require(AdvisorProcess.which("mount"))
        let umount = try #require(AdvisorProcess.which("umount"))
        let folder = sandbox.path("tmpfs")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let mounted = try await sandbox.run(mount, ["-t", "tmpfs", "-o", "size=64k", "tmpfs", folder.path])
        try #require(mounted.status == 0, "\(mounted)")
        defer {
            if let process = try? ChildProcess(
                executable: umount, arguments: ["-l", folder.path], environment: sandbox.environment)
            {
                _ = process.finish(timeout: .seconds(10))
            }
        }
        let questions = Self.numberedQuestions(120)
        let script = try sandbox.write("full.advisor", questions.joined(separator: "\n") + "\n")
        let result = try await sandbox.advisor(
            ["run", "--json", "--transcripts", folder.path, script.path], timeout: .seconds(30))
        try await Self.expectCutOff(result, questions: questions, folder: folder, sandbox: sandbox)
    }

    @Test("a file-size limit (ulimit -f): one warning, every answer, exactly the saved turns")
    func fileSizeLimit() async throws {
        let sandbox = try Sandbox()
        let advisor = try #require(AdvisorProcess.executable)
        let folder = sandbox.path("limited")
        let questions = Self.numberedQuestions(40)
        let script = try sandbox.write("limited.advisor", questions.joined(separator: "\n") + "\n")
        // Standard output is a pipe, which the limit does not touch.
        let result = try await sandbox.run(
            "/bin/sh", ["-c", #"ulimit -f 8; exec "$0" "$@""#, advisor, "run", "--json", script.path],
            env: ["ADVISOR_TRANSCRIPTS": folder.path], timeout: .seconds(30))
        try await Self.expectCutOff(result, questions: questions, folder: folder, sandbox: sandbox)
    }

    @Test("a disk full before the session header: one warning, every answer, no empty transcript left behind")
    func fullBeforeHeader() async throws {
        let sandbox = try Sandbox()
        let advisor = try #require(AdvisorProcess.executable)
        let folder = sandbox.path("limited")
        let result = try await sandbox.run(
            "/bin/sh", ["-c", #"ulimit -f 0; exec "$0" "$@""#, advisor, "run", "--json", "-"],
            stdin: Data("hello\nWho should own mobile?\n".utf8), env: ["ADVISOR_TRANSCRIPTS": folder.path],
            timeout: .seconds(20))
        #expect(result.exitedNormally && result.status == 0, "\(result)")
        #expect(try JSON.lines(result.out).count == 2, "every answer printed: \(result)")
        #expect(result.err.contains(folder.path), "\(result)")
        let left = sandbox.transcriptFiles(in: folder)
        #expect(result.errLines.count == 1, "one warning: \(result)")
        #expect(left.isEmpty, "no empty transcript left behind: \(left.map(\.lastPathComponent))")
        // Whatever is left must not break the readers.
        let list = try await sandbox.advisor(
            ["transcripts", "list", "--json"], env: ["ADVISOR_TRANSCRIPTS": folder.path])
        #expect(list.status == 0, "\(list)")
    }

    @Test("a transcripts path that is a regular file or a device: one warning, answers still given")
    func transcriptsPathIsAFile() async throws {
        let sandbox = try Sandbox()
        let file = try sandbox.write("transcripts-file", "not a folder\n")
        let input = "hello\nWho should own mobile?\n"
        async let byOption = sandbox.advisor(["run", "--json", "--transcripts", file.path, "-"], input: input)
        async let byEnvironment = sandbox.advisor(
            ["run", "--json", "-"], input: input, env: ["ADVISOR_TRANSCRIPTS": file.path])
        async let device = sandbox.advisor(["run", "--json", "--transcripts", "/dev/null", "-"], input: input)
        let results = try await [byOption, byEnvironment, device]
        for (result, path) in zip(results, [file.path, file.path, "/dev/null"]) {
            #expect(result.exitedNormally && result.status == 0, "\(result)")
            #expect(try JSON.lines(result.out).map { $0["topic"] as? String } == ["smalltalk", "mobile-ownership"])
            #expect(result.errLines.count == 1, "one warning: \(result)")
            #expect(result.err.contains(path) && result.err.lowercased().contains("warning"), "\(result)")
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "not a folder\n", "the file is untouched")
    }
}

/// The controls `TerminalSafe` neutralises (kept here: the CLI tests see only the binary).
enum TerminalSafeProbe {
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
    }
}
