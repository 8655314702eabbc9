import AdvisorKnowledge

/// A source as cited in an answer.
public struct Citation: Sendable, Codable, Equatable {
    /// The article's file name in the seeds folder (`001_23b3b6faad0f175b.txt`).
    public var seed: String
    /// The article's title.
    public var title: String
    /// The article's author or publisher, or nil when sources.yaml gives none.
    public var author: String?
    /// The date the article gives, as it gives it, or nil when it gives none.
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
    /// Which evidence decided the topic: patterns, retrieval over the topic's text, example questions, frames.
    public var evidence: String?
    /// The example question nearest to this one among the winner's, when examples counted.
    public var example: String?

    /// Makes an explanation without `evidence`, which the composer sets afterwards for a routed question.
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
    /// The step's text, addressed to the asker.
    public var step: String
    /// The seed file of the article the step rests on.
    public var seed: String
    /// Whether the step is the advisor's own inference from that article.
    public var inferred: Bool
}

/// A second topic that explains part of the question: its id and its key step.
public struct AlsoRelevant: Sendable, Codable, Equatable {
    /// The second topic's id.
    public var topic: String
    /// The second topic's title.
    public var title: String
    /// The second topic's first next step for the asker's role (the CIO's when unknown), or nil when it has none.
    public var step: String?
}

/// The answer to one question: the JSON answer object of the public contract.
public struct Answer: Sendable, Decodable, Equatable {
    /// The id of the topic answered: `none` when nothing matched well enough.
    public var topic: String
    /// The topic's title, shown as the answer's heading.
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
    /// The routing's confidence, from 0 (a guess) to 1 (certain), rounded to two decimals.
    public var confidence: Double
    /// The articles the answer cites, in order: marker `[n]` in the text is the n-th.
    public var sources: [Citation]
    /// Ids of topics to look at next: the topic's related ones, or for `none` the nearest topics if any.
    public var related: [String]
    /// A one-line note on a glossary word the question used (jargon watch).
    public var note: String?
    /// Facts and figures with the seed they come from.
    public var facts: [FactCitation]?
    /// Why this topic was chosen: matched words and patterns, candidates, corrections and context.
    public var why: Explanation

    /// A fact with the seed of its article.
    public struct FactCitation: Sendable, Codable, Equatable {
        /// The fact or figure, as the knowledge base writes it.
        public var text: String
        /// The seed file of the article the fact comes from (the source id when the source is unknown).
        public var seed: String
    }

    /// Makes an answer from its parts; the optional ones default to absent.
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

    /// Reads an answer object as `--json` prints it; a missing title is the topic id, other missing fields are empty.
    ///
    /// - Throws: A `DecodingError` when `topic` or `answer` is missing, or a field has the wrong type.
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
