import AdvisorKit
import ArgumentParser
import Foundation
import LineEditor

/// The interactive chat: a libedit prompt over a recorded `Session`.
struct ChatSession {
    var common: CommonOptions
    var role: Role?
    var historyFile: String?

    /// The history file: --history, then $ADVISOR_HISTORY, then `$XDG_STATE_HOME/advisor/history`.
    static func historyPath(option: String?) -> String {
        if let option { return option }
        let environment = ProcessInfo.processInfo.environment
        if let value = environment["ADVISOR_HISTORY"], !value.isEmpty { return value }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/advisor/history" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/state/advisor/history"
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
        guard
            let editor = LineEditor(
                program: "advisor", historyFile: Self.historyPath(option: historyFile), completer: completer)
        else {
            Console.error("advisor: cannot start the line editor on this terminal")
            throw ExitCode(2)
        }

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
            case .line(let line):
                editor.remember(line)
                let text = line.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { continue }
                if text.utf8.count > LineReader.maximumLineLength {
                    Console.error(
                        "advisor: line of \(text.utf8.count) bytes is longer than the \(LineReader.maximumLineLength)-byte limit; not asked"
                    )
                    continue
                }
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
