import AdvisorKnowledge

/// Everything `kb check` checks: the knowledge base's structure (``KnowledgeBaseValidator``),
/// the router's own diagnostics, then every sample question routed to its own topic.
public enum KnowledgeBaseCheck {
    /// Reads, loads and checks the knowledge base in `directory`.
    public static func check(directory: String) -> (KnowledgeBase, [Diagnostic]) {
        let files = KnowledgeBaseFiles.read(directory: directory)
        let (base, loadProblems) = KnowledgeBaseLoader.load(files)
        return (base, validate(base, loadProblems: loadProblems, files: files).problems)
    }

    /// Every check on a loaded knowledge base, and the advisor built on the way; `files`
    /// are those `base` was loaded from (the manifest and the dictionary come from them).
    package static func validate(_ base: KnowledgeBase, loadProblems: [Diagnostic], files: KnowledgeBaseFiles) -> (
        advisor: Advisor, problems: [Diagnostic]
    ) {
        var problems = KnowledgeBaseValidator.structuralCheck(base, loadProblems: loadProblems, files: files)
        let advisor = Advisor(knowledgeBase: base, dictionary: files.words)
        problems += advisor.router.diagnostics
        if problems.isEmpty {
            problems += sampleProblems(advisor)
        }
        return (advisor, KnowledgeBaseError(problems).diagnostics)
    }

    /// Every sample question must route to its own topic, asked on its own.
    package static func sampleProblems(_ advisor: Advisor) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for topic in advisor.knowledgeBase.topics {
            for sample in topic.samples {
                let answer = advisor.ask(sample.value)
                guard answer.topic != topic.id else { continue }
                let scores = answer.why.candidates.prefix(3).map { "\($0.topic) \($0.score)" }.joined(separator: ", ")
                problems.append(
                    Diagnostic(
                        sample.location,
                        "sample question routes to '\(answer.topic)' instead of '\(topic.id)' "
                            + "(confidence \(answer.confidence); scores: \(scores.isEmpty ? "none" : scores))"))
            }
        }
        return problems
    }
}
