import AdvisorKnowledge
import AdvisorText

/// Where the asker's role came from.
public enum RoleOrigin: Sendable, Equatable {
    /// The command line (`--role`).
    case flag
    /// The `/role` command.
    case command
    /// The preferences file.
    case config
    /// The asker said it in a question ("i am the cio"), at a turn.
    case statement(phrase: String, turn: Int)
    /// The asker named their counterpart as theirs ("my cmo"), at a turn.
    case possessive(phrase: String, turn: Int)

    /// For `why`: "from --role", "you said \"i am the cio\" (turn 2)".
    public var explanation: String {
        switch self {
        case .flag: "from --role"
        case .command: "set with /role"
        case .config: "from the preferences file"
        case let .statement(phrase, turn): "you said \"\(phrase)\" (turn \(turn))"
        case let .possessive(phrase, turn): "you said \"\(phrase)\" (turn \(turn)): the other role is yours"
        }
    }
}

/// A conversation: who is asking, what earlier turns were about and which role they were
/// about, so that follow-up questions ("and to a CMO?", "why?", "what should I do first?")
/// make sense.
public final class Conversation {
    /// The advisor that routes and answers the conversation's questions.
    public let advisor: Advisor
    /// The asker's role: whom every answer's advice is for.
    ///
    /// Naming the counterpart in a question never changes it; saying "I'm the CMO" does.
    public var role: Role? {
        didSet { if role == nil { roleOrigin = nil } }
    }
    /// Where `role` came from.
    public private(set) var roleOrigin: RoleOrigin?
    /// The last answer given.
    public private(set) var lastAnswer: Answer?
    /// The last question asked.
    public private(set) var lastQuestion: String?
    /// The questions of this conversation, in order.
    public private(set) var questions: [String] = []
    /// The topic follow-ups refer to.
    public private(set) var currentTopic: String?
    /// How sure the router was of `currentTopic` when it was chosen.
    private var currentConfidence = 0.0
    /// The turn that chose `currentTopic`.
    private var currentTurn = 0
    /// The role the conversation is about, and the turn that said so.
    private var about: (role: Role, turn: Int)?

    /// Starts a conversation with `advisor`; `origin` says where `role` came from, when there is one.
    public init(advisor: Advisor, role: Role? = nil, origin: RoleOrigin = .flag) {
        self.advisor = advisor
        self.role = role
        roleOrigin = role == nil ? nil : origin
    }

    /// Sets (or clears) the asker's role, remembering where it came from.
    public func setRole(_ role: Role?, origin: RoleOrigin) {
        self.role = role
        roleOrigin = role == nil ? nil : origin
    }

    /// Forgets what the conversation was about (the role stays).
    public func reset() {
        lastAnswer = nil
        lastQuestion = nil
        currentTopic = nil
        about = nil
    }

    /// Example questions routing does as if the knowledge base did not hold (by number; see
    /// ``Router/exampleNumbers(matching:)``).
    package var examplesLeftOut: Set<Int32> = []

    /// Answers `question` in the light of the conversation so far.
    public func ask(_ question: String) -> Answer {
        var words = advisor.router.normalize(question)
        let turn = questions.count + 1
        var reading = RoleReading.read(words)
        reading.adoptSignature(of: question)
        // "I'm responsible for IT and ...", "speaking as the CMO, ...": the words that say who
        // asks are not routed, when any of them could be evidence. Read before routing, so a
        // question is routed once.
        let leadIn = reading.askerLeadIn.clamped(to: words.indices)
        if words[leadIn].contains(where: { !$0.isStopWord }) { words.removeSubrange(leadIn) }
        let routing = advisor.router.route(normalized: words, leavingOut: examplesLeftOut)
        let notice = takeRole(from: reading, turn: turn)

        let concepts = routing.concepts
        let content = routing.contentWords(ignoring: Set(KnowledgeBase.framingConcepts))
        let asksFigures = concepts.contains(ReservedConcept.figures)
        let asksMore = !concepts.isDisjoint(with: [
            ReservedConcept.more, ReservedConcept.reason, ReservedConcept.example,
        ])
        let asksSteps = concepts.contains(ReservedConcept.firstStep)

        var topic = routing.topic
        var mode = AnswerMode.answer
        var context: String?
        var routed = true
        // "and to a CMO?", "why?", "what should I do first?", "tell me more", "I'm the CMO":
        // the same topic, seen anew. Also when a follow-up ("and for the CMO again?") has
        // words that match nothing.
        let refersBack =
            content.isEmpty || (TopicKind(topicID: routing.topic) == .fallback && Self.isFollowUp(question))
        if let current = currentTopic, refersBack, asksFigures || asksMore || asksSteps || reading.namesRole {
            topic = current
            routed = false
            mode = asksFigures ? .figures : asksMore ? .more : asksSteps ? .steps : .answer
            context = "follow-up on \(current) (turn \(currentTurn)): \(mode.rawValue)"
        } else if content.isEmpty, notice != nil {
            topic = KnowledgeBase.smalltalkTopic  // "I'm the CIO" before any question
            routed = false
        } else if asksFigures, TopicKind(topicID: topic) != .fallback,
            !(advisor.knowledgeBase.topic(topic)?.facts.isEmpty ?? true)
        {
            mode = .figures
        }

        // The role the question is about; a follow-up keeps the one before it.
        var aboutOrigin: String?
        var aboutRole = reading.about
        if let named = reading.about {
            aboutOrigin = reading.aboutIsExplicit ? "asked of \(named.article)" : "the question names \(named.article)"
            about = (named, turn)
        } else if let previous = about, !routed || Self.isFollowUp(question) {
            aboutRole = previous.role
            aboutOrigin = "carried from turn \(previous.turn)"
        } else if routed {
            about = nil
        }

        var basis = routing
        if !routed { basis.confidence = currentConfidence }  // as sure as the turn it follows
        let answer = advisor.composer.compose(
            AnswerRequest(
                topicID: topic, asker: role, about: aboutRole, mode: mode, routing: basis, context: context,
                askerOrigin: roleOrigin?.explanation, aboutOrigin: aboutOrigin, notice: notice, question: question,
                routed: routed))
        lastAnswer = answer
        lastQuestion = question
        questions.append(question)
        if TopicKind.isAdvice(answer.topic) {
            if routed {
                currentConfidence = answer.confidence
                currentTurn = turn
            }
            currentTopic = answer.topic
        }
        return answer
    }

    /// Takes the asker's role from what the question says of them; returns the notice to show when it changed.
    ///
    /// A counterpart named as theirs ("my CMO") never overrides a role that was set or
    /// stated; a statement ("I'm the CMO") does, like `/role`.
    private func takeRole(from reading: RoleReading, turn: Int) -> String? {
        guard let asker = reading.asker, let evidence = reading.askerEvidence, let phrase = reading.askerPhrase,
            asker != role
        else { return nil }
        if evidence == .possessive, role != nil { return nil }
        setRole(
            asker,
            origin: evidence == .statement
                ? .statement(phrase: phrase, turn: turn) : .possessive(phrase: phrase, turn: turn))
        // "I'm the CTO", "I run marketing": a side, not the title itself, was stated.
        let who =
            evidence == .statement && !reading.askerNamedTitle
            ? "on \(asker.department)'s side" : asker.article
        return "Noted: you are \(who), so advice is framed for \(asker.article) from now on (/role changes it)."
    }

    package func setShown(_ answer: Answer) {
        lastAnswer = answer
        currentTopic = answer.topic
        currentConfidence = answer.confidence
        currentTurn = questions.count
        about = nil
    }

    /// Whether a question reads as a follow-up ("and ...", "what about ...").
    package static func isFollowUp(_ question: String) -> Bool {
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
            AnswerRequest(
                topicID: topicID, asker: role, routing: routing, context: "shown with /topic",
                askerOrigin: roleOrigin?.explanation, routed: false))
        setShown(answer)
        return answer
    }

    /// The current topic again in a mode (`/more`), framed for the asker, as a follow-up.
    public func showCurrent(mode: AnswerMode) -> Answer? {
        guard let current = currentTopic else { return nil }
        let routing = Routing(
            words: [], topic: current, confidence: currentConfidence, candidates: [], matchedWords: [],
            matchedRules: [], corrections: [], glossaryMentions: [])
        let answer = advisor.composer.compose(
            AnswerRequest(
                topicID: current, asker: role, about: about?.role, mode: mode, routing: routing,
                context: "follow-up on \(current) (turn \(currentTurn)): \(mode.rawValue)",
                askerOrigin: roleOrigin?.explanation, routed: false))
        lastAnswer = answer
        return answer
    }
}
