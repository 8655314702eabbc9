/// The role an answer is framed for.
public enum Role: String, Sendable, Codable, CaseIterable {
    case cio, cmo

    /// The other side of the relationship.
    public var counterpart: Role { self == .cio ? .cmo : .cio }
    /// "CIO" or "CMO".
    public var displayName: String { rawValue.uppercased() }
    /// "a CIO" or "a CMO".
    public var article: String { "a " + displayName }
    /// The role's side by its department's name: "IT" or "marketing".
    public var department: String { self == .cio ? "IT" : "marketing" }
}

/// A value read from a file, with where it was read.
public struct Located<Value: Sendable>: Sendable {
    /// The value read.
    public var value: Value
    /// Where the value starts in its file.
    public var location: SourceLocation

    /// Pairs `value` with the place in a file it was read from.
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
    /// The article's title, as sources.yaml gives it.
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
    /// The fact or figure itself, as the topic's `facts` entry writes it ("68% of CMOs expect ...").
    public var text: String
    /// The id of the source the fact comes from ("001"); it must be one of the topic's sources.
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
    /// Where the step starts in its topic file.
    public var location: SourceLocation

    /// Makes a next step from its text, the id of its source and whether it is inferred, read at `location`.
    public init(text: String, source: String, inferred: Bool, at location: SourceLocation) {
        self.text = text
        self.source = source
        self.inferred = inferred
        self.location = location
    }
}

/// A reply of a topic for questions holding one of some words ("thanks", "bye"), or one of
/// some concepts as the router reads them, instead of the topic's answer.
public struct Reply: Sendable, Equatable {
    /// Words or phrases of the question that select this reply, as written.
    public var when: [String]
    /// Concepts of `concepts.yaml` that select this reply when the router reads one in the
    /// question, in any of its synonyms, stems or separable forms ("where should the web
    /// report" holds `report-to`).
    public var concepts: [String]
    /// The text given instead of the topic's answer.
    public var answer: String
    /// Where the reply starts in its topic file.
    public var location: SourceLocation

    /// Every stored property, as the memberwise initialiser takes them.
    package init(when: [String], concepts: [String] = [], answer: String, location: SourceLocation) {
        self.when = when
        self.concepts = concepts
        self.answer = answer
        self.location = location
    }
}

/// A word the two roles read differently ("platform").
public struct GlossaryEntry: Sendable, Equatable {
    /// The word as the glossary entry names it ("platform").
    public var term: String
    /// Other forms of the word that mean the same entry ("platforms"); empty when there are none.
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
    /// The topic's id: its file name without `.yaml` (for example `mobile-ownership`).
    public var id: String
    /// The topic's title, shown as the heading of its answers (`What "platform" means`).
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
    /// The word the topic explains and what it means to each role, on `term-*` topics; else nil.
    public var glossary: GlossaryEntry?
    /// The facts and figures the topic gives (`/figures`), each citing its source.
    public var facts: [Fact]
    /// Ids of the sources the topic rests on.
    public var sources: [String]
    /// Ids of the topics to suggest after this one, each with where it is written.
    public var related: [Located<String>]
    /// The phrases that route a question to this topic.
    public var patterns: [Pattern]
    /// Questions that must route to this topic (`kb check` verifies it), each with where it is written.
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
    /// Whether the question must hold every word: a pattern of three words or more otherwise
    /// also matches with one missing, at a discount.
    public var requiresAll: Bool
    /// Where the pattern is written in its topic file.
    public var location: SourceLocation

    /// Makes a pattern from its words, a score multiplier and whether every word is required,
    /// read at `location`.
    public init(_ value: String, weight: Double = 1, requiresAll: Bool = false, at location: SourceLocation) {
        self.value = value
        self.weight = weight
        self.requiresAll = requiresAll
        self.location = location
    }
}

/// A group of words that mean the same thing for routing.
public struct Concept: Sendable {
    /// The concept's id, its key in concepts.yaml (for example `budget`).
    public var id: String
    /// The words and phrases read as the concept, as written; one in capitals (`IT`) matches only in capitals.
    public var synonyms: [String]
    /// Where the concept's id is written in concepts.yaml.
    public var location: SourceLocation

    /// Every stored property, as the memberwise initialiser takes them.
    package init(id: String, synonyms: [String], location: SourceLocation) {
        self.id = id
        self.synonyms = synonyms
        self.location = location
    }
}

/// A way of putting a question ("who owns the budget?", "is that IT or marketing?") and the topics it usually means.
///
/// The other words of the question choose among those topics; with none of them, the frame
/// leans to the first.
public struct Frame: Sendable {
    /// The frame's name, its key under `frames:` in concepts.yaml (for example `who-owns`).
    public var name: String
    /// The phrases that put a question this way, as written.
    public var when: [String]
    /// The topics it usually means, most likely first.
    public var topics: [Located<String>]
    /// Whether the frame leans to its first topic when the question's other words point at
    /// none of its topics (`leans_alone`, true unless set false).
    public var leansAlone: Bool
    /// Where the frame's name is written in concepts.yaml.
    public var location: SourceLocation

    /// Every stored property, as the memberwise initialiser takes them.
    package init(
        name: String, when: [String], topics: [Located<String>], leansAlone: Bool = true, location: SourceLocation
    ) {
        self.name = name
        self.when = when
        self.topics = topics
        self.leansAlone = leansAlone
        self.location = location
    }
}

/// A question labelled with the topic it belongs to (a line of `examples.tsv`).
///
/// Examples are evidence for retrieval, beside the patterns: a question worded like an
/// example leans to the example's topic. They are questions people asked, not advice.
public struct Example: Sendable, Hashable {
    /// The question, as asked.
    public var question: String
    /// The id of the topic it belongs to (`none` for a question out of scope).
    public var topic: String
    /// Where the question comes from (an address, or who wrote it).
    public var source: String
    /// Its line in `examples.tsv`.
    public var location: SourceLocation

    /// Makes an example of `question`, labelled `topic`.
    public init(question: String, topic: String, source: String, location: SourceLocation) {
        self.question = question
        self.topic = topic
        self.source = source
        self.location = location
    }
}

/// The whole knowledge base as read from its folder.
public struct KnowledgeBase: Sendable {
    /// The folder it was read from.
    public var directory: String
    /// The articles the knowledge base rests on, in the order of sources.yaml.
    public var sources: [Source]
    /// The concepts of concepts.yaml, in the order they are written.
    public var concepts: [Concept]
    /// Topics in id order (decoded when first read, for a knowledge base from the cache).
    public var topics: TopicList
    /// Ways of putting a question and the topics they lean to (from concepts.yaml).
    public var frames: [Frame] = []
    /// Labelled example questions (from examples.tsv), in file order.
    ///
    /// Read when the knowledge base is loaded from its files; a knowledge base restored from the
    /// compiled cache leaves it empty, the router's index holding what routing needs of them
    /// (`Router.exampleCount`, `Router.exampleNumbers(matching:)`).
    public var examples: [Example] = []
    /// A hash of every file's content: changes whenever the knowledge base does.
    public var fingerprint: String

    private var sourceIndex: [String: Int] = [:]

    /// Makes a knowledge base from what was read, indexing topics and sources by id (the first of a repeated id wins).
    public init(directory: String, sources: [Source], concepts: [Concept], topics: [Topic], fingerprint: String) {
        self.init(
            directory: directory, sources: sources, concepts: concepts, topicList: TopicList(topics),
            fingerprint: fingerprint)
    }

    /// Makes a knowledge base whose topics are `topicList` (decoded as they are read, from a cache).
    package init(directory: String, sources: [Source], concepts: [Concept], topicList: TopicList, fingerprint: String) {
        self.directory = directory
        self.sources = sources
        self.concepts = concepts
        self.topics = topicList
        self.fingerprint = fingerprint
        for (index, source) in sources.enumerated() where sourceIndex[source.id] == nil {
            sourceIndex[source.id] = index
        }
    }

    /// The topic with this id.
    public func topic(_ id: String) -> Topic? {
        topics.position(of: id).map { topics[$0] }
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

/// What a topic's answers are: advice, or one of the engine's own two replies.
///
/// The ids of the two are declared in `manifest.yaml` and checked by `kb check`.
public enum TopicKind: Sendable, Equatable {
    /// A topic of advice, citing its sources.
    case advice
    /// The reply to a question the knowledge base has no advice on (`none`).
    case fallback
    /// Greetings and thanks (`smalltalk`).
    case smalltalk

    /// The kind of the topic with this id.
    public init(topicID: String) {
        switch topicID {
        case KnowledgeBase.noneTopic: self = .fallback
        case KnowledgeBase.smalltalkTopic: self = .smalltalk
        default: self = .advice
        }
    }

    /// Whether answers on the topic with this id give advice (not the fallback or small talk).
    public static func isAdvice(_ topicID: String) -> Bool {
        TopicKind(topicID: topicID) == .advice
    }
}

/// Concept ids with a meaning of their own in a conversation.
public enum ReservedConcept {
    /// "cio": the concept naming the CIO, as asker or subject.
    public static let cio = "cio"
    /// "cmo": the concept naming the CMO, as asker or subject.
    public static let cmo = "cmo"
    /// "figures": a request for the current topic's facts and figures.
    public static let figures = "figures"
    /// "more": a request for the current topic's longer explanation.
    public static let more = "more"
    /// "why?", "why is that?": the reasons behind the current topic.
    public static let reason = "reason"
    /// "Can you give an example?": a request for an example, answered with the topic's longer explanation.
    public static let example = "example"
    /// "What should I do first?", "next steps?": a request for the asker's next steps on the current topic.
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
