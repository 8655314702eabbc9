import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation
import LineEditor

/// The interactive chat: a libedit prompt over a recorded `Session`.
struct ChatSession {
    var common: CommonOptions
    var role: Role?
    var historyFile: String?

    /// The history file: --history, then $ADVISOR_HISTORY, then `$XDG_STATE_HOME/advisor/history`;
    /// an empty value or /dev/null turns history off.
    static func historyLocation(option: String?) -> HistoryFile.Location {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return HistoryFile.location(option: option, environment: environment, home: home)
    }

    func run() throws {
        let advisor = try common.loadAdvisor()
        // Preferences: --role and --no-color win over the file.
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let preferencesPath = Preferences.path(environment: environment, home: home)
        let (preferences, warnings) = Preferences.load(path: preferencesPath)
        for warning in warnings { Console.warning(warning) }
        let role = self.role ?? preferences.role
        let origin: RoleOrigin = self.role == nil && preferences.role != nil ? .config : .flag
        let recorder = common.startRecorder(mode: "interactive", role: role, advisor: advisor, script: nil)
        let style = TextStyle(colors: !preferences.noColor && common.useColor())
        let session = Session(
            advisor: advisor, role: role, recorder: recorder,
            renderer: AnswerRenderer(width: Self.readingWidth(), style: style), roleOrigin: origin)
        session.preferencesPath = preferencesPath
        Console.exitHandler = { session.finish() }
        let completer = Self.completer(for: advisor.knowledgeBase)
        guard let editor = LineEditor(program: "advisor", completer: completer) else {
            Console.error("advisor: cannot start the line editor on this terminal")
            throw ExitCode(2)
        }
        var history = SavedHistory(location: Self.historyLocation(option: historyFile))
        for line in history.load() { editor.remember(line) }

        Console.write(Self.banner(session: session, style: style))

        while true {
            editor.prompt = session.conversation.role.map { "advisor[\($0.rawValue)]> " } ?? "advisor> "
            let input = editor.readLine()
            // Read when the line is returned: the first answer after a resize fits the new width.
            session.renderer.width = Self.readingWidth()
            switch input {
            case .endOfFile:
                Console.write("\n")
                session.finish()
                return
            case .interrupted:
                Console.write("^C\n")
                continue
            case .terminated(let signal):
                // The transcript gets its end event and the terminal is restored before the
                // signal ends this process (and only this one) as it would have. The newline
                // bypasses Console: on a hung-up terminal it fails, and that is not exit 2.
                session.finish()
                editor.close()
                _ = write(STDOUT_FILENO, "\n", 1)
                LineEditor.reraise(signal)
            case .line(let line):
                let text = line.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { continue }
                if text.utf8.count > LineReader.maximumLineLength {
                    Console.error(
                        "advisor: line of \(text.utf8.count) bytes is longer than the \(LineReader.maximumLineLength)-byte limit; not asked"
                    )
                    continue
                }
                editor.remember(line)
                history.save(line)
                if ["quit", "exit"].contains(text.lowercased()) {
                    session.finish()
                    return
                }
                if text.hasPrefix("/") {
                    let outcome = session.run(command: text)
                    // /clear: like Ctrl-L, the cursor home and the screen erased.
                    if outcome.clearScreen { Console.write("\u{1B}[H\u{1B}[2J") }
                    if outcome.isError {
                        Console.write(style.error("error: ") + TerminalSafe.neutralize(outcome.output) + "\n")
                    } else if !outcome.output.isEmpty {
                        Console.write(outcome.output + "\n")
                    }
                    if outcome.quit {
                        session.finish()
                        return
                    }
                    continue
                }
                let answer = session.ask(text)
                Console.write(session.renderer.render(answer) + "\n")
            }
        }
    }

    /// The width answers and command output wrap to: the terminal's, at most 100 columns.
    static func readingWidth() -> Int {
        max(20, min(LineEditor.terminalWidth(), maximumReadingWidth))
    }

    static let maximumReadingWidth = 100

    /// The greeting: what this is, how to say who is asking, where the session is saved.
    static func banner(session: Session, style: TextStyle) -> String {
        let name = "advisor \(AdvisorCommand.version)"
        var lines = [
            name + ": advice for CIOs and CMOs on working together, from five articles.",
            "Ask in plain words; /help lists commands; Ctrl-D or /quit leaves.",
        ]
        if let role = session.conversation.role {
            let origin = session.conversation.roleOrigin?.explanation ?? ""
            lines.append("Advice is for a \(role.displayName) (\(origin)); /role changes it.")
        } else {
            lines.append(
                "Say who you are for advice meant for you: type /role cio or /role cmo, or say \"I'm the CIO\".")
        }
        let wrapped = lines.map { session.renderer.wrap($0) }.joined()
        let saved =
            session.recorder.map { "This session is saved to \(shortPath($0.path))" }
            ?? "This session is not being saved."
        var out = style.bold(name) + wrapped.dropFirst(name.count)
        out += style.dim(String(session.renderer.wrap(saved).dropLast())) + "\n"
        return out
    }

    /// `path` with the home folder shown as `~`.
    static func shortPath(_ path: String) -> String {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let prefix = home.hasSuffix("/") ? home : home + "/"
        guard home != "/", path.hasPrefix(prefix) else { return path }
        return "~/" + path.dropFirst(prefix.count)
    }

    /// Tab completion: commands after "/", topic ids after /topic, /whynot and /expect,
    /// roles after /role, glossary terms elsewhere.
    static func completer(for base: KnowledgeBase) -> Completer {
        let commands = SlashCommand.catalog.map { "/" + $0.name } + ["/exit"]
        let topics = base.topics.map(\.id)
        var terms: [String] = []
        for topic in base.topics {
            if let glossary = topic.glossary {
                terms += [glossary.term.lowercased()] + glossary.aliases.map { $0.lowercased() }
            }
        }
        terms = Array(Set(terms)).sorted()
        return { before in
            let words = before.split(separator: " ", omittingEmptySubsequences: true)
            let endsWithSpace = before.last == " "
            if words.count <= 1, !endsWithSpace, before.hasPrefix("/") { return commands.sorted() }
            if let first = words.first, words.count + (endsWithSpace ? 1 : 0) == 2 {
                switch first {
                case "/topic", "/whynot", "/expect": return topics
                case "/role": return ["cio", "cmo", "none"]
                default: break
                }
            }
            return terms
        }
    }
}

/// The history file of one REPL session: read once at the start, each new line added as it
/// is entered. Any problem is one warning, and then the session goes on without saving.
private struct SavedHistory {
    var file: HistoryFile?

    init(location: HistoryFile.Location) {
        if case .file(let path) = location { file = HistoryFile(path: path, limit: LineEditor.historySize) }
    }

    mutating func load() -> [String] {
        guard let file else { return [] }
        do {
            return try file.load()
        } catch {
            Console.warning("\(error.description); history is off in this session")
            self.file = nil
            return []
        }
    }

    mutating func save(_ line: String) {
        guard let file else { return }
        do {
            try file.append([line])
        } catch {
            Console.warning("\(error.description); history is not saved for the rest of this session")
            self.file = nil
        }
    }
}
