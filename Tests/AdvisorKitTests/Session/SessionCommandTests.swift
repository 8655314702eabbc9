import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("Session slash commands")
struct SessionCommandTests {
    private func session(role: Role? = nil) -> Session {
        Session(advisor: TestSupport.advisor(), role: role, recorder: nil, renderer: AnswerRenderer())
    }

    @Test("/help lists every command")
    func help() {
        let outcome = session().run(command: "/help")
        #expect(!outcome.isError)
        #expect(!outcome.quit)
        for entry in SlashCommand.catalog {
            #expect(outcome.output.contains("/\(entry.name)"), "/help lists /\(entry.name)")
        }
        #expect(session().run(command: "/h").output == outcome.output)
        #expect(session().run(command: "/?").output == outcome.output)
        #expect(session().run(command: "  /HELP  ").output == outcome.output)
    }

    @Test("/topics lists every topic but none, with its title")
    func topics() {
        let outcome = session().run(command: "/topics")
        #expect(!outcome.isError)
        let lines = outcome.output.split(separator: "\n")
        let ids = lines.compactMap { $0.split(separator: " ").first.map(String.init) }
        let expected = TestSupport.shippedBase.topics.map(\.id).filter { $0 != KnowledgeBase.noneTopic }
        #expect(ids == expected)
        #expect(outcome.output.contains("Who owns mobile"))
    }

    @Test("/topic ID shows the topic and makes it current")
    func topic() {
        let session = session()
        let outcome = session.run(command: "/topic term-agile")
        #expect(!outcome.isError)
        #expect(outcome.output.contains("[term-agile]"))
        #expect(session.conversation.currentTopic == "term-agile")
        #expect(session.ask("and to a CMO?").topic == "term-agile")
    }

    @Test(
        "/topic with an unknown id suggests the nearest",
        arguments: [("term-agil", "term-agile"), ("mobile-ownrship", "mobile-ownership"), ("budget", nil)])
    func unknownTopic(id: String, suggestion: String?) {
        let outcome = session().run(command: "/topic \(id)")
        #expect(outcome.isError)
        #expect(outcome.output.contains("unknown topic '\(id)'"))
        if let suggestion {
            #expect(outcome.output.contains("did you mean \(suggestion)?"))
        } else {
            #expect(!outcome.output.contains("did you mean"))
        }
    }

    @Test("/topic with no id is an error")
    func topicWithoutID() {
        let outcome = session().run(command: "/topic")
        #expect(outcome.isError)
        #expect(outcome.output.contains("needs a topic id"))
    }

    @Test("/role cio, cmo, none and a bad role")
    func role() {
        let session = session()
        var outcome = session.run(command: "/role cio")
        #expect(!outcome.isError)
        #expect(session.conversation.role == .cio)
        #expect(outcome.output.contains("CIO"))
        #expect(session.ask("What does platform mean?").answer.hasPrefix("To a CIO"))

        outcome = session.run(command: "/role CMO")
        #expect(!outcome.isError)
        #expect(session.conversation.role == .cmo)

        outcome = session.run(command: "/role")
        #expect(!outcome.isError)
        #expect(outcome.output.contains("CMO"))
        #expect(session.conversation.role == .cmo)

        outcome = session.run(command: "/role none")
        #expect(!outcome.isError)
        #expect(session.conversation.role == nil)
        #expect(session.ask("What does platform mean?").role == nil)

        outcome = session.run(command: "/role ceo")
        #expect(outcome.isError)
        #expect(outcome.output.contains("cio, cmo or none"))
        #expect(outcome.output.contains("'ceo'"))
        #expect(session.conversation.role == nil)
    }

    @Test("/why explains the last answer")
    func why() {
        let session = session()
        #expect(session.run(command: "/why").output == "No question asked yet.")
        _ = session.ask("who owns moblie")
        let output = session.run(command: "/why").output
        #expect(output.contains("Topic: mobile-ownership"))
        #expect(output.contains("Matched words: "))
        #expect(output.contains("mobile"))
        #expect(output.contains("Matched patterns: "))
        #expect(output.contains("Typos corrected: moblie -> mobile"))
        #expect(output.contains("Candidates:"))
        _ = session.ask("and to a CMO?")
        #expect(session.run(command: "/why").output.contains("Context used: "))
    }

    @Test("/whynot TOPIC says why another topic lost")
    func whyNot() throws {
        let session = session()
        #expect(session.run(command: "/whynot tech-budget").output == "No question asked yet.")
        _ = session.ask("Who should own our mobile app, IT or marketing?")
        let outcome = session.run(command: "/whynot tech-budget")
        #expect(!outcome.isError)
        #expect(outcome.output.contains("tech-budget"))
        #expect(outcome.output.contains("closest patterns"))
        #expect(outcome.output.contains("missing"))

        let runnerUp = try #require(session.conversation.lastAnswer?.why.candidates.dropFirst().first?.topic)
        let scored = session.run(command: "/whynot \(runnerUp)")
        #expect(scored.output.contains("\(runnerUp) scored"))

        let own = session.run(command: "/whynot mobile-ownership")
        #expect(own.output.contains("is the topic of the last answer"))

        let unknown = session.run(command: "/whynot tech-budgt")
        #expect(unknown.isError)
        #expect(unknown.output.contains("did you mean tech-budget?"))

        let missing = session.run(command: "/whynot")
        #expect(missing.isError)
    }

    @Test("/whynot quotes a hostile question safely")
    func whyNotHostile() {
        let session = session()
        _ = session.ask("\u{1B}[2Jrecipe for lasagne")
        let output = session.run(command: "/whynot tech-budget").output
        #expect(!output.unicodeScalars.contains("\u{1B}"))
    }

    @Test("/sources gives full citations of the last answer")
    func sources() {
        let session = session()
        #expect(session.run(command: "/sources").output == "No question asked yet.")
        _ = session.ask("Who owns mobile?")
        let output = session.run(command: "/sources").output
        #expect(output.hasPrefix("[1] "))
        #expect(!output.contains("seed") && !output.contains(".txt"), "titles and authors, not seed files: \(output)")
        #expect(output.contains("Tom Kaneshige"), "\(output)")
        #expect(output.split(separator: "\n").filter { $0.hasPrefix("[") }.count == 3, "\(output)")
        #expect(output.split(separator: "\n").allSatisfy { $0.count <= 80 }, "wrapped to the width: \(output)")
        _ = session.ask("hello")
        #expect(session.run(command: "/sources").output.contains("rests on no article"))
    }

    @Test("/more gives the longer explanation, advice and figures of the current topic")
    func more() {
        let session = session()
        #expect(session.run(command: "/more").output.contains("No topic yet"))
        _ = session.ask("Who owns mobile?")
        let output = session.run(command: "/more").output
        #expect(output.hasPrefix("Who owns mobile"))
        #expect(output.contains("Figures:"))
        #expect(output.contains("86%"))
        #expect(output.contains("For a CIO:"))
        #expect(output.contains("For a CMO:"))
        _ = session.ask("define platform")
        let glossary = session.run(command: "/more").output
        #expect(glossary.contains("To a CIO, \"platform\" means:"))
        #expect(glossary.contains("To a CMO, it means something else:"))
    }

    @Test("/history numbers the questions and neutralises control characters")
    func history() {
        let session = session()
        #expect(session.run(command: "/history").output == "No questions yet.")
        _ = session.ask("Who owns mobile?")
        _ = session.ask("evil \u{1B}]0;title\u{07} question")
        let output = session.run(command: "/history").output
        #expect(output.hasPrefix("1. Who owns mobile?\n2. evil "))
        #expect(!output.unicodeScalars.contains("\u{1B}"))
        #expect(!output.unicodeScalars.contains("\u{07}"))
    }

    @Test("/reset forgets the conversation")
    func reset() {
        let session = session()
        _ = session.ask("What does agile mean to a CIO?")
        let outcome = session.run(command: "/reset")
        #expect(!outcome.isError)
        #expect(outcome.output.contains("forgotten"))
        #expect(session.conversation.currentTopic == nil)
        #expect(session.ask("and to a CMO?").topic != "term-agile")
    }

    @Test("/quit, /exit and /q end the session", arguments: ["/quit", "/exit", "/q", "/QUIT"])
    func quit(line: String) {
        let outcome = session().run(command: line)
        #expect(outcome.quit)
        #expect(!outcome.isError)
    }

    @Test(
        "an unknown command is an error with a 'did you mean' suggestion",
        arguments: [
            ("/hlep", "help"), ("/topcis", "topics"), ("/rol cio", "role"), ("/exitt", "exit"), ("/whyy", "why"),
        ])
    func unknownCommand(line: String, suggestion: String) {
        let outcome = session().run(command: line)
        #expect(outcome.isError)
        #expect(outcome.output.contains("unknown command"))
        #expect(outcome.output.contains("did you mean /\(suggestion)?"))
    }

    @Test("an unknown command far from any gives no suggestion")
    func unknownCommandNoSuggestion() {
        let outcome = session().run(command: "/xyzzyplugh")
        #expect(outcome.isError)
        #expect(!outcome.output.contains("did you mean"))
        #expect(outcome.output.contains("/help"))
    }

    @Test("a line that is not a command")
    func notACommand() {
        let outcome = session().run(command: "hello")
        #expect(outcome.isError)
    }

    @Test("/expect passes, fails, rejects an unknown topic and needs a question first")
    func expect() {
        let session = session()
        var outcome = session.run(command: "/expect mobile-ownership")
        #expect(outcome.expectationPassed == false)
        #expect(outcome.isError)
        #expect(outcome.output.contains("no question was asked yet"))

        _ = session.ask("Who owns mobile?")
        outcome = session.run(command: "/expect mobile-ownership")
        #expect(outcome.expectationPassed == true)
        #expect(!outcome.isError)

        outcome = session.run(command: "/expect tech-budget")
        #expect(outcome.expectationPassed == false)
        #expect(outcome.output == "expected tech-budget, got mobile-ownership")

        outcome = session.run(command: "/expect mobile-ownrship")
        #expect(outcome.expectationPassed == false)
        #expect(outcome.output.contains("unknown topic 'mobile-ownrship'"))
        #expect(outcome.output.contains("did you mean mobile-ownership?"))

        outcome = session.run(command: "/expect")
        #expect(outcome.expectationPassed == false)
        #expect(outcome.isError)

        _ = session.ask("asdfgh")
        #expect(session.run(command: "/expect none").expectationPassed == true)
    }

    @Test("/transcript without a recorder says the session is not saved")
    func transcript() {
        #expect(session().run(command: "/transcript").output.contains("not being saved"))
    }

    @Test("/transcript with a recorder gives its path; commands are recorded with their effect")
    func transcriptRecorded() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let recorder = try TranscriptRecorder.start(
            directory: temp.path, mode: "interactive", role: nil, knowledgeBase: "kb", version: "test", script: nil,
            warn: { _ in })
        let session = Session(advisor: TestSupport.advisor(), role: nil, recorder: recorder, renderer: AnswerRenderer())
        #expect(session.run(command: "/transcript").output == recorder.path)
        _ = session.run(command: "/role cmo")
        _ = session.run(command: "/bogus")
        _ = session.ask("Who owns mobile?")
        session.finish()
        let transcript = try TranscriptStore(directory: temp.path).read(recorder.id)
        let commands = transcript.entries.compactMap { entry -> CommandEvent? in
            if case .command(let command) = entry { return command }
            return nil
        }
        #expect(commands.map(\.line) == ["/transcript", "/role cmo", "/bogus"])
        #expect(commands.map(\.effect) == ["showed transcript path", "role set to cmo", "error: unknown command"])
        #expect(transcript.turns.first?.answer.role == .cmo)
        #expect(transcript.end?.turns == 1)
    }

    @Test("/whynot none: the out-of-scope areas' patterns and what the question lacked")
    func whyNotNone() throws {
        let session = session()
        _ = session.ask("Who owns mobile?")
        let output = session.run(command: "/whynot none").output
        #expect(output.contains("closest patterns"))
        // Every listed pattern is one of none's out-of-scope patterns, shown with what was missing.
        let none = try #require(session.conversation.advisor.knowledgeBase.topic(KnowledgeBase.noneTopic))
        let patterns = Set(none.patterns.map(\.value))
        let listed = output.split(separator: "\n").filter { $0.hasPrefix("  '") }
        #expect(!listed.isEmpty, "\(output)")
        for line in listed {
            let pattern = line.dropFirst(3).prefix { $0 != "'" }
            #expect(patterns.contains(String(pattern)) && line.contains("missing"), "\(line)")
        }
    }

    @Test("SlashCommand parses the name and the argument")
    func parsing() throws {
        let command = try #require(SlashCommand(line: "  /Role   CMO  "))
        #expect(command.name == "role")
        #expect(command.argument == "CMO")
        #expect(command.canonicalName == "role")
        #expect(SlashCommand(line: "role cmo") == nil)
        #expect(SlashCommand(line: "/exit")?.canonicalName == "quit")
        #expect(SlashCommand(line: "/nope")?.canonicalName == nil)
        #expect(SlashCommand.suggestion(for: "hepl") == "help")
    }
}
