import AdvisorKnowledge
import AdvisorText
import Foundation

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
    /// A cache written when the files had the stamp they have now (same inodes, sizes and
    /// times, none changed in the last seconds: `KnowledgeBaseFiles.stamp(directory:)`) is
    /// used without reading the files. Otherwise they are read and hashed: a cache whose
    /// content hash matches them (and whose checksum holds) is used, and rewritten with the
    /// new stamp when the files were only touched; else the knowledge base is loaded,
    /// validated and compiled, and the cache rewritten (best effort). With no
    /// `cacheDirectory`, no cache is used. Throws, listing every problem, when the knowledge
    /// base fails the checks of `load(directory:)`.
    public static func load(directory: String, cacheDirectory: String?) throws(KnowledgeBaseError) -> Advisor {
        try loadReporting(directory: directory, cacheDirectory: cacheDirectory).advisor
    }

    /// How `load(directory:cacheDirectory:)` found its advisor.
    package enum CacheUse: Equatable {
        /// From the cache, by the files' stamp: no file of the knowledge base was read.
        case byStamp
        /// From the cache, by the hash of the files, read.
        case byFingerprint
        /// Compiled from the files (and cached when a cache folder was given).
        case compiled
    }

    /// `load(directory:cacheDirectory:)`, saying how the advisor was found; `now` is the
    /// time the files' stamp is taken at (tests move it on instead of waiting).
    package static func loadReporting(directory: String, cacheDirectory: String?, now: time_t = time(nil))
        throws(KnowledgeBaseError) -> (advisor: Advisor, use: CacheUse)
    {
        guard let cacheDirectory else { return (try load(KnowledgeBaseFiles.read(directory: directory)), .compiled) }
        let cache = KnowledgeBaseCache(cacheDirectory: cacheDirectory, knowledgeBaseDirectory: directory)
        // Taken before any file is read: a file changed after it no longer matches it.
        let stamp = KnowledgeBaseFiles.stamp(directory: directory, now: now)
        if let stamp,
            let advisor = cache.read(
                stamp: stamp,
                dictionary: WordList(
                    path: (directory as NSString).appendingPathComponent(KnowledgeBaseLoader.dictionaryFile)),
                now: now)
        {
            return (advisor, .byStamp)
        }
        let files = KnowledgeBaseFiles.read(directory: directory)
        guard files.isComplete else { return (try load(files), .compiled) }
        if let advisor = cache.read(fingerprint: files.fingerprint, dictionary: files.words, now: now) {
            // The files were touched, not changed: record their new stamp.
            if stamp != nil { cache.write(advisor, stamp: stamp) }
            return (advisor, .byFingerprint)
        }
        let advisor = try load(files)
        cache.write(advisor, stamp: stamp)
        return (advisor, .compiled)
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
    ///
    /// `asUnseen` routes it as if the knowledge base's example questions did not hold it
    /// (`kb eval`: a labelled set then measures what the advisor does with a question it has
    /// not seen, also when the set's questions are among the examples).
    public func ask(_ question: String, role: Role? = nil, asUnseen: Bool = false) -> Answer {
        let conversation = Conversation(advisor: self, role: role)
        if asUnseen { conversation.examplesLeftOut = router.exampleNumbers(matching: question) }
        return conversation.ask(question)
    }
}
