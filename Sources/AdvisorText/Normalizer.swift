import AdvisorSystem

/// One word (or synonym phrase) of normalised text.
public struct NormalizedWord: Sendable, Equatable {
    /// The words as typed, folded ("Platfrom" gives "platfrom").
    public var surface: String
    /// The vocabulary word a typo was corrected to, if any.
    public var correction: String?
    /// Whether that correction was a choice among rival words as close to the typed one,
    /// of other stems ("zokub" is one letter from "bokub" and "zokab"): a guess, not a fix.
    public var correctionIsGuess = false
    /// What routing compares: a stem ("platform") or a concept ("@budget").
    public var term: String
    /// A function word ("the", "what"): ignored unless a pattern is made only of them.
    public var isStopWord: Bool
}

/// A synonym phrase of a concept, as stems.
///
/// A phrase written with a gap ("take ... over") is a separable verb: up to
/// ``ConceptPhrase/maximumGap`` words may stand between its two parts ("take IT over"),
/// and they are read as words of their own.
package struct ConceptPhrase: Sendable {
    package var stems: [String]
    /// For each stem, whether its word was written in capitals ("IT" in "without IT"): then it
    /// matches only a word typed in capitals, so "without it turning into a turf war" is not
    /// "without IT".
    package var capitals: [Bool]
    package var concept: String
    /// How many stems come before the gap; 0 when the phrase has none.
    package var gapAfter: Int

    /// The most words a gap holds ("push my marketing campaign live").
    package static let maximumGap = 3
    /// How a gap is written in a synonym.
    package static let gapMarker = "..."

    /// Every stored property, as the memberwise initialiser takes them.
    package init(stems: [String], capitals: [Bool], concept: String, gapAfter: Int = 0) {
        self.stems = stems
        self.capitals = capitals
        self.concept = concept
        self.gapAfter = gapAfter
    }
}

/// The two parts of a synonym written with a gap, or nil when it has none.
package func gappedParts(of synonym: String) -> (head: String, tail: String)? {
    guard let marker = synonym.range(of: ConceptPhrase.gapMarker) else { return nil }
    return (String(synonym[..<marker.lowerBound]), String(synonym[marker.upperBound...]))
}

/// Turns text into routing terms: tokenise, correct typos, stem, map synonyms to concepts.
///
/// Questions and patterns go through the same steps, so they meet on equal terms.
public final class Normalizer {
    private let stemmer = Stemmer()
    private var stemCache: [String: String] = [:]
    package var phrases: [String: [ConceptPhrase]] = [:] { didSet { forgetReadings() } }
    package var knownStems: Set<String> = [] { didSet { forgetReadings() } }
    /// More known stems, as laid out in a compiled cache (hashed, used in place).
    package var storedStems: ImageStrings? { didSet { forgetReadings() } }
    package var speller = SpellCorrector() { didSet { forgetReadings() } }
    private var corrections: [String: Correction?] = [:]
    /// How each word of a question was read (stop word, correction, stem), remembered: a word
    /// seen before costs one lookup instead of six (a bounded cache, emptied when the
    /// vocabulary changes).
    private var readings: [String: Reading] = [:]
    /// Real words that are never corrected as typos ("night" is not "fight"), if any.
    public var dictionary: WordList? { didSet { forgetReadings() } }

    /// How a word of a question (not a name) is read.
    private struct Reading {
        var isStopWord: Bool
        var correction: Correction?
        var stem: String
        /// Whether a synonym phrase starts with the stem: remembered, so that a word seen
        /// before costs no lookup of the phrase table.
        var startsPhrase: Bool
    }

    private func forgetReadings() {
        if !readings.isEmpty { readings.removeAll() }
    }

    /// How `word`, typed in a question and not a name, is read: remembered after the first time.
    private func reading(of word: String) -> Reading {
        if let known = readings[word] { return known }
        // Letters drawn out for emphasis ("soooo slowwww") are read as the word meant: a
        // correction that is no guess, or, for a stop word, simply that stop word.
        let meant = Self.undrawn(word).first { StopWords.english.contains($0) || isKnown($0) }
        let base = meant ?? word
        let isStopWord = StopWords.english.contains(base)
        var correction = isStopWord || isKnown(base) ? nil : cachedCorrection(for: base)
        if correction == nil, !isStopWord, let meant { correction = Correction(word: meant, isGuess: false) }
        let stem = stem(correction?.word ?? base)
        let reading = Reading(
            isStopWord: isStopWord, correction: correction, stem: stem, startsPhrase: phrases[stem] != nil)
        if readings.count > 50_000 { readings.removeAll(keepingCapacity: true) }
        readings[word] = reading
        return reading
    }
    /// A word with a letter drawn out (three or more in a row: "slowwww") with each such run
    /// kept to two letters, then to one ("sloww", "slow"); none for a word without one.
    static func undrawn(_ word: String) -> [String] {
        var keptTwo = ""
        var keptOne = ""
        var drawn = false
        var last: Character?
        var run = 0
        for character in word {
            run = character == last ? run + 1 : 1
            last = character
            let isLetter = character.isLetter
            if run >= 3, isLetter { drawn = true }
            if run <= 2 || !isLetter { keptTwo.append(character) }
            if run == 1 || !isLetter { keptOne.append(character) }
        }
        return drawn ? [keptTwo, keptOne] : []
    }

    /// The prefix that marks a concept term.
    public static let conceptPrefix = "@"

    /// A normaliser that knows the concepts `synonyms` (concept id to its words).
    public init(concepts: [(id: String, synonyms: [String])] = []) {
        for concept in concepts {
            for synonym in concept.synonyms {
                let parts = gappedParts(of: synonym)
                let head = Tokenizer.tokenize(parts?.head ?? synonym)
                let tokens = head + (parts.map { Tokenizer.tokenize($0.tail) } ?? [])
                guard let first = tokens.first else { continue }
                let stems = tokens.map { stem($0.text) }
                let gapAfter = parts != nil && head.count < tokens.count ? head.count : 0
                let phrase = ConceptPhrase(
                    stems: stems, capitals: tokens.map(\.isCapitalized), concept: concept.id, gapAfter: gapAfter)
                phrases[stem(first.text), default: []].append(phrase)
                for (token, stem) in zip(tokens, stems) {
                    knownStems.insert(stem)
                    speller.add(token.text)
                }
            }
        }
        for key in phrases.keys {
            phrases[key]?.sort { $0.stems.count > $1.stems.count }
        }
    }

    /// Adds the words of `text` to the vocabulary that typos are corrected against.
    public func learnVocabulary(from text: String) {
        corrections.removeAll()
        forgetReadings()
        // Words with digits (ids, figures) are no words to correct a typo into.
        for token in Tokenizer.tokenize(text)
        where !StopWords.english.contains(token.text) && !token.text.contains(where: \.isNumber) {
            knownStems.insert(stem(token.text))
            speller.add(token.text)
        }
    }

    /// The number of distinct words typos are corrected against.
    public var vocabularySize: Int { speller.count }

    /// Whether `word` (folded) belongs to the vocabulary.
    public func isKnown(_ word: String) -> Bool {
        if speller.contains(word) { return true }
        let stem = stem(word)
        return knownStems.contains(stem) || storedStems?.index(of: stem) != nil
    }

    /// Every known stem, sorted (for the cache).
    package var allKnownStems: [String] {
        var stems = knownStems
        if let storedStems { for index in 0..<storedStems.count { stems.insert(storedStems[index]) } }
        return stems.sorted()
    }

    /// The stem of a folded word, cached.
    public func stem(_ word: String) -> String {
        if let cached = stemCache[word] { return cached }
        let result = stemmer.stem(word)
        if stemCache.count > 100_000 { stemCache.removeAll(keepingCapacity: true) }
        stemCache[word] = result
        return result
    }

    /// Normalises `text`; `correctTypos` is on for questions and off for patterns.
    public func normalize(_ text: String, correctTypos: Bool) -> [NormalizedWord] {
        let tokens = Tokenizer.tokenize(text)
        var surfaces: [String] = []
        var corrections: [String?] = []
        var guesses: Set<Int> = []  // positions of corrections chosen among rivals (seldom any)
        var stems: [String] = []
        // Per word: whether it is a stop word as typed, and whether a phrase starts with its
        // stem (read once, with the word's other facts, when the word has a reading).
        var flags: [(isStopWord: Bool, startsPhrase: Bool)] = []
        surfaces.reserveCapacity(tokens.count)
        flags.reserveCapacity(tokens.count)
        for (position, token) in tokens.enumerated() {
            surfaces.append(token.text)
            // A capitalised word inside a sentence ("Rome", "Paris") is a name, not a typo.
            let isName = position > 0 && token.startsUppercase && !token.isCapitalized
            guard correctTypos, !isName else {
                let stem = stem(token.text)
                corrections.append(nil)
                stems.append(stem)
                flags.append((StopWords.english.contains(token.text), phrases[stem] != nil))
                continue
            }
            let reading = reading(of: token.text)
            corrections.append(reading.correction?.word)
            if reading.correction?.isGuess == true { guesses.insert(position) }
            stems.append(reading.stem)
            flags.append((reading.isStopWord, reading.startsPhrase))
        }

        var words: [NormalizedWord] = []
        words.reserveCapacity(tokens.count)
        var index = 0
        // Where the tail of a separable phrase ("take IT over") was read, and up to where the
        // words in its gap may form phrases of their own.
        var tail: Range<Int>?
        while index < tokens.count {
            if let read = tail, read.lowerBound == index {
                index = read.upperBound
                tail = nil
                continue
            }
            // Inside a gap, phrases end before the tail and hold no gap of their own.
            let limit = tail?.lowerBound ?? tokens.count
            if flags[index].startsPhrase,
                let (phrase, gap) = longestPhrase(
                    at: index, stems: stems, tokens: tokens, limit: limit, gapsAllowed: tail == nil)
            {
                let positions = phrase.positions(at: index, gap: gap)
                let corrected = positions.compactMap { corrections[$0] }
                words.append(
                    NormalizedWord(
                        surface: positions.map { surfaces[$0] }.joined(separator: " "),
                        correction: corrected.isEmpty
                            ? nil : positions.map { corrections[$0] ?? surfaces[$0] }.joined(separator: " "),
                        correctionIsGuess: positions.contains { guesses.contains($0) },
                        term: Self.conceptPrefix + phrase.concept,
                        isStopWord: false))
                if gap > 0 {
                    tail = (index + phrase.gapAfter + gap)..<(index + phrase.stems.count + gap)
                    index += phrase.gapAfter
                } else {
                    index += phrase.stems.count
                }
                continue
            }
            let surface = surfaces[index]
            words.append(
                NormalizedWord(
                    surface: surface, correction: corrections[index], correctionIsGuess: guesses.contains(index),
                    term: stems[index],
                    isStopWord: corrections[index] == nil && flags[index].isStopWord))
            index += 1
        }
        return words
    }

    /// A typo's correction, and whether rival words of other stems were as close.
    private struct Correction {
        var word: String
        var isGuess: Bool
    }

    /// The spelling correction of an unknown word, remembered (a bounded cache).
    private func cachedCorrection(for word: String) -> Correction? {
        if let cached = corrections[word] { return cached }
        let candidates = speller.candidates(for: word)
        var result = candidates.first.map { best in
            let stem = stem(best)
            return Correction(word: best, isGuess: candidates.dropFirst().contains { self.stem($0) != stem })
        }
        if result != nil, dictionary?.contains(word) ?? false { result = nil }
        if corrections.count > 50_000 { corrections.removeAll(keepingCapacity: true) }
        corrections[word] = result
        return result
    }

    /// The longest phrase starting at `index` and ending before `limit`, with the number of
    /// words in its gap (0 for a phrase read without one).
    private func longestPhrase(
        at index: Int, stems: [String], tokens: [Token], limit: Int, gapsAllowed: Bool
    ) -> (ConceptPhrase, gap: Int)? {
        guard let candidates = phrases[stems[index]] else { return nil }
        /// Whether `phrase.stems[range]` stand at the question's words from `start` on.
        func matches(_ phrase: ConceptPhrase, _ range: Range<Int>, from start: Int) -> Bool {
            guard start + range.count <= limit else { return false }
            for offset in range {
                let position = start + offset - range.lowerBound
                if stems[position] != phrase.stems[offset]
                    || (phrase.capitals[offset] && !tokens[position].isCapitalized)
                {
                    return false
                }
            }
            return true
        }
        for phrase in candidates {
            let headCount = phrase.gapAfter > 0 ? phrase.gapAfter : phrase.stems.count
            guard matches(phrase, 0..<headCount, from: index) else { continue }
            guard headCount < phrase.stems.count else { return (phrase, 0) }
            let widest = gapsAllowed ? ConceptPhrase.maximumGap : 0
            for gap in 0...widest where matches(phrase, headCount..<phrase.stems.count, from: index + headCount + gap) {
                return (phrase, gap)
            }
        }
        return nil
    }
}

extension ConceptPhrase {
    /// The positions of the phrase's words when it starts at `index` with `gap` words in its gap.
    fileprivate func positions(at index: Int, gap: Int) -> [Int] {
        (0..<stems.count).map { offset in index + offset + (offset >= gapAfter && gapAfter > 0 ? gap : 0) }
    }
}

/// Whether a synonym is written in capitals ("IT"), which makes it case-sensitive.
package func isAllCapitals(_ text: String) -> Bool {
    var letters = 0
    for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
        if scalar.properties.isLowercase { return false }
        letters += 1
    }
    return letters >= 2
}
