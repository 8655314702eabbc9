/// The role an answer is framed for.
public enum Role: String, Sendable, Codable, CaseIterable {
    case cio, cmo

    /// The other side of the relationship.
    public var counterpart: Role { self == .cio ? .cmo : .cio }
    /// "CIO" or "CMO".
    public var displayName: String { rawValue.uppercased() }
    /// "a CIO" or "a CMO".
    public var article: String { "a " + displayName }
}

/// A value read from a file, with where it was read.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

/// One of the articles the knowledge base rests on.
public struct Source: Sendable, Codable, Equatable {
    /// Short id topics cite ("001").
    public var id: String
    /// The article's file name in the seeds folder.
    public var seed: String
    public var title: String
    /// Author or publisher.
    public var author: String?
    /// The date the article gives, as it gives it.
    public var date: String?

    /// Every stored property, as the memberwise initialiser takes them.
    package init(id: String, seed: String, title: String, author: String? = nil, date: String? = nil) {
        self.id = id
        self.seed = seed
        self.title = title
        self.author = author
        self.date = date
    }
}

/// A fact or figure and the article it comes from.
public struct Fact: Sendable, Equatable {
    public var text: String
    public var source: String

    /// Every stored property, as the memberwise initialiser takes them.
    package init(text: String, source: String) {
        self.text = text
        self.source = source
    }
}

/// Something the asker can do this week, and the article it rests on.
public struct NextStep: Sendable, Equatable {
    /// The step, addressed to the asker ("Before the next budget round, list ...").
    public var text: String
    /// The id of the source the step rests on.
    public var source: String
    /// Whether the step is the advisor's own inference from the article rather than
    /// something the article itself recommends.
    public var inferred: Bool
    public var location: SourceLocation

    public init(text: String, source: String, inferred: Bool, at location: SourceLocation) {
        self.text = text
        self.source = source
        self.inferred = inferred
        self.location = location
    }
}

/// A reply of a topic for questions holding one of some words ("thanks", "bye"),
/// instead of the topic's answer.
public struct Reply: Sendable, Equatable {
    /// Words or phrases of the question that select this reply, as written.
    public var when: [String]
    public var answer: String
    public var location: SourceLocation

    /// Every stored property, as the memberwise initialiser takes them.
    package init(when: [String], answer: String, location: SourceLocation) {
        self.when = when
        self.answer = answer
        self.location = location
    }
}

/// A word the two roles read differently ("platform").
public struct GlossaryEntry: Sendable, Equatable {
    public var term: String
    public var aliases: [String]
    /// What the word means to each role.
    public var meanings: [Role: String]
    /// A line shown after the two meanings (what the word means to everyone else).
    public var note: String? = nil

    /// Every stored property, as the memberwise initialiser takes them.
    package init(term: String, aliases: [String], meanings: [Role: String], note: String? = nil) {
        self.term = term
        self.aliases = aliases
        self.meanings = meanings
        self.note = note
    }
}

/// One subject the advisor can answer about.
public struct Topic: Sendable {
    public var id: String
    public var title: String
    /// The short answer.
    public var answer: String
    /// The longer explanation (`/more`).
    public var more: String?
    /// Role-specific advice: one line summing up the next steps.
    public var advice: [Role: String]
    /// For each role, two to four things the asker can do this week.
    public var nextSteps: [Role: [NextStep]] = [:]
    /// Replies chosen by the words of the question instead of `answer` (smalltalk).
    public var replies: [Reply] = []
    public var glossary: GlossaryEntry?
    public var facts: [Fact]
    /// Ids of the sources the topic rests on.
    public var sources: [String]
    public var related: [Located<String>]
    public var patterns: [Pattern]
    public var samples: [Located<String>]
    /// Where the topic is declared.
    public var location: SourceLocation

    /// Every stored property, as the memberwise initialiser takes them.
    package init(
        id: String, title: String, answer: String, more: String? = nil, advice: [Role: String],
        nextSteps: [Role: [NextStep]] = [:], replies: [Reply] = [], glossary: GlossaryEntry? = nil, facts: [Fact],
        sources: [String], related: [Located<String>], patterns: [Pattern], samples: [Located<String>],
        location: SourceLocation
    ) {
        self.id = id
        self.title = title
        self.answer = answer
        self.more = more
        self.advice = advice
        self.nextSteps = nextSteps
        self.replies = replies
        self.glossary = glossary
        self.facts = facts
        self.sources = sources
        self.related = related
        self.patterns = patterns
        self.samples = samples
        self.location = location
    }
}

/// A phrase that routes questions to its topic.
public struct Pattern: Sendable {
    /// The words, as written.
    public var value: String
    /// A multiplier of the pattern's score: below 1 for generic phrases.
    public var weight: Double
    public var location: SourceLocation

    public init(_ value: String, weight: Double = 1, at location: SourceLocation) {
        self.value = value
        self.weight = weight
        self.location = location
    }
}

/// A group of words that mean the same thing for routing.
public struct Concept: Sendable {
    public var id: String
    public var synonyms: [String]
    public var location: SourceLocation

    /// Every stored property, as the memberwise initialiser takes them.
    package init(id: String, synonyms: [String], location: SourceLocation) {
        self.id = id
        self.synonyms = synonyms
        self.location = location
    }
}

/// A way of putting a question ("who owns ...", "... IT or marketing?") and the topics it
/// usually means: the other words of the question choose among them, and alone it leans to
/// the first.
public struct Frame: Sendable {
    public var name: String
    /// The phrases that put a question this way, as written.
    public var when: [String]
    /// The topics it usually means, most likely first.
    public var topics: [Located<String>]
    public var location: SourceLocation

    /// Every stored property, as the memberwise initialiser takes them.
    package init(name: String, when: [String], topics: [Located<String>], location: SourceLocation) {
        self.name = name
        self.when = when
        self.topics = topics
        self.location = location
    }
}

/// The whole knowledge base as read from its folder.
public struct KnowledgeBase: Sendable {
    /// The folder it was read from.
    public var directory: String
    public var sources: [Source]
    public var concepts: [Concept]
    /// Topics in id order.
    public var topics: [Topic]
    /// Ways of putting a question and the topics they lean to (from concepts.yaml).
    public var frames: [Frame] = []
    /// A hash of every file's content: changes whenever the knowledge base does.
    public var fingerprint: String

    private var topicIndex: [String: Int] = [:]
    private var sourceIndex: [String: Int] = [:]

    public init(directory: String, sources: [Source], concepts: [Concept], topics: [Topic], fingerprint: String) {
        self.directory = directory
        self.sources = sources
        self.concepts = concepts
        self.topics = topics
        self.fingerprint = fingerprint
        for (index, topic) in topics.enumerated() where topicIndex[topic.id] == nil {
            topicIndex[topic.id] = index
        }
        for (index, source) in sources.enumerated() where sourceIndex[source.id] == nil {
            sourceIndex[source.id] = index
        }
    }

    /// The topic with this id.
    public func topic(_ id: String) -> Topic? {
        topicIndex[id].map { topics[$0] }
    }

    /// The source with this id.
    public func source(_ id: String) -> Source? {
        sourceIndex[id].map { sources[$0] }
    }

    /// The id of the fallback topic for questions out of scope.
    public static let noneTopic = "none"
    /// Concepts that frame a question (who it is for, whether it wants figures)
    /// rather than say what it is about.
    public static let framingConcepts = ReservedConcept.all.map(\.id)

    /// The id of the topic for greetings and thanks.
    public static let smalltalkTopic = "smalltalk"
}

/// Concept ids with a meaning of their own in a conversation.
public enum ReservedConcept {
    public static let cio = "cio"
    public static let cmo = "cmo"
    public static let figures = "figures"
    public static let more = "more"
    /// "why?", "why is that?": the reasons behind the current topic.
    public static let reason = "reason"
    /// "can you give an example?"
    public static let example = "example"
    /// "what should I do first?", "next steps?"
    public static let firstStep = "first-step"

    /// Every reserved concept and what the engine reads it as; `manifest.yaml` lists them
    /// under `reserved_concepts` and `kb check` verifies each is defined in `concepts.yaml`.
    public static let all: [(id: String, meaning: String)] = [
        (cio, "the CIO, as asker or subject"), (cmo, "the CMO, as asker or subject"),
        (figures, "a request for the figures"), (more, "a request for more on the topic"),
        (reason, "a request for the reasons"), (example, "a request for an example"),
        (firstStep, "a request for next steps"),
    ]
}
