import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import Foundation

/// The result of a slash command.
public struct CommandOutcome: Sendable {
    /// Text to show (may be empty).
    public var output: String
    /// Whether the command failed (unknown command, bad argument, failed expectation).
    public var isError: Bool = false
    /// Whether the session should end.
    public var quit: Bool = false
    /// For `/expect`: whether it passed.
    public var expectationPassed: Bool?
    /// The text shown, plain and unwrapped, as the transcript keeps it (for the commands
    /// that show something about the conversation: /more, /topic, /why, /whynot, /sources).
    public var transcriptText: String?
    /// For `/clear`: the screen should be cleared (on a terminal).
    public var clearScreen = false
}

/// A conversation with its transcript: what the REPL and scripts both drive.
///
/// Questions go to `ask`, lines starting with "/" to `run(command:)`; each is recorded.
public final class Session {
    /// The conversation the questions go to: the asker's role, the current topic and earlier turns.
    public let conversation: Conversation
    /// Where the session is saved, if it is.
    public let recorder: (any SessionLog)?
    /// How answers and topics are shown by commands.
    public var renderer: AnswerRenderer
    /// The preferences file `/role ... --save` writes, if any.
    public var preferencesPath: String?

    /// Starts a session with `advisor` for `role`, saved through `recorder` (nil: not saved).
    ///
    /// `renderer` shows answers and topics in commands; `roleOrigin` says where `role` came from.
    public init(
        advisor: Advisor, role: Role?, recorder: (any SessionLog)?, renderer: AnswerRenderer,
        roleOrigin: RoleOrigin = .flag
    ) {
        conversation = Conversation(advisor: advisor, role: role, origin: roleOrigin)
        self.recorder = recorder
        self.renderer = renderer
    }

    private var advisor: Advisor { conversation.advisor }
    private var style: TextStyle { renderer.style }

    /// Answers a question and records the turn.
    public func ask(_ question: String) -> Answer {
        let answer = conversation.ask(question)
        recorder?.recordTurn(question: question, answer: answer)
        return answer
    }

    /// Ends the session: writes the transcript's end event.
    public func finish() {
        recorder?.finish()
    }

    /// Runs a slash command line and records it.
    public func run(command line: String) -> CommandOutcome {
        guard let command = SlashCommand(line: line) else {
            return CommandOutcome(output: "not a command: \(TerminalSafe.neutralize(line))", isError: true)
        }
        guard let typed = SessionCommand(command) else {
            let (outcome, effect) = unknown(command)
            recorder?.recordCommand(line: line, effect: effect, output: nil)
            return CommandOutcome(output: TerminalSafe.neutralize(outcome.output), isError: true)
        }
        var (outcome, effect) = execute(typed)
        let shown = outcome.isError || outcome.output.isEmpty ? nil : outcome.output
        switch typed.display {
        case .answer:
            // Rendered as an answer, already wrapped and styled for the screen.
            outcome.transcriptText = shown.flatMap { _ in plainText }
        case .kept:
            outcome.transcriptText = shown
            outcome.output = wrapped(outcome.output)
        case .wrapped:
            outcome.output = wrapped(outcome.output)
        case .raw: break
        }
        plainText = nil
        recorder?.recordCommand(line: line, effect: effect, output: outcome.transcriptText)
        // Outputs are plain text made of the knowledge base and what was typed; only a
        // rendered topic (/topic, /more) carries styles, around texts the renderer neutralised.
        if outcome.isError || typed.display != .answer {
            outcome.output = TerminalSafe.neutralize(outcome.output)
        }
        return outcome
    }

    /// The last answer shown by a command, plain and unwrapped, for the transcript.
    private var plainText: String?

    /// `text` wrapped to the renderer's width, table columns kept.
    private func wrapped(_ text: String) -> String {
        guard !text.isEmpty else { return text }
        return String(renderer.wrap(text, table: true).dropLast())
    }

    /// Renders `answer` for the screen, and keeps its plain text for the transcript.
    private func display(_ answer: Answer) -> String {
        let plain = AnswerRenderer(width: Int.max / 2, style: .plain)
        plainText = plain.render(answer).trimmingCharacters(in: .newlines)
        return renderer.render(answer).trimmingCharacters(in: .newlines)
    }

    /// An unknown command: what it may have meant.
    private func unknown(_ command: SlashCommand) -> (CommandOutcome, String) {
        var message = "unknown command '/\(command.name)'"
        if let suggestion = SlashCommand.suggestion(for: command.name) {
            message += "; did you mean /\(suggestion)?"
        }
        message += " (/help lists the commands)"
        return (CommandOutcome(output: message, isError: true), "error: unknown command")
    }

    /// Runs a command: what it shows, and its effect as the transcript says it.
    private func execute(_ command: SessionCommand) -> (CommandOutcome, String) {
        switch command {
        case .help: return (CommandOutcome(output: help()), "showed help")
        case .topics: return (CommandOutcome(output: topics()), "listed topics")
        case .topic(let id): return showTopic(id)
        case .role(let argument): return setRole(argument)
        case .why: return (CommandOutcome(output: why()), "explained the last answer")
        case .whyNot(let id): return whyNot(id)
        case .sources: return (CommandOutcome(output: sources()), "showed sources")
        case .more: return (CommandOutcome(output: more()), "showed more")
        case .history: return (CommandOutcome(output: history()), "showed history")
        case .reset:
            conversation.reset()
            return (CommandOutcome(output: "Conversation forgotten; the next question starts afresh."), "context reset")
        case .transcript:
            let text =
                recorder.map { $0.isRecording ? $0.path : "\($0.path) (no longer saving: \($0.failure ?? ""))" }
                ?? "This session is not being saved."
            return (CommandOutcome(output: text), "showed transcript path")
        case .expect(let argument): return expect(argument)
        case .save(let path): return save(to: path, command: "/save")
        case .export(let path): return save(to: path, command: "/export")
        case .clear: return (CommandOutcome(output: "", clearScreen: true), "cleared the screen")
        case .quit: return (CommandOutcome(output: "", quit: true), "quit")
        }
    }

    package func help() -> String {
        var lines = [
            "Ask a question in plain words, e.g. \"Who should own mobile?\" or \"What does agile mean to a CMO?\".",
            "Follow-ups work: \"and to a CIO?\", \"what about platform?\", \"what do the numbers say?\".", "",
            "Commands:",
        ]
        let width = SlashCommand.catalog.map { $0.name.count + $0.argument.count }.max() ?? 0
        for entry in SlashCommand.catalog {
            let usage = "/\(entry.name)" + (entry.argument.isEmpty ? "" : " \(entry.argument)")
            lines.append("  " + usage.padding(toLength: width + 4, withPad: " ", startingAt: 0) + entry.help)
        }
        return lines.joined(separator: "\n")
    }

    package func topics() -> String {
        let topics = advisor.knowledgeBase.topics.filter { TopicKind(topicID: $0.id) != .fallback }
        let width = topics.map(\.id.count).max() ?? 0
        return topics.map { $0.id.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.title }
            .joined(separator: "\n")
    }

    private func showTopic(_ id: String) -> (CommandOutcome, String) {
        guard !id.isEmpty else {
            return (
                CommandOutcome(output: "/topic needs a topic id (/topics lists them)", isError: true),
                "error: no topic id"
            )
        }
        guard advisor.knowledgeBase.topic(id) != nil else {
            var message = "unknown topic '\(id)'"
            if let near = nearestTopic(id) { message += "; did you mean \(near)?" }
            return (CommandOutcome(output: message, isError: true), "error: unknown topic")
        }
        let answer = conversation.show(topicID: id)
        return (CommandOutcome(output: display(answer)), "showed topic \(id)")
    }

    /// `/role cio|cmo|none [--save]`, `/role save`: with `--save` (or `save` alone, for the
    /// current role) the role is also written to the preferences file for later sessions.
    private func setRole(_ argument: String) -> (CommandOutcome, String) {
        var words = argument.lowercased().split(separator: " ").map(String.init)
        let saving = words.contains("--save") || words == ["save"]
        words.removeAll { $0 == "--save" || $0 == "save" }
        guard words.count <= 1 else {
            return (
                CommandOutcome(output: "/role takes cio, cmo or none, not '\(argument)'", isError: true),
                "error: bad role"
            )
        }
        let word = words.first ?? ""
        if word.isEmpty, saving { return saveRole(after: nil, effect: nil) }
        if word.isEmpty, let role = conversation.role {
            return (
                CommandOutcome(output: "Role: \(role.displayName). (/role cio|cmo|none changes it)"), "showed role"
            )
        }
        let (outcome, effect): (CommandOutcome, String)
        switch word {
        case "cio", "cmo":
            let role = Role(rawValue: word)
            conversation.setRole(role, origin: .command)
            let name = role?.displayName ?? ""
            (outcome, effect) = (
                CommandOutcome(output: "Role: \(name). Answers are now framed for a \(name)."), "role set to \(word)"
            )
        case "none", "":
            conversation.setRole(nil, origin: .command)
            (outcome, effect) = (
                CommandOutcome(output: "Role: none. Answers are no longer framed for a role."), "role cleared"
            )
        default:
            return (
                CommandOutcome(output: "/role takes cio, cmo or none, not '\(argument)'", isError: true),
                "error: bad role"
            )
        }
        return saving ? saveRole(after: outcome, effect: effect) : (outcome, effect)
    }

    /// Writes the current role to the preferences file.
    private func saveRole(after outcome: CommandOutcome?, effect: String?) -> (CommandOutcome, String) {
        let value = conversation.role?.rawValue ?? "none"
        guard let path = preferencesPath else {
            return (
                CommandOutcome(output: "no preferences file in this session; role not saved", isError: true),
                "error: not saved"
            )
        }
        do {
            try Preferences.save(key: "role", value: value, path: path)
        } catch {
            return (
                CommandOutcome(output: "role not saved: \(error.description)", isError: true),
                (effect.map { $0 + "; " } ?? "") + "error: role not saved"
            )
        }
        let saved = "Saved role = \(value) in \(path): later sessions start with it."
        let output = outcome.map { $0.output + "\n" + saved } ?? saved
        return (CommandOutcome(output: output), (effect.map { $0 + "; " } ?? "") + "saved role \(value)")
    }

    package func why() -> String {
        guard let answer = conversation.lastAnswer else { return "No question asked yet." }
        var lines = ["Topic: \(answer.topic) (confidence \(String(format: "%.2f", answer.confidence)))"]
        lines.append(
            "Matched words: " + (answer.why.matched.isEmpty ? "none" : answer.why.matched.joined(separator: ", ")))
        lines.append(
            "Matched patterns: "
                + (answer.why.rules.isEmpty ? "none" : answer.why.rules.map { "'\($0)'" }.joined(separator: ", ")))
        if !answer.why.corrections.isEmpty {
            lines.append("Typos corrected: " + answer.why.corrections.joined(separator: ", "))
        }
        lines.append("Asked by: " + (answer.role.map { "\($0.article), \(answer.why.role ?? "")" } ?? "role unknown"))
        if let about = answer.about {
            lines.append("About: \(about.article), \(answer.why.about ?? "")")
        }
        if let context = answer.why.context { lines.append("Context used: " + context) }
        if let evidence = answer.why.evidence { lines.append("Decided by: " + evidence) }
        if let example = answer.why.example { lines.append("Nearest example: \"\(TerminalSafe.neutralize(example))\"") }
        if let also = answer.why.also { lines.append("Also relevant: " + also) }
        if answer.why.candidates.isEmpty {
            lines.append("Candidates: none scored")
        } else {
            lines.append("Candidates:")
            for candidate in answer.why.candidates {
                lines.append(
                    "  \(candidate.topic.padding(toLength: 28, withPad: " ", startingAt: 0)) \(String(format: "%.2f", candidate.score))"
                )
            }
        }
        return lines.joined(separator: "\n")
    }

    private func whyNot(_ id: String) -> (CommandOutcome, String) {
        guard let question = conversation.lastQuestion, let answer = conversation.lastAnswer else {
            return (CommandOutcome(output: "No question asked yet."), "whynot: no question")
        }
        guard !id.isEmpty, advisor.knowledgeBase.topic(id) != nil else {
            var message = id.isEmpty ? "/whynot needs a topic id" : "unknown topic '\(id)'"
            if let near = nearestTopic(id), !id.isEmpty { message += "; did you mean \(near)?" }
            return (CommandOutcome(output: message, isError: true), "error: unknown topic")
        }
        if id == answer.topic {
            return (CommandOutcome(output: "\(id) is the topic of the last answer (/why explains it)."), "whynot \(id)")
        }
        var lines: [String] = []
        if let score = answer.why.candidates.first(where: { $0.topic == id })?.score {
            let best = answer.why.candidates.first?.score ?? 0
            lines.append(
                "\(id) scored \(String(format: "%.2f", score)) against \(String(format: "%.2f", best)) for \(answer.why.candidates.first?.topic ?? answer.topic)."
            )
        } else {
            lines.append("\(id) did not match \"\(TerminalSafe.neutralize(question))\" at all.")
        }
        let misses = advisor.router.explainMiss(topic: id, for: question)
        if misses.isEmpty {
            lines.append("It has no patterns.")
        } else {
            lines.append("Its closest patterns and the words the question lacked:")
            for miss in misses {
                let missing =
                    miss.missing.isEmpty
                    ? "nothing missing" : "missing " + miss.missing.map(describe).joined(separator: ", ")
                lines.append("  '\(miss.pattern)': \(missing)")
            }
        }
        return (CommandOutcome(output: lines.joined(separator: "\n")), "whynot \(id)")
    }

    /// A routing term for people: a concept shows one of its words.
    private func describe(_ term: String) -> String {
        guard term.hasPrefix(Normalizer.conceptPrefix) else { return "'\(term)'" }
        let id = String(term.dropFirst())
        let words =
            advisor.knowledgeBase.concepts.first { $0.id == id }?.synonyms.prefix(3).joined(separator: "/") ?? id
        return "\(id) (\(words))"
    }

    package func sources() -> String {
        guard let answer = conversation.lastAnswer else { return "No question asked yet." }
        guard !answer.sources.isEmpty else { return "The last answer (\(answer.topic)) rests on no article." }
        return answer.sources.enumerated().map { index, source in
            var line = "[\(index + 1)] \(source.title)"
            if let author = source.author { line += ", \(author)" }
            if let date = source.date { line += ", \(date)" }
            return line
        }.joined(separator: "\n")
    }

    package func more() -> String {
        guard let answer = conversation.showCurrent(mode: .more) else { return "No topic yet: ask a question first." }
        return display(answer)
    }

    package func history() -> String {
        let questions = conversation.questions
        guard !questions.isEmpty else { return "No questions yet." }
        return questions.enumerated().map { "\($0.offset + 1). \(TerminalSafe.neutralize($0.element))" }.joined(
            separator: "\n")
    }

    /// `/expect TOPIC [as cio|cmo|nobody] [about cio|cmo|nobody]`: the last answer's topic,
    /// and optionally whom its advice was for and which role it was about.
    private func expect(_ argument: String) -> (CommandOutcome, String) {
        let expectation: Expectation
        switch Expectation.parse(argument) {
        case let .failure(problem):
            return (
                CommandOutcome(output: "/expect: " + problem.message, isError: true, expectationPassed: false),
                "error: bad /expect"
            )
        case let .success(parsed): expectation = parsed
        }
        let id = expectation.topic
        guard advisor.knowledgeBase.topic(id) != nil || id == KnowledgeBase.noneTopic else {
            var message = "/expect: unknown topic '\(id)'"
            if let near = nearestTopic(id) { message += "; did you mean \(near)?" }
            return (CommandOutcome(output: message, isError: true, expectationPassed: false), "error: unknown topic")
        }
        guard let answer = conversation.lastAnswer else {
            return (
                CommandOutcome(
                    output: "expected \(expectation), but no question was asked yet", isError: true,
                    expectationPassed: false),
                "expectation failed: no question"
            )
        }
        let got = Expectation(topic: answer.topic, asker: .some(answer.role), about: .some(answer.about))
        if expectation.matches(got) {
            return (CommandOutcome(output: "", expectationPassed: true), "expectation passed: \(expectation)")
        }
        let shown = expectation.projected(got)
        return (
            CommandOutcome(output: "expected \(expectation), got \(shown)", isError: true, expectationPassed: false),
            "expectation failed: expected \(expectation), got \(shown)"
        )
    }

    /// `/save [FILE]`, `/export FILE`: writes this session so far, as `transcripts export` writes it.
    ///
    /// The format comes from the extension (.md, .html, .json, .txt; else Markdown). `/save` alone
    /// writes `ID.md` in the current folder; `DIR/` writes `DIR/ID.md`. Only a regular file or
    /// a missing path is replaced (mode 0600).
    private func save(to argument: String, command: String) -> (CommandOutcome, String) {
        func failure(_ message: String) -> (CommandOutcome, String) {
            (CommandOutcome(output: message, isError: true), "error: not saved")
        }
        guard let recorder else {
            return failure("this session is not being recorded (--no-transcript), so \(command) has nothing to write")
        }
        if command == "/export", argument.isEmpty {
            return failure("/export needs a file name: /export FILE.md, .html, .json or .txt")
        }
        var path = argument.isEmpty ? "./" : argument
        if path == "~" || path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty {
            path = home + path.dropFirst()
        }
        do {
            let saved = try recorder.export(to: path)
            return (
                CommandOutcome(
                    output: "Saved this session (\(saved.turns) turn\(saved.turns == 1 ? "" : "s")) to \(saved.path)."),
                "saved to \(saved.path) as \(saved.format)"
            )
        } catch {
            return failure(error.description)
        }
    }

    private func nearestTopic(_ id: String) -> String? {
        SpellCorrector.nearest(to: id, among: advisor.knowledgeBase.topics.ids)
    }
}
