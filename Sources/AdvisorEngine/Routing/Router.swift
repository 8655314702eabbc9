import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import Foundation

/// A topic that scored for a question.
public struct Candidate: Sendable, Equatable, Codable {
    /// The topic's id.
    public var topic: String
    /// The topic's combined score (patterns, retrieval, example questions, question frames), rounded to two
    /// decimals; higher is better, with no fixed upper bound.
    public var score: Double
}

/// How a question was routed: the winning topic, why, and who came close.
public struct Routing: Sendable {
    /// The words of the question after normalisation.
    public var words: [NormalizedWord]
    /// The best topic, or `none` when nothing scored high enough.
    public var topic: String
    /// From 0 (a guess) to 1 (certain).
    public var confidence: Double
    /// Topics that scored, best first (at most five).
    public var candidates: [Candidate]
    /// The words of the question that matched the winner's patterns.
    public var matchedWords: [String]
    /// The winner's patterns that matched, as written in the knowledge base.
    public var matchedRules: [String]
    /// Typos corrected on the way, as (typed, corrected).
    public var corrections: [(typed: String, corrected: String)]
    /// Glossary topics whose word the question used ("platform" gives `term-platform`).
    public var glossaryMentions: [String]
    /// A close runner-up that explains words of the question the winner does not.
    public var alsoRelevant: AlsoCandidate? = nil
    /// Which evidence decided, strongest first: "pattern 2.61, retrieval 0.84, frame 'who owns' 1.00".
    ///
    /// Written out from `evidenceParts` when it is read (routing a question does not format it).
    public var evidence: String {
        var parts = evidenceParts.filter { $0.value > 0 }
        parts.sort { $0.value > $1.value }
        var text = parts.map { "\($0.name) \(FixedPoint.format($0.value, digits: 2))" }.joined(separator: ", ")
        if restsOnCorrections { text += "; discounted: rests on corrected words only" }
        return text
    }
    /// What each kind of evidence gave the winner ("pattern", "retrieval", "examples", the frames' names), unsorted.
    public var evidenceParts: [(name: String, value: Double)] = []
    /// Whether every word the winner matched was a correction, and a guess (its confidence is then discounted).
    public var restsOnCorrections = false
    /// The example question nearest to this one among the winner's (see ``Router/exampleShare``),
    /// when examples counted for it.
    public var nearestExample: String? = nil

    /// A second topic worth a line in the answer, and the words only it explains.
    public struct AlsoCandidate: Sendable, Equatable {
        /// The runner-up topic's id.
        public var topic: String
        /// The question's words (as corrected, when they were) that the runner-up's specific
        /// patterns matched and the winner's did not, in question order.
        public var explains: [String]
    }

    /// The concept ids (without "@") the question used.
    public var concepts: Set<String> {
        Set(words.filter { $0.term.hasPrefix(Normalizer.conceptPrefix) }.map { String($0.term.dropFirst()) })
    }

    /// Content words that are neither concepts in `ignoring` nor stop words.
    public func contentWords(ignoring concepts: Set<String>) -> [NormalizedWord] {
        words.filter { word in
            guard !word.isStopWord else { return false }
            if word.term.hasPrefix(Normalizer.conceptPrefix) {
                return !concepts.contains(String(word.term.dropFirst()))
            }
            return true
        }
    }
}

/// Routes questions to topics through an inverted index of the knowledge base's patterns.
///
/// Every pattern becomes a rule: the set of its terms. A rule is filed under its two
/// rarest terms only, so the rules looked at for a question are those sharing a rare
/// term with it, and the cost of a question does not grow with the number of rules.
public final class Router {
    /// What one topic gathered for a question.
    package struct TopicScore {
        package var best = 0.0
        package var total = 0.0
        /// Where the topic's last matched rule lies in the question's ``RuleTrail`` (-1: none).
        var lastRule: Int32 = -1
        /// The question's terms the topic's rules hold.
        package var terms = TermSlots()
        /// Terms matched by full-weight rules: evidence of what the question is about.
        package var specificTerms = TermSlots()
        /// What matched frames added, and their names.
        package var frameScore = 0.0
        package var frames: [String] = []

        /// Adds a matched rule's `score` and the question's terms it holds (`present`).
        mutating func add(_ score: Double, rule: Int32, present: TermSlots, specific: Bool, trail: inout RuleTrail) {
            total += score
            best = max(best, score)
            lastRule = trail.append(rule, after: lastRule)
            terms.formUnion(present)
            if specific { specificTerms.formUnion(present) }
        }
    }

    /// How much the retrieval score counts beside the patterns' score.
    package static let textShare = 0.3

    /// What confidence is multiplied by when the winner's evidence rests only on corrections
    /// that are guesses (one chosen among rivals, or two or more needed together).
    package static let guessDiscount = 0.5
    /// The same, when not one word of the question, not even a "the" or a "how", is known
    /// as typed: such a guess stays under the answer threshold unless it is certain.
    package static let blindGuessDiscount = 0.3

    /// The lowest confidence still answered; below it the topic is `none`.
    public static let answerThreshold = 0.3
    /// The weight of a stop word in a pattern made only of stop words.
    package static let stopWordWeight = 0.3

    /// Turns questions and patterns into terms, with the knowledge base's concepts, its
    /// dictionary and the vocabulary typos are corrected against.
    public let normalizer: Normalizer
    /// The terms, rules, both inverted indexes and the topic ids, flat.
    package var index: RouterIndex {
        didSet {
            termIDCache.removeAll()
            topicIDCache.removeAll()
        }
    }
    /// Terms and topic ids already looked up in the index, remembered: a word seen before
    /// costs no probe of the mapped tables (bounded).
    private var termIDCache: [String: TermLookup] = [:]
    private var topicIDCache: [Int32: String] = [:]
    /// How many entries each of those caches keeps before it starts again.
    private static let lookupCacheLimit = 20_000
    /// Glossary words and aliases as term sequences, filed under their first term.
    package var glossaryByFirstTerm: [String: [(terms: [String], topic: Int32)]] = [:] {
        didSet { termIDCache.removeAll() }
    }
    /// For each glossary topic, the term ids of its word and aliases.
    package var glossaryTerms: [Int32: Set<Int32>] = [:]
    package var framingTermIDs: Set<Int32> = []

    /// Question frames as term sequences (stop words included), filed under their first term.
    package var framePhrases: [Int32: [FramePhrase]] = [:]

    /// One phrase of a frame ("who should own") and the topics the frame leans to.
    package struct FramePhrase: Equatable {
        package var name: String
        package var terms: [Int32]
        package var topics: [Int32]
        /// Whether the frame leans to its first topic when no other word points at its topics.
        package var leansAlone = true
    }

    /// What a frame adds to each of its topics that the question's other words point at.
    package static let frameBonus = 1.0
    /// What a frame adds to its first topic when the other words point at none of its topics.
    package static let frameBase = 1.6
    /// What a frame adds to a glossary topic whose word the question holds, when none of the
    /// frame's other topics has evidence.
    ///
    /// "what does agile mean to them?" asks about the word however much else the question says
    /// ("IT won't give me a delivery date because we're agile"). Twice ``frameBonus``: on the dev
    /// rows of round 18 it turned 8 questions right and none wrong.
    package static let glossaryFrameBonus = 2.0

    /// Concept terms that frame a question rather than say what it is about (the roles,
    /// "figures"): they do not count against how much of a question a topic explains.
    package static let framingTerms: Set<String> = Set(
        KnowledgeBase.framingConcepts.map { Normalizer.conceptPrefix + $0 })

    /// The question's distinct known terms and their slots.
    private var questionTerms = QuestionTerms()
    /// The rules each topic matched, reused from question to question.
    private var ruleTrail = RuleTrail()
    /// The per-topic scores of a question, emptied and reused from question to question.
    private var scoreScratch: [Int32: TopicScore] = [:]
    /// A rule a question may match, gathered before it is scored: where its record starts,
    /// its number (the record's first word, loaded while gathering), and the slot of the
    /// question's term it was filed under.
    private typealias GatheredRule = (record: UInt32, number: Int32, slot: Int32)
    /// The rules a question may match, reused from question to question.
    private var gatheredScratch: [GatheredRule] = []
    private var textScoreScratch: [Int32: Double] = [:]
    /// The example questions' sums per topic, reused from question to question.
    private var exampleScoreScratch: [Int32: Double] = [:]
    /// The example questions' sums per example, reused from question to question.
    private var exampleTally = TextTally()
    /// The examples nearest to a question, reused from question to question.
    private var nearestScratch: [(example: Int32, score: Double)] = []
    /// Example numbers by their question, case and spaces folded (made when first asked for).
    private var exampleNumbersByQuestion: [String: [Int32]]?
    /// The retrieval's sums per topic, reused from question to question.
    private var textTally = TextTally()
    private var mark: UInt32 = 0

    private func nextMark() -> UInt32 {
        if mark == UInt32.max {
            mark = 0
            textTally = TextTally()
            exampleTally = TextTally()
        }
        mark += 1
        return mark
    }

    /// The numbers of the topics with a glossary entry (whose word or an alias has a term), in
    /// order, found without reading the topics.
    public var glossaryTopicNumbers: [Int] {
        var numbers = Set(glossaryTerms.keys.map(Int.init))
        for phrases in glossaryByFirstTerm.values { for phrase in phrases { numbers.insert(Int(phrase.topic)) } }
        return numbers.sorted()
    }

    /// The number of compiled rules.
    public var ruleCount: Int { index.ruleCount }
    /// The number of distinct terms in the rules and the topics' texts.
    public var termCount: Int { index.terms.count }

    /// Compiles the patterns of `knowledgeBase`; patterns that cannot compile are reported.
    public convenience init(knowledgeBase: KnowledgeBase) {
        self.init(knowledgeBase: knowledgeBase, dictionary: Self.dictionary(for: knowledgeBase))
    }

    /// Compiles the patterns of `knowledgeBase`, with its dictionary of real words already read.
    package init(knowledgeBase: KnowledgeBase, dictionary: WordList?) {
        normalizer = Normalizer(concepts: knowledgeBase.concepts.map { ($0.id, $0.synonyms) })
        normalizer.dictionary = dictionary
        diagnostics = []
        var draft = RouterIndex.Draft()
        index = Self.emptyIndex
        compile(knowledgeBase, into: &draft)
        if let compiled = RouterIndex(draft, topicIDs: knowledgeBase.topics.map(\.id)) {
            index = compiled
        } else {
            diagnostics.append(
                Diagnostic(
                    SourceLocation(file: knowledgeBase.directory), "the knowledge base is too large to index (4 GiB)"))
        }
    }

    /// An index of nothing: what a router starts from.
    private static var emptyIndex: RouterIndex {
        guard let index = RouterIndex(RouterIndex.Draft(), topicIDs: []) else {
            preconditionFailure("an empty index always fits")
        }
        return index
    }

    /// Problems found while compiling patterns.
    public internal(set) var diagnostics: [Diagnostic]

    /// The knowledge base's dictionary of real words, when it has one.
    package static func dictionary(for base: KnowledgeBase) -> WordList? {
        let path = (base.directory as NSString).appendingPathComponent(KnowledgeBaseLoader.dictionaryFile)
        return FileManager.default.fileExists(atPath: path) ? WordList(path: path) : nil
    }

    /// A router restored from the compiled cache; the caller fills in its state.
    package init(restoring normalizer: Normalizer, index: RouterIndex) {
        self.normalizer = normalizer
        self.index = index
        diagnostics = []
    }

    /// The id of topic number `topic`.
    @inline(__always)
    private func topicID(_ topic: Int32) -> String {
        if let known = topicIDCache[topic] { return known }
        let id = index.topics[Int(topic)]
        if topicIDCache.count >= Self.lookupCacheLimit { topicIDCache.removeAll(keepingCapacity: true) }
        topicIDCache[topic] = id
        return id
    }

    /// What the router needs to know of a question's term, found with one lookup.
    private struct TermLookup {
        /// The term's id in the index; -1 when the knowledge base does not use it.
        var id: Int32
        /// Whether the term frames a question (a role, "figures") rather than says what it is about.
        var isFraming: Bool
        /// Whether a glossary word or alias starts with the term.
        var startsGlossary: Bool
    }

    /// The facts of `term` (remembered): its id in the index, if the knowledge base uses it,
    /// and whether it frames or starts a glossary word.
    private func lookUp(_ term: String) -> TermLookup {
        if let known = termIDCache[term] { return known }
        let lookup = TermLookup(
            id: index.termID(term) ?? -1, isFraming: Self.framingTerms.contains(term),
            startsGlossary: glossaryByFirstTerm[term] != nil)
        if termIDCache.count >= Self.lookupCacheLimit { termIDCache.removeAll(keepingCapacity: true) }
        termIDCache[term] = lookup
        return lookup
    }

    private func compile(_ base: KnowledgeBase, into draft: inout RouterIndex.Draft) {
        // Typos are corrected against every word the knowledge base writes (samples
        // aside: they hold typos on purpose), so that a real word such as "change" is
        // known and not "corrected" to a pattern's "charge".
        for topic in base.topics {
            for pattern in topic.patterns { normalizer.learnVocabulary(from: pattern.value) }
            var prose = [topic.title, topic.answer, topic.more ?? ""] + topic.advice.values
            prose += topic.nextSteps.values.flatMap { $0.map(\.text) }
            if let glossary = topic.glossary {
                prose += [glossary.term] + glossary.aliases + glossary.meanings.values
            }
            for text in prose { normalizer.learnVocabulary(from: text) }
        }
        var topicsPerTerm: [Int32: Set<Int32>] = [:]
        var seen: [[Int32]: String] = [:]
        let conceptIDs = Set(base.concepts.map(\.id))
        for (topicIndex, topic) in base.topics.enumerated() {
            for pattern in topic.patterns {
                let words = normalizer.normalize(pattern.value, correctTypos: false)
                // A concept's name written in a pattern ("blocker", "left-out") is read through the
                // concept's synonyms: a name that is not one of them, and is not inside a longer
                // phrase ("launch date"), is read as plain words and matches only those.
                // Part of it read plainly is enough ("mend-relationship" read as "mend" and the
                // relationship concept).
                let names = pattern.value.split(separator: " ").map(String.init).filter(conceptIDs.contains)
                let plainWords =
                    names.isEmpty
                    ? [] : Set(words.filter { !$0.term.hasPrefix(Normalizer.conceptPrefix) }.map(\.surface))
                for name in names where !words.contains(where: { $0.term == Normalizer.conceptPrefix + name }) {
                    let nameWords = name.split(separator: "-").map(String.init)
                    if nameWords.contains(where: plainWords.contains) {
                        diagnostics.append(
                            Diagnostic(
                                pattern.location,
                                "pattern '\(pattern.value)': '\(name)' names a concept but is not one of its synonyms, so it matches only the words themselves (add it to the concept in concepts.yaml)"
                            ))
                    }
                }
                let content = words.filter { !$0.isStopWord }
                let chosen = content.isEmpty ? words : content
                guard !chosen.isEmpty else {
                    diagnostics.append(Diagnostic(pattern.location, "pattern '\(pattern.value)' has no words to match"))
                    continue
                }
                // "see you" is read as "see" alone ("you" is a stop word): the pattern would match
                // any question with the one word left ("do CMOs see no need for alignment?").
                if content.count == 1, words.count > 1, !content[0].term.hasPrefix(Normalizer.conceptPrefix) {
                    diagnostics.append(
                        Diagnostic(
                            pattern.location,
                            "pattern '\(pattern.value)' is read as '\(content[0].surface)' alone: its other words are stop words (write the one word, or make the phrase a concept in concepts.yaml)"
                        ))
                }
                var terms: [Int32] = []
                for word in chosen {
                    let id = draft.termID(word.term, isStop: word.isStopWord)
                    if !terms.contains(id) { terms.append(id) }
                }
                // Under three terms every word is required anyway: `all` would say nothing.
                if pattern.requiresAll, terms.count < 3 {
                    diagnostics.append(
                        Diagnostic(
                            pattern.location,
                            "pattern '\(pattern.value)': 'all' changes nothing on a pattern of under three words once normalised"
                        ))
                }
                let key = [Int32(topicIndex)] + terms.sorted()
                if let earlier = seen[key] {
                    diagnostics.append(
                        Diagnostic(
                            pattern.location,
                            "pattern '\(pattern.value)' matches the same words as '\(earlier)' once normalised"))
                    continue
                }
                seen[key] = pattern.value
                for term in terms { topicsPerTerm[term, default: []].insert(Int32(topicIndex)) }
                draft.rules.append(
                    RouterIndex.DraftRule(
                        topic: Int32(topicIndex), terms: terms, text: pattern.value, weight: pattern.weight,
                        stopOnly: content.isEmpty, requiresAll: pattern.requiresAll))
            }
            if let glossary = topic.glossary {
                for phrase in [glossary.term] + glossary.aliases {
                    let terms = normalizer.normalize(phrase, correctTypos: false).filter { !$0.isStopWord }.map(\.term)
                    if let first = terms.first {
                        glossaryByFirstTerm[first, default: []].append((terms, Int32(topicIndex)))
                    }
                    for term in terms {
                        if let id = draft.termIDs[term] { glossaryTerms[Int32(topicIndex), default: []].insert(id) }
                    }
                }
            }
        }
        // How informative a term is: measured on each topic's whole text (title, answer,
        // patterns, samples), so words used everywhere, such as the role names, weigh little.
        for (topicIndex, topic) in base.topics.enumerated() {
            for text in [topic.title, topic.answer] + topic.samples.map(\.value) {
                for word in normalizer.normalize(text, correctTypos: false) {
                    if let id = draft.termIDs[word.term] { topicsPerTerm[id, default: []].insert(Int32(topicIndex)) }
                }
            }
        }
        framingTermIDs = Set(Self.framingTerms.compactMap { draft.termIDs[$0] })
        let topicCount = Double(max(base.topics.count, 1))
        for (term, topics) in topicsPerTerm {
            draft.termWeights[Int(term)] =
                draft.stopTerms.contains(term) ? Self.stopWordWeight : log(1 + topicCount / Double(topics.count))
        }
        compileFrames(base, into: &draft)
        buildTextIndex(base, into: &draft)
        buildExampleIndex(base, into: &draft)
        // Each rule is filed under its rarest term, which every full match contains; a
        // rule of three or more terms also under its second rarest, so that it is still
        // found with its rarest word missing, unless that term is so common that filing
        // under it would make every question containing it scan a long list.
        var ruleFrequency = [Int](repeating: 0, count: draft.termWeights.count)
        for rule in draft.rules { for term in rule.terms { ruleFrequency[Int(term)] += 1 } }
        let cap = Self.secondaryPostingCap(ruleCount: draft.rules.count)
        for (index, rule) in draft.rules.enumerated() {
            let byRarity = rule.terms.sorted { (ruleFrequency[Int($0)], $0) < (ruleFrequency[Int($1)], $1) }
            draft.postings[Int(byRarity[0])].append(Int32(index))
            draft.rules[index].filedUnder = [byRarity[0]]
            if byRarity.count >= 3, ruleFrequency[Int(byRarity[1])] <= cap {
                draft.postings[Int(byRarity[1])].append(Int32(index))
                draft.rules[index].filedUnder.append(byRarity[1])
            }
        }
    }

    // MARK: Frames

    private func compileFrames(_ base: KnowledgeBase, into draft: inout RouterIndex.Draft) {
        let index = Dictionary(base.topics.enumerated().map { ($1.id, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        for frame in base.frames {
            let topics = frame.topics.compactMap { index[$0.value] }
            guard !topics.isEmpty else { continue }
            for phrase in frame.when {
                let words = normalizer.normalize(phrase, correctTypos: false)
                // A phrase that normalises to one term ("whose job" is the concept `own`)
                // would fire on that word alone: frames are ways of putting a question.
                guard words.count >= 2 else {
                    diagnostics.append(
                        Diagnostic(
                            frame.location, "frame '\(frame.name)': '\(phrase)' is a single term once normalised"))
                    continue
                }
                let terms = words.map { draft.termID($0.term, isStop: $0.isStopWord) }
                framePhrases[terms[0], default: []].append(
                    FramePhrase(name: frame.name, terms: terms, topics: topics, leansAlone: frame.leansAlone))
            }
        }
    }

    /// The frames whose phrase the question holds, in order, each once.
    private func matchedFrames(_ sequence: [Int32]) -> [FramePhrase] {
        var found: [FramePhrase] = []
        for (start, term) in sequence.enumerated() where term >= 0 {
            for phrase in framePhrases[term] ?? [] where !found.contains(where: { $0.name == phrase.name }) {
                let end = start + phrase.terms.count
                guard end <= sequence.count, Array(sequence[start..<end]) == phrase.terms else { continue }
                found.append(phrase)
            }
        }
        return found
    }

    // MARK: Retrieval over each topic's whole text

    /// The fields of a topic's text that retrieval reads, and how much each counts (BM25F field weights).
    ///
    /// The patterns and title say most precisely what a topic is about, its prose least. The
    /// next steps and advice are left out: they are the advisor's own everyday wording
    /// ("book a meeting this week"), which matched out-of-scope questions on the dev corpus.
    package static let fieldWeights: [(field: TextField, weight: Double)] = [
        (.title, 3), (.patterns, 2.5), (.samples, 2), (.glossary, 2), (.answer, 1.5), (.more, 0.5),
    ]
    package enum TextField { case title, patterns, samples, glossary, answer, steps, more }
    /// BM25's weight of a term in a document: `frequency` is its count there, already divided by
    /// the document's length norm; `documentFrequency` of the `documents` hold it.
    package static func bm25Impact(frequency: Double, documentFrequency: Double, documents: Double) -> Double {
        let idf = log(1 + (documents - documentFrequency + 0.5) / (documentFrequency + 0.5))
        return idf * frequency * (bm25K1 + 1) / (bm25K1 + frequency)
    }
    /// BM25's term-frequency saturation and length normalisation.
    package static let bm25K1 = 1.2
    package static let bm25B = 0.75
    /// The most topics a term's retrieval posting keeps (its strongest), which bounds the
    /// cost of a question whatever the size of the knowledge base.
    package static let textPostingLimit = 32

    package static func texts(of topic: Topic, _ field: TextField) -> [String] {
        switch field {
        case .title: [topic.title]
        case .patterns: topic.patterns.map(\.value)
        case .samples: topic.samples.map(\.value)
        case .glossary:
            topic.glossary.map { [$0.term] + $0.aliases + $0.meanings.values + [$0.note ?? ""] } ?? []
        case .answer: [SourceMarkers.stripped(topic.answer)]
        case .steps: topic.nextSteps.values.flatMap { $0.map(\.text) } + topic.advice.values
        case .more: [SourceMarkers.stripped(topic.more ?? "")]
        }
    }

    /// Builds `textPostings`, the BM25F retrieval index over each topic's whole text.
    ///
    /// The fields are those of `fieldWeights` (title, patterns, samples, glossary, answer and
    /// more; not the next steps), on the same normalised terms as the patterns; `none` and
    /// `smalltalk` are left out. Terms only the prose holds get ids (and weights) of their
    /// own, so that the question's words the knowledge base knows are told from words it has
    /// never seen.
    private func buildTextIndex(_ base: KnowledgeBase, into draft: inout RouterIndex.Draft) {
        let skip: Set<String> = Set(Self.framingTerms)
        var counts: [[Int32: Double]] = []  // per topic: term -> weighted, length-normalised frequency
        var fieldLengths: [[Double]] = []
        for topic in base.topics {
            var lengths: [Double] = []
            for (field, _) in Self.fieldWeights {
                let words = Self.texts(of: topic, field).flatMap { normalizer.normalize($0, correctTypos: false) }
                lengths.append(Double(words.filter { !$0.isStopWord }.count))
            }
            fieldLengths.append(lengths)
        }
        let topicCount = max(base.topics.count, 1)
        var averages = [Double](repeating: 0, count: Self.fieldWeights.count)
        for lengths in fieldLengths { for (index, length) in lengths.enumerated() { averages[index] += length } }
        averages = averages.map { max(1, $0 / Double(topicCount)) }
        var documentFrequency: [Int32: Int] = [:]
        // The fallback and small talk are reached by their patterns only: their prose names
        // the topics the advisor covers, which must not pull questions to them.
        for (topicIndex, topic) in base.topics.enumerated() {
            var frequencies: [Int32: Double] = [:]
            guard TopicKind.isAdvice(topic.id) else {
                counts.append(frequencies)
                continue
            }
            for (fieldIndex, (field, weight)) in Self.fieldWeights.enumerated() {
                let norm = 1 - Self.bm25B + Self.bm25B * fieldLengths[topicIndex][fieldIndex] / averages[fieldIndex]
                for text in Self.texts(of: topic, field) {
                    for word in normalizer.normalize(text, correctTypos: false)
                    where !word.isStopWord && !skip.contains(word.term) {
                        let id = draft.termID(word.term, isStop: false)
                        frequencies[id, default: 0] += weight / norm
                    }
                }
            }
            for id in frequencies.keys { documentFrequency[id, default: 0] += 1 }
            counts.append(frequencies)
        }
        // Terms only the prose holds weigh by how many topics use them, like the others.
        for (id, frequency) in documentFrequency where draft.termWeights[Int(id)] == 0 {
            draft.termWeights[Int(id)] = log(1 + Double(topicCount) / Double(frequency))
        }
        var textPostings = [[(topic: Int32, impact: Double)]](repeating: [], count: draft.termWeights.count)
        for (topicIndex, frequencies) in counts.enumerated() {
            for (id, frequency) in frequencies {
                let impact = Self.bm25Impact(
                    frequency: frequency, documentFrequency: Double(documentFrequency[id] ?? 1),
                    documents: Double(topicCount))
                textPostings[Int(id)].append((topic: Int32(topicIndex), impact: impact))
            }
        }
        for index in textPostings.indices where !textPostings[index].isEmpty {
            textPostings[index].sort { ($0.impact, $1.topic) > ($1.impact, $0.topic) }
            if textPostings[index].count > Self.textPostingLimit {
                textPostings[index].removeLast(textPostings[index].count - Self.textPostingLimit)
            }
        }
        draft.textPostings = textPostings
        if draft.postings.count < draft.termWeights.count {
            draft.postings.append(
                contentsOf: [[Int32]](repeating: [], count: draft.termWeights.count - draft.postings.count))
        }
    }

    // MARK: Example questions

    /// How much the example questions count beside the patterns and the topics' text.
    ///
    /// Chosen on the dev rows with each question's own example left out (round 19): at 0.2
    /// the nearest examples settle near ties and find topics no pattern names, without
    /// overruling a pattern that matched.
    package static let exampleShare = 0.2
    /// How many of the question's words an example must hold to vote: one word in common
    /// ("between", "budget") is no likeness.
    package static let exampleMinimumTerms = 2
    /// How many of the nearest examples vote; each gives its topic its score over this many.
    package static let nearestExampleCount = 5
    /// The most examples a term's posting keeps (its strongest), which bounds the cost of a
    /// question whatever the number of examples.
    package static let examplePostingLimit = 100

    /// Builds the examples' index: each example question (examples.tsv) normalised as a
    /// pattern is (its typos left as typed: correcting 4,500 questions would double the cost of a
    /// cold start, for no gain measured on the dev rows), and scored as a BM25 document of its own.
    ///
    /// A word that only examples use gets a term (so that it can match), weighing what an
    /// unknown word weighs: examples do not make a question's other words look known. The
    /// spelling corrector does not learn such words: in a question, one that is one letter from a
    /// knowledge base word and not in the dictionary is corrected before it can match ("soil" is
    /// read as "oil" where no dictionary lists it).
    private func buildExampleIndex(_ base: KnowledgeBase, into draft: inout RouterIndex.Draft) {
        let topicNumbers = Dictionary(
            base.topics.enumerated().map { ($1.id, Int32($0)) }, uniquingKeysWith: { first, _ in first })
        var frequencies: [[Int32: Int]] = []
        for example in base.examples {
            guard let topic = topicNumbers[example.topic] else { continue }
            var counts: [Int32: Int] = [:]
            for word in normalizer.normalize(Self.bounded(example.question), correctTypos: false)
            where !word.isStopWord && !Self.framingTerms.contains(word.term) {
                let known = draft.termIDs[word.term] != nil
                let id = draft.termID(word.term, isStop: false)
                if !known { draft.termWeights[Int(id)] = 1 }
                counts[id, default: 0] += 1
            }
            draft.exampleTopics.append(topic)
            draft.exampleTexts.append(example.question)
            draft.exampleTerms.append(counts.keys.sorted())
            frequencies.append(counts)
        }
        let count = Double(max(frequencies.count, 1))
        let totalLength = frequencies.reduce(0) { $0 + $1.values.reduce(0, +) }
        let average = max(1, Double(totalLength) / count)
        var documentFrequency: [Int32: Int] = [:]
        for counts in frequencies { for id in counts.keys { documentFrequency[id, default: 0] += 1 } }
        var postings = [[(example: Int32, impact: Double)]](repeating: [], count: draft.terms.count)
        for (number, counts) in frequencies.enumerated() {
            let norm = 1 - Self.bm25B + Self.bm25B * Double(counts.values.reduce(0, +)) / average
            for (id, frequency) in counts {
                let impact = Self.bm25Impact(
                    frequency: Double(frequency) / norm, documentFrequency: Double(documentFrequency[id] ?? 1),
                    documents: count)
                postings[Int(id)].append((example: Int32(number), impact: impact))
            }
        }
        for index in postings.indices where postings[index].count > 1 {
            postings[index].sort { ($0.impact, $1.example) > ($1.impact, $0.example) }
            if postings[index].count > Self.examplePostingLimit {
                postings[index].removeLast(postings[index].count - Self.examplePostingLimit)
            }
        }
        draft.examplePostings = postings
        if draft.textPostings.count < draft.terms.count {
            draft.textPostings += [[(topic: Int32, impact: Double)]](
                repeating: [], count: draft.terms.count - draft.textPostings.count)
        }
    }

    /// The numbers of the examples whose question is `question` (case, spacing and punctuation folded): what
    /// `kb eval` leaves out, so that a labelled set measures questions the router has not seen.
    public func exampleNumbers(matching question: String) -> Set<Int32> {
        // Tokens, so that case, spacing and punctuation do not tell two copies apart ("who ran
        // the survey, and how many" is the same question as "who ran the survey and how many").
        func key(_ text: String) -> String { Tokenizer.tokenize(text).map(\.text).joined(separator: " ") }
        if exampleNumbersByQuestion == nil {
            var numbers: [String: [Int32]] = [:]
            for number in 0..<index.exampleCount {
                numbers[key(index.exampleTexts[number]), default: []].append(Int32(number))
            }
            exampleNumbersByQuestion = numbers
        }
        return Set(exampleNumbersByQuestion?[key(question)] ?? [])
    }

    /// The number of example questions.
    public var exampleCount: Int { index.exampleCount }

    // MARK: Routing

    /// Routes one question.
    public func route(_ question: String) -> Routing {
        route(normalized: normalize(question))
    }

    /// Routes one question as if the examples `leftOut` were not in the knowledge base.
    public func route(_ question: String, leavingOut leftOut: Set<Int32>) -> Routing {
        route(normalized: normalize(question), leavingOut: leftOut)
    }

    /// A question's words as routing reads them: its first ``maximumQuestionLength``
    /// characters, normalised, typos corrected.
    public func normalize(_ question: String) -> [NormalizedWord] {
        normalizer.normalize(Self.bounded(question), correctTypos: true)
    }

    /// Routes words already normalised by this router (a question's ``Routing/words``, some of
    /// them left out: "I'm responsible for" in "I'm responsible for IT and the CMO wants half my
    /// budget" says who asks, not what the question is about).
    public func route(normalized words: [NormalizedWord], leavingOut leftOut: Set<Int32> = []) -> Routing {
        // One copy for the question: reading the tables through the property would copy the
        // index (and retain its storage) at every read.
        let index = self.index
        let mark = nextMark()
        questionTerms.reset(for: words.count)
        var allTerms: [Int32] = []
        var sequence: [Int32] = []
        var contentTerms: [Int32] = []
        var questionWeight = 0.0
        var glossaryStarts = false
        for word in words {
            let lookup = lookUp(word.term)
            let id: Int32? = lookup.id >= 0 ? lookup.id : nil
            if let id, questionTerms.insert(id, slot: Int32(allTerms.count)) { allTerms.append(id) }
            sequence.append(lookup.id)
            if !word.isStopWord, lookup.startsGlossary { glossaryStarts = true }
            if !word.isStopWord, !lookup.isFraming {
                if let id {
                    contentTerms.append(id)
                    questionWeight += index.termWeights[Int(id)]
                } else {
                    contentTerms.append(-1)
                    questionWeight += 1
                }
            }
        }

        var questionSignature: UInt64 = 0
        for term in allTerms { questionSignature |= RouterIndex.signatureBit(term) }
        var scores: [Int32: TopicScore] = [:]
        swap(&scores, &scoreScratch)
        defer {
            scores.removeAll(keepingCapacity: true)
            swap(&scores, &scoreScratch)
        }
        var trail = RuleTrail()
        swap(&trail, &ruleTrail)
        defer { swap(&trail, &ruleTrail) }
        trail.start()
        // The rules that may match, gathered first, each with its record's first word: the
        // records lie scattered over the index (at 100,000 rules most are cold), and loads
        // made in one tight loop are overlapped by the processor, where loads made one at a
        // time between scorings each waited for memory.
        var gathered: [GatheredRule] = []
        swap(&gathered, &gatheredScratch)
        defer {
            gathered.removeAll(keepingCapacity: true)
            swap(&gathered, &gatheredScratch)
        }
        for (slot, term) in allTerms.enumerated() {
            for position in index.postingRange(term)
            where RouterIndex.mayMatch(index.postingSignatures[position], question: questionSignature) {
                let record = index.postingRecords[position]
                gathered.append((record, Int32(bitPattern: index.ruleRecords[Int(record)]), Int32(slot)))
            }
        }
        for (record, number, gatheredSlot) in gathered {
            let slot = Int(gatheredSlot)
            let term = allTerms[slot]
            let rule = index.rule(at: record)
            // A rule filed under two of the question's terms is scored at the first of them.
            let other = rule.filedFirst == term ? rule.filedAlso : rule.filedFirst
            if other >= 0, questionSignature & RouterIndex.signatureBit(other) != 0,
                case let otherSlot = questionTerms.slot(of: other), otherSlot >= 0, Int(otherSlot) < slot
            {
                continue
            }
            let ruleTerms = rule.terms
            guard
                let score = score(
                    rule, in: index, mark: mark, contentTerms: contentTerms, sequence: sequence)
            else {
                continue
            }
            let topic = rule.topic
            var present = TermSlots()
            for position in 0..<ruleTerms.count {
                let termSlot = questionTerms.slot(of: ruleTerms[position])
                if termSlot >= 0 { present.insert(Int(termSlot)) }
            }
            // In place: a copy taken out of the dictionary and put back would copy the
            // topic's term sets at every rule.
            scores[topic, default: TopicScore()].add(
                score, rule: number, present: present, specific: rule.weight >= 1,
                trail: &trail)
        }

        // A glossary word used in a question about something else ("our platform budget
        // keeps growing") does not make the question about the word: the term's topic
        // then yields to the topic of the other words, and the answer notes the word. A
        // frame naming the glossary topic, with its word in the question ("what is agile
        // marketing and what are its goals", "they keep saying 'platforms', what do they mean?"),
        // says the question is about the word itself: that topic does not yield.
        let frames = matchedFrames(sequence)
        // Most questions hold no glossary word: then no phrase is compared.
        let mentions = glossaryStarts ? glossaryMentions(in: words) : []
        let mentioned = Set(mentions)
        let framedTopics = Set(frames.flatMap(\.topics)).intersection(mentioned)
        let framingSlots = slots(of: framingTermIDs, mark: mark)
        // Over the glossary topics, not the scores: a question can reach a hundred topics (and
        // a change to `scores` while iterating it would copy the dictionary).
        for (topic, glossary) in glossaryTerms where !framedTopics.contains(topic) {
            guard let entry = scores[topic] else { continue }
            var own = slots(of: glossary, mark: mark)
            own.formUnion(entry.terms)
            let elsewhere = scores.contains { other, otherEntry in
                other != topic && !otherEntry.specificTerms.subtracting(own).subtracting(framingSlots).isEmpty
            }
            if elsewhere {
                scores[topic]?.best = entry.best * Self.glossaryYield
                scores[topic]?.total = entry.total * Self.glossaryYield
            }
        }

        // The second evidence: each topic's whole text, scored as a ranked retrieval, summed
        // in a table as large as the question's postings (see `TextTally`).
        // Taken out of the router for the question (and put back), so the loop below works on
        // a local value: no exclusivity check on a class property per posting.
        var tally = TextTally()
        swap(&tally, &textTally)
        defer { swap(&tally, &textTally) }
        var postingCount = scores.count
        for term in contentTerms where term >= 0 { postingCount += index.textRange(term).count }
        tally.start(topics: postingCount, mark: mark)
        for topic in scores.keys { tally.markPatternTopic(topic) }
        for (position, term) in contentTerms.enumerated()
        where term >= 0 && !contentTerms[..<position].contains(term) {
            let slot = Int(questionTerms.slot(of: term))
            for posting in index.textRange(term) {
                let topic = index.textTopics[posting]
                // A word the topic's own patterns matched already counts there: the text adds
                // only what the patterns did not explain.
                tally.add(topic, impact: index.textImpacts[posting]) {
                    scores[topic]?.terms.contains(slot) == true
                }
            }
        }
        // A single word in common with a topic's prose, with no pattern behind it, is no
        // evidence ("best", "translate"): such a topic does not rank.
        var textScores: [Int32: Double] = [:]
        swap(&textScores, &textScoreScratch)
        defer {
            textScores.removeAll(keepingCapacity: true)
            swap(&textScores, &textScoreScratch)
        }
        tally.forEachTouched { topic, score, terms, hasPattern in
            if terms >= 2 || hasPattern { textScores[topic] = score }
        }
        // Frames: "who owns ...", "... IT or marketing?" lean to their topics; the other words
        // choose among them, and alone the frame leans to its first.
        // A frame points at a glossary topic only when the question holds its word, and then
        // at it alone: "what does IT mean when they say platform? i keep getting confused" asks
        // what the word means, not about misunderstandings in general.
        for frame in frames {
            var pointed = frame.topics.filter { topic in
                (scores[topic] != nil || textScores[topic] != nil)
                    && (glossaryTerms[topic] == nil || mentioned.contains(topic))
            }
            let glossaryPointed = pointed.filter { glossaryTerms[$0] != nil }
            // Only the word's topics pointed at: the frame asks about the word. Another of its
            // topics with evidence ("what's the deadline for our omnichannel rollout?" points at the
            // roadmap too) leaves the frame's usual weight.
            let onlyTheWord = !glossaryPointed.isEmpty && glossaryPointed.count == pointed.count
            if !glossaryPointed.isEmpty { pointed = glossaryPointed }
            if pointed.isEmpty, !frame.leansAlone { continue }
            for topic in pointed.isEmpty ? Array(frame.topics.prefix(1)) : pointed {
                scores[topic, default: TopicScore()].frameScore +=
                    pointed.isEmpty ? Self.frameBase : (onlyTheWord ? Self.glossaryFrameBonus : Self.frameBonus)
                scores[topic, default: TopicScore()].frames.append(frame.name)
            }
        }
        for topic in textScores.keys where scores[topic] == nil { scores[topic] = TopicScore() }

        // The third evidence: the example questions nearest to this one, each a BM25 document
        // of its own; the nearest few vote for their topics. After the frames: a frame points
        // at a topic the patterns or the text found (before them, a frame also pointed at topics
        // only the examples found, and 2 real dev rows were lost, none gained).
        var exampleScores: [Int32: Double] = [:]
        swap(&exampleScores, &exampleScoreScratch)
        defer {
            exampleScores.removeAll(keepingCapacity: true)
            swap(&exampleScores, &exampleScoreScratch)
        }
        var nearest: [(example: Int32, score: Double)] = []
        swap(&nearest, &nearestScratch)
        defer {
            nearest.removeAll(keepingCapacity: true)
            swap(&nearest, &nearestScratch)
        }
        if index.exampleCount > 0 {
            var examples = TextTally()
            swap(&examples, &exampleTally)
            defer { swap(&examples, &exampleTally) }
            var visits = 0
            for term in contentTerms where term >= 0 { visits += index.exampleRange(term).count }
            examples.start(topics: visits, mark: mark)
            for (position, term) in contentTerms.enumerated()
            where term >= 0 && !contentTerms[..<position].contains(term) {
                for posting in index.exampleRange(term) {
                    let example = index.exampleNumbers[posting]
                    if !leftOut.isEmpty, leftOut.contains(example) { continue }
                    examples.add(example, impact: index.exampleImpacts[posting]) { false }
                }
            }
            // The best few, best first; a tie goes to the example written first.
            examples.forEachTouched { example, score, terms, _ in
                if terms < Self.exampleMinimumTerms { return }
                if nearest.count == Self.nearestExampleCount, let last = nearest.last,
                    (score, last.example) <= (last.score, example)
                {
                    return
                }
                let place = nearest.firstIndex { (score, $0.example) > ($0.score, example) } ?? nearest.count
                nearest.insert((example, score), at: place)
                if nearest.count > Self.nearestExampleCount { nearest.removeLast() }
            }
            for entry in nearest {
                let topic = index.exampleTopics[Int(entry.example)]
                exampleScores[topic, default: 0] += entry.score / Double(Self.nearestExampleCount)
                if scores[topic] == nil { scores[topic] = TopicScore() }
            }
        }

        // The best five, best first; a tie goes to the topic whose id sorts first. Picked, not
        // sorted: a question with common words can reach a hundred topics.
        let ranks = index.topicRanks
        func ranksBefore(_ topic: Int32, _ score: Double, _ other: (topic: Int32, score: Double, entry: TopicScore))
            -> Bool
        {
            score != other.score ? score > other.score : ranks[Int(topic)] < ranks[Int(other.topic)]
        }
        var ranked: [(topic: Int32, score: Double, entry: TopicScore)] = []
        ranked.reserveCapacity(Self.candidateCount + 1)
        for (topic, entry) in scores {
            let score =
                entry.best + 0.1 * (entry.total - entry.best) + Self.textShare * (textScores[topic] ?? 0)
                + Self.exampleShare * (exampleScores[topic] ?? 0) + entry.frameScore
            if ranked.count == Self.candidateCount, let last = ranked.last, !ranksBefore(topic, score, last) {
                continue
            }
            let place = ranked.firstIndex { ranksBefore(topic, score, $0) } ?? ranked.count
            ranked.insert((topic, score, entry), at: place)
            if ranked.count > Self.candidateCount { ranked.removeLast() }
        }

        var routing = Routing(
            words: words, topic: KnowledgeBase.noneTopic, confidence: 0, candidates: [], matchedWords: [],
            matchedRules: [], corrections: words.compactMap { word in word.correction.map { (word.surface, $0) } },
            glossaryMentions: mentions.map { topicID($0) })
        routing.candidates = ranked.map {
            Candidate(topic: topicID($0.topic), score: (($0.score * 100).rounded() / 100))
        }
        guard let best = ranked.first else { return routing }

        let runnerUp = ranked.count > 1 ? ranked[1].score : 0
        // A glossary word in a question about something else is covered by the jargon note.
        let bestTerms = Set(best.entry.terms.slots.map { allTerms[$0] })
        var explained = bestTerms
        // The winner's text support for the words its patterns matched: left out of the
        // ranking (it would count those words twice) but part of how sure the match is.
        var ownTextSupport = 0.0
        for (position, term) in contentTerms.enumerated()
        where term >= 0 && !contentTerms[..<position].contains(term) {
            guard let posting = index.textRange(term).first(where: { index.textTopics[$0] == best.topic }) else {
                continue
            }
            explained.insert(term)
            if bestTerms.contains(term) { ownTextSupport += index.textImpacts[posting] }
        }
        if glossaryTerms[best.topic] == nil {
            for (topic, terms) in glossaryTerms where scores[topic] != nil { explained.formUnion(terms) }
        }
        // The question's words that the winner's nearest examples hold are explained too.
        for entry in nearest where index.exampleTopics[Int(entry.example)] == best.topic {
            let terms = index.exampleTermList(entry.example)
            for term in contentTerms where term >= 0 && !explained.contains(term) {
                if Self.sortedContains(terms, term) { explained.insert(term) }
            }
        }
        var covered = 0.0
        for term in contentTerms where term >= 0 && explained.contains(term) { covered += index.termWeights[Int(term)] }
        let coverage = questionWeight > 0 ? min(1, covered / questionWeight) : 1
        let strength = 1 - exp(-(best.score + Self.textShare * ownTextSupport) / 2.0)
        let margin = (best.score - runnerUp) / best.score
        // Calibrated on the dev corpus with the patterns switched off (how an unseen phrasing
        // is routed): retrieval alone needs no discount of its own; a weak one is hedged.
        var confidence = strength * (0.7 + 0.3 * margin) * (0.6 + 0.4 * coverage)
        // Evidence that rests only on corrected words is the corrector's reading, not the
        // asker's words. One clean correction stands ("omnichanel?", "lisening skills"); the
        // reading is a guess when a correction was chosen among rivals as close, or when it
        // takes two corrections or more to make the match ("pakaz vakup vuvom" read as a
        // rule's two words): advice is then discounted, the more so when not one word of
        // the question was typed as the knowledge base knows it. A greeting misread costs
        // nothing: "thnaks" is still thanked.
        if !routing.corrections.isEmpty, TopicKind.isAdvice(topicID(best.topic)),
            let discount = guessDiscount(words: words, ids: sequence, explained: explained)
        {
            confidence *= discount
            routing.restsOnCorrections = true
        }

        routing.confidence = (confidence * 100).rounded() / 100
        routing.matchedRules = trail.rules(endingAt: best.entry.lastRule).map { index.ruleTexts[Int($0)] }
        routing.matchedWords = zip(words, sequence).filter { $1 >= 0 && explained.contains($1) }.map {
            $0.0.correction ?? $0.0.surface
        }
        let patternPart = best.entry.best + 0.1 * (best.entry.total - best.entry.best)
        let examplePart = Self.exampleShare * (exampleScores[best.topic] ?? 0)
        let textPart = Self.textShare * (textScores[best.topic] ?? 0)
        routing.evidenceParts = [
            (name: "pattern", value: patternPart), (name: "retrieval", value: textPart),
            (name: "examples", value: examplePart),
        ]
        if examplePart > 0, let first = nearest.first(where: { index.exampleTopics[Int($0.example)] == best.topic }) {
            routing.nearestExample = index.exampleTexts[Int(first.example)]
        }
        if best.entry.frameScore > 0 {
            routing.evidenceParts.append(
                (name: best.entry.frames.map { "frame '\($0)'" }.joined(separator: ", "), value: best.entry.frameScore))
        }
        if routing.confidence >= Self.answerThreshold {
            routing.topic = topicID(best.topic)
            routing.alsoRelevant = alsoRelevant(
                ranked.dropFirst().first, best: best, words: words, ids: sequence, allTerms: allTerms)
        }
        return routing
    }

    /// Whether the ascending `terms` hold `term` (a binary search).
    private static func sortedContains(_ terms: ImageArray<Int32>, _ term: Int32) -> Bool {
        var low = 0
        var high = terms.count
        while low < high {
            let middle = (low + high) / 2
            if terms[middle] < term { low = middle + 1 } else { high = middle }
        }
        return low < terms.count && terms[low] == term
    }

    /// The slots of the terms of `ids` that the question (stamped `mark`) holds.
    private func slots(of ids: Set<Int32>, mark: UInt32) -> TermSlots {
        var slots = TermSlots()
        for id in ids {
            let slot = questionTerms.slot(of: id)
            if slot >= 0 { slots.insert(Int(slot)) }
        }
        return slots
    }

    /// What the confidence is multiplied by when the winner's `explained` terms rest only on
    /// corrections that are guesses (see `guessDiscount`, `blindGuessDiscount`); nil when the
    /// asker's own words, or one clean correction, carry the match.
    ///
    /// `ids` are the words' term ids (-1: not a term), as the question's sequence holds them.
    private func guessDiscount(words: [NormalizedWord], ids: [Int32], explained: Set<Int32>) -> Double? {
        var typed: [Int32] = []
        var corrected: [Int32] = []
        for (word, id) in zip(words, ids) where !word.isStopWord && id >= 0 {
            if word.correction == nil { typed.append(id) } else { corrected.append(id) }
        }
        if typed.contains(where: { explained.contains($0) && !framingTermIDs.contains($0) }) { return nil }
        let needed = Set(corrected.filter { explained.contains($0) && !typed.contains($0) })
        guard words.contains(where: \.correctionIsGuess) || needed.count >= 2 else { return nil }
        let blind = typed.isEmpty && !words.contains(where: \.isStopWord)
        return blind ? Self.blindGuessDiscount : Self.guessDiscount
    }

    /// The runner-up, when it scores at least `alsoShare` of the winner and its specific
    /// patterns matched words of the question that the winner's did not.
    private func alsoRelevant(
        _ second: (topic: Int32, score: Double, entry: TopicScore)?,
        best: (topic: Int32, score: Double, entry: TopicScore),
        words: [NormalizedWord], ids: [Int32], allTerms: [Int32]
    ) -> Routing.AlsoCandidate? {
        guard let second, second.score >= best.score * Self.alsoShare, glossaryTerms[second.topic] == nil else {
            return nil
        }
        let own = Set(second.entry.specificTerms.subtracting(best.entry.terms).slots.map { allTerms[$0] })
            .subtracting(framingTermIDs)
        guard !own.isEmpty else { return nil }
        var explains: [String] = []
        for (word, id) in zip(words, ids) where own.contains(id) {
            let text = word.correction ?? word.surface
            if !explains.contains(text) { explains.append(text) }
        }
        return explains.isEmpty ? nil : Routing.AlsoCandidate(topic: topicID(second.topic), explains: explains)
    }

    /// How many topics a routing lists as candidates.
    package static let candidateCount = 5

    /// How close a runner-up must score to the winner to be mentioned as also relevant.
    package static let alsoShare = 0.5

    /// The most rules a term may hold to be used as a rule's second index entry.
    package static func secondaryPostingCap(ruleCount: Int) -> Int {
        max(256, Int(Double(ruleCount).squareRoot()) * 2)
    }

    /// What a glossary topic's score is multiplied by when the question is about something else.
    package static let glossaryYield = 0.35

    /// The longest question routed, in characters; the rest of a longer one is ignored.
    public static let maximumQuestionLength = 2_000

    package static func bounded(_ question: String) -> String {
        guard question.utf8.count > maximumQuestionLength else { return question }
        return String(question.prefix(maximumQuestionLength))
    }

    /// The score of `rule` for a question, or nil when it does not match.
    @inline(__always)
    private func score(
        _ rule: RuleRecord, in index: RouterIndex, mark: UInt32, contentTerms: [Int32], sequence: [Int32]
    ) -> Double? {
        let terms = rule.terms
        let weight = rule.weight
        if rule.isStopOnly {
            return isContiguous(terms, in: sequence) ? Double(terms.count) * Self.stopWordWeight * weight * 1.5 : nil
        }
        var matched = 0.0
        var missing = 0
        for position in 0..<terms.count {
            let term = terms[position]
            if questionTerms.contains(term) {
                matched += index.termWeights[Int(term)]
            } else {
                missing += 1
            }
        }
        matched *= weight
        if missing == 0 {
            if terms.count > 1, isContiguous(terms, in: contentTerms) { return matched * 1.15 }
            return matched
        }
        // A long pattern still matches with one word missing, at a discount, unless it requires all.
        if missing == 1, terms.count >= 3, !rule.requiresAll { return matched * 0.6 }
        return nil
    }

    private func isContiguous(_ terms: ImageArray<Int32>, in sequence: [Int32]) -> Bool {
        guard terms.count <= sequence.count else { return false }
        search: for start in 0...(sequence.count - terms.count) where sequence[start] == terms[0] {
            for offset in 1..<max(1, terms.count) where sequence[start + offset] != terms[offset] { continue search }
            return true
        }
        return false
    }

    private func glossaryMentions(in words: [NormalizedWord]) -> [Int32] {
        var mentions: [Int32] = []
        let terms = words.filter { !$0.isStopWord }.map(\.term)
        for (start, term) in terms.enumerated() {
            guard let phrases = glossaryByFirstTerm[term] else { continue }
            for (phrase, topic) in phrases where !mentions.contains(topic) && start + phrase.count <= terms.count {
                var matches = true
                for offset in 1..<max(1, phrase.count) where terms[start + offset] != phrase[offset] {
                    matches = false
                    break
                }
                if matches { mentions.append(topic) }
            }
        }
        return mentions
    }

    /// What `topic` would have needed to match the question: its closest patterns
    /// with the words the question lacked, as the pattern writes them (a stem or concept
    /// id only when no word of the pattern gives it).
    public func explainMiss(topic: String, for question: String) -> [(pattern: String, missing: [String])] {
        guard let topicIndex = index.topics.index(of: topic) else { return [] }
        let words = normalizer.normalize(Self.bounded(question), correctTypos: true)
        let present = Set(words.compactMap { index.termID($0.term) })
        var result: [(pattern: String, missing: [String], count: Int)] = []
        for rule in 0..<Int32(index.ruleCount) where index.rule(rule).topic == topicIndex {
            let text = index.ruleTexts[Int(rule)]
            // The pattern's own words as written ("expensive"), not their stems ("expens").
            var written: [String: String] = [:]
            for word in normalizer.normalize(text, correctTypos: false) where written[word.term] == nil {
                written[word.term] = word.surface
            }
            let missing = index.ruleTerms(rule).filter { !present.contains($0) }.map { index.terms[Int($0)] }.map {
                written[$0] ?? $0
            }
            result.append((text, missing, missing.count))
        }
        result.sort { ($0.count, $0.pattern) < ($1.count, $1.pattern) }
        return result.prefix(5).map { ($0.pattern, $0.missing) }
    }
}
