/// A conversation: the session's role and what earlier turns were about, so that
/// follow-up questions ("and to a CMO?", "what do the numbers say?") make sense.
public final class Conversation {
    public let advisor: Advisor
    /// The role every answer is framed for, unless a question names another.
    public var role: Role?
    /// The last answer given.
    public private(set) var lastAnswer: Answer?
    /// The last question asked.
    public private(set) var lastQuestion: String?
    /// The questions of this conversation, in order.
    public private(set) var questions: [String] = []
    /// The topic follow-ups refer to.
    public private(set) var currentTopic: String?
    private var mentionedRole: Role?

    /// Concept ids with a meaning of their own in a conversation.
    public enum ReservedConcept {
        public static let cio = "cio"
        public static let cmo = "cmo"
        public static let figures = "figures"
        public static let more = "more"
    }

    public init(advisor: Advisor, role: Role? = nil) {
        self.advisor = advisor
        self.role = role
    }

    /// Forgets what the conversation was about (the role stays).
    public func reset() {
        lastAnswer = nil
        lastQuestion = nil
        currentTopic = nil
        mentionedRole = nil
    }

    /// Answers `question` in the light of the conversation so far.
    public func ask(_ question: String) -> Answer {
        let routing = advisor.router.route(question)
        let concepts = routing.concepts
        let roleConcepts = [Role.cio, .cmo].filter { concepts.contains($0.rawValue) }
        var mentioned: Role? = roleConcepts.count == 1 ? roleConcepts[0] : nil
        let content = routing.contentWords(ignoring: Set(KnowledgeBase.framingConcepts))
        let asksFigures = concepts.contains(ReservedConcept.figures)
        let asksMore = concepts.contains(ReservedConcept.more)

        var topic = routing.topic
        var mode = AnswerMode.answer
        var context: String?
        // "and to a CMO?", "what do the numbers say?", "tell me more": the same topic, seen
        // anew. Also when a follow-up ("and for the CMO again?") has words that match nothing.
        let refersBack = content.isEmpty || (routing.topic == KnowledgeBase.noneTopic && Self.isFollowUp(question))
        if let current = currentTopic, refersBack, asksFigures || asksMore || mentioned != nil {
            topic = current
            mode = asksFigures ? .figures : asksMore ? .more : .answer
            let what = mentioned.map { "role \($0.rawValue)" } ?? (asksFigures ? "figures" : "more")
            context = "follow-up on \(current): \(what)"
        } else if asksFigures, topic != KnowledgeBase.noneTopic,
            !(advisor.knowledgeBase.topic(topic)?.facts.isEmpty ?? true)
        {
            mode = .figures
        }
        if mentioned == nil, let previous = mentionedRole, currentTopic != nil, Self.isFollowUp(question),
            topic != KnowledgeBase.noneTopic
        {
            // "what about platform?" after a question about a role keeps that role.
            mentioned = previous
            context = (context.map { $0 + "; " } ?? "") + "role \(previous.rawValue) carried from the previous question"
        }

        let effectiveRole = mentioned ?? role
        var basis = routing
        if topic != routing.topic, let previous = lastAnswer {
            basis.confidence = previous.confidence  // resolved by the conversation, as sure as the turn it follows
        }
        let answer = advisor.composer.compose(
            topicID: topic, role: effectiveRole, mode: mode, routing: basis, context: context)
        lastAnswer = answer
        lastQuestion = question
        questions.append(question)
        if answer.topic != KnowledgeBase.noneTopic, answer.topic != KnowledgeBase.smalltalkTopic {
            currentTopic = answer.topic
            mentionedRole = mentioned
        }
        return answer
    }

    func setShown(_ answer: Answer) {
        lastAnswer = answer
        currentTopic = answer.topic
        mentionedRole = nil
    }

    /// Whether a question reads as a follow-up ("and ...", "what about ...").
    static func isFollowUp(_ question: String) -> Bool {
        let words = Tokenizer.tokenize(question).map(\.text)
        guard let first = words.first else { return false }
        if ["and", "also", "same"].contains(first) { return true }
        if words.count >= 2, ["what", "how"].contains(first), words[1] == "about" { return true }
        return false
    }
}

extension Conversation {
    /// Shows a topic directly (`/topic ID`): it becomes the topic follow-ups refer to.
    public func show(topicID: String) -> Answer {
        let routing = Routing(
            words: [], topic: topicID, confidence: 1, candidates: [], matchedWords: [], matchedRules: [],
            corrections: [], glossaryMentions: [])
        let answer = advisor.composer.compose(
            topicID: topicID, role: role, mode: .answer, routing: routing, context: "shown with /topic")
        setShown(answer)
        return answer
    }
}
