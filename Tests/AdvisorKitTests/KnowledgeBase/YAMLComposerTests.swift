import Testing

@testable import AdvisorKnowledge

@Suite("YAML composer over libyaml's events")
struct YAMLComposerTests {
    private func failure(_ text: String) -> YAMLComposer.Failure? {
        do {
            _ = try YAMLComposer.compose(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("a document becomes nodes with 1-based marks, in the order written")
    func composesInOrder() throws {
        let root = try #require(try YAMLComposer.compose("b: 1\na:\n  - x\n  - 'y'\n"))
        guard case .mapping(let mapping) = root else {
            Issue.record("not a mapping: \(root)")
            return
        }
        #expect(mapping.count == 2)
        guard case .scalar(let first) = mapping[0].key, case .sequence(let list) = mapping[1].value else {
            Issue.record("unexpected shape: \(root)")
            return
        }
        #expect(first.string == "b" && first.mark == YAMLMark(line: 1, column: 1))
        #expect(list.count == 2 && list.mark.line == 3)
        guard case .scalar(let quoted) = list[1], case .scalar(let plain) = list[0] else { return }
        #expect(plain.isPlain && !quoted.isPlain && quoted.string == "y")
        #expect(quoted.mark == YAMLMark(line: 4, column: 5))
    }

    @Test("an empty file has no root")
    func emptyStream() throws {
        #expect(try YAMLComposer.compose("") == nil)
        #expect(try YAMLComposer.compose("# only a comment\n") == nil)
    }

    @Test("an alias is refused where it is written, before anything can expand")
    func aliasRefused() throws {
        let problem = try #require(failure("a: &x [1, 2]\nb: *x\n"))
        #expect(problem.message.contains("aliases"))
        #expect(problem.mark == YAMLMark(line: 2, column: 4))
    }

    @Test("an alias bomb used as a key is refused at once")
    func aliasBombKey() throws {
        var text = "a0: &a0 [x, x]\n"
        for level in 1..<40 { text += "a\(level): &a\(level) [*a\(level - 1), *a\(level - 1)]\n" }
        text += "? *a39\n: boom\n"
        let problem = try #require(failure(text))
        #expect(problem.message.contains("aliases") && problem.mark?.line == 2)
    }

    @Test("a duplicate key is reported at its second occurrence, nested ones too")
    func duplicateKey() throws {
        let problem = try #require(failure("id: a\nnested:\n  k: 1\n  k: 2\n"))
        #expect(problem.message == "duplicate key 'k'")
        #expect(problem.mark == YAMLMark(line: 4, column: 3))
        #expect(failure("a:\n  k: 1\nb:\n  k: 2\n") == nil, "the same key in two mappings is fine")
    }

    @Test("nesting deeper than the limit is refused without recursion")
    func depthLimit() throws {
        let deep = String(repeating: "[", count: YAMLComposer.maximumDepth + 1)
        let problem = try #require(failure(deep))
        #expect(problem.message.contains("nested deeper"))
        #expect(problem.mark == YAMLMark(line: 1, column: YAMLComposer.maximumDepth + 1))
        let fine = String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
        #expect(failure(fine) == nil)
    }

    @Test("a second document in one file is refused")
    func secondDocument() throws {
        let problem = try #require(failure("a: 1\n---\nb: 2\n"))
        #expect(problem.message.contains("one YAML document") && problem.mark?.line == 2)
    }

    @Test("libyaml's syntax errors keep their place")
    func syntaxError() throws {
        let problem = try #require(failure("a: [1, 2\nb: 3\n"))
        #expect(problem.mark != nil && !problem.message.isEmpty)
    }
}
