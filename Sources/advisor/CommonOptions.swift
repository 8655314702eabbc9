import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation
import LineEditor

/// `--kb DIR`: for the commands that answer or check questions.
struct KnowledgeBaseOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("The knowledge base folder (else $ADVISOR_KB, else the shipped one).", valueName: "dir"),
        completion: .directory)
    var kb: String?

    func loadAdvisor() throws -> Advisor { try CommonOptions.loadAdvisor(kb: kb) }
    func knowledgeBaseDirectory() throws -> String { try CommonOptions.knowledgeBaseDirectory(option: kb) }
}

/// `--transcripts DIR`: for the commands that save or read transcripts.
struct TranscriptsFolderOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where transcripts are saved (else $ADVISOR_TRANSCRIPTS, else the default).", valueName: "dir"),
        completion: .directory)
    var transcripts: String?

    func transcriptsDirectory() -> String { CommonOptions.transcriptsDirectory(option: transcripts) }
}

/// `--no-color`.
struct ColorOption: ParsableArguments {
    @Flag(name: .customLong("no-color"), help: "No colour (also when NO_COLOR is set).")
    var noColor = false

    func useColor(on descriptor: Int32 = STDOUT_FILENO) -> Bool {
        CommonOptions.useColor(noColor: noColor, on: descriptor)
    }
}

/// The options of the commands that hold a recorded conversation (chat and run); the
/// others take only the groups above that they use.
struct CommonOptions: ParsableArguments {
    @OptionGroup var knowledgeBase: KnowledgeBaseOption
    @OptionGroup var transcriptsFolder: TranscriptsFolderOption

    @Flag(name: .customLong("no-transcript"), help: "Do not save a transcript of this session.")
    var noTranscript = false

    @OptionGroup var color: ColorOption

    var kb: String? { knowledgeBase.kb }
    var transcripts: String? { transcriptsFolder.transcripts }
    var noColor: Bool { color.noColor }

    /// Colour only on a terminal, and never with --no-color, NO_COLOR or TERM=dumb.
    func useColor(on descriptor: Int32 = STDOUT_FILENO) -> Bool {
        Self.useColor(noColor: noColor, on: descriptor)
    }

    static func useColor(noColor: Bool, on descriptor: Int32 = STDOUT_FILENO) -> Bool {
        TerminalPolicy.colors(disabled: noColor, on: descriptor)
    }

    /// The knowledge base folder, or exit 2 saying where it looked.
    func knowledgeBaseDirectory() throws -> String {
        try Self.knowledgeBaseDirectory(option: kb)
    }

    static func knowledgeBaseDirectory(option kb: String?) throws -> String {
        do {
            let directory = try KnowledgeBaseLocator.locate(
                option: kb, environment: ProcessEnvironment.values([KnowledgeBaseLocator.environmentVariable]),
                executablePath: executablePath(), currentDirectory: FileManager.default.currentDirectoryPath)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw CommandFailure("knowledge base folder not found: \(directory)")
            }
            return directory
        } catch let error as KnowledgeBaseLocator.LocatorError {
            throw CommandFailure(error.description)
        }
    }

    /// Loads the advisor, or prints every knowledge base problem and exits 1.
    func loadAdvisor() throws -> Advisor {
        try Self.loadAdvisor(kb: kb)
    }

    static func loadAdvisor(kb: String?) throws -> Advisor {
        let directory = try knowledgeBaseDirectory(option: kb)
        do {
            let cache = KnowledgeBaseCache.defaultDirectory(
                environment: ProcessEnvironment.values(KnowledgeBaseCache.environmentVariables))
            return try Advisor.load(directory: directory, cacheDirectory: cache)
        } catch {
            for diagnostic in error.diagnostics { Console.error(diagnostic.description) }
            Console.error(
                "advisor: the knowledge base in \(directory) is invalid (\(error.diagnostics.count) problem(s)); run `advisor kb check`"
            )
            throw ExitCode(1)
        }
    }
}

/// Options of commands that hold a conversation.
struct SessionOptions: ParsableArguments {
    @Option(
        name: .long, help: ArgumentHelp("Frame answers for this role: cio or cmo.", valueName: "role"),
        completion: .list(["cio", "cmo"]))
    var role: Role?

    @Flag(name: .long, help: "Print answers as JSON objects, one per line.")
    var json = false
}

extension Role: ExpressibleByArgument {
    /// `--role CIO` as well as `--role cio`: roles are case-insensitive everywhere.
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// The path of the running executable.
func executablePath() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    if length > 0 { return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    return CommandLine.arguments.first ?? "advisor"
}

extension CommonOptions {
    /// The transcripts directory: --transcripts, then $ADVISOR_TRANSCRIPTS, then the default.
    func transcriptsDirectory() -> String {
        Self.transcriptsDirectory(option: transcripts)
    }

    static func transcriptsDirectory(option transcripts: String?) -> String {
        if let transcripts { return transcripts }
        let environment = ProcessInfo.processInfo.environment
        if let value = environment[TranscriptStore.environmentVariable], !value.isEmpty { return value }
        return checkoutTranscripts(executablePath: executablePath())
            ?? TranscriptStore.userDirectory(environment: environment)
    }

    /// `Transcripts/` of the checkout the executable was built in (a folder up from it that
    /// holds `Package.swift` and `Transcripts/`), so a developer's sessions stay in the repo.
    static func checkoutTranscripts(executablePath: String) -> String? {
        var directory = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let package = directory.appendingPathComponent("Package.swift").path
            let transcripts = directory.appendingPathComponent("Transcripts").path
            if FileManager.default.fileExists(atPath: package), FileManager.default.fileExists(atPath: transcripts) {
                return transcripts
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { break }
            directory = parent
        }
        return nil
    }

    /// Starts recording a session, unless --no-transcript; on failure warns once and goes on.
    func startRecorder(mode: String, role: Role?, advisor: Advisor, script: String?) -> TranscriptRecorder? {
        guard !noTranscript else { return nil }
        let directory = transcriptsDirectory()
        do {
            return try TranscriptRecorder.start(
                directory: directory, mode: mode, role: role, knowledgeBase: advisor.knowledgeBase.fingerprint,
                version: AdvisorCommand.version, script: script, warn: { Console.warning($0) })
        } catch {
            Console.warning("\(error.description); this session is not being saved")
            return nil
        }
    }
}
