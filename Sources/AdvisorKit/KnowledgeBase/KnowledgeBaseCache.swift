import Foundation

/// The compiled knowledge base cache: the parsed topics and the router's index in a
/// compact binary file, keyed by the content hash of the knowledge base's files, so a
/// large knowledge base starts without parsing YAML or compiling patterns again.
///
/// The cache is an optimisation only: a missing, stale, damaged or unwritable cache
/// falls back to loading the YAML files.
public struct KnowledgeBaseCache: Sendable {
    static let magic = Array("ADVKBC\u{1}\n".utf8)
    /// Bump whenever the format or what the router compiles changes.
    static let formatVersion = 5

    /// The running executable's size and modification time: a rebuilt advisor, whose router
    /// may compile differently, never trusts a cache an older build wrote.
    static let engineIdentity: String = {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return "unknown" }
        return "\(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }()

    /// The folder holding cache files.
    public let cacheDirectory: String
    private let prefix: String

    public init(cacheDirectory: String, knowledgeBaseDirectory: String) {
        self.cacheDirectory = cacheDirectory
        var hasher = FNV1a()
        hasher.combine(URL(fileURLWithPath: knowledgeBaseDirectory).standardizedFileURL.path)
        prefix = "kb-" + hasher.hexDigest + "-"
    }

    /// The default folder: `$ADVISOR_CACHE`, else `$XDG_CACHE_HOME/advisor`, else
    /// `~/.cache/advisor`; nil when `ADVISOR_CACHE=off`.
    public static func defaultDirectory(environment: [String: String]) -> String? {
        if let value = environment["ADVISOR_CACHE"], !value.isEmpty {
            return value == "off" ? nil : value
        }
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") { return cache + "/advisor" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.cache/advisor"
    }

    func path(for fingerprint: String) -> String {
        (cacheDirectory as NSString).appendingPathComponent(prefix + fingerprint + ".bin")
    }

    /// The advisor stored for `fingerprint`, or nil when there is no usable cache.
    func read(fingerprint: String) -> Advisor? {
        guard let data = try? BoundedFile.read(path(for: fingerprint), limit: 1 << 30) else { return nil }
        var reader = BinaryReader(Array(data))
        do {
            for byte in Self.magic where try reader.int() != Int(byte) { return nil }
            guard try reader.int() == Self.formatVersion, try reader.string() == Self.engineIdentity,
                try reader.string() == fingerprint
            else { return nil }
            return try Self.decodeAdvisor(&reader, fingerprint: fingerprint)
        } catch {
            return nil
        }
    }

    /// Stores `advisor` (atomically) and removes older caches of the same knowledge base.
    func write(_ advisor: Advisor) {
        let fingerprint = advisor.knowledgeBase.fingerprint
        var writer = BinaryWriter()
        for byte in Self.magic { writer.write(Int(byte)) }
        writer.write(Self.formatVersion)
        writer.write(Self.engineIdentity)
        writer.write(fingerprint)
        Self.encode(advisor, into: &writer)
        let fm = FileManager.default
        do {
            try fm.createDirectory(
                atPath: cacheDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try Data(writer.bytes).write(to: URL(fileURLWithPath: path(for: fingerprint)), options: .atomic)
            for name in try fm.contentsOfDirectory(atPath: cacheDirectory)
            where name.hasPrefix(prefix) && name != prefix + fingerprint + ".bin" {
                try? fm.removeItem(atPath: (cacheDirectory as NSString).appendingPathComponent(name))
            }
        } catch {
            // The cache is only an optimisation: an unwritable cache folder costs time, nothing else.
        }
    }

    // MARK: Encoding

    static func encode(_ advisor: Advisor, into w: inout BinaryWriter) {
        let base = advisor.knowledgeBase
        var files: [String: Int] = [:]
        var fileNames: [String] = []
        func file(_ name: String) -> Int {
            if let index = files[name] { return index }
            files[name] = fileNames.count
            fileNames.append(name)
            return fileNames.count - 1
        }
        // Locations refer to a table of file names, written first.
        for topic in base.topics {
            _ = file(topic.location.file)
            for pattern in topic.patterns { _ = file(pattern.location.file) }
        }
        for concept in base.concepts { _ = file(concept.location.file) }
        w.write(fileNames) { $0.write($1) }
        func location(_ l: SourceLocation, _ w: inout BinaryWriter) {
            w.write(file(l.file))
            w.write(l.line)
            w.write(l.column)
        }

        w.write(base.directory)
        w.write(base.sources) { w, s in
            w.write(s.id)
            w.write(s.seed)
            w.write(s.title)
            w.write(s.author)
            w.write(s.date)
        }
        w.write(base.concepts) { w, c in
            w.write(c.id)
            w.write(c.synonyms) { $0.write($1) }
            location(c.location, &w)
        }
        w.write(base.topics) { w, t in
            w.write(t.id)
            w.write(t.title)
            w.write(t.answer)
            w.write(t.more)
            w.write(t.advice[.cio])
            w.write(t.advice[.cmo])
            for role in Role.allCases {
                w.write(t.nextSteps[role] ?? []) { w, step in
                    w.write(step.text)
                    w.write(step.source)
                    w.write(step.inferred)
                    location(step.location, &w)
                }
            }
            w.write(t.replies) { w, reply in
                w.write(reply.when) { $0.write($1) }
                w.write(reply.answer)
                location(reply.location, &w)
            }
            w.write(t.glossary != nil)
            if let g = t.glossary {
                w.write(g.term)
                w.write(g.aliases) { $0.write($1) }
                w.write(g.meanings[.cio])
                w.write(g.meanings[.cmo])
                w.write(g.note)
            }
            w.write(t.facts) { w, f in
                w.write(f.text)
                w.write(f.source)
            }
            w.write(t.sources) { $0.write($1) }
            w.write(t.related) { w, r in
                w.write(r.value)
                location(r.location, &w)
            }
            w.write(t.patterns) { w, p in
                w.write(p.value)
                w.write(p.weight)
                location(p.location, &w)
            }
            w.write(t.samples) { w, s in
                w.write(s.value)
                location(s.location, &w)
            }
            location(t.location, &w)
        }

        let router = advisor.router
        let normalizer = router.normalizer
        var terms = [String](repeating: "", count: router.termIDs.count)
        for (term, id) in router.termIDs { terms[Int(id)] = term }
        w.write(terms) { $0.write($1) }
        w.write(router.termWeights) { $0.write($1) }
        w.write(router.stopTerms.sorted()) { $0.write($1) }
        w.write(router.rules) { w, r in
            w.write(r.topic)
            w.write(r.terms) { $0.write($1) }
            w.write(r.text)
            w.write(r.weight)
            w.write(r.stopOnly)
        }
        w.write(router.postings) { w, list in w.write(list) { $0.write($1) } }
        w.write(router.framePhrases.sorted { $0.key < $1.key }) { w, entry in
            w.write(entry.key)
            w.write(entry.value) { w, phrase in
                w.write(phrase.name)
                w.write(phrase.terms) { $0.write($1) }
                w.write(phrase.topics) { $0.write($1) }
            }
        }
        w.write(router.textPostings) { w, list in
            w.write(list) { w, posting in
                w.write(posting.topic)
                w.write(posting.impact)
            }
        }
        w.write(router.glossaryByFirstTerm.sorted { $0.key < $1.key }) { w, entry in
            w.write(entry.key)
            w.write(entry.value) { w, phrase in
                w.write(phrase.terms) { $0.write($1) }
                w.write(phrase.topic)
            }
        }
        w.write(router.glossaryTerms.sorted { $0.key < $1.key }) { w, entry in
            w.write(entry.key)
            w.write(entry.value.sorted()) { $0.write($1) }
        }
        w.write(router.framingTermIDs.sorted()) { $0.write($1) }
        w.write(normalizer.phrases.sorted { $0.key < $1.key }) { w, entry in
            w.write(entry.key)
            w.write(entry.value) { w, p in
                w.write(p.stems) { $0.write($1) }
                w.write(p.caseSensitive)
                w.write(p.concept)
            }
        }
        w.write(normalizer.knownStems.sorted()) { $0.write($1) }
        w.write(normalizer.speller.entries) { w, e in
            w.write(e.word)
            w.write(e.frequency)
        }
    }

    static func decodeAdvisor(_ r: inout BinaryReader, fingerprint: String) throws(BinaryReader.Damaged) -> Advisor {
        let fileNames = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in try r.string() }
        func location(_ r: inout BinaryReader) throws(BinaryReader.Damaged) -> SourceLocation {
            let index = try r.int()
            guard fileNames.indices.contains(index) else { throw BinaryReader.Damaged() }
            return SourceLocation(file: fileNames[index], line: try r.int(), column: try r.int())
        }
        func strings(_ r: inout BinaryReader) throws(BinaryReader.Damaged) -> [String] {
            try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in try r.string() }
        }
        func int32s(_ r: inout BinaryReader) throws(BinaryReader.Damaged) -> [Int32] {
            try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in try r.int32() }
        }

        let directory = try r.string()
        let sources = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
            Source(
                id: try r.string(), seed: try r.string(), title: try r.string(), author: try r.optionalString(),
                date: try r.optionalString())
        }
        let concepts = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
            Concept(id: try r.string(), synonyms: try strings(&r), location: try location(&r))
        }
        let topics = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) -> Topic in
            let id = try r.string()
            let title = try r.string()
            let answer = try r.string()
            let more = try r.optionalString()
            var advice: [Role: String] = [:]
            advice[.cio] = try r.optionalString()
            advice[.cmo] = try r.optionalString()
            var nextSteps: [Role: [NextStep]] = [:]
            for role in Role.allCases {
                let steps = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
                    NextStep(text: try r.string(), source: try r.string(), inferred: try r.bool(), at: try location(&r))
                }
                if !steps.isEmpty { nextSteps[role] = steps }
            }
            let replies = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
                Reply(when: try strings(&r), answer: try r.string(), location: try location(&r))
            }
            var glossary: GlossaryEntry?
            if try r.bool() {
                let term = try r.string()
                let aliases = try strings(&r)
                var meanings: [Role: String] = [:]
                meanings[.cio] = try r.optionalString()
                meanings[.cmo] = try r.optionalString()
                glossary = GlossaryEntry(term: term, aliases: aliases, meanings: meanings, note: try r.optionalString())
            }
            let facts = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
                Fact(text: try r.string(), source: try r.string())
            }
            let sources = try strings(&r)
            let related = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
                Located(try r.string(), at: try location(&r))
            }
            let patterns = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
                Pattern(try r.string(), weight: try r.double(), at: try location(&r))
            }
            let samples = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
                Located(try r.string(), at: try location(&r))
            }
            var topic = Topic(
                id: id, title: title, answer: answer, more: more, advice: advice, glossary: glossary, facts: facts,
                sources: sources, related: related, patterns: patterns, samples: samples, location: try location(&r))
            topic.nextSteps = nextSteps
            topic.replies = replies
            return topic
        }
        let base = KnowledgeBase(
            directory: directory, sources: sources, concepts: concepts, topics: topics, fingerprint: fingerprint)

        let terms = try strings(&r)
        let weights = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in try r.double() }
        let stopTerms = try int32s(&r)
        let rules = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
            Router.Rule(
                topic: try r.int32(), terms: try int32s(&r), text: try r.string(), weight: try r.double(),
                stopOnly: try r.bool())
        }
        let postings = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in try int32s(&r) }
        let framePhrases = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
            (
                try r.int32(),
                try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
                    Router.FramePhrase(name: try r.string(), terms: try int32s(&r), topics: try int32s(&r))
                }
            )
        }
        let textPostings = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
            try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
                Router.TextPosting(topic: try r.int32(), impact: try r.double())
            }
        }
        let glossaryByFirstTerm = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
            (
                try r.string(),
                try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
                    (terms: try strings(&r), topic: try r.string())
                }
            )
        }
        let glossaryTerms = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
            (try r.int32(), Set(try int32s(&r)))
        }
        let framing = try int32s(&r)
        let phrases = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
            (
                try r.string(),
                try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
                    ConceptPhrase(stems: try strings(&r), caseSensitive: try r.bool(), concept: try r.string())
                }
            )
        }
        let knownStems = try strings(&r)
        let speller = try r.array { (r: inout BinaryReader) throws(BinaryReader.Damaged) in
            (word: try r.string(), frequency: try r.int())
        }
        guard r.isAtEnd, weights.count == terms.count, postings.count == terms.count,
            textPostings.count == terms.count
        else {
            throw BinaryReader.Damaged()
        }

        // Every index must point inside its table: a damaged cache must not crash.
        let termCount = Int32(terms.count)
        let topicCount = Int32(topics.count)
        for rule in rules
        where !(0..<topicCount).contains(rule.topic) || rule.terms.contains(where: { !(0..<termCount).contains($0) }) {
            throw BinaryReader.Damaged()
        }
        for list in textPostings where list.contains(where: { !(0..<topicCount).contains($0.topic) }) {
            throw BinaryReader.Damaged()
        }
        for (key, phrases) in framePhrases {
            guard (0..<termCount).contains(key) else { throw BinaryReader.Damaged() }
            for phrase in phrases
            where phrase.terms.isEmpty || phrase.terms.contains(where: { !(0..<termCount).contains($0) })
                || phrase.topics.contains(where: { !(0..<topicCount).contains($0) })
            {
                throw BinaryReader.Damaged()
            }
        }
        let ruleCount = Int32(rules.count)
        for list in postings where list.contains(where: { !(0..<ruleCount).contains($0) }) {
            throw BinaryReader.Damaged()
        }

        let normalizer = Normalizer()
        normalizer.dictionary = Router.dictionary(for: base)
        normalizer.phrases = Dictionary(phrases, uniquingKeysWith: { a, _ in a })
        normalizer.knownStems = Set(knownStems)
        normalizer.speller = SpellCorrector(entries: speller)
        let router = Router(restoring: normalizer, topicIDs: topics.map(\.id))
        router.termIDs = Dictionary(terms.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        router.termWeights = weights
        router.stopTerms = Set(stopTerms)
        router.rules = rules
        router.postings = postings
        router.textPostings = textPostings
        router.framePhrases = Dictionary(framePhrases, uniquingKeysWith: { a, _ in a })
        router.glossaryByFirstTerm = Dictionary(glossaryByFirstTerm, uniquingKeysWith: { a, _ in a })
        router.glossaryTerms = Dictionary(glossaryTerms, uniquingKeysWith: { a, _ in a })
        router.framingTermIDs = Set(framing)
        return Advisor(knowledgeBase: base, router: router)
    }
}
