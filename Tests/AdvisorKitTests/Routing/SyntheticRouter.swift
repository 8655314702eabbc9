@testable import AdvisorEngine
@testable import AdvisorKnowledge

/// Routers over knowledge bases made in code: topics with only patterns, one source.
enum SyntheticRouter {
    /// A router over one topic per entry of `topics` (its id and its patterns), with no concepts.
    static func make(_ topics: [(id: String, patterns: [Pattern])]) -> Router {
        let location = AdvisorKnowledge.SourceLocation(file: "synthetic.yaml", line: 1, column: 1)
        let built = topics.map { id, patterns in
            Topic(
                id: id, title: id, answer: "Answer of \(id).", more: nil, advice: [:], glossary: nil, facts: [],
                sources: ["syn"], related: [], patterns: patterns, samples: [], location: location)
        }
        let base = KnowledgeBase(
            directory: "/synthetic", sources: [Source(id: "syn", seed: "syn.txt", title: "Synthetic")], concepts: [],
            topics: built, fingerprint: "synthetic")
        return Router(knowledgeBase: base)
    }
}
