/// The role an answer is framed for.
public enum Role: String, Sendable, Codable, CaseIterable {
    case cio, cmo

    /// The other side of the relationship.
    public var counterpart: Role { self == .cio ? .cmo : .cio }
    /// "CIO" or "CMO".
    public var displayName: String { rawValue.uppercased() }
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
}

/// A fact or figure and the article it comes from.
public struct Fact: Sendable, Equatable {
    public var text: String
    public var source: String
}

/// A word the two roles read differently ("platform").
public struct GlossaryEntry: Sendable, Equatable {
    public var term: String
    public var aliases: [String]
    /// What the word means to each role.
    public var meanings: [Role: String]
}

/// One subject the advisor can answer about.
public struct Topic: Sendable {
    public var id: String
    public var title: String
    /// The short answer.
    public var answer: String
    /// The longer explanation (`/more`).
    public var more: String?
    /// Role-specific advice.
    public var advice: [Role: String]
    public var glossary: GlossaryEntry?
    public var facts: [Fact]
    /// Ids of the sources the topic rests on.
    public var sources: [String]
    public var related: [Located<String>]
    public var patterns: [Pattern]
    public var samples: [Located<String>]
    /// Where the topic is declared.
    public var location: SourceLocation
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
}

/// The whole knowledge base as read from its folder.
public struct KnowledgeBase: Sendable {
    /// The folder it was read from.
    public var directory: String
    public var sources: [Source]
    public var concepts: [Concept]
    /// Topics in id order.
    public var topics: [Topic]
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
    public static let framingConcepts = [
        Conversation.ReservedConcept.cio, Conversation.ReservedConcept.cmo, Conversation.ReservedConcept.figures,
        Conversation.ReservedConcept.more,
    ]

    /// The id of the topic for greetings and thanks.
    public static let smalltalkTopic = "smalltalk"
}
