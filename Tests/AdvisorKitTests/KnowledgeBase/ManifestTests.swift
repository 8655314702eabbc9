import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge

/// What the engine relies on is declared in manifest.yaml and verified by `kb check`.
@Suite("manifest: reserved concepts and special topics")
struct ManifestTests {
    /// `kb check` messages of the shipped knowledge base with `edit` applied to one of its files.
    private func messages(_ file: String, _ edit: (String) -> String) throws -> [String] {
        let folder = try TestSupport.copyShippedKnowledgeBase()
        defer { folder.remove() }
        let text = try String(contentsOfFile: folder.file(file), encoding: .utf8)
        let edited = edit(text)
        #expect(edited != text, "the edit changed \(file)")
        _ = try folder.write(file, edited)
        return KnowledgeBaseCheck.check(directory: folder.path).1.map(\.message)
    }

    @Test("the shipped manifest declares exactly the engine's reserved concepts and special topics")
    func shippedDeclaresThem() throws {
        let manifest = try String(
            contentsOfFile: TestSupport.shippedKnowledgeBase + "/manifest.yaml", encoding: .utf8)
        let line = try #require(manifest.split(separator: "\n").first { $0.hasPrefix("reserved_concepts:") })
        for (id, _) in ReservedConcept.all { #expect(line.contains(id), "\(id) listed") }
        #expect(manifest.contains("fallback: \(KnowledgeBase.noneTopic)"))
        #expect(manifest.contains("smalltalk: \(KnowledgeBase.smalltalkTopic)"))
    }

    @Test("a reserved concept missing from concepts.yaml is an error naming it")
    func undefinedReservedConcept() throws {
        let problems = try messages("concepts.yaml") {
            $0.replacingOccurrences(of: "\n  first-step:", with: "\n  first-steps:")
        }
        #expect(
            problems.contains { $0.contains("reserved concept 'first-step'") && $0.contains("not defined") },
            "\(problems)")
    }

    @Test("an unknown or missing reserved concept in the manifest is an error")
    func wrongReservedList() throws {
        let problems = try messages("manifest.yaml") {
            $0.replacingOccurrences(of: "figures, more", with: "figures, banana")
        }
        #expect(problems.contains { $0.contains("'banana' is not a reserved concept") }, "\(problems)")
        #expect(problems.contains { $0.contains("lacks 'more'") }, "\(problems)")
    }

    @Test("a special topic that is not the engine's id is an error")
    func wrongSpecialTopic() throws {
        let problems = try messages("manifest.yaml") {
            $0.replacingOccurrences(of: "fallback: none", with: "fallback: nothing")
        }
        #expect(problems.contains { $0.contains("the fallback topic is 'none'") }, "\(problems)")
    }
}
