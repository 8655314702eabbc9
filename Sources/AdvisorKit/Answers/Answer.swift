/// A source as cited in an answer.
public struct Citation: Sendable, Codable, Equatable {
    public var seed: String
    public var title: String
    public var author: String?
    public var date: String?
}

/// Why an answer was chosen.
public struct Explanation: Sendable, Codable, Equatable {
    /// The words of the question that matched.
    public var matched: [String]
    /// The patterns that matched.
    public var rules: [String]
    /// Topics that scored, best first.
    public var candidates: [Candidate]
    /// Typos corrected, as "typed -> corrected".
    public var corrections: [String]
    /// How the conversation was used, when it was ("follow-up to term-agile: role cmo").
    public var context: String?
}

/// The answer to one question: the JSON answer object of the public contract.
public struct Answer: Sendable, Codable, Equatable {
    public var topic: String
    public var title: String
    /// The answer text, framed for `role`.
    public var answer: String
    /// The role the answer is framed for, or nil.
    public var role: Role?
    public var confidence: Double
    public var sources: [Citation]
    public var related: [String]
    /// A one-line note on a glossary word the question used (jargon watch).
    public var note: String?
    /// Facts and figures with the seed they come from.
    public var facts: [FactCitation]?
    public var why: Explanation

    /// A fact with the seed of its article.
    public struct FactCitation: Sendable, Codable, Equatable {
        public var text: String
        public var seed: String
    }

    enum CodingKeys: String, CodingKey {
        case topic, title, answer, role, confidence, sources, related, note, facts, why
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(topic, forKey: .topic)
        try container.encode(title, forKey: .title)
        try container.encode(answer, forKey: .answer)
        try container.encode(role, forKey: .role)  // null, not absent, when there is no role
        try container.encode(confidence, forKey: .confidence)
        try container.encode(sources, forKey: .sources)
        try container.encode(related, forKey: .related)
        try container.encodeIfPresent(note, forKey: .note)
        try container.encodeIfPresent(facts, forKey: .facts)
        try container.encode(why, forKey: .why)
    }
}
