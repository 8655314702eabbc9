import AdvisorKnowledge
import AdvisorText
import Foundation

/// What kind of reply a turn asks for.
public enum AnswerMode: String, Sendable, Codable {
    /// The topic's summary and the asker's next steps.
    case answer
    /// The topic's facts and figures ("what do the numbers say?").
    case figures
    /// The topic's longer explanation ("tell me more", "why?", "give me an example").
    case more
    /// Where to start ("what should I do first?").
    case steps
}

/// Everything an answer depends on: the topic, who asks, whom the question is about, and how
/// the question was routed.
public struct AnswerRequest: Sendable {
    /// The id of the topic to answer about; an unknown id gives the `none` answer.
    public var topicID: String
    /// The asker's role: whom the advice is for.
    public var asker: Role?
    /// The role the question is about: which meaning a glossary answer leads with.
    public var about: Role?
    /// What kind of reply the turn asks for: the answer, the figures, more, or the next steps.
    public var mode: AnswerMode
    /// How the question was routed: its words, matches, candidates and confidence, for `why` and hedging.
    public var routing: Routing
    /// How the conversation was used, for `why`.
    public var context: String?
    /// Where the asker's role came from, for `why`.
    public var askerOrigin: String?
    /// Where `about` came from, for `why`.
    public var aboutOrigin: String?
    /// A line about the session to show first (a role set from the question).
    public var notice: String?
    /// The question as asked, to pick a reply by its words (smalltalk).
    public var question: String?
    /// Whether the topic was chosen by the router for this question (not by the conversation
    /// or `/topic`): only then does a weak match say so.
    public var routed: Bool

    /// Makes a request; apart from the topic, the asker and the routing, everything defaults to absent.
    public init(
        topicID: String, asker: Role?, about: Role? = nil, mode: AnswerMode = .answer, routing: Routing,
        context: String? = nil, askerOrigin: String? = nil, aboutOrigin: String? = nil, notice: String? = nil,
        question: String? = nil, routed: Bool = true
    ) {
        self.topicID = topicID
        self.asker = asker
        self.about = about
        self.mode = mode
        self.routing = routing
        self.context = context
        self.askerOrigin = askerOrigin
        self.aboutOrigin = aboutOrigin
        self.notice = notice
        self.question = question
        self.routed = routed
    }
}

/// Builds answer objects from topics: a short summary, then the asker's next steps, each citing
/// its article; glossary meanings led by the role asked about; figures; the jargon note.
public struct AnswerComposer: Sendable {
    /// The knowledge base the answers are composed from.
    public let knowledgeBase: KnowledgeBase

    /// Below this confidence an answer says it may have misread the question.
    public static let hedgeBelow = 0.5
    /// A runner-up within this share of the winner's score is a near tie.
    public static let nearTie = 0.9
    /// Steps shown per role when the asker's role is unknown (both roles are shown).
    public static let stepsPerRoleWhenUnknown = 2

    /// Makes a composer over `knowledgeBase`.
    public init(knowledgeBase: KnowledgeBase) {
        self.knowledgeBase = knowledgeBase
    }

    /// The answer for a request.
    public func compose(_ request: AnswerRequest) -> Answer {
        let routing = request.routing
        var why = Explanation(
            matched: routing.matchedWords, rules: routing.matchedRules, candidates: routing.candidates,
            corrections: routing.corrections.map { "\($0.typed) -> \($0.corrected)" }, context: request.context,
            role: request.askerOrigin, about: request.aboutOrigin)
        if request.routed, !routing.evidence.isEmpty { why.evidence = routing.evidence }
        if request.routed { why.example = routing.nearestExample }
        guard let topic = knowledgeBase.topic(request.topicID) else {
            return Answer(
                topic: KnowledgeBase.noneTopic, title: "No advice on that", answer: "I have no advice on that.",
                role: request.asker, confidence: routing.confidence, sources: [], related: [], note: nil, facts: nil,
                why: why, about: request.about, notice: request.notice)
        }
        var citations = CitationList(knowledgeBase: knowledgeBase, ids: topic.sources)
        var related = topic.related.map(\.value)
        var steps: [StepCitation] = []
        var also: AlsoRelevant?
        var lines: [String] = []
        let role = request.asker

        if TopicKind(topicID: topic.id) == .fallback {
            let suggestions = nearestTopics(routing)
            if !suggestions.isEmpty { related = suggestions }
            lines.append(reply(of: topic, to: request.question, words: routing.words) ?? topic.answer)
            // A match that rested on corrections alone was too much of a guess to answer: say
            // what the words were read as, so the asker can confirm it in one step.
            if routing.restsOnCorrections, let nearest = suggestions.first {
                let reading = routing.words.map { $0.correction ?? $0.surface }.joined(separator: " ")
                lines.append("If you meant \"\(reading)\", try /topic \(nearest) (I read your words as typos).")
            }
            if !suggestions.isEmpty {
                lines.append("Nearest topics: " + suggestions.joined(separator: ", ") + " (/topic ID shows one).")
            }
        } else if let reply = reply(of: topic, to: request.question, words: routing.words) {
            lines.append(reply)  // "thanks", "bye": the reply that fits the words
        } else {
            switch request.mode {
            case .figures:
                lines.append(contentsOf: figureLines(topic, &citations))
            case .more:
                lines.append(citations.render(topic.more ?? topic.answer))
                if let glossary = topic.glossary {
                    lines.append(contentsOf: meaningLines(glossary, lead: request.about ?? role ?? .cio))
                }
                steps = chosenSteps(topic, role: role, limit: nil)
                lines.append(contentsOf: stepLines(steps, role: role, &citations))
                if !topic.facts.isEmpty {
                    lines.append("Figures:")
                    lines.append(contentsOf: figureLines(topic, &citations))
                }
            case .steps:
                steps = chosenSteps(topic, role: role, limit: role == nil ? 1 : nil)
                lines.append(contentsOf: firstStepLines(steps, role: role, &citations))
            case .answer:
                if request.routed, let hedge = hedge(routing, topic: topic.id) { lines.append(hedge) }
                if let glossary = topic.glossary {
                    lines.append(contentsOf: meaningLines(glossary, lead: request.about ?? role ?? .cio))
                    if let note = glossary.note { lines.append(citations.render(note)) }
                } else {
                    lines.append(citations.render(topic.answer))
                }
                steps = chosenSteps(topic, role: role, limit: role == nil ? Self.stepsPerRoleWhenUnknown : nil)
                lines.append(contentsOf: stepLines(steps, role: role, &citations))
                if steps.isEmpty, let role, let advice = topic.advice[role] {
                    lines.append("As \(role.article): " + citations.render(advice))
                }
                if request.routed, lines.first.map({ !$0.hasPrefix(Self.hedgePrefix) }) ?? true,
                    let second = routing.alsoRelevant, let other = knowledgeBase.topic(second.topic)
                {
                    let step = other.nextSteps[role ?? .cio]?.first
                    also = AlsoRelevant(topic: other.id, title: other.title, step: step?.text)
                    var line = "Also relevant: \(other.title) [\(other.id)]"
                    if let step {
                        line += ": " + citations.render(step.text) + " " + citations.marker(for: step.source)
                    }
                    lines.append(line)
                    why.also = "\(other.id), for " + second.explains.map { "\"\($0)\"" }.joined(separator: ", ")
                }
            }
        }
        let note = jargonNote(routing: routing, answeredTopic: topic.id, role: role)
        return Answer(
            topic: topic.id, title: topic.title, answer: lines.joined(separator: "\n"), role: role,
            confidence: routing.confidence, sources: citations.citations, related: related, note: note,
            facts: topic.facts.isEmpty
                ? nil
                : topic.facts.map {
                    Answer.FactCitation(text: $0.text, seed: knowledgeBase.source($0.source)?.seed ?? $0.source)
                },
            why: why, about: request.about, nextSteps: steps, also: also, notice: request.notice)
    }

    /// The answer for `topicID` with the asker's role and nothing else known.
    public func compose(topicID: String, role: Role?, mode: AnswerMode, routing: Routing, context: String?)
        -> Answer
    {
        compose(AnswerRequest(topicID: topicID, asker: role, mode: mode, routing: routing, context: context))
    }

    // MARK: Parts

    package static let hedgePrefix = "I may have misread this"

    /// One line saying the match is weak or a near tie, with the topics to pick from.
    package func hedge(_ routing: Routing, topic: String) -> String? {
        let others = routing.candidates.filter {
            $0.topic != topic && TopicKind.isAdvice($0.topic)
        }
        let best = routing.candidates.first?.score ?? 0
        let nearTie = others.first.map { best > 0 && $0.score >= best * Self.nearTie } ?? false
        guard routing.confidence < Self.hedgeBelow || nearTie, !others.isEmpty else { return nil }
        let picks = others.prefix(2).map(\.topic)
        let reason = nearTie ? "it is close between topics" : "a weak match"
        return "\(Self.hedgePrefix) (\(reason)): also close are \(picks.joined(separator: ", ")); "
            + "type /topic ID to pick one."
    }

    /// The steps to show: the asker's own, or the first few of each role when unknown.
    package func chosenSteps(_ topic: Topic, role: Role?, limit: Int?) -> [StepCitation] {
        let roles = role.map { [$0] } ?? Role.allCases
        return roles.flatMap { role in
            let steps = topic.nextSteps[role] ?? []
            return steps.prefix(limit ?? steps.count).map { step in
                StepCitation(
                    role: role, step: step.text, seed: knowledgeBase.source(step.source)?.seed ?? step.source,
                    inferred: step.inferred)
            }
        }
    }

    /// Next steps as lines: under "Next steps for you as a CIO:", or under each role's label.
    package func stepLines(_ steps: [StepCitation], role: Role?, _ citations: inout CitationList) -> [String] {
        guard !steps.isEmpty else { return [] }
        var lines: [String] = []
        for current in Role.allCases {
            let own = steps.filter { $0.role == current }
            guard !own.isEmpty else { continue }
            lines.append(role == nil ? "For a \(current.displayName):" : "Next steps for you as \(current.article):")
            lines.append(contentsOf: own.map { "- " + stepText($0, &citations) })
        }
        return lines
    }

    /// "What should I do first?": the first step, then the rest.
    package func firstStepLines(_ steps: [StepCitation], role: Role?, _ citations: inout CitationList) -> [String] {
        guard let first = steps.first else { return ["The articles give no steps on this topic."] }
        if role == nil {
            return steps.map { "Start here, for a \($0.role.displayName): " + stepText($0, &citations) }
        }
        var lines = ["Start with this: " + stepText(first, &citations)]
        if steps.count > 1 {
            lines.append("Then:")
            lines.append(contentsOf: steps.dropFirst().map { "- " + stepText($0, &citations) })
        }
        return lines
    }

    /// A step with its marker: "[2]" when the article says so, "(our suggestion, from [2])"
    /// when the step is the advisor's inference.
    package func stepText(_ step: StepCitation, _ citations: inout CitationList) -> String {
        let id = knowledgeBase.sources.first { $0.seed == step.seed }?.id ?? step.seed
        let marker = citations.marker(for: id)
        let text = citations.render(step.step)
        return step.inferred ? "\(text) (our suggestion, from \(marker))" : "\(text) \(marker)"
    }

    /// The two meanings of a glossary word, the role asked about first.
    package func meaningLines(_ glossary: GlossaryEntry, lead: Role) -> [String] {
        var lines: [String] = []
        if let own = glossary.meanings[lead] {
            lines.append("To a \(lead.displayName), \"\(glossary.term)\" means: \(own)")
        }
        if let other = glossary.meanings[lead.counterpart] {
            lines.append("To a \(lead.counterpart.displayName), it means something else: \(other)")
        }
        return lines
    }

    /// The topic's facts and figures, each with its article's marker.
    package func figureLines(_ topic: Topic, _ citations: inout CitationList) -> [String] {
        guard !topic.facts.isEmpty else {
            return ["The articles give no figures on this topic (\(topic.title)). " + citations.render(topic.answer)]
        }
        return topic.facts.map { "- \($0.text) \(citations.marker(for: $0.source))" }
    }

    /// The first reply of a topic whose `when` words the question holds as typed, or one of
    /// whose `concepts` the router read among the question's `words`.
    package func reply(of topic: Topic, to question: String?, words: [NormalizedWord] = []) -> String? {
        guard let question, !topic.replies.isEmpty else { return nil }
        let typed = Tokenizer.tokenize(question).map(\.text)
        let joined = " " + typed.joined(separator: " ") + " "
        let read = Set(words.map(\.term).filter { $0.hasPrefix(Normalizer.conceptPrefix) })
        return topic.replies.first { reply in
            reply.concepts.contains { read.contains(Normalizer.conceptPrefix + $0) }
                || reply.when.contains { phrase in
                    let folded = Tokenizer.tokenize(phrase).map(\.text).joined(separator: " ")
                    return !folded.isEmpty && joined.contains(" \(folded) ")
                }
        }?.answer
    }

    /// Full citations for source ids.
    public func citations(_ ids: [String]) -> [Citation] {
        CitationList(knowledgeBase: knowledgeBase, ids: ids).citations
    }

    /// Topics to suggest when a question is out of scope: those nearest to it by score.
    package func nearestTopics(_ routing: Routing) -> [String] {
        let scored = routing.candidates.map(\.topic).filter(TopicKind.isAdvice)
        return Array(scored.prefix(3))
    }

    /// Jargon watch: a glossary word used outside a question about it gets a one-line
    /// note of what it means to the other role (to both, when no role is set).
    package func jargonNote(routing: Routing, answeredTopic: String, role: Role?) -> String? {
        let notes = routing.glossaryMentions.filter { $0 != answeredTopic }.compactMap { id -> String? in
            guard let glossary = knowledgeBase.topic(id)?.glossary else { return nil }
            if let role, let meaning = glossary.meanings[role.counterpart] {
                return
                    "Jargon watch: to a \(role.counterpart.displayName), \"\(glossary.term)\" means \(lowercasedFirst(meaning))"
            }
            guard let cio = glossary.meanings[.cio], let cmo = glossary.meanings[.cmo] else { return nil }
            return
                "Jargon watch: to a CIO, \"\(glossary.term)\" means \(lowercasedFirst(cio)); to a CMO, \(lowercasedFirst(cmo))"
        }
        return notes.isEmpty ? nil : notes.joined(separator: "\n")
    }
}

/// The sources an answer cites, numbered in order.
///
/// The topic's own sources come first, then any other source a step or line cites. Markers
/// in the text become "[n]".
package struct CitationList {
    package let knowledgeBase: KnowledgeBase
    package private(set) var ids: [String]

    package init(knowledgeBase: KnowledgeBase, ids: [String]) {
        self.knowledgeBase = knowledgeBase
        self.ids = ids.filter { knowledgeBase.source($0) != nil }
    }

    /// "[n]" for a source, adding it to the list when it is new.
    package mutating func marker(for id: String) -> String {
        if let index = ids.firstIndex(of: id) { return "[\(index + 1)]" }
        guard knowledgeBase.source(id) != nil else { return "" }
        ids.append(id)
        return "[\(ids.count)]"
    }

    /// Text with its source markers numbered.
    package mutating func render(_ text: String) -> String {
        var list = self
        let rendered = SourceMarkers.render(text) { id in
            guard list.knowledgeBase.source(id) != nil else { return nil }
            _ = list.marker(for: id)
            return list.ids.firstIndex(of: id).map { $0 + 1 }
        }
        self = list
        return rendered
    }

    package var citations: [Citation] {
        ids.compactMap { id in
            knowledgeBase.source(id).map { Citation(seed: $0.seed, title: $0.title, author: $0.author, date: $0.date) }
        }
    }
}

/// "A set of tools." gives "a set of tools": for a meaning used inside a sentence.
package func lowercasedFirst(_ text: String) -> String {
    var trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    while let last = trimmed.last, last == "." { trimmed.removeLast() }
    guard let first = trimmed.first, first.isUppercase else { return trimmed }
    let second = trimmed.dropFirst().first
    if let second, second.isUppercase { return trimmed }  // an acronym: keep it
    return first.lowercased() + trimmed.dropFirst()
}
