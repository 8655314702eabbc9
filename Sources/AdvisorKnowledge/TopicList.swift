/// The topics of a knowledge base, in order: held in memory, or each decoded from the
/// compiled cache only when it is asked for.
///
/// A knowledge base loaded from its YAML files holds every topic; one restored from the cache
/// holds only the topic ids (in the cache's image) and decodes a topic when a question, a
/// command or a check needs it, so a start does not grow with the number of topics. Ids and
/// lookups by id never decode a topic.
public struct TopicList: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
    private enum Storage: Sendable {
        case memory([Topic], index: [String: Int])
        case stored(StoredTopics)
    }

    /// Topics kept elsewhere: how many, each one's id, the number of an id, and a decoder.
    package struct StoredTopics: Sendable {
        package var count: Int
        package var id: @Sendable (Int) -> String
        package var find: @Sendable (String) -> Int?
        package var decode: @Sendable (Int) -> Topic

        package init(
            count: Int, id: @escaping @Sendable (Int) -> String, find: @escaping @Sendable (String) -> Int?,
            decode: @escaping @Sendable (Int) -> Topic
        ) {
            self.count = count
            self.id = id
            self.find = find
            self.decode = decode
        }
    }

    private let storage: Storage

    /// The topics `topics`, indexed by id (the first of a repeated id wins).
    public init(_ topics: [Topic]) {
        var index: [String: Int] = [:]
        for (position, topic) in topics.enumerated() where index[topic.id] == nil { index[topic.id] = position }
        storage = .memory(topics, index: index)
    }

    /// The topics written in the literal.
    public init(arrayLiteral topics: Topic...) { self.init(topics) }

    /// Topics decoded one at a time by `stored`.
    package init(stored: StoredTopics) { storage = .stored(stored) }

    /// The first topic's number, 0.
    public var startIndex: Int { 0 }
    /// The number of topics.
    public var endIndex: Int {
        switch storage {
        case .memory(let topics, _): topics.count
        case .stored(let stored): stored.count
        }
    }

    /// Topic number `position`, decoded if it is stored.
    public subscript(position: Int) -> Topic {
        switch storage {
        case .memory(let topics, _): topics[position]
        case .stored(let stored): stored.decode(position)
        }
    }

    /// The id of topic number `position`, without decoding it.
    public func id(at position: Int) -> String {
        switch storage {
        case .memory(let topics, _): topics[position].id
        case .stored(let stored): stored.id(position)
        }
    }

    /// Every topic's id, in order, without decoding any.
    public var ids: [String] { indices.map { id(at: $0) } }

    /// The number of the topic with this id.
    public func position(of id: String) -> Int? {
        switch storage {
        case .memory(_, let index): index[id]
        case .stored(let stored): stored.find(id)
        }
    }
}
