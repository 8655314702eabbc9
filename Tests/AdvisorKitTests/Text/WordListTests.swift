import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("WordList (the dictionary of real words)")
struct WordListTests {
    @Test("finds listed words by bisection, skipping comments")
    func lookup() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let words = ["able", "bake", "bread", "fight", "night", "word", "world", "zebra"]
        let path = try temp.write("dictionary.txt", "# comment line\n# another\n" + words.joined(separator: "\n"))
        let list = WordList(path: path)
        for word in words { #expect(list.contains(word), "\(word)") }
        for word in ["", "abl", "ables", "nigh", "zz", "# comment line", "aardvark", "zebras", "Night"] {
            #expect(!list.contains(word), "\(word)")
        }
    }

    @Test("bisection finds what a set finds, with comments, empty and long lines anywhere")
    func bisectionMatchesASet() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        var random = SplitMix64(seed: 3)
        let letters = Array("abcdez")
        for round in 0..<30 {
            var words = Set<String>()
            for _ in 0..<Int.random(in: 0...60, using: &random) {
                words.insert(
                    String(
                        (0..<Int.random(in: 1...6, using: &random)).map { _ in letters.randomElement(using: &random)! })
                )
            }
            var lines = words.sorted()
            // Comments anywhere (they are not in the order), and a long word.
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                lines.insert("# note \(round) zzz", at: Int.random(in: 0...lines.count, using: &random))
            }
            let path = try temp.write(
                "dictionary-\(round).txt", lines.joined(separator: "\n") + (round % 2 == 0 ? "\n" : ""))
            let list = WordList(path: path)
            var probes = Set(words)
            for _ in 0..<80 {
                probes.insert(
                    String(
                        (0..<Int.random(in: 1...7, using: &random)).map { _ in letters.randomElement(using: &random)! })
                )
            }
            for probe in probes { #expect(list.contains(probe) == words.contains(probe), "\(probe) in round \(round)") }
            #expect(!list.contains("# note \(round) zzz") && !list.contains(""))
        }
    }

    @Test("a missing file lists nothing")
    func missing() {
        #expect(!WordList(path: "/nonexistent/dictionary-\(UUID().uuidString).txt").contains("word"))
    }

    @Test("the shipped dictionary knows everyday words but not typos")
    func shipped() throws {
        let path = (TestSupport.shippedKnowledgeBase as NSString).appendingPathComponent(
            KnowledgeBaseLoader.dictionaryFile)
        try #require(FileManager.default.fileExists(atPath: path))
        let list = WordList(path: path)
        for word in ["world", "night", "bread", "planning", "budget"] { #expect(list.contains(word), "\(word)") }
        for word in ["platfrom", "moblie", "budjet", "asdfgh"] { #expect(!list.contains(word), "\(word)") }
    }

    @Test("a normaliser with a dictionary does not correct real words")
    func normalizerUsesDictionary() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let path = try temp.write("dictionary.txt", "fight\nnight\n")
        let normalizer = Normalizer()
        normalizer.learnVocabulary(from: "fight")
        #expect(normalizer.normalize("night", correctTypos: true).first?.correction == "fight")
        let guarded = Normalizer()
        guarded.learnVocabulary(from: "fight")
        guarded.dictionary = WordList(path: path)
        #expect(guarded.normalize("night", correctTypos: true).first?.correction == nil)
        #expect(guarded.normalize("fihgt", correctTypos: true).first?.correction == "fight")
    }
}
