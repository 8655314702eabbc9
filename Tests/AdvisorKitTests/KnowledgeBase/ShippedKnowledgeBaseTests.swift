import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("The shipped knowledge base")
struct ShippedKnowledgeBaseTests {
    @Test("passes KnowledgeBaseValidator.check with zero diagnostics")
    func checkPasses() {
        let (base, diagnostics) = KnowledgeBaseCheck.check(directory: TestSupport.shippedKnowledgeBase)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description).joined(separator: "\n"))")
        #expect(base.topics.count >= 25)
    }

    @Test("loads for answering")
    func loads() throws {
        let advisor = try Advisor.load(directory: TestSupport.shippedKnowledgeBase)
        #expect(advisor.router.diagnostics.isEmpty)
        #expect(advisor.knowledgeBase.topic("none") != nil)
        #expect(advisor.knowledgeBase.topic("smalltalk") != nil)
    }

    /// The taxonomy list of manifest.yaml, read line by line (a plain YAML list).
    private func manifestTaxonomy() throws -> [String] {
        let path = (TestSupport.shippedKnowledgeBase as NSString).appendingPathComponent(
            KnowledgeBaseValidator.manifestFile)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var ids: [String] = []
        var inTaxonomy = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("taxonomy:") {
                inTaxonomy = true
            } else if inTaxonomy, line.hasPrefix("  - ") {
                ids.append(line.dropFirst(4).trimmingCharacters(in: CharacterSet(charactersIn: " \"'")))
            } else if inTaxonomy, !line.hasPrefix("#"), !line.trimmingCharacters(in: .whitespaces).isEmpty {
                inTaxonomy = false
            }
        }
        return ids
    }

    @Test("the manifest's taxonomy is exactly the ids of topics.md", .enabled(if: TestSupport.topicsSpec != nil))
    func manifestMatchesSpec() throws {
        let spec = try TestSupport.specTopicIDs(try #require(TestSupport.topicsSpec))
        #expect(spec.count == 25)
        #expect(spec.last == "none")
        let taxonomy = try manifestTaxonomy()
        #expect(taxonomy == spec)
        #expect(Set(TestSupport.shippedBase.topics.map(\.id)) == Set(spec))
    }

    @Test("the manifest's taxonomy names every topic file")
    func manifestMatchesTopics() throws {
        #expect(Set(try manifestTaxonomy()) == Set(TestSupport.shippedBase.topics.map(\.id)))
        #expect(KnowledgeBaseValidator.manifestProblems(TestSupport.shippedBase).isEmpty)
    }

    @Test("a topic missing from the manifest is reported")
    func manifestMismatch() throws {
        let temp = try TestSupport.copyShippedKnowledgeBase()
        defer { temp.remove() }
        try FileManager.default.removeItem(atPath: temp.file("topics/listening.yaml"))
        let diagnostics = KnowledgeBaseCheck.check(directory: temp.path).1
        #expect(diagnostics.contains { $0.message == "topic 'listening' of the taxonomy has no topic file" })
    }

    @Test("every topic but smalltalk and none cites at least one known source")
    func sourcesCited() {
        let base = TestSupport.shippedBase
        let known = Set(base.sources.map(\.id))
        #expect(base.sources.count == 5)
        for topic in base.topics {
            if topic.id != KnowledgeBase.noneTopic, topic.id != KnowledgeBase.smalltalkTopic {
                #expect(!topic.sources.isEmpty, "\(topic.id) cites no source")
            }
            for source in topic.sources { #expect(known.contains(source), "\(topic.id) cites \(source)") }
            for fact in topic.facts {
                #expect(topic.sources.contains(fact.source), "a fact of \(topic.id) cites \(fact.source)")
            }
        }
    }

    @Test("every topic but none has patterns and samples; term topics have a glossary")
    func topicShape() {
        for topic in TestSupport.shippedBase.topics where topic.id != KnowledgeBase.noneTopic {
            #expect(!topic.patterns.isEmpty, "\(topic.id)")
            #expect(topic.samples.count >= 3, "\(topic.id)")
            #expect(!topic.title.isEmpty && !topic.answer.isEmpty)
            if topic.id.hasPrefix("term-") {
                #expect(topic.glossary?.meanings.count == 2, "\(topic.id)")
            }
        }
    }

    /// The whole numbers written in `text` ("68%" gives 68).
    private func numbers(in text: String) -> [String] {
        text.split { !$0.isASCII || !$0.isNumber }.map(String.init)
    }

    @Test("every fact's numbers appear in its cited article", .enabled(if: TestSupport.seedsFolder != nil))
    func figuresInSeeds() throws {
        let seeds = try #require(TestSupport.seedsFolder)
        let base = TestSupport.shippedBase
        var all: Set<String> = []
        for topic in base.topics {
            for fact in topic.facts {
                let source = try #require(base.source(fact.source), "\(topic.id) cites \(fact.source)")
                let path = (seeds as NSString).appendingPathComponent(source.seed)
                let article = try String(contentsOfFile: path, encoding: .utf8)
                let articleNumbers = Set(numbers(in: article))
                for number in numbers(in: fact.text) {
                    all.insert(number)
                    #expect(
                        articleNumbers.contains(number),
                        "\(topic.id): '\(number)' of \"\(fact.text)\" is not in \(source.seed)")
                }
            }
        }
        #expect(all.isSuperset(of: ["68", "86", "76", "20", "200", "400"]))
    }

    @Test("every source's seed file exists", .enabled(if: TestSupport.seedsFolder != nil))
    func seedsExist() throws {
        let seeds = try #require(TestSupport.seedsFolder)
        for source in TestSupport.shippedBase.sources {
            #expect(FileManager.default.fileExists(atPath: (seeds as NSString).appendingPathComponent(source.seed)))
        }
    }

    @Test("the answers' figures match the facts")
    func answersCarryFacts() {
        let advisor = TestSupport.advisor()
        let budget = advisor.ask("tech budget?")
        #expect(budget.answer.contains("68%") || budget.facts?.contains { $0.text.contains("68%") } == true)
        let mobile = advisor.ask("Who owns mobile?")
        #expect(mobile.answer.contains("86%") && mobile.answer.contains("76%"))
        #expect(mobile.facts?.allSatisfy { $0.seed.hasSuffix(".txt") } == true)
    }
}
