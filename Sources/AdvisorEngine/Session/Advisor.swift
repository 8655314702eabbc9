import AdvisorKnowledge
import AdvisorText

/// The advisor engine: a validated knowledge base, its router and its answer composer.
///
/// Build one per process; it is not thread-safe (the stemmer keeps a buffer).
public final class Advisor {
    /// The knowledge base the advisor answers from.
    public let knowledgeBase: KnowledgeBase
    /// The router that picks a topic for each question.
    public let router: Router
    /// The composer that builds each answer from its topic.
    public let composer: AnswerComposer

    /// An advisor over an already loaded knowledge base.
    public init(knowledgeBase: KnowledgeBase) {
        self.knowledgeBase = knowledgeBase
        router = Router(knowledgeBase: knowledgeBase)
        composer = AnswerComposer(knowledgeBase: knowledgeBase)
    }

    /// An advisor over an already loaded knowledge base and its dictionary of real words.
    package init(knowledgeBase: KnowledgeBase, dictionary: WordList?) {
        self.knowledgeBase = knowledgeBase
        router = Router(knowledgeBase: knowledgeBase, dictionary: dictionary)
        composer = AnswerComposer(knowledgeBase: knowledgeBase)
    }

    package init(knowledgeBase: KnowledgeBase, router: Router) {
        self.knowledgeBase = knowledgeBase
        self.router = router
        composer = AnswerComposer(knowledgeBase: knowledgeBase)
    }

    /// Loads the knowledge base in `directory` through the compiled cache in `cacheDirectory`.
    ///
    /// A cache whose content hash matches the knowledge base's files (and whose checksum
    /// holds) is used as it is; otherwise the knowledge base is loaded, validated and
    /// compiled, and the cache rewritten (best effort). With no `cacheDirectory`, no cache is
    /// used. Every file is read once either way. Throws, listing every problem, when the
    /// knowledge base fails the checks of `load(directory:)`.
    public static func load(directory: String, cacheDirectory: String?) throws(KnowledgeBaseError) -> Advisor {
        let files = KnowledgeBaseFiles.read(directory: directory)
        guard let cacheDirectory, files.isComplete else { return try load(files) }
        let cache = KnowledgeBaseCache(cacheDirectory: cacheDirectory, knowledgeBaseDirectory: directory)
        if let advisor = cache.read(fingerprint: files.fingerprint, dictionary: files.words) {
            return advisor
        }
        let advisor = try load(files)
        cache.write(advisor)
        return advisor
    }

    /// Loads the knowledge base in `directory` and refuses it when `kb check` would:
    /// structure, references, patterns, and every sample question routed to its topic.
    public static func load(directory: String) throws(KnowledgeBaseError) -> Advisor {
        try load(KnowledgeBaseFiles.read(directory: directory))
    }

    package static func load(_ files: KnowledgeBaseFiles) throws(KnowledgeBaseError) -> Advisor {
        let (base, loadProblems) = KnowledgeBaseLoader.load(files)
        let (advisor, problems) = KnowledgeBaseCheck.validate(base, loadProblems: loadProblems, files: files)
        guard problems.isEmpty else { throw KnowledgeBaseError(problems) }
        return advisor
    }

    /// Answers a single question with no conversation around it.
    public func ask(_ question: String, role: Role? = nil) -> Answer {
        Conversation(advisor: self, role: role).ask(question)
    }
}
