import Foundation

/// What kind of reply a turn asks for.
public enum AnswerMode: String, Sendable, Codable {
    /// The topic's answer, framed for the role.
    case answer
    /// The topic's facts and figures ("what do the numbers say?").
    case figures
    /// The topic's longer explanation ("tell me more").
    case more
}

/// Builds answer objects from topics: framing for a role, glossary meanings, figures,
/// citations and the jargon note.
public struct AnswerComposer: Sendable {
    public let knowledgeBase: KnowledgeBase

    public init(knowledgeBase: KnowledgeBase) {
        self.knowledgeBase = knowledgeBase
    }

    /// The answer for `topicID`, given how the question was routed.
    public func compose(
        topicID: String, role: Role?, mode: AnswerMode, routing: Routing, context: String?
    ) -> Answer {
        let why = Explanation(
            matched: routing.matchedWords, rules: routing.matchedRules, candidates: routing.candidates,
            corrections: routing.corrections.map { "\($0.typed) -> \($0.corrected)" }, context: context)
        guard let topic = knowledgeBase.topic(topicID) else {
            return Answer(
                topic: KnowledgeBase.noneTopic, title: "No advice on that",
                answer: "I have no advice on that.", role: role, confidence: routing.confidence, sources: [],
                related: [], note: nil, facts: nil, why: why)
        }
        var text: String
        var related = topic.related.map(\.value)
        switch (mode, topic.id) {
        case (_, KnowledgeBase.noneTopic):
            let suggestions = nearestTopics(routing)
            related = suggestions
            text = topic.answer
            if !suggestions.isEmpty {
                text += "\nNearest topics: " + suggestions.joined(separator: ", ") + "."
            }
        case (.figures, _):
            text = figures(of: topic)
        case (.more, _):
            text = topic.more ?? topic.answer
            if let role, let advice = topic.advice[role] { text += "\nAs a \(role.displayName): \(advice)" }
        case (.answer, _):
            text = framedAnswer(topic, role: role)
        }
        let note = jargonNote(routing: routing, answeredTopic: topic.id, role: role)
        return Answer(
            topic: topic.id, title: topic.title, answer: text, role: role, confidence: routing.confidence,
            sources: citations(topic.sources), related: related, note: note,
            facts: topic.facts.isEmpty
                ? nil
                : topic.facts.map {
                    Answer.FactCitation(text: $0.text, seed: knowledgeBase.source($0.source)?.seed ?? $0.source)
                },
            why: why)
    }

    /// The short answer, framed for a role when one is given.
    func framedAnswer(_ topic: Topic, role: Role?) -> String {
        if let glossary = topic.glossary, let role, let own = glossary.meanings[role],
            let other = glossary.meanings[role.counterpart]
        {
            return "To a \(role.displayName), \"\(glossary.term)\" means: \(own)\n"
                + "To a \(role.counterpart.displayName), it means something else: \(other)"
        }
        var text = topic.answer
        if let role, let advice = topic.advice[role] {
            text += "\nAs a \(role.displayName): \(advice)"
        }
        return text
    }

    /// The topic's facts and figures, each with its article.
    func figures(of topic: Topic) -> String {
        guard !topic.facts.isEmpty else {
            return "The articles give no figures on this topic (\(topic.title)). " + topic.answer
        }
        return topic.facts.map { fact in
            let title = knowledgeBase.source(fact.source)?.title ?? fact.source
            return "- \(fact.text) (\(title))"
        }.joined(separator: "\n")
    }

    /// Full citations for source ids.
    public func citations(_ ids: [String]) -> [Citation] {
        ids.compactMap { id in
            knowledgeBase.source(id).map { Citation(seed: $0.seed, title: $0.title, author: $0.author, date: $0.date) }
        }
    }

    /// Topics to suggest when a question is out of scope.
    func nearestTopics(_ routing: Routing) -> [String] {
        let scored = routing.candidates.map(\.topic).filter {
            $0 != KnowledgeBase.noneTopic && $0 != KnowledgeBase.smalltalkTopic
        }
        if !scored.isEmpty { return Array(scored.prefix(3)) }
        return ["overview", "shared-language", "tech-budget"].filter { knowledgeBase.topic($0) != nil }
    }

    /// Jargon watch: a glossary word used outside a question about it gets a one-line
    /// note of what it means to the other role (to both, when no role is set).
    func jargonNote(routing: Routing, answeredTopic: String, role: Role?) -> String? {
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

/// "A set of tools." gives "a set of tools": for a meaning used inside a sentence.
func lowercasedFirst(_ text: String) -> String {
    var trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    while let last = trimmed.last, last == "." { trimmed.removeLast() }
    guard let first = trimmed.first, first.isUppercase else { return trimmed }
    let second = trimmed.dropFirst().first
    if let second, second.isUppercase { return trimmed }  // an acronym: keep it
    return first.lowercased() + trimmed.dropFirst()
}
