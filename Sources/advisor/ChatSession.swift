import AdvisorKit
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
        let recorder = common.startRecorder(mode: "interactive", role: role, advisor: advisor, script: nil)
        let style = TextStyle(colors: common.useColor())
        let session = Session(
            advisor: advisor, role: role, recorder: recorder,
            renderer: AnswerRenderer(width: LineEditor.terminalWidth(), style: style))
        Console.exitHandler = { session.finish() }
        let completer = Self.completer(for: advisor.knowledgeBase)
        guard let editor = LineEditor(program: "advisor", completer: completer) else {
            Console.error("advisor: cannot start the line editor on this terminal")
            throw ExitCode(2)
        }
        var history = SavedHistory(location: Self.historyLocation(option: historyFile))
        for line in history.load() { editor.remember(line) }

        var banner =
            style.bold("advisor \(AdvisorCommand.version)")
            + ": advice for CIOs and CMOs on working together, from five articles.\n"
        banner += "Ask in plain words; /help lists commands; Ctrl-D or /quit leaves.\n"
        banner +=
            style.dim(recorder.map { "This session is saved to \($0.path)" } ?? "This session is not being saved.")
            + "\n"
        Console.write(banner)

        while true {
            editor.prompt = session.conversation.role.map { "advisor[\($0.rawValue)]> " } ?? "advisor> "
            session.renderer.width = LineEditor.terminalWidth()
            switch editor.readLine() {
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
