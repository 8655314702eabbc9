import AdvisorTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Hostile compiled caches and knowledge base files (issue 12): damaged and crafted
/// caches, a manifest a warm cache must not hide, cache permissions, escapes in a
/// knowledge base, a byte order mark, control characters.
extension HostileInputTests {
    /// A script of questions and follow-ups that touches many topics.
    static let cacheQuestions = [
        "Who owns mobile?", "what do the numbers say?", "What does agile mean to a CIO?", "and to a CMO?",
        "who controls the tech budget", "our platform budget keeps growing", "how do we stop shadow IT",
        "who owns moblie", "tell me more",
    ]

    /// The answers of `cacheQuestions` as JSON Lines.
    static func cacheAnswers(_ sandbox: Sandbox, env: [String: String?]) async throws -> ProcessResult {
        try await sandbox.advisor(
            ["run", "--json", "--no-transcript", "-"], input: cacheQuestions.joined(separator: "\n") + "\n", env: env,
            timeout: .seconds(60))
    }

    @Test("200 random byte flips of a compiled cache never change an answer (50 under the sanitizer)")
    func cacheByteFlips() async throws {
        let sandbox = try Sandbox()
        let reference = try await Self.cacheAnswers(sandbox, env: ["ADVISOR_CACHE": "off"])
        #expect(reference.status == 0 && reference.err.isEmpty, "\(reference)")
        #expect(try JSON.lines(reference.out).count == Self.cacheQuestions.count)
        let warm = sandbox.path("warm")
        let first = try await Self.cacheAnswers(sandbox, env: ["ADVISOR_CACHE": warm.path])
        #expect(first.out == reference.out)
        let cache = try #require(CacheFile.files(in: warm).first)
        let original = [UInt8](try Data(contentsOf: cache))
        #expect(original.count > 1000)

        var rng = SystemRandomNumberGenerator()
        // Each flip the cache turns away costs a cold compile (the 4,500 example questions with
        // it): 200 in the plain run, 50 under the address sanitizer, where a compile takes seconds
        // and the decoder is fuzzed besides (FuzzCache).
        let count = ProcessInfo.processInfo.environment["ADVISOR_SANITIZED"] == nil ? 200 : 50
        let flips = (0..<count).map { _ in
            (position: Int.random(in: 0..<original.count, using: &rng), mask: UInt8.random(in: 1...255, using: &rng))
        }
        let failures = try await withThrowingTaskGroup(of: String?.self) { group in
            for (index, flip) in flips.enumerated() {
                group.addTask {
                    let folder = sandbox.path("flip-\(index)")
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    var damaged = original
                    damaged[flip.position] ^= flip.mask
                    let file = folder.appendingPathComponent(cache.lastPathComponent)
                    try Data(damaged).write(to: file)
                    let result = try await Self.cacheAnswers(sandbox, env: ["ADVISOR_CACHE": folder.path])
                    let rewritten = [UInt8]((try? Data(contentsOf: file)) ?? Data())
                    if result.status != 0 || !result.err.isEmpty || result.out != reference.out {
                        return "flip \(flip.mask) at byte \(flip.position): \(result)"
                    }
                    if rewritten == damaged { return "flip at byte \(flip.position): the damaged cache was kept" }
                    return nil
                }
            }
            var failures: [String] = []
            for try await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        #expect(failures.isEmpty, "\(failures.count) flips changed something: \(failures.prefix(3))")
    }

    @Test(
        "a cache verified once is vouched for by a record; a damaged record or a cache changed after it never changes an answer"
    )
    func verificationRecord() async throws {
        let sandbox = try Sandbox()
        let reference = try await Self.cacheAnswers(sandbox, env: ["ADVISOR_CACHE": "off"])
        #expect(reference.status == 0 && reference.err.isEmpty, "\(reference)")
        let folder = sandbox.path("cache")
        let env: [String: String?] = ["ADVISOR_CACHE": folder.path]
        func record() -> String? {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            guard let name = names.first(where: { $0.hasSuffix("-verified") }) else { return nil }
            return try? String(contentsOfFile: folder.appendingPathComponent(name).path, encoding: .utf8)
        }

        // Written now, so its times have not settled: verified in full, but not vouched for.
        #expect(try await Self.cacheAnswers(sandbox, env: env).out == reference.out)
        let cache = try #require(CacheFile.files(in: folder).first)
        #expect(record() == nil)
        try await Task.sleep(for: .seconds(3))
        #expect(try await Self.cacheAnswers(sandbox, env: env).out == reference.out)
        let vouched = try #require(record())
        #expect(vouched.hasPrefix("advisor-verified 1\n" + cache.lastPathComponent + "\n"), "\(vouched)")
        #expect(try await Self.cacheAnswers(sandbox, env: env).out == reference.out)
        #expect(record() == vouched)

        // A damaged record vouches for nothing: the cache is verified again and the record remade.
        let recordFile = try #require(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix("-verified") })
        try Data("advisor-verified 1\ngarbage\n".utf8).write(to: folder.appendingPathComponent(recordFile))
        let afterGarbage = try await Self.cacheAnswers(sandbox, env: env)
        #expect(afterGarbage.out == reference.out && afterGarbage.err.isEmpty, "\(afterGarbage)")
        #expect(record() == vouched)

        // A byte changed in place after the cache was vouched for changes its stamp: the file is
        // verified in full, found damaged, and replaced.
        var bytes = [UInt8](try Data(contentsOf: cache))
        let handle = try FileHandle(forWritingTo: cache)
        try handle.seek(toOffset: UInt64(bytes.count / 2))
        bytes[bytes.count / 2] ^= 0xFF
        try handle.write(contentsOf: [bytes[bytes.count / 2]])
        try handle.close()
        let afterFlip = try await Self.cacheAnswers(sandbox, env: env)
        #expect(afterFlip.out == reference.out && afterFlip.err.isEmpty, "\(afterFlip)")
        #expect([UInt8]((try? Data(contentsOf: cache)) ?? Data()) != bytes, "the damaged cache was kept")
    }

    @Test("a crafted cache whose checksum holds cannot make ask print raw terminal escapes")
    func craftedCache() async throws {
        let sandbox = try Sandbox()
        let folder = sandbox.path("cache")
        let env: [String: String?] = ["ADVISOR_CACHE": folder.path]
        let before = try await sandbox.advisor(["ask", "Who owns mobile?"], env: env)
        #expect(before.status == 0 && before.out.contains("Mobile is the omnichannel"), "\(before)")
        let cache = try #require(CacheFile.files(in: folder).first)
        var bytes = [UInt8](try Data(contentsOf: cache))
        // Same length, so every length prefix still holds: an OSC title, a BEL and a CSI colour.
        let plain = Array("Mobile is the".utf8)
        let hostile = Array("\u{1B}]0;pwn\u{07}\u{1B}[31m".utf8)
        #expect(plain.count == hostile.count)
        var replaced = 0
        var index = 0
        while index + plain.count <= bytes.count {
            if Array(bytes[index..<(index + plain.count)]) == plain {
                bytes.replaceSubrange(index..<(index + plain.count), with: hostile)
                replaced += 1
            }
            index += 1
        }
        #expect(replaced > 0)
        try Data(CacheFile.resealed(bytes)).write(to: cache)

        let text = try await sandbox.advisor(["ask", "Who owns mobile?"], env: env)
        #expect(text.status == 0, "\(text)")
        #expect(text.out.contains("^[]0;pwn^G^[[31m"), "the crafted cache was used, and shown neutralised: \(text)")
        #expect(Self.rawControls(text.stdout).isEmpty, "ask printed \(Self.rawControls(text.stdout)) raw")
        let json = try await sandbox.advisor(["ask", "--json", "Who owns mobile?"], env: env)
        #expect(Self.rawControls(json.stdout).isEmpty, "\(json)")
        #expect((try JSON.object(json.out)["answer"] as? String)?.hasPrefix("\u{1B}]0;pwn") == true)
        let run = try await sandbox.advisor(
            ["run", "--no-transcript", "-"], input: "Who owns mobile?\n/topic mobile-ownership\n/more\n", env: env)
        #expect(run.status == 0 && run.out.contains("^[]0;pwn"), "\(run)")
        #expect(Self.rawControls(run.stdout).isEmpty, "run printed \(Self.rawControls(run.stdout)) raw")
    }

    @Test("escapes written in the knowledge base's YAML never reach the terminal raw")
    func escapesInKnowledgeBase() async throws {
        let sandbox = try Sandbox()
        let kb = try Self.shippedCopy(sandbox, "kb-escapes")
        let file = kb.appendingPathComponent("topics/mobile-ownership.yaml")
        var yaml = try String(contentsOf: file, encoding: .utf8)
        let title = try #require(yaml.split(separator: "\n").first { $0.hasPrefix("title:") })
        yaml = yaml.replacingOccurrences(
            of: String(title), with: #"title: "Who owns \e[31mmobile\e]0;pwned\a \u009B0m \u202Eelibom""#)
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let check = try await sandbox.advisor(["kb", "check", "--kb", kb.path])
        #expect(check.status == 0, "an escape in a double-quoted string is valid YAML: \(check)")
        let commands = [["ask", "--kb", kb.path, "Who owns mobile?"], ["kb", "topics", "--kb", kb.path]]
        for arguments in commands {
            let result = try await sandbox.advisor(arguments)
            #expect(result.status == 0 && result.out.contains("Who owns ^[[31mmobile"), "\(arguments): \(result)")
            #expect(Self.rawControls(result.stdout).isEmpty, "\(arguments) printed \(Self.rawControls(result.stdout))")
        }
        let script = "Who owns mobile?\n/topic mobile-ownership\n/topics\n/why\n/more\n/sources\n"
        let run = try await sandbox.advisor(["run", "--no-transcript", "--kb", kb.path, "-"], input: script)
        #expect(run.status == 0, "\(run)")
        #expect(Self.rawControls(run.stdout).isEmpty, "run printed \(Self.rawControls(run.stdout)) raw")
        #expect(run.out.components(separatedBy: "^[[31m").count > 3, "\(run)")
    }

    @Test("with a warm cache, ask and run refuse a manifest that kb check rejects")
    func warmCacheManifest() async throws {
        let sandbox = try Sandbox()
        let kb = try Self.shippedCopy(sandbox, "kb-manifest")
        let warm = try await sandbox.advisor(["ask", "--kb", kb.path, "Who owns mobile?"])
        #expect(warm.status == 0, "\(warm)")
        #expect(CacheFile.files(in: sandbox.home.appendingPathComponent(".cache/advisor")).count == 1)
        let manifest = kb.appendingPathComponent("manifest.yaml")
        let original = try String(contentsOf: manifest, encoding: .utf8)
        let broken: [(String, String)] = [
            ("an unknown key", original + "bogus: 1\n"),
            ("a topic missing from the taxonomy", original.replacingOccurrences(of: "  - shadow-it\n", with: "")),
        ]
        for (what, contents) in broken {
            try contents.write(to: manifest, atomically: true, encoding: .utf8)
            let check = try await sandbox.advisor(["kb", "check", "--kb", kb.path])
            #expect(check.status == 1, "\(what): \(check)")
            let problem = try #require(check.errLines.first { $0.contains(": error: ") }, "\(what): \(check)")
            let ask = try await sandbox.advisor(["ask", "--kb", kb.path, "Who owns mobile?"])
            #expect(ask.status == 1 && ask.stdout.isEmpty, "\(what): ask with a warm cache: \(ask)")
            #expect(ask.errLines.contains(problem), "\(what): the same message as kb check: \(ask)")
            let run = try await sandbox.advisor(["run", "--kb", kb.path, "-"], input: "Who owns mobile?\n")
            #expect(run.status == 1 && run.stdout.isEmpty, "\(what): run with a warm cache: \(run)")
        }
        try original.write(to: manifest, atomically: true, encoding: .utf8)
        let again = try await sandbox.advisor(["ask", "--kb", kb.path, "Who owns mobile?"])
        #expect(again.status == 0, "\(again)")
    }

    /// The permission bits of `url` (not following a link).
    static func mode(_ url: URL) -> mode_t? {
        var info = stat()
        return lstat(url.path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    @Test("cache files are 0600 and the folders made for them 0700; what exists is never chmod'ed")
    func cachePermissions() async throws {
        let sandbox = try Sandbox()
        // umask 022 would give 0644 to a file created without an explicit mode.
        let advisor = try #require(AdvisorProcess.executable)
        let ask = try await sandbox.run("/bin/sh", ["-c", "umask 022; exec \"$0\" ask 'Who owns mobile?'", advisor])
        #expect(ask.status == 0, "\(ask)")
        let folder = sandbox.home.appendingPathComponent(".cache/advisor")
        #expect(Self.mode(sandbox.home.appendingPathComponent(".cache")) == 0o700)
        #expect(Self.mode(folder) == 0o700)
        let files = CacheFile.files(in: folder)
        #expect(files.count == 1)
        for file in files { #expect(Self.mode(file) == 0o600, "\(file.lastPathComponent)") }

        let shared = sandbox.path("shared-cache")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: false)
        #expect(chmod(shared.path, 0o755) == 0)
        let again = try await sandbox.advisor(["ask", "Who owns mobile?"], env: ["ADVISOR_CACHE": shared.path])
        #expect(again.status == 0, "\(again)")
        #expect(Self.mode(shared) == 0o755, "a folder that existed keeps its mode")
        for file in CacheFile.files(in: shared) { #expect(Self.mode(file) == 0o600) }

        // A cache path that is a device or a FIFO (made here, never the system's own) is
        // left as it is: no answer is lost, nothing is replaced or chmod'ed.
        let fifo = sandbox.path("fifo")
        try #require(mkfifo(fifo.path, 0o644) == 0)
        var special = [fifo]
        let device = sandbox.path("null-device")
        if mknod(device.path, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0 { special.append(device) }
        for path in special {
            let before = Self.mode(path)
            let result = try await sandbox.advisor(
                ["ask", "Who owns mobile?"], env: ["ADVISOR_CACHE": path.path], timeout: .seconds(10))
            #expect(
                result.status == 0 && !result.timedOut && result.err.isEmpty, "\(path.lastPathComponent): \(result)")
            #expect(Self.mode(path) == before, "\(path.lastPathComponent) was chmod'ed")
            var info = stat()
            #expect(lstat(path.path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG)
        }
    }

    @Test("a topic file starting with a UTF-8 byte order mark is accepted")
    func byteOrderMark() async throws {
        let sandbox = try Sandbox()
        let kb = try Self.shippedCopy(sandbox, "kb-bom")
        let file = kb.appendingPathComponent("topics/shadow-it.yaml")
        try (Data([0xEF, 0xBB, 0xBF]) + Data(contentsOf: file)).write(to: file)
        let check = try await sandbox.advisor(["kb", "check", "--kb", kb.path])
        #expect(check.status == 0 && check.err.isEmpty, "\(check)")
        let ask = try await sandbox.advisor(["ask", "--json", "--kb", kb.path, "how do we stop shadow IT"])
        #expect((try JSON.object(ask.out)["topic"] as? String) == "shadow-it", "\(ask)")
    }

    @Test("a control character in a topic file is one FILE:LINE:COLUMN error, shown safely")
    func controlCharacterInTopic() async throws {
        let sandbox = try Sandbox()
        let kb = try Self.shippedCopy(sandbox, "kb-control")
        let file = kb.appendingPathComponent("topics/shadow-it.yaml")
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        let target = try #require(lines.firstIndex { $0.hasPrefix("title:") })
        let column = lines[target].unicodeScalars.count + 1
        lines[target] += "\u{1B}[31m red"
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        for arguments in [["kb", "check", "--kb", kb.path], ["ask", "--kb", kb.path, "Who owns mobile?"]] {
            let result = try await sandbox.advisor(arguments)
            #expect(result.status == 1, "\(arguments): \(result)")
            let about = result.errLines.filter { $0.contains("topics/shadow-it.yaml") }
            #expect(
                about == [
                    "\(file.path):\(target + 1):\(column): error: control character U+001B is not allowed in YAML "
                        + "(write it as an escape in a double-quoted string)"
                ], "\(arguments): \(result)")
            #expect(Self.rawControls(result.stderr).isEmpty, "\(result)")
        }
    }
}
