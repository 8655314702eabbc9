import Foundation

/// A small, seedable random number generator (SplitMix64): the same seed gives the
/// same knowledge base and questions on every machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The synthetic workload of BENCHMARKS.md: N rules of 2 to 5 content words drawn
/// with a Zipf-like distribution from a 5,000-word vocabulary, and 1,000 questions,
/// 70% paraphrases of one rule and 30% noise.
struct SyntheticWorkload {
    static let vocabularySize = 5000
    /// Rule words: consonants and vowels that the English stemmer leaves alone and
    /// that share no letter with noise words, so noise can never be "corrected" into them.
    static let ruleConsonants = Array("bdgkmpvz")
    static let ruleVowels = Array("aiou")
    static let noiseConsonants = Array("cfhjlnrstw")
    static let noiseVowels = Array("ey")
    /// Everyday words mixed into paraphrases (half of them stop words).
    static let fillers = [
        "please", "tell", "me", "about", "the", "our", "what", "how", "do", "we", "should", "team", "company",
        "today", "really", "think", "about", "this", "quarter", "plan", "with", "and", "for", "my", "board",
    ]

    let rules: [[String]]
    let vocabulary: [String]
    var rng: SplitMix64

    init(ruleCount: Int, seed: UInt64) {
        rng = SplitMix64(seed: seed)
        vocabulary = Self.makeWords(
            count: Self.vocabularySize, consonants: Self.ruleConsonants, vowels: Self.ruleVowels)
        // Zipf-like (s = 1): word k is drawn with weight 1/(k+1).
        var cumulative: [Double] = []
        var total = 0.0
        for rank in 0..<Self.vocabularySize {
            total += 1 / Double(rank + 1)
            cumulative.append(total)
        }
        var rules: [[String]] = []
        var seen = Set<[String]>()
        while rules.count < ruleCount {
            let length = Int.random(in: 2...5, using: &rng)
            var words: [String] = []
            while words.count < length {
                let x = Double.random(in: 0..<total, using: &rng)
                var low = 0
                var high = cumulative.count - 1
                while low < high {
                    let mid = (low + high) / 2
                    if cumulative[mid] < x { low = mid + 1 } else { high = mid }
                }
                let word = vocabulary[low]
                if !words.contains(word) { words.append(word) }
            }
            if seen.insert(words.sorted()).inserted { rules.append(words) }
        }
        self.rules = rules
    }

    static func makeWords(count: Int, consonants: [Character], vowels: [Character]) -> [String] {
        var words: [String] = []
        let finals = consonants
        outer: for syllables in 1...4 {
            var indices = [Int](repeating: 0, count: syllables)
            while true {
                for final in finals {
                    var word = ""
                    for index in indices {
                        word.append(consonants[index / vowels.count])
                        word.append(vowels[index % vowels.count])
                    }
                    word.append(final)
                    if word.count >= 4 { words.append(word) }
                    if words.count == count { break outer }
                }
                var position = syllables - 1
                while position >= 0 {
                    indices[position] += 1
                    if indices[position] < consonants.count * vowels.count { break }
                    indices[position] = 0
                    position -= 1
                }
                if position < 0 { break }
            }
        }
        return words
    }

    /// The id of rule `index`.
    static func ruleID(_ index: Int) -> String { String(format: "r%06d", index) }

    /// Writes the knowledge base in the project's own format (topics bundled 1,000 per file).
    func writeKnowledgeBase(to directory: String) throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: directory)
        try fm.createDirectory(atPath: directory + "/topics", withIntermediateDirectories: true)
        try """
        sources:
          - id: "syn"
            seed: synthetic.txt
            title: Synthetic benchmark source
            author: advisor-bench
            date: null

        """.write(toFile: directory + "/sources.yaml", atomically: true, encoding: .utf8)
        try "concepts: {}\n".write(toFile: directory + "/concepts.yaml", atomically: true, encoding: .utf8)
        let bundleSize = 1000
        var start = 0
        while start < rules.count {
            var text = "topics:\n"
            for index in start..<min(start + bundleSize, rules.count) {
                let id = Self.ruleID(index)
                let phrase = rules[index].joined(separator: " ")
                text += "  - id: \(id)\n    title: Rule \(id)\n    answer: Answer of rule \(id).\n"
                text += "    sources: [\"syn\"]\n    patterns: [\"\(phrase)\"]\n"
            }
            let name = String(format: "%@/topics/bundle-%05d.yaml", directory, start / bundleSize)
            try text.write(toFile: name, atomically: true, encoding: .utf8)
            start += bundleSize
        }
    }

    /// Questions that test the spell corrector, drawn from a generator of their own so that
    /// the 1,000 questions above stay the same: `count` paraphrases with one rule word mistyped
    /// (one letter changed), which should still find their rule, and `count` near-noise
    /// questions of words spelt like rule words but in no rule (one letter away from many),
    /// which should find none.
    func spellingQuestions(count: Int = 300, seed: UInt64) -> (typos: [(String, String)], nearNoise: [String]) {
        var rng = SplitMix64(seed: seed ^ 0x5EED_5EED)
        let vocabulary = Set(self.vocabulary)
        let nearWords = Self.makeWords(
            count: Self.vocabularySize + 3000, consonants: Self.ruleConsonants, vowels: Self.ruleVowels
        ).filter { !vocabulary.contains($0) }
        var typos: [(String, String)] = []
        for _ in 0..<count {
            let ruleIndex = Int.random(in: 0..<rules.count, using: &rng)
            var words = rules[ruleIndex].shuffled(using: &rng)
            let target = Int.random(in: 0..<words.count, using: &rng)
            var letters = Array(words[target])
            let position = Int.random(in: 0..<letters.count, using: &rng)
            let pool = Self.ruleVowels.contains(letters[position]) ? Self.ruleVowels : Self.ruleConsonants
            letters[position] = pool.filter { $0 != letters[position] }.randomElement(using: &rng) ?? letters[position]
            words[target] = String(letters)
            Self.insertFillers(into: &words, using: &rng)
            typos.append((words.joined(separator: " "), Self.ruleID(ruleIndex)))
        }
        let nearNoise = (0..<count).map { _ in Self.phrase(of: nearWords, using: &rng) }
        return (typos, nearNoise)
    }

    /// 1,000 questions: (question, intended rule id or nil for noise).
    mutating func questions(count: Int = 1000) -> [(question: String, expected: String?)] {
        let noiseWords = Self.makeWords(count: 2000, consonants: Self.noiseConsonants, vowels: Self.noiseVowels)
        var result: [(String, String?)] = []
        for index in 0..<count {
            if index % 10 < 7 {
                let ruleIndex = Int.random(in: 0..<rules.count, using: &rng)
                var words = rules[ruleIndex].shuffled(using: &rng)
                if words.count > 2, Int.random(in: 0..<4, using: &rng) == 0 {
                    words.remove(at: Int.random(in: 0..<words.count, using: &rng))
                }
                Self.insertFillers(into: &words, using: &rng)
                result.append((words.joined(separator: " "), Self.ruleID(ruleIndex)))
            } else {
                result.append((Self.phrase(of: noiseWords, using: &rng), nil))
            }
        }
        return result
    }

    /// Puts 3 to 8 everyday words among `words`, at random places.
    static func insertFillers(into words: inout [String], using rng: inout SplitMix64) {
        for _ in 0..<Int.random(in: 3...8, using: &rng) {
            let filler = fillers[Int.random(in: 0..<fillers.count, using: &rng)]
            words.insert(filler, at: Int.random(in: 0...words.count, using: &rng))
        }
    }

    /// 3 to 8 words drawn from `pool`, joined by spaces.
    static func phrase(of pool: [String], using rng: inout SplitMix64) -> String {
        (0..<Int.random(in: 3...8, using: &rng)).map { _ in pool[Int.random(in: 0..<pool.count, using: &rng)] }
            .joined(separator: " ")
    }
}
