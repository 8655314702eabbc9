import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation

/// `advisor kb check|stats|topics`.
struct KBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "Validate and describe the knowledge base.",
        subcommands: [Check.self, Stats.self, Topics.self, Eval.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate the knowledge base: schema, references, patterns, and every sample question.")

        @OptionGroup var common: KnowledgeBaseOption

        func run() throws {
            let directory = try common.knowledgeBaseDirectory()
            let (base, problems) = KnowledgeBaseCheck.check(directory: directory)
            for problem in problems { Console.error(problem.description) }
            if !problems.isEmpty {
                throw CommandFailure("\(problems.count) problem(s) in \(directory)", exitCode: 1)
            }
            let samples = base.topics.reduce(0) { $0 + $1.samples.count }
            Console.write(
                TerminalSafe.neutralize(
                    "ok: \(base.topics.count) topics, \(samples) sample questions routed to their topics, "
                        + "\(base.examples.count) example questions (\(directory))",
                    keepNewlines: false) + "\n")
        }
    }

    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Measure routing on labelled questions: accuracy, out-of-scope recall, false none, confusions.",
            discussion: """
                FILE is tab-separated: QUESTION<tab>TOPIC[<tab>SOURCE[<tab>SECOND]], one per line; TOPIC is \
                `none` for a question out of scope, and SECOND is an independent second labeller's topic \
                (then the report adds how often the labellers agree and the accuracy where they do). Each \
                question is asked on its own, with no role, and as unseen: an example question of the \
                knowledge base (examples.tsv) identical to it is left out.
                """)

        @OptionGroup var common: KnowledgeBaseOption

        @Flag(name: .long, help: "List every misrouted question as FILE:LINE: expected X, got Y.")
        var misses = false

        @Flag(
            name: .long,
            help: "List the patterns that decided answers wrongly at least as often as rightly (tuning sets only).")
        var patterns = false

        @Option(name: .long, help: "Exit 1 when accuracy is below this share (0 to 1).")
        var minAccuracy: Double?

        @Argument(
            help: ArgumentHelp("The labelled questions.", valueName: "file.tsv"), completion: .file(extensions: ["tsv"])
        )
        var file: String

        func run() throws {
            let advisor = try common.loadAdvisor()
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
            else {
                throw CommandFailure("cannot read \(TerminalSafe.neutralize(file)) as UTF-8 text")
            }
            let evaluation = RoutingEvaluation(text: text, advisor: advisor)
            for problem in evaluation.problems { Console.error("\(TerminalSafe.neutralize(file)):\(problem)") }
            Console.write(
                evaluation.report(file: TerminalSafe.neutralize(file), listMisses: misses, listPatterns: patterns))
            if !evaluation.problems.isEmpty { throw ExitCode(2) }
            if let minAccuracy, evaluation.accuracy < minAccuracy { throw ExitCode(1) }
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats", abstract: "Count topics, patterns, concepts and vocabulary.")

        @OptionGroup var common: KnowledgeBaseOption

        func run() throws {
            let advisor = try common.loadAdvisor()
            let base = advisor.knowledgeBase
            let rows: [(String, Int)] = [
                ("topics", base.topics.count),
                ("patterns", advisor.router.ruleCount),
                ("samples", base.topics.reduce(0) { $0 + $1.samples.count }),
                ("examples", advisor.router.exampleCount),
                ("facts", base.topics.reduce(0) { $0 + $1.facts.count }),
                ("concepts", base.concepts.count),
                ("synonyms", base.concepts.reduce(0) { $0 + $1.synonyms.count }),
                ("glossary terms", base.topics.filter { $0.glossary != nil }.count),
                ("sources", base.sources.count),
                ("routing terms", advisor.router.termCount),
                ("vocabulary", advisor.router.normalizer.vocabularySize),
            ]
            for (name, count) in rows {
                Console.write(name.padding(toLength: 16, withPad: " ", startingAt: 0) + String(count) + "\n")
            }
            Console.write("fingerprint".padding(toLength: 16, withPad: " ", startingAt: 0) + base.fingerprint + "\n")
        }
    }

    struct Topics: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "topics", abstract: "List topic ids and titles.")

        @OptionGroup var common: KnowledgeBaseOption

        func run() throws {
            Console.ignoreBrokenPipe()
            let advisor = try common.loadAdvisor()
            let width = advisor.knowledgeBase.topics.map(\.id.count).max() ?? 0
            for topic in advisor.knowledgeBase.topics {
                let line = topic.id.padding(toLength: width + 2, withPad: " ", startingAt: 0) + topic.title
                Console.write(TerminalSafe.neutralize(line, keepNewlines: false) + "\n")
            }
        }
    }
}
