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
        let home = UserDirectory.home(environment: environment)
        return HistoryFile.location(option: option, environment: environment, home: home)
    }

    func run() throws {
        let advisor = try common.loadAdvisor()
        // Preferences: --role and --no-color win over the file.
        let environment = ProcessInfo.processInfo.environment
        let home = UserDirectory.home(environment: environment)
        let preferencesPath = Preferences.path(environment: environment, home: home)
        let (preferences, warnings) = Preferences.load(path: preferencesPath)
        for warning in warnings { Console.warning(warning) }
        let role = self.role ?? preferences.role
        let origin: RoleOrigin = self.role == nil && preferences.role != nil ? .config : .flag
        let recorder = common.startRecorder(mode: "interactive", role: role, advisor: advisor, script: nil)
        let style = TextStyle(colors: !preferences.noColor && common.useColor())
        let session = Session(
            advisor: advisor, role: role, recorder: recorder,
            renderer: AnswerRenderer(width: TerminalPolicy.readingWidth(minimum: 20), style: style), roleOrigin: origin)
        session.preferencesPath = preferencesPath
        Console.exitHandler = { session.finish() }
        let completer = Self.completer(for: advisor.knowledgeBase, glossaryTopics: advisor.router.glossaryTopicNumbers)
        guard let editor = LineEditor(program: "advisor", completer: completer) else {
            throw CommandFailure("cannot start the line editor on this terminal")
        }
        let history = SavedHistory(location: Self.historyLocation(option: historyFile))
        for line in history.load() { editor.remember(line) }

        Console.write(Self.banner(session: session, style: style))

        let input = TerminalInput(editor: editor, session: session, history: history)
        let driver = SessionDriver(session: session, interactive: true)
        _ = driver.run(input, presenting: TerminalPresenter(session: session, style: style))
        session.finish()
    }

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
        let home = UserDirectory.home(environment: environment)
        let prefix = home.hasSuffix("/") ? home : home + "/"
        guard home != "/", path.hasPrefix(prefix) else { return path }
        return "~/" + path.dropFirst(prefix.count)
    }

    /// Tab completion: commands after "/", then what the command's catalog entry says it
    /// takes (topic ids, roles); glossary terms elsewhere.
    ///
    /// `glossaryTopics` are the numbers of the topics with a glossary entry: only they are read
    /// (a knowledge base from the cache decodes a topic when it is read).
    static func completer(for base: KnowledgeBase, glossaryTopics: [Int]) -> Completer {
        let commands = SlashCommand.completions
        let topics = base.topics.ids
        var terms: [String] = []
        for number in glossaryTopics where base.topics.indices.contains(number) {
            if let glossary = base.topics[number].glossary {
                terms += [glossary.term.lowercased()] + glossary.aliases.map { $0.lowercased() }
            }
        }
        terms = Array(Set(terms)).sorted()
        return { before in
            let words = before.split(separator: " ", omittingEmptySubsequences: true)
            let endsWithSpace = before.last == " "
            if words.count <= 1, !endsWithSpace, before.hasPrefix("/") { return commands }
            if words.count + (endsWithSpace ? 1 : 0) == 2, let command = SlashCommand(line: before)?.entry {
                switch command.takes {
                case .topic: return topics
                case .role: return ["cio", "cmo", "none"]
                case .none, .file, .text: break
                }
            }
            return terms
        }
    }
}

/// The terminal as the driver's input, read through the line editor.
///
/// The prompt names the asker's role, Ctrl-C gives a fresh prompt, Ctrl-D ends, a fatal
/// signal ends the session cleanly and then the process. A line is remembered in the history
/// only when it is accepted (not too long to ask).
private final class TerminalInput: InputSource {
    let editor: LineEditor
    let session: Session
    let history: SavedHistory
    private(set) var lineNumber = 0

    init(editor: LineEditor, session: Session, history: SavedHistory) {
        self.editor = editor
        self.session = session
        self.history = history
    }

    func next() -> ScriptLine? {
        while true {
            editor.prompt = session.conversation.role.map { "advisor[\($0.rawValue)]> " } ?? "advisor> "
            let input = editor.readLine()
            // Read when the line is returned: the first answer after a resize fits the new width.
            session.renderer.width = TerminalPolicy.readingWidth(minimum: 20)
            switch input {
            case .endOfFile:
                Console.write("\n")
                return nil
            case .interrupted:
                Console.write("^C\n")
            case .terminated(let signal):
                // The transcript gets its end event and the terminal is restored before the
                // signal ends this process (and only this one) as it would have. The newline
                // bypasses Console: on a hung-up terminal it fails, and that is not exit 2.
                session.finish()
                editor.close()
                _ = write(STDOUT_FILENO, "\n", 1)
                LineEditor.reraise(signal)
            case .line(let line):
                lineNumber += 1
                if line.utf8.count > LineReader.maximumLineLength { return .tooLong(line.utf8.count) }
                if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    editor.remember(line)
                    history.save(line)
                }
                return .text(line)
            }
        }
    }
}

/// The terminal as the driver's output: answers and command output as the renderer wrapped
/// them, problems as one `error:` line.
private final class TerminalPresenter: SessionPresenter {
    let session: Session
    let style: TextStyle

    init(session: Session, style: TextStyle) {
        self.session = session
        self.style = style
    }

    func show(question: String, answer: Answer) {
        Console.write(session.renderer.render(answer) + "\n")
    }

    func show(command: String, outcome: CommandOutcome) {
        // /clear: like Ctrl-L, the cursor home and the screen erased.
        if outcome.clearScreen { Console.write("\u{1B}[H\u{1B}[2J") }
        if !outcome.isError, !outcome.output.isEmpty { Console.write(outcome.output + "\n") }
    }

    func problem(_ message: String, line: Int) {
        Console.write(style.error("error: ") + TerminalSafe.neutralize(message) + "\n")
    }
}

/// The history file of one REPL session: read once at the start, each new line added as it is entered.
///
/// Any problem is one warning, and then the session goes on without saving.
private final class SavedHistory {
    var file: HistoryFile?

    init(location: HistoryFile.Location) {
        if case .file(let path) = location { file = HistoryFile(path: path, limit: LineEditor.historySize) }
    }

    func load() -> [String] {
        guard let file else { return [] }
        do {
            return try file.load()
        } catch {
            Console.warning("\(error.description); history is off in this session")
            self.file = nil
            return []
        }
    }

    func save(_ line: String) {
        guard let file else { return }
        do {
            try file.append([line])
        } catch {
            Console.warning("\(error.description); history is not saved for the rest of this session")
            self.file = nil
        }
    }
}
