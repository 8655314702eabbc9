import AdvisorKnowledge
import AdvisorSystem
import AdvisorText

/// A value the compiled cache stores, written and read by one pair of functions that sit
/// together, so that what is written and what is read cannot drift apart.
protocol CacheCodable {
    /// Writes the value.
    func encode(to coder: inout CacheEncoder)
    /// Reads a value written by `encode(to:)`; throws when the bytes do not hold one.
    init(from coder: inout CacheDecoder) throws(BinaryReader.Damaged)
}

/// The writing half of the cache's codec: the bytes, and the table of file names that
/// source locations refer to (written first, so each location is a number).
struct CacheEncoder {
    var bytes = BinaryWriter()
    private var fileIndex: [String: Int] = [:]
    private(set) var fileNames: [String] = []

    /// Adds `file` to the table of file names (once) and returns its number.
    mutating func file(_ name: String) -> Int {
        if let index = fileIndex[name] { return index }
        fileIndex[name] = fileNames.count
        fileNames.append(name)
        return fileNames.count - 1
    }

    mutating func encode<Value: CacheCodable>(_ value: Value) { value.encode(to: &self) }

    mutating func encode<Value: CacheCodable>(_ values: [Value]) {
        bytes.write(values.count)
        for value in values { value.encode(to: &self) }
    }

    mutating func encode(_ values: [String]) { bytes.write(values) { $0.write($1) } }
    mutating func encode(_ values: [Int32]) { bytes.write(values) { $0.write($1) } }
}

/// The reading half of the cache's codec.
struct CacheDecoder {
    var bytes: BinaryReader
    /// The table of file names that locations refer to, read first.
    var fileNames: [String] = []

    mutating func decode<Value: CacheCodable>(_: Value.Type = Value.self) throws(BinaryReader.Damaged) -> Value {
        try Value(from: &self)
    }

    mutating func decode<Value: CacheCodable>(_: [Value].Type = [Value].self) throws(BinaryReader.Damaged) -> [Value] {
        let count = try bytes.count()
        var values: [Value] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try Value(from: &self)) }
        return values
    }

    mutating func strings() throws(BinaryReader.Damaged) -> [String] { try bytes.strings() }

    mutating func int32s() throws(BinaryReader.Damaged) -> [Int32] { try bytes.int32s() }
}

extension SourceLocation: CacheCodable {
    func encode(to coder: inout CacheEncoder) {
        coder.bytes.write(coder.file(file))
        coder.bytes.write(line)
        coder.bytes.write(column)
    }

    init(from coder: inout CacheDecoder) throws(BinaryReader.Damaged) {
        let index = try coder.bytes.int()
        guard coder.fileNames.indices.contains(index) else { throw BinaryReader.Damaged() }
        self.init(file: coder.fileNames[index], line: try coder.bytes.int(), column: try coder.bytes.int())
    }
}

extension Source: CacheCodable {
    func encode(to coder: inout CacheEncoder) {
        coder.bytes.write(id)
        coder.bytes.write(seed)
        coder.bytes.write(title)
        coder.bytes.write(author)
        coder.bytes.write(date)
    }

    init(from coder: inout CacheDecoder) throws(BinaryReader.Damaged) {
        self.init(
            id: try coder.bytes.string(), seed: try coder.bytes.string(), title: try coder.bytes.string(),
            author: try coder.bytes.optionalString(), date: try coder.bytes.optionalString())
    }
}

extension Concept: CacheCodable {
    func encode(to coder: inout CacheEncoder) {
        coder.bytes.write(id)
        coder.encode(synonyms)
        coder.encode(location)
    }

    init(from coder: inout CacheDecoder) throws(BinaryReader.Damaged) {
        self.init(id: try coder.bytes.string(), synonyms: try coder.strings(), location: try coder.decode())
    }
}

extension NextStep: CacheCodable {
    func encode(to coder: inout CacheEncoder) {
        coder.bytes.write(text)
        coder.bytes.write(source)
        coder.bytes.write(inferred)
        coder.encode(location)
    }

    init(from coder: inout CacheDecoder) throws(BinaryReader.Damaged) {
        self.init(
            text: try coder.bytes.string(), source: try coder.bytes.string(), inferred: try coder.bytes.bool(),
            at: try coder.decode())
    }
}

extension Reply: CacheCodable {
    func encode(to coder: inout CacheEncoder) {
        coder.encode(when)
        coder.encode(concepts)
        coder.bytes.write(answer)
        coder.encode(location)
    }

    init(from coder: inout CacheDecoder) throws(BinaryReader.Damaged) {
        self.init(
            when: try coder.strings(), concepts: try coder.strings(), answer: try coder.bytes.string(),
            location: try coder.decode())
    }
}

extension GlossaryEntry: CacheCodable {
    func encode(to coder: inout CacheEncoder) {
        coder.bytes.write(term)
        coder.encode(aliases)
        coder.bytes.write(meanings[.cio])
        coder.bytes.write(meanings[.cmo])
        coder.bytes.write(note)
    }

    init(from coder: inout CacheDecoder) throws(BinaryReader.Damaged) {
        let term = try coder.bytes.string()
        let aliases = try coder.strings()
        var meanings: [Role: String] = [:]
        meanings[.cio] = try coder.bytes.optionalString()
        meanings[.cmo] = try coder.bytes.optionalString()
        self.init(term: term, aliases: aliases, meanings: meanings, note: try coder.bytes.optionalString())
    }
}

extension Fact: CacheCodable {
    func encode(to coder: inout CacheEncoder) {
        coder.bytes.write(text)
        coder.bytes.write(source)
    }

    init(from coder: inout CacheDecoder) throws(BinaryReader.Damaged) {
        self.init(text: try coder.bytes.string(), source: try coder.bytes.string())
    }
}

extension Located: CacheCodable where Value == String {
    func encode(to coder: inout CacheEncoder) {
        coder.bytes.write(value)
        coder.encode(location)
    }

    init(from coder: inout CacheDecoder) throws(BinaryReader.Damaged) {
        self.init(try coder.bytes.string(), at: try coder.decode())
    }
}

extension Pattern: CacheCodable {
    func encode(to coder: inout CacheEncoder) {
        coder.bytes.write(value)
        coder.bytes.write(weight)
        coder.bytes.write(requiresAll)
        coder.encode(location)
    }

    init(from coder: inout CacheDecoder) throws(BinaryReader.Damaged) {
        self.init(
            try coder.bytes.string(), weight: try coder.bytes.double(), requiresAll: try coder.bytes.bool(),
            at: try coder.decode())
    }
}

extension Topic: CacheCodable {
    func encode(to coder: inout CacheEncoder) {
        coder.bytes.write(id)
        coder.bytes.write(title)
        coder.bytes.write(answer)
        coder.bytes.write(more)
        coder.bytes.write(advice[.cio])
        coder.bytes.write(advice[.cmo])
        for role in Role.allCases { coder.encode(nextSteps[role] ?? []) }
        coder.encode(replies)
        coder.bytes.write(glossary != nil)
        if let glossary { coder.encode(glossary) }
        coder.encode(facts)
        coder.encode(sources)
        coder.encode(related)
        coder.encode(patterns)
        coder.encode(samples)
        coder.encode(location)
    }

    init(from coder: inout CacheDecoder) throws(BinaryReader.Damaged) {
        let id = try coder.bytes.string()
        let title = try coder.bytes.string()
        let answer = try coder.bytes.string()
        let more = try coder.bytes.optionalString()
        var advice: [Role: String] = [:]
        advice[.cio] = try coder.bytes.optionalString()
        advice[.cmo] = try coder.bytes.optionalString()
        var nextSteps: [Role: [NextStep]] = [:]
        for role in Role.allCases {
            let steps: [NextStep] = try coder.decode()
            if !steps.isEmpty { nextSteps[role] = steps }
        }
        let replies: [Reply] = try coder.decode()
        let glossary: GlossaryEntry? = try coder.bytes.bool() ? try coder.decode() : nil
        let facts: [Fact] = try coder.decode()
        let sources = try coder.strings()
        let related: [Located<String>] = try coder.decode()
        let patterns: [Pattern] = try coder.decode()
        let samples: [Located<String>] = try coder.decode()
        self.init(
            id: id, title: title, answer: answer, more: more, advice: advice, glossary: glossary, facts: facts,
            sources: sources, related: related, patterns: patterns, samples: samples, location: try coder.decode())
        self.nextSteps = nextSteps
        self.replies = replies
    }
}

extension Router.FramePhrase: CacheCodable {
    func encode(to coder: inout CacheEncoder) {
        coder.bytes.write(name)
        coder.encode(terms)
        coder.encode(topics)
        coder.bytes.write(leansAlone)
    }

    init(from coder: inout CacheDecoder) throws(BinaryReader.Damaged) {
        self.init(
            name: try coder.bytes.string(), terms: try coder.int32s(), topics: try coder.int32s(),
            leansAlone: try coder.bytes.bool())
    }
}

extension ConceptPhrase: CacheCodable {
    func encode(to coder: inout CacheEncoder) {
        coder.encode(stems)
        for capital in capitals { coder.bytes.write(capital) }
        coder.bytes.write(concept)
        coder.bytes.write(gapAfter)
    }

    init(from coder: inout CacheDecoder) throws(BinaryReader.Damaged) {
        let stems = try coder.strings()
        var capitals: [Bool] = []
        for _ in stems { capitals.append(try coder.bytes.bool()) }
        self.init(stems: stems, capitals: capitals, concept: try coder.bytes.string(), gapAfter: try coder.bytes.int())
        guard (0..<stems.count).contains(gapAfter) else { throw BinaryReader.Damaged() }
    }
}
