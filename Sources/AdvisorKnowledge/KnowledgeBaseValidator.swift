import AdvisorText
import Foundation

/// Checks a knowledge base beyond what loading it checks.
public enum KnowledgeBaseValidator {
    /// The optional file naming the topic ids the knowledge base must have, exactly.
    public static let manifestFile = "manifest.yaml"

    /// The checks that need no routing: load problems, structure and the manifest, in file order.
    ///
    /// `files` are those `base` was loaded from (the manifest comes from them).
    package static func structuralCheck(_ base: KnowledgeBase, loadProblems: [Diagnostic], files: KnowledgeBaseFiles)
        -> [Diagnostic]
    {
        loadProblems + structuralProblems(base) + manifestProblems(base, manifest: files.manifest)
    }

    /// Ids, references and required fields: the problems that make a knowledge base unusable.
    public static func structuralProblems(_ base: KnowledgeBase) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let sourcesFile = SourceLocation(
            file: (base.directory as NSString).appendingPathComponent(KnowledgeBaseLoader.sourcesFile))
        var sourceIDs: Set<String> = []
        for source in base.sources where !sourceIDs.insert(source.id).inserted {
            problems.append(Diagnostic(sourcesFile, "source id '\(source.id)' is declared twice"))
        }
        var conceptIDs: Set<String> = []
        var owners: [String: String] = [:]
        for concept in base.concepts {
            if !conceptIDs.insert(concept.id).inserted {
                problems.append(Diagnostic(concept.location, "concept '\(concept.id)' is declared twice"))
            }
            if !isIdentifier(concept.id) {
                problems.append(
                    Diagnostic(
                        concept.location, "concept id '\(concept.id)' must be lower-case letters, digits and hyphens"))
            }
            if concept.synonyms.isEmpty {
                problems.append(Diagnostic(concept.location, "concept '\(concept.id)' has no words"))
            }
            for word in concept.synonyms {
                if let problem = gapProblem(in: word) {
                    problems.append(Diagnostic(concept.location, "concept '\(concept.id)': '\(word)' \(problem)"))
                }
                let key = isAllCapitals(word) ? word : word.lowercased()
                if let owner = owners[key], owner != concept.id {
                    problems.append(
                        Diagnostic(
                            concept.location, "'\(word)' belongs to both concepts '\(owner)' and '\(concept.id)'"))
                }
                owners[key] = concept.id
            }
        }
        var topicIDs: Set<String> = []
        for topic in base.topics {
            if !topicIDs.insert(topic.id).inserted {
                problems.append(Diagnostic(topic.location, "topic id '\(topic.id)' is declared twice"))
            }
            if !isIdentifier(topic.id) {
                problems.append(
                    Diagnostic(topic.location, "topic id '\(topic.id)' must be lower-case letters, digits and hyphens"))
            }
        }
        for frame in base.frames {
            for topic in frame.topics where !topicIDs.contains(topic.value) {
                problems.append(
                    Diagnostic(topic.location, "frame '\(frame.name)' names unknown topic '\(topic.value)'"))
            }
        }
        for topic in base.topics {
            if TopicKind.isAdvice(topic.id), topic.sources.isEmpty, !base.sources.isEmpty {
                problems.append(Diagnostic(topic.location, "topic '\(topic.id)' cites no source"))
            }
            for source in topic.sources where !sourceIDs.contains(source) {
                problems.append(Diagnostic(topic.location, "topic '\(topic.id)' cites unknown source '\(source)'"))
            }
            for fact in topic.facts where !sourceIDs.contains(fact.source) {
                problems.append(
                    Diagnostic(topic.location, "a fact of '\(topic.id)' cites unknown source '\(fact.source)'"))
            }
            for fact in topic.facts where !topic.sources.contains(fact.source) && sourceIDs.contains(fact.source) {
                problems.append(
                    Diagnostic(
                        topic.location,
                        "a fact of '\(topic.id)' cites source '\(fact.source)', missing from the topic's sources"))
            }
            for related in topic.related {
                if related.value == topic.id {
                    problems.append(Diagnostic(related.location, "topic '\(topic.id)' lists itself as related"))
                } else if !topicIDs.contains(related.value) {
                    problems.append(Diagnostic(related.location, "related topic '\(related.value)' does not exist"))
                }
            }
            for (role, steps) in topic.nextSteps.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                for step in steps {
                    if !sourceIDs.contains(step.source) {
                        problems.append(
                            Diagnostic(
                                step.location, "a next step for \(role.rawValue) cites unknown source '\(step.source)'")
                        )
                    } else if !topic.sources.contains(step.source) {
                        problems.append(
                            Diagnostic(
                                step.location,
                                "a next step for \(role.rawValue) cites source '\(step.source)', missing from the topic's sources"
                            ))
                    }
                }
            }
            let prose =
                [topic.answer, topic.more ?? "", topic.glossary?.note ?? ""]
                + Role.allCases.compactMap { topic.advice[$0] }
            for marker in Set(prose.flatMap(SourceMarkers.ids(in:))).sorted() {
                if !sourceIDs.contains(marker) {
                    problems.append(
                        Diagnostic(topic.location, "topic '\(topic.id)' has a marker [\(marker)] of no known source"))
                } else if !topic.sources.contains(marker) {
                    problems.append(
                        Diagnostic(
                            topic.location,
                            "topic '\(topic.id)' has a marker [\(marker)] of a source missing from its sources"))
                }
            }
            for reply in topic.replies {
                for concept in reply.concepts where !conceptIDs.contains(concept) {
                    problems.append(
                        Diagnostic(reply.location, "a reply of '\(topic.id)' names unknown concept '\(concept)'"))
                }
            }
            if TopicKind(topicID: topic.id) != .fallback, topic.patterns.isEmpty {
                problems.append(
                    Diagnostic(topic.location, "topic '\(topic.id)' has no patterns: no question can reach it"))
            }
        }
        return problems
    }

    /// The manifest's taxonomy against the topic ids, when the knowledge base has a manifest.
    package static func manifestProblems(_ base: KnowledgeBase) -> [Diagnostic] {
        manifestProblems(base, manifest: KnowledgeBaseFiles.optionalFile(manifestFile, in: base.directory))
    }

    /// The manifest's taxonomy against the topic ids, from the manifest file already read.
    package static func manifestProblems(_ base: KnowledgeBase, manifest: KnowledgeBaseFiles.File?) -> [Diagnostic] {
        guard let manifest else { return [] }
        let doc: YAMLDocument
        do {
            doc = try YAMLDocument.parse(manifest)
        } catch {
            return [error]
        }
        var taxonomy: [Located<String>] = []
        var requireNextSteps = false
        var reserved: (key: SourceLocation, ids: [Located<String>])?
        var special: [(role: String, id: Located<String>)] = []
        do {
            guard let root = doc.root else { return [] }
            for (key, keyNode, value) in try doc.mapping(root, what: "manifest.yaml") {
                switch key {
                case "taxonomy": taxonomy = try doc.strings(value, what: "'taxonomy'")
                case "name", "description": _ = try doc.string(value, what: "'\(key)'")
                case "require_next_steps":
                    requireNextSteps = try doc.requiredString(value, what: "'require_next_steps'") == "true"
                case "reserved_concepts":
                    reserved = (doc.location(of: keyNode), try doc.strings(value, what: "'reserved_concepts'"))
                case "special_topics":
                    for (role, _, id) in try doc.mapping(value, what: "'special_topics'") {
                        special.append(
                            (role, Located(try doc.requiredString(id, what: "'\(role)'"), at: doc.location(of: id))))
                    }
                default:
                    return [
                        Diagnostic(
                            doc.location(of: keyNode),
                            "unknown key '\(key)' (expected name, description, taxonomy, require_next_steps, "
                                + "reserved_concepts, special_topics)")
                    ]
                }
            }
        } catch {
            return [error]
        }
        var problems: [Diagnostic] = []
        let declared = Set(base.topics.map(\.id))
        let expected = Set(taxonomy.map(\.value))
        for id in taxonomy where !declared.contains(id.value) {
            problems.append(Diagnostic(id.location, "topic '\(id.value)' of the taxonomy has no topic file"))
        }
        for topic in base.topics where !expected.contains(topic.id) {
            problems.append(Diagnostic(topic.location, "topic '\(topic.id)' is not in the taxonomy of \(manifestFile)"))
        }
        if let reserved { problems += reservedConceptProblems(base, listed: reserved.ids, at: reserved.key) }
        problems += specialTopicProblems(base, declared: special)
        if requireNextSteps {
            for topic in base.topics where TopicKind.isAdvice(topic.id) {
                for role in Role.allCases {
                    let count = topic.nextSteps[role]?.count ?? 0
                    if !(2...4).contains(count) {
                        problems.append(
                            Diagnostic(
                                topic.location,
                                "topic '\(topic.id)' has \(count) next steps for \(role.rawValue); give 2 to 4 (\(manifestFile) requires them)"
                            ))
                    }
                }
            }
        }
        return problems
    }

    /// The manifest's `reserved_concepts` must be exactly the concepts the engine reserves,
    /// each defined in `concepts.yaml`: the engine reads them as framing, not as subject.
    static func reservedConceptProblems(_ base: KnowledgeBase, listed: [Located<String>], at key: SourceLocation)
        -> [Diagnostic]
    {
        var problems: [Diagnostic] = []
        let engine = Dictionary(ReservedConcept.all.map { ($0.id, $0.meaning) }, uniquingKeysWith: { a, _ in a })
        let defined = Set(base.concepts.map(\.id))
        for id in listed {
            if engine[id.value] == nil {
                let known = ReservedConcept.all.map(\.id).joined(separator: ", ")
                problems.append(
                    Diagnostic(id.location, "'\(id.value)' is not a reserved concept (the engine reserves \(known))"))
            } else if !defined.contains(id.value) {
                problems.append(
                    Diagnostic(
                        id.location,
                        "reserved concept '\(id.value)' (\(engine[id.value] ?? "")) is not defined in concepts.yaml"))
            }
        }
        let named = Set(listed.map(\.value))
        for (id, meaning) in ReservedConcept.all where !named.contains(id) {
            problems.append(Diagnostic(key, "reserved_concepts lacks '\(id)' (\(meaning)), which the engine reads"))
        }
        return problems
    }

    /// The manifest's `special_topics` (`fallback`, `smalltalk`) must name the ids the engine
    /// gives a meaning of their own, and each must have a topic file.
    static func specialTopicProblems(_ base: KnowledgeBase, declared: [(role: String, id: Located<String>)])
        -> [Diagnostic]
    {
        let engine = ["fallback": KnowledgeBase.noneTopic, "smalltalk": KnowledgeBase.smalltalkTopic]
        let topics = Set(base.topics.map(\.id))
        var problems: [Diagnostic] = []
        for (role, id) in declared {
            guard let expected = engine[role] else {
                problems.append(
                    Diagnostic(id.location, "unknown special topic '\(role)' (expected fallback, smalltalk)"))
                continue
            }
            if id.value != expected {
                problems.append(
                    Diagnostic(
                        id.location, "the \(role) topic is '\(expected)' in this version of advisor, not '\(id.value)'")
                )
            } else if !topics.contains(id.value) {
                problems.append(Diagnostic(id.location, "special topic '\(id.value)' (\(role)) has no topic file"))
            }
        }
        return problems
    }

    /// What is wrong with the gap of a synonym written with one, if anything.
    static func gapProblem(in synonym: String) -> String? {
        guard let parts = gappedParts(of: synonym) else { return nil }
        if parts.tail.contains(ConceptPhrase.gapMarker) { return "has more than one '...'" }
        if Tokenizer.tokenize(parts.head).isEmpty || Tokenizer.tokenize(parts.tail).isEmpty {
            return "needs words on both sides of '...'"
        }
        return nil
    }

    package static func isIdentifier(_ id: String) -> Bool {
        !id.isEmpty
            && id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
