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
