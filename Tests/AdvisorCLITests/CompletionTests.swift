import AdvisorTestSupport
import Foundation
import Testing

/// Shell completions: the generated scripts, and the custom completions (transcript ids,
/// topic ids) that the scripts ask the binary for at each Tab.
@Suite("shell completions and the man page")
struct CompletionTests {
    static let older = "20200101-100000.000-1-aaaaaa"
    static let newer = "20200102-100000.000-1-bbbbbb"

    /// A transcripts folder holding two (empty) transcripts and a file that is not one.
    static func folder(_ sandbox: Sandbox) throws -> URL {
        for id in [older, newer] { try sandbox.write("transcripts/\(id).jsonl", "") }
        try sandbox.write("transcripts/notes.txt", "")
        return sandbox.transcripts
    }

    /// What the completion scripts run: `advisor ---completion SUBCOMMANDS -- ARGUMENT
    /// INDEX CURSOR WORDS...`, completing the last of `words`.
    static func complete(
        _ sandbox: Sandbox, _ path: [String], _ argument: String, _ words: [String], env: [String: String?] = [:]
    ) async throws -> ProcessResult {
        let executable = try #require(AdvisorProcess.executable)
        let line = [executable] + words
        let last = line.count - 1
        return try await sandbox.advisor(
            ["---completion"] + path + ["--", argument, String(last), String(line[last].count)] + line, env: env)
    }

    @Test("bash, zsh and fish scripts are generated, with transcript and topic ids as custom completions")
    func scripts() async throws {
        let sandbox = try Sandbox()
        for shell in ["bash", "zsh", "fish"] {
            let result = try await sandbox.advisor(["--generate-completion-script", shell])
            #expect(result.status == 0 && result.err.isEmpty, "\(shell): \(result)")
            for command in ["show", "export", "replay", "rm"] {
                #expect(
                    result.out.contains("---completion transcripts \(command) -- positional@0"), "\(shell) \(command)")
            }
            #expect(result.out.contains("---completion transcripts search -- --topic"), "\(shell)")
        }
        let bash = try await sandbox.advisor(["--generate-completion-script", "bash"])
        // Folders for --kb and --transcripts, files for --history, run FILE and -o.
        #expect(bash.out.contains("'--kb')\n        __advisor_add_completions -d"), "\(bash.out)")
        #expect(bash.out.contains("'--transcripts')\n        __advisor_add_completions -d"), "\(bash.out)")
        #expect(bash.out.contains("'--history')\n        __advisor_add_completions -f"), "\(bash.out)")
        #expect(bash.out.contains("'-o'|'--output')\n        __advisor_add_completions -f"), "\(bash.out)")
    }

    @Test("transcript ids: newest first after 'last', by prefix, from --transcripts on the line")
    func transcriptIDs() async throws {
        let sandbox = try Sandbox()
        let folder = try Self.folder(sandbox)
        for command in ["show", "export", "replay", "rm"] {
            let all = try await Self.complete(
                sandbox, ["transcripts", command], "positional@0", ["transcripts", command, ""])
            #expect(all.status == 0 && all.err.isEmpty, "\(command): \(all)")
            #expect(all.outLines == ["last", Self.newer, Self.older], "\(command): \(all)")
        }
        let prefixed = try await Self.complete(
            sandbox, ["transcripts", "show"], "positional@0", ["transcripts", "show", "20200101"])
        #expect(prefixed.outLines == [Self.older], "\(prefixed)")
        // The folder named on the line being completed wins over $ADVISOR_TRANSCRIPTS.
        let named = try await Self.complete(
            sandbox, ["transcripts", "replay"], "positional@0",
            ["transcripts", "replay", "--transcripts", folder.path, "2020"],
            env: ["ADVISOR_TRANSCRIPTS": sandbox.path("elsewhere").path])
        #expect(named.outLines == [Self.newer, Self.older], "\(named)")
    }

    @Test("a missing transcripts or knowledge base folder completes nothing, quietly, exit 0")
    func missingFolders() async throws {
        let sandbox = try Sandbox()
        let missing = sandbox.path("missing").path
        let ids = try await Self.complete(
            sandbox, ["transcripts", "show"], "positional@0", ["transcripts", "show", ""],
            env: ["ADVISOR_TRANSCRIPTS": missing])
        #expect(ids.status == 0 && ids.err.isEmpty && ids.outLines == ["last"], "\(ids)")
        for env: [String: String?] in [["ADVISOR_KB": missing], [:]] {
            let words =
                env.isEmpty
                ? ["transcripts", "search", "--kb", missing, "--topic", ""] : ["transcripts", "search", "--topic", ""]
            let topics = try await Self.complete(sandbox, ["transcripts", "search"], "--topic", words, env: env)
            #expect(topics.status == 0 && topics.err.isEmpty && topics.out.isEmpty, "\(env): \(topics)")
        }
    }

    @Test("topic ids for search --topic come from the knowledge base's topic files")
    func topicIDs() async throws {
        let sandbox = try Sandbox()
        let all = try await Self.complete(
            sandbox, ["transcripts", "search"], "--topic", ["transcripts", "search", "--topic", ""])
        #expect(all.status == 0, "\(all)")
        #expect(all.outLines.contains("tech-budget") && all.outLines.contains("none"), "\(all)")
        #expect(all.outLines == all.outLines.sorted(), "\(all)")
        let terms = try await Self.complete(
            sandbox, ["transcripts", "search"], "--topic", ["transcripts", "search", "--topic", "term-"])
        #expect(
            terms.outLines == ["term-agile", "term-digital-product", "term-omnichannel", "term-platform"], "\(terms)")
        let base = try sandbox.write("kb/topics/only-this.yaml", "id: only-this\n").deletingLastPathComponent()
            .deletingLastPathComponent()
        let other = try await Self.complete(
            sandbox, ["transcripts", "search"], "--topic", ["transcripts", "search", "--kb", base.path, "--topic", ""])
        #expect(other.outLines == ["only-this"], "--kb on the line: \(other)")
    }

    @Test("custom completion is fast: 5,000 transcripts listed well under a second")
    func fast() async throws {
        let sandbox = try Sandbox()
        try FileManager.default.createDirectory(at: sandbox.transcripts, withIntermediateDirectories: true)
        for index in 0..<5_000 {
            let id = String(format: "20210101-%06d.000-1-cccccc", index)
            FileManager.default.createFile(
                atPath: sandbox.transcripts.appendingPathComponent(id + ".jsonl").path, contents: nil)
        }
        let result = try await Self.complete(
            sandbox, ["transcripts", "rm"], "positional@0", ["transcripts", "rm", ""])
        #expect(result.status == 0 && result.outLines.count == 5_001, "\(result.status) \(result.outLines.count)")
        #expect(result.elapsed < .seconds(1), "\(result.elapsed)")
    }

    @Test("through a real bash: Tab after 'transcripts show' offers the ids")
    func bash() async throws {
        let sandbox = try Sandbox()
        _ = try Self.folder(sandbox)
        guard let bash = AdvisorProcess.which("bash") else { return }
        let executable = try #require(AdvisorProcess.executable)
        let script = try await sandbox.advisor(["--generate-completion-script", "bash"])
        let file = try sandbox.write("advisor.bash", script.out)
        // What bash does at a Tab: COMP_* set, the function called with the command, the word and the one before.
        let driver = """
            source "$1"; shift
            COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
            _advisor "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let ids = try await sandbox.run(
            bash, ["-c", driver, "bash", file.path, executable, "transcripts", "show", "2020"])
        #expect(ids.status == 0 && ids.outLines == [Self.newer, Self.older], "\(ids)")
        let topics = try await sandbox.run(
            bash, ["-c", driver, "bash", file.path, executable, "transcripts", "search", "--topic", "term-p"])
        #expect(topics.outLines == ["term-platform"], "\(topics)")
        let commands = try await sandbox.run(bash, ["-c", driver, "bash", file.path, executable, "transcripts", "re"])
        #expect(commands.outLines == ["replay"], "\(commands)")
    }

    @Test("the man page's source: --experimental-dump-help describes every command, as generate-manual reads it")
    func manualSource() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(["--experimental-dump-help"])
        #expect(result.status == 0 && result.err.isEmpty, "\(result)")
        let root = try #require(try JSON.object(result.out)["command"] as? [String: Any])
        #expect(root["commandName"] as? String == "advisor")
        func names(_ command: [String: Any]) -> [String] {
            (command["subcommands"] as? [[String: Any]] ?? []).compactMap { $0["commandName"] as? String }
        }
        func child(_ command: [String: Any], _ name: String) -> [String: Any]? {
            (command["subcommands"] as? [[String: Any]])?.first { $0["commandName"] as? String == name }
        }
        #expect(Set(["chat", "ask", "run", "transcripts", "kb"]).isSubset(of: names(root)), "\(names(root))")
        let transcripts = try #require(child(root, "transcripts"))
        let replay = try #require(child(transcripts, "replay"))
        let arguments = replay["arguments"] as? [[String: Any]] ?? []
        let flags = arguments.compactMap { ($0["preferredName"] as? [String: Any])?["name"] as? String }
        #expect(flags.contains("all") && flags.contains("kb"), "\(flags)")
        #expect((replay["abstract"] as? String)?.contains("exit 1 when any answer changed") == true)
    }
}
