import AdvisorKnowledge

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
    /// Where the asker's role came from ("--role", "/role", "you said \"i am the cio\" (turn 2)").
    public var role: String?
    /// Where the role the question is about came from ("\"to a cmo\"", "carried from turn 1").
    public var about: String?
    /// The close runner-up added as "Also relevant", and the words it explains.
    public var also: String?
    /// Which evidence decided the topic: patterns, retrieval over the topic's text, frames.
    public var evidence: String?

    public init(
        matched: [String], rules: [String], candidates: [Candidate], corrections: [String], context: String?,
        role: String? = nil, about: String? = nil, also: String? = nil
    ) {
        self.matched = matched
        self.rules = rules
        self.candidates = candidates
        self.corrections = corrections
        self.context = context
        self.role = role
        self.about = about
        self.also = also
    }
}

/// A next step as shown in an answer: for whom, what, and the article it rests on.
public struct StepCitation: Sendable, Codable, Equatable {
    /// The role the step is for.
    public var role: Role
    public var step: String
    /// The seed file of the article the step rests on.
    public var seed: String
    /// Whether the step is the advisor's own inference from that article.
    public var inferred: Bool
}

/// A second topic that explains part of the question: its id and its key step.
public struct AlsoRelevant: Sendable, Codable, Equatable {
    public var topic: String
    public var title: String
    public var step: String?
}

/// The answer to one question: the JSON answer object of the public contract.
public struct Answer: Sendable, Decodable, Equatable {
    public var topic: String
    public var title: String
    /// The answer text, framed for `role`.
    public var answer: String
    /// The asker's role: whom the advice is for, or nil when unknown.
    public var role: Role?
    /// The role the question is about ("what does platform mean to a CMO?"), or nil.
    public var about: Role?
    /// The next steps shown, for the asker's role (for both roles when it is unknown).
    public var nextSteps: [StepCitation] = []
    /// A close second topic the answer mentions in one line.
    public var also: AlsoRelevant?
    /// A one-line notice about the session shown before the answer ("Noted: you are the CIO ...").
    public var notice: String?
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

    public init(
        topic: String, title: String, answer: String, role: Role?, confidence: Double, sources: [Citation],
        related: [String], note: String?, facts: [FactCitation]?, why: Explanation, about: Role? = nil,
        nextSteps: [StepCitation] = [], also: AlsoRelevant? = nil, notice: String? = nil
    ) {
        self.topic = topic
        self.title = title
        self.answer = answer
        self.role = role
        self.confidence = confidence
        self.sources = sources
        self.related = related
        self.note = note
        self.facts = facts
        self.why = why
        self.about = about
        self.nextSteps = nextSteps
        self.also = also
        self.notice = notice
    }

    package enum CodingKeys: String, CodingKey {
        case topic, title, answer, role, about, confidence, sources, related, note, facts, why, also, notice
        case nextSteps = "next_steps"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        topic = try container.decode(String.self, forKey: .topic)
        title = try container.decodeIfPresent(String.self, forKey: .title) ?? topic
        answer = try container.decode(String.self, forKey: .answer)
        role = try container.decodeIfPresent(Role.self, forKey: .role)
        about = try container.decodeIfPresent(Role.self, forKey: .about)
        confidence = try container.decodeIfPresent(Double.self, forKey: .confidence) ?? 0
        sources = try container.decodeIfPresent([Citation].self, forKey: .sources) ?? []
        related = try container.decodeIfPresent([String].self, forKey: .related) ?? []
        note = try container.decodeIfPresent(String.self, forKey: .note)
        facts = try container.decodeIfPresent([FactCitation].self, forKey: .facts)
        why =
            try container.decodeIfPresent(Explanation.self, forKey: .why)
            ?? Explanation(matched: [], rules: [], candidates: [], corrections: [], context: nil)
        nextSteps = try container.decodeIfPresent([StepCitation].self, forKey: .nextSteps) ?? []
        also = try container.decodeIfPresent(AlsoRelevant.self, forKey: .also)
        notice = try container.decodeIfPresent(String.self, forKey: .notice)
    }
}
