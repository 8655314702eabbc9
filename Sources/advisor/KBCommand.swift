import AdvisorKit
import ArgumentParser
import Foundation

/// `advisor kb check|stats|topics`.
struct KBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "Validate and describe the knowledge base.",
        subcommands: [Check.self, Stats.self, Topics.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate the knowledge base: schema, references, patterns, and every sample question.")

        @OptionGroup var common: CommonOptions

        func run() throws {
            let directory = try common.knowledgeBaseDirectory()
            let (base, problems) = KnowledgeBaseValidator.check(directory: directory)
            for problem in problems { Console.error(problem.description) }
            if !problems.isEmpty {
                Console.error("\(problems.count) problem(s) in \(directory)")
                throw ExitCode(1)
            }
            let samples = base.topics.reduce(0) { $0 + $1.samples.count }
            Console.write(
                TerminalSafe.neutralize(
                    "ok: \(base.topics.count) topics, \(samples) sample questions routed to their topics (\(directory))",
                    keepNewlines: false) + "\n")
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats", abstract: "Count topics, patterns, concepts and vocabulary.")

        @OptionGroup var common: CommonOptions

        func run() throws {
            let advisor = try common.loadAdvisor()
            let base = advisor.knowledgeBase
            let rows: [(String, Int)] = [
                ("topics", base.topics.count),
                ("patterns", advisor.router.ruleCount),
                ("samples", base.topics.reduce(0) { $0 + $1.samples.count }),
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

        @OptionGroup var common: CommonOptions

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
