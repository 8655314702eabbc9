import AdvisorSystem
import Foundation

/// Reads a knowledge base folder into a `KnowledgeBase`, collecting every problem it meets.
public enum KnowledgeBaseLoader {
    /// The file listing the articles.
    public static let sourcesFile = "sources.yaml"
    /// The file declaring concepts and their synonyms.
    public static let conceptsFile = "concepts.yaml"
    /// The optional list of real words never corrected as typos.
    public static let dictionaryFile = "dictionary.txt"
    /// The optional labelled example questions, one per line: QUESTION<TAB>TOPIC<TAB>SOURCE.
    public static let examplesFile = "examples.tsv"
    /// The header line `examples.tsv` starts with.
    public static let examplesHeader = "question\ttopic\tsource"
    /// The longest example question, in characters (as long as a question the router reads).
    public static let maximumExampleLength = 2_000
    /// The folder holding one file per topic.
    public static let topicsFolder = "topics"
    /// The most topic files read from one folder.
    public static let maximumTopicFiles = 200_000

    /// Loads the knowledge base in `directory`.
    ///
    /// Returns the knowledge base with what could be read, and the problems found;
    /// a knowledge base with problems must not be used to answer.
    public static func load(directory: String) -> (KnowledgeBase, [Diagnostic]) {
        load(KnowledgeBaseFiles.read(directory: directory))
    }

    /// Parses files already read: what `load(directory:)` does once they are.
    package static func load(_ files: KnowledgeBaseFiles) -> (KnowledgeBase, [Diagnostic]) {
        let directory = files.directory
        guard files.isDirectory else {
            let empty = KnowledgeBase(directory: directory, sources: [], concepts: [], topics: [], fingerprint: "")
            return (empty, [Diagnostic(SourceLocation(file: directory), "knowledge base folder not found")])
        }
        var diagnostics: [Diagnostic] = []
        func document(_ file: KnowledgeBaseFiles.File) -> YAMLDocument? {
            do {
                return try YAMLDocument.parse(file)
            } catch {
                diagnostics.append(error)
                return nil
            }
        }

        var sources: [Source] = []
        if let doc = document(files.sources) {
            sources = collect(&diagnostics) { () throws(Diagnostic) in try readSources(doc) }
        }
        var concepts: [Concept] = []
        var frames: [Frame] = []
        if let doc = document(files.concepts) {
            do {
                (concepts, frames) = try readConceptsFile(doc)
            } catch {
                diagnostics.append(error)
            }
        }

        var topics: [Topic] = []
        let topicsPath = (directory as NSString).appendingPathComponent(topicsFolder)
        if files.topicFileCount == nil {
            diagnostics.append(Diagnostic(SourceLocation(file: topicsPath), "topics folder not found"))
        } else if let count = files.topicFileCount, count > maximumTopicFiles {
            diagnostics.append(
                Diagnostic(SourceLocation(file: topicsPath), "more than \(maximumTopicFiles) topic files"))
        }
        for file in files.topics {
            guard let doc = document(file) else { continue }
            let expectedID = ((file.name as NSString).lastPathComponent as NSString).deletingPathExtension
            var itemProblems: [Diagnostic] = []
            topics += collect(&diagnostics) { () throws(Diagnostic) in
                try readTopics(doc, expectedID: expectedID, diagnostics: &itemProblems)
            }
            diagnostics += itemProblems
        }
        topics.sort { $0.id < $1.id }
        var base = KnowledgeBase(
            directory: directory, sources: sources, concepts: concepts, topics: topics, fingerprint: files.fingerprint)
        base.frames = frames
        if let file = files.examples {
            let (examples, problems) = readExamples(file, topicIDs: Set(topics.map(\.id)))
            base.examples = examples
            diagnostics += problems
        }
        return (base, diagnostics)
    }

    // MARK: examples.tsv

    /// `bytes` without the spaces and tabs at either end.
    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return bytes[bytes.startIndex..<bytes.startIndex] }
        return bytes[first...last]
    }

    /// Reads `examples.tsv`: the header, then one labelled question per line.
    ///
    /// Blank lines are skipped. Each problem is reported at its line (column 1, or the topic's
    /// column for an unknown topic): a line that is not UTF-8, a missing
    /// topic column, an empty or overlong question, a control character, a topic the
    /// knowledge base does not have, a question already on an earlier line.
    static func readExamples(_ file: KnowledgeBaseFiles.File, topicIDs: Set<String>) -> ([Example], [Diagnostic]) {
        let data: Data
        switch file.contents {
        case .success(let read): data = read
        case .failure(let failure): return ([], [Diagnostic(SourceLocation(file: file.path), failure.description)])
        }
        var examples: [Example] = []
        var problems: [Diagnostic] = []
        var firstLine: [String: Int] = [:]
        // Byte by byte: thousands of lines are read at every compile, and Character-level
        // string work is what a cold start would spend its time on.
        let lines = [UInt8](data).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (offset, bytes) in lines.enumerated() {
            let number = offset + 1
            func problem(_ message: String, column: Int = 1) {
                problems.append(Diagnostic(SourceLocation(file: file.path, line: number, column: column), message))
            }
            var line = bytes[...]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if number == 1 {
                if !line.elementsEqual(examplesHeader.utf8) {
                    problem(
                        "the first line must be the header '\(examplesHeader.replacingOccurrences(of: "\t", with: "<TAB>"))'"
                    )
                }
                continue
            }
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
            guard fields.count == 2 || fields.count == 3 else {
                problem(
                    "expected QUESTION<TAB>TOPIC<TAB>SOURCE, found \(fields.count) field\(fields.count == 1 ? "" : "s")"
                )
                continue
            }
            guard let question = String(validating: trimmed(fields[0]), as: UTF8.self),
                let topic = String(validating: trimmed(fields[1]), as: UTF8.self),
                let source = fields.count == 3 ? String(validating: fields[2], as: UTF8.self) : ""
            else {
                problem("not valid UTF-8")
                continue
            }
            if question.isEmpty {
                problem("the question is empty")
            } else if question.utf8.count > maximumExampleLength, question.count > maximumExampleLength {
                problem("the question is longer than \(maximumExampleLength) characters")
            } else if question.unicodeScalars.contains(where: TerminalSafe.isControl) {
                problem("the question holds a control character")
            } else if !topicIDs.contains(topic) {
                problem(
                    "unknown topic '\(topic)'", column: (String(validating: fields[0], as: UTF8.self)?.count ?? 0) + 2)
            } else {
                var key = question.lowercased()
                if key.contains("  ") { key = key.split(separator: " ").joined(separator: " ") }
                if let earlier = firstLine[key] {
                    problem("the question repeats the example on line \(earlier)")
                } else {
                    firstLine[key] = number
                    examples.append(
                        Example(
                            question: question, topic: topic, source: source,
                            location: SourceLocation(file: file.path, line: number, column: 1)))
                }
            }
        }
        return (examples, problems)
    }

    /// Parses one topic file's bytes as `load` would (for tests and fuzzing).
    public static func parseTopicFile(_ data: Data, name: String) -> ([Topic], [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        do {
            let doc = try YAMLDocument.parse(data, displayPath: name)
            let topics = try readTopics(
                doc, expectedID: (name as NSString).deletingPathExtension, diagnostics: &diagnostics)
            return (topics, diagnostics)
        } catch {
            return ([], diagnostics + [error])
        }
    }

    /// Parses the bytes of an `examples.tsv` as `load` would, with `topicIDs` as the knowledge
    /// base's topics (for tests and fuzzing).
    public static func parseExamplesFile(_ data: Data, topicIDs: Set<String>) -> ([Example], [Diagnostic]) {
        readExamples(
            KnowledgeBaseFiles.File(name: examplesFile, path: examplesFile, contents: .success(data)),
            topicIDs: topicIDs)
    }

    /// The fingerprint `load` would compute: a hash of every file it reads (nil when one of
    /// them cannot be read).
    public static func fingerprint(directory: String) -> String? {
        let files = KnowledgeBaseFiles.read(directory: directory)
        return files.isComplete ? files.fingerprint : nil
    }

    private static func collect<T>(_ diagnostics: inout [Diagnostic], _ body: () throws(Diagnostic) -> [T]) -> [T] {
        do {
            return try body()
        } catch {
            diagnostics.append(error)
            return []
        }
    }

    // MARK: sources.yaml

    static func readSources(_ doc: YAMLDocument) throws(Diagnostic) -> [Source] {
        guard let root = doc.root else { throw Diagnostic(doc.location(of: nil), "file is empty") }
        var list: Node?
        for (key, keyNode, value) in try doc.mapping(root, what: "sources.yaml") {
            guard key == "sources" else {
                throw Diagnostic(doc.location(of: keyNode), "unknown key '\(key)' (expected 'sources')")
            }
            list = value
        }
        guard let list, case let .sequence(items) = list else {
            throw Diagnostic(doc.location(of: list ?? root), "'sources' must be a list")
        }
        var sources: [Source] = []
        for item in items {
            var fields: [String: String?] = [:]
            for (key, keyNode, value) in try doc.mapping(item, what: "a source") {
                guard ["id", "seed", "title", "author", "date"].contains(key) else {
                    throw Diagnostic(doc.location(of: keyNode), "unknown key '\(key)' in a source")
                }
                fields[key] = try doc.string(value, what: "'\(key)'")
            }
            for required in ["id", "seed", "title"] where (fields[required] ?? nil)?.isEmpty ?? true {
                throw Diagnostic(doc.location(of: item), "source is missing '\(required)'")
            }
            sources.append(
                Source(
                    id: (fields["id"] ?? nil) ?? "", seed: (fields["seed"] ?? nil) ?? "",
                    title: (fields["title"] ?? nil) ?? "", author: fields["author"] ?? nil,
                    date: fields["date"] ?? nil))
        }
        return sources
    }

    // MARK: concepts.yaml

    /// concepts.yaml: `concepts:` (words that mean the same) and `frames:` (how questions are
    /// put, and the topics each way usually means).
    static func readConceptsFile(_ doc: YAMLDocument) throws(Diagnostic) -> (concepts: [Concept], frames: [Frame]) {
        guard let root = doc.root else { return ([], []) }
        var concepts: [Concept] = []
        var frames: [Frame] = []
        for (key, keyNode, value) in try doc.mapping(root, what: "concepts.yaml") {
            switch key {
            case "concepts":
                for (id, idNode, synonyms) in try doc.mapping(value, what: "'concepts'") {
                    let words = try doc.strings(synonyms, what: "the words of concept '\(id)'")
                    concepts.append(Concept(id: id, synonyms: words.map(\.value), location: doc.location(of: idNode)))
                }
            case "frames":
                for (name, nameNode, body) in try doc.mapping(value, what: "'frames'") {
                    var when: [String] = []
                    var topics: [Located<String>] = []
                    var leansAlone = true
                    for (field, fieldNode, fieldValue) in try doc.mapping(body, what: "frame '\(name)'") {
                        switch field {
                        case "when":
                            when = try doc.strings(fieldValue, what: "the words of frame '\(name)'").map(\.value)
                        case "topics": topics = try doc.strings(fieldValue, what: "the topics of frame '\(name)'")
                        case "leans_alone":
                            leansAlone = try doc.bool(fieldValue, what: "'leans_alone' of frame '\(name)'")
                        default:
                            throw Diagnostic(
                                doc.location(of: fieldNode),
                                "unknown key '\(field)' in frame '\(name)' (expected when, topics, leans_alone)")
                        }
                    }
                    guard !when.isEmpty, !topics.isEmpty else {
                        throw Diagnostic(
                            doc.location(of: nameNode), "frame '\(name)' needs 'when' phrases and 'topics'")
                    }
                    frames.append(
                        Frame(
                            name: name, when: when, topics: topics, leansAlone: leansAlone,
                            location: doc.location(of: nameNode)))
                }
            default:
                throw Diagnostic(doc.location(of: keyNode), "unknown key '\(key)' (expected 'concepts' or 'frames')")
            }
        }
        return (concepts, frames)
    }

    // MARK: topics/ID.yaml

    static let topicKeys: Set<String> = [
        "id", "title", "answer", "more", "advice", "next_steps", "replies", "glossary", "facts", "sources", "related",
        "patterns", "samples",
    ]

    /// Reads one topic, or a `topics:` list of them (for generated knowledge bases).
    static func readTopics(_ doc: YAMLDocument, expectedID: String, diagnostics: inout [Diagnostic]) throws(Diagnostic)
        -> [Topic]
    {
        guard let root = doc.root else { throw Diagnostic(doc.location(of: nil), "file is empty") }
        let pairs = try doc.mapping(root, what: "a topic file")
        if pairs.count == 1, pairs[0].key == "topics", case let .sequence(items) = pairs[0].value {
            var topics: [Topic] = []
            for item in items {
                do {
                    topics.append(try readTopic(doc, node: item, expectedID: nil))
                } catch {
                    diagnostics.append(error)
                }
            }
            return topics
        }
        return [try readTopic(doc, node: root, expectedID: expectedID)]
    }

    static func readTopic(_ doc: YAMLDocument, node: Node, expectedID: String?) throws(Diagnostic) -> Topic {
        var values: [String: Node] = [:]
        for (key, keyNode, value) in try doc.mapping(node, what: "a topic") {
            guard topicKeys.contains(key) else {
                let known = topicKeys.sorted().joined(separator: ", ")
                throw Diagnostic(doc.location(of: keyNode), "unknown key '\(key)' in a topic (known keys: \(known))")
            }
            values[key] = value
        }
        func required(_ key: String) throws(Diagnostic) -> String {
            guard let value = values[key] else { throw Diagnostic(doc.location(of: node), "topic is missing '\(key)'") }
            return try doc.requiredString(value, what: "'\(key)'")
        }
        let id = try required("id")
        if let expectedID, id != expectedID {
            throw Diagnostic(
                doc.location(of: values["id"]), "topic id '\(id)' does not match its file name '\(expectedID)'")
        }
        var topic = Topic(
            id: id, title: try required("title"), answer: try required("answer"), more: nil, advice: [:],
            glossary: nil, facts: [], sources: [], related: [], patterns: [], samples: [],
            location: doc.location(of: values["id"]))
        if let more = values["more"] { topic.more = try doc.string(more, what: "'more'") }
        if let advice = values["advice"] {
            for (key, keyNode, value) in try doc.mapping(advice, what: "'advice'") {
                guard let role = Role(rawValue: key) else {
                    throw Diagnostic(
                        doc.location(of: keyNode), "advice is given per role: 'cio' or 'cmo', not '\(key)'")
                }
                topic.advice[role] = try doc.requiredString(value, what: "advice for \(key)")
            }
        }
        if let steps = values["next_steps"] { topic.nextSteps = try readNextSteps(doc, steps) }
        if let replies = values["replies"] { topic.replies = try readReplies(doc, replies) }
        if let glossary = values["glossary"] { topic.glossary = try readGlossary(doc, glossary) }
        if let facts = values["facts"] {
            guard case let .sequence(items) = facts else {
                throw Diagnostic(doc.location(of: facts), "'facts' must be a list")
            }
            for item in items {
                var text: String?
                var source: String?
                for (key, keyNode, value) in try doc.mapping(item, what: "a fact") {
                    switch key {
                    case "text": text = try doc.requiredString(value, what: "a fact's text")
                    case "source": source = try doc.requiredString(value, what: "a fact's source")
                    default:
                        throw Diagnostic(
                            doc.location(of: keyNode), "unknown key '\(key)' in a fact (expected text, source)")
                    }
                }
                guard let text, let source else {
                    throw Diagnostic(doc.location(of: item), "a fact needs both 'text' and 'source'")
                }
                topic.facts.append(Fact(text: text, source: source))
            }
        }
        if let sources = values["sources"] { topic.sources = try doc.strings(sources, what: "'sources'").map(\.value) }
        if let related = values["related"] { topic.related = try doc.strings(related, what: "'related'") }
        if let patterns = values["patterns"] { topic.patterns = try readPatterns(doc, patterns) }
        if let samples = values["samples"] { topic.samples = try doc.strings(samples, what: "'samples'") }
        return topic
    }

    /// `next_steps`: per role, a list of `{step, source, inferred}`.
    static func readNextSteps(_ doc: YAMLDocument, _ node: Node) throws(Diagnostic) -> [Role: [NextStep]] {
        var result: [Role: [NextStep]] = [:]
        for (key, keyNode, value) in try doc.mapping(node, what: "'next_steps'") {
            guard let role = Role(rawValue: key) else {
                throw Diagnostic(
                    doc.location(of: keyNode), "next steps are given per role: 'cio' or 'cmo', not '\(key)'")
            }
            guard case let .sequence(items) = value else {
                throw Diagnostic(doc.location(of: value), "the next steps for \(key) must be a list")
            }
            var steps: [NextStep] = []
            for item in items {
                var text: String?
                var source: String?
                var inferred = false
                for (field, fieldNode, fieldValue) in try doc.mapping(item, what: "a next step") {
                    switch field {
                    case "step": text = try doc.requiredString(fieldValue, what: "a next step's text")
                    case "source": source = try doc.requiredString(fieldValue, what: "a next step's source")
                    case "inferred":
                        let flag = try doc.requiredString(fieldValue, what: "'inferred'")
                        switch flag {
                        case "true", "yes": inferred = true
                        case "false", "no": inferred = false
                        default: throw Diagnostic(doc.location(of: fieldValue), "'inferred' must be true or false")
                        }
                    default:
                        throw Diagnostic(
                            doc.location(of: fieldNode),
                            "unknown key '\(field)' in a next step (expected step, source, inferred)")
                    }
                }
                guard let text else { throw Diagnostic(doc.location(of: item), "a next step needs 'step'") }
                guard let source else {
                    throw Diagnostic(doc.location(of: item), "a next step needs the 'source' it rests on")
                }
                steps.append(NextStep(text: text, source: source, inferred: inferred, at: doc.location(of: item)))
            }
            result[role] = steps
        }
        return result
    }

    /// `replies`: a list of `{when: [WORDS], concepts: [IDS], answer: TEXT}` (either list may be left out, not both).
    static func readReplies(_ doc: YAMLDocument, _ node: Node) throws(Diagnostic) -> [Reply] {
        guard case let .sequence(items) = node else {
            throw Diagnostic(doc.location(of: node), "'replies' must be a list")
        }
        var replies: [Reply] = []
        for item in items {
            var when: [String] = []
            var concepts: [String] = []
            var answer: String?
            for (key, keyNode, value) in try doc.mapping(item, what: "a reply") {
                switch key {
                case "when": when = try doc.strings(value, what: "a reply's 'when'").map(\.value)
                case "concepts": concepts = try doc.strings(value, what: "a reply's 'concepts'").map(\.value)
                case "answer": answer = try doc.requiredString(value, what: "a reply's answer")
                default:
                    throw Diagnostic(
                        doc.location(of: keyNode), "unknown key '\(key)' in a reply (expected when, concepts, answer)")
                }
            }
            guard let answer, !(when.isEmpty && concepts.isEmpty) else {
                throw Diagnostic(doc.location(of: item), "a reply needs 'when' words or 'concepts', and an 'answer'")
            }
            replies.append(Reply(when: when, concepts: concepts, answer: answer, location: doc.location(of: item)))
        }
        return replies
    }

    /// Patterns: each a phrase, or `{words: PHRASE, weight: NUMBER, all: true}` for a generic
    /// phrase (`weight` below 1) or one whose every word the question must hold (`all`).
    static func readPatterns(_ doc: YAMLDocument, _ node: Node) throws(Diagnostic) -> [Pattern] {
        guard case let .sequence(items) = node else {
            return try doc.strings(node, what: "'patterns'").map { Pattern($0.value, at: $0.location) }
        }
        var patterns: [Pattern] = []
        for item in items {
            guard case .mapping = item else {
                let words = try doc.requiredString(item, what: "each pattern")
                patterns.append(Pattern(words, at: doc.location(of: item)))
                continue
            }
            var words: String?
            var weight = 1.0
            var requiresAll = false
            for (key, keyNode, value) in try doc.mapping(item, what: "a pattern") {
                switch key {
                case "words": words = try doc.requiredString(value, what: "a pattern's words")
                case "weight":
                    let text = try doc.requiredString(value, what: "a pattern's weight")
                    guard let number = Double(text), number > 0, number <= 10 else {
                        throw Diagnostic(
                            doc.location(of: value), "a pattern's weight must be a number above 0 and at most 10")
                    }
                    weight = number
                case "all":
                    switch try doc.requiredString(value, what: "a pattern's 'all'") {
                    case "true": requiresAll = true
                    case "false": requiresAll = false
                    default: throw Diagnostic(doc.location(of: value), "a pattern's 'all' must be true or false")
                    }
                default:
                    throw Diagnostic(
                        doc.location(of: keyNode), "unknown key '\(key)' in a pattern (expected words, weight, all)")
                }
            }
            guard let words else { throw Diagnostic(doc.location(of: item), "a pattern needs 'words'") }
            patterns.append(Pattern(words, weight: weight, requiresAll: requiresAll, at: doc.location(of: item)))
        }
        return patterns
    }

    static func readGlossary(_ doc: YAMLDocument, _ node: Node) throws(Diagnostic) -> GlossaryEntry {
        var entry = GlossaryEntry(term: "", aliases: [], meanings: [:])
        for (key, keyNode, value) in try doc.mapping(node, what: "'glossary'") {
            switch key {
            case "term": entry.term = try doc.requiredString(value, what: "the glossary term")
            case "aliases": entry.aliases = try doc.strings(value, what: "'aliases'").map(\.value)
            case "cio": entry.meanings[.cio] = try doc.requiredString(value, what: "the CIO's meaning")
            case "cmo": entry.meanings[.cmo] = try doc.requiredString(value, what: "the CMO's meaning")
            case "note": entry.note = try doc.requiredString(value, what: "the glossary note")
            default:
                throw Diagnostic(
                    doc.location(of: keyNode),
                    "unknown key '\(key)' in glossary (expected term, aliases, cio, cmo, note)")
            }
        }
        guard !entry.term.isEmpty else { throw Diagnostic(doc.location(of: node), "glossary is missing 'term'") }
        guard entry.meanings.count == 2 else {
            throw Diagnostic(doc.location(of: node), "glossary must give the word's meaning to both 'cio' and 'cmo'")
        }
        return entry
    }
}
