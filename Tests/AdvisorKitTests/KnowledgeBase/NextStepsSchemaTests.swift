import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("next steps, source markers, replies and frames in the knowledge base")
struct NextStepsSchemaTests {
    /// `kb check` diagnostics after replacing the valid fixture's alpha topic with `alpha`.
    private func check(alpha: String, manifest: String? = nil, concepts: String? = nil) throws -> [Diagnostic] {
        let folder = try TestSupport.copyFixture("valid")
        defer { folder.remove() }
        try folder.write("topics/alpha.yaml", alpha)
        if let manifest { try folder.write("manifest.yaml", manifest) }
        if let concepts { try folder.write("concepts.yaml", concepts) }
        return KnowledgeBaseCheck.check(directory: folder.path).1
    }

    static let alpha = """
        id: alpha
        title: Budgets
        answer: Alpha answers questions about the budget [s1].
        sources: ["s1"]
        related: [beta]
        next_steps:
          cio:
            - step: List what you spend this week.
              source: "s1"
              inferred: true
            - step: Share the list with the CMO.
              source: "s1"
          cmo:
            - step: Ask the CIO for the list.
              source: "s1"
              inferred: true
            - step: Compare it with your own.
              source: "s1"
              inferred: true
        patterns:
          - budget
        samples:
          - Who controls the money?

        """

    @Test("a topic with cited next steps and markers passes and loads its steps")
    func valid() throws {
        #expect(try check(alpha: Self.alpha).isEmpty)
        let (topics, problems) = KnowledgeBaseLoader.parseTopicFile(Data(Self.alpha.utf8), name: "alpha.yaml")
        #expect(problems.isEmpty)
        let steps = try #require(topics.first?.nextSteps[.cio])
        #expect(steps.map(\.inferred) == [true, false])
        #expect(steps.first?.location.line == 8)
    }

    @Test("a next step without a source fails kb check at its line")
    func stepWithoutSource() throws {
        let broken = Self.alpha.replacingOccurrences(
            of: "    - step: Share the list with the CMO.\n      source: \"s1\"\n",
            with: "    - step: Share the list with the CMO.\n")
        let problems = try check(alpha: broken)
        let problem = try #require(problems.first { $0.message.contains("needs the 'source'") }, "\(problems)")
        #expect(problem.location.file.hasSuffix("topics/alpha.yaml"))
        #expect(problem.location.line == 11)
    }

    @Test("a step citing a source the topic does not list is reported")
    func stepCitesUnlistedSource() throws {
        let broken = Self.alpha.replacingOccurrences(
            of: "      source: \"s1\"\n      inferred: true\n    - step: Share",
            with: "      source: \"s9\"\n      inferred: true\n    - step: Share")
        let problems = try check(alpha: broken)
        #expect(problems.contains { $0.message.contains("cites unknown source 's9'") }, "\(problems)")
    }

    @Test("a marker of an unknown source is reported")
    func unknownMarker() throws {
        let broken = Self.alpha.replacingOccurrences(of: "the budget [s1].", with: "the budget [007].")
        let problems = try check(alpha: broken)
        #expect(problems.contains { $0.message.contains("marker [007] of no known source") }, "\(problems)")
    }

    @Test("require_next_steps in the manifest demands 2 to 4 steps per role")
    func required() throws {
        let manifest = "taxonomy: [alpha, beta, none]\nrequire_next_steps: true\n"
        let problems = try check(alpha: Self.alpha, manifest: manifest)
        #expect(problems.contains { $0.message.contains("topic 'beta' has 0 next steps for cio") }, "\(problems)")
        #expect(!problems.contains { $0.message.contains("topic 'alpha'") }, "\(problems)")
    }

    @Test("markers render as the number of the source in the answer's list")
    func markersRender() {
        let text = SourceMarkers.render("68% believe [001], and half [002].") { ["001": 2, "002": 1][$0] }
        #expect(text == "68% believe [2], and half [1].")
        #expect(SourceMarkers.stripped("a [001] b") == "a b")
        #expect(SourceMarkers.ids(in: "see [12] and [x1] and [003]") == ["12", "003"])
    }

    @Test("a frame naming an unknown topic is reported; a valid frame leans to its first topic")
    func frames() throws {
        let concepts = """
            concepts:
              cio: [cio, IT]
              cmo: [cmo, marketing]
              budget: [budget, money]
            frames:
              who-owns:
                when: [who owns, who controls]
                topics: [alpha, nowhere]

            """
        let problems = try check(alpha: Self.alpha, concepts: concepts)
        #expect(
            problems.contains { $0.message.contains("frame 'who-owns' names unknown topic 'nowhere'") }, "\(problems)")
        let folder = try TestSupport.copyFixture("valid")
        defer { folder.remove() }
        try folder.write("concepts.yaml", concepts.replacingOccurrences(of: ", nowhere", with: ""))
        let base = KnowledgeBaseLoader.load(directory: folder.path).0
        #expect(base.frames.map(\.name) == ["who-owns"])
        let routing = Router(knowledgeBase: base).route("who owns the zebras?")
        #expect(routing.candidates.first?.topic == "alpha")
        #expect(routing.evidence.contains("frame 'who-owns'"))
    }

    @Test("a frame pointing at a glossary topic whose word the question holds adds to it alone, and more")
    func frameFavoursTheGlossaryWord() throws {
        let folder = try TestSupport.copyFixture("valid")
        defer { folder.remove() }
        try folder.write(
            "concepts.yaml",
            """
            concepts:
              cio: [cio, IT]
              cmo: [cmo, marketing]
            frames:
              meaning:
                when: [mean when they say]
                topics: [beta, term-widget]

            """)
        try folder.write(
            "topics/beta.yaml",
            """
            id: beta
            title: Misunderstandings
            answer: Beta answers questions about confusion.
            sources: ["s1"]
            patterns:
              - confused
            samples:
              - why am i so confused?

            """)
        try folder.write(
            "topics/term-widget.yaml",
            """
            id: term-widget
            title: What "widget" means
            answer: A widget is a small tool.
            sources: ["s1"]
            glossary:
              term: widget
              cio: a component
              cmo: a feature
            patterns:
              - widget
            samples:
              - what is a widget?

            """)
        let (base, problems) = KnowledgeBaseLoader.load(directory: folder.path)
        #expect(problems.isEmpty, "\(problems)")
        let router = Router(knowledgeBase: base)
        func score(_ topic: String, _ question: String) -> Double? {
            router.route(question).candidates.first { $0.topic == topic }?.score
        }
        let framed = "what does IT mean when they say widget? i keep getting confused"
        let plain = "they say widget? i keep getting confused"
        let routing = router.route(framed)
        #expect(routing.candidates.first?.topic == "term-widget", "\(routing.candidates)")
        #expect(routing.evidence.contains("frame 'meaning'"), "\(routing.evidence)")
        #expect(score("beta", framed) == score("beta", plain), "the frame adds nothing to beta beside the word")
        // Beside a word of its other topic the frame adds its usual weight; with only the word's
        // topic to point at it adds more: the question is about the word, however much else it says.
        let usual = routing.evidenceParts.first { $0.name == "frame 'meaning'" }?.value
        #expect(usual == Router.frameBonus, "\(routing.evidenceParts)")
        let onlyTheWord = router.route("what does IT mean when they say widget?")
        let added = onlyTheWord.evidenceParts.first { $0.name == "frame 'meaning'" }?.value
        #expect(added == Router.glossaryFrameBonus, "\(onlyTheWord.evidenceParts)")
        #expect(Router.glossaryFrameBonus > Router.frameBonus)
        let misread = "what does IT mean when they say that? i keep getting confused"
        let withoutWord = router.route(misread)
        #expect(withoutWord.candidates.first?.topic == "beta", "\(withoutWord.candidates)")
        #expect(withoutWord.evidence.contains("frame 'meaning'"), "without the word, the frame adds to beta")
    }

    @Test("a frame with leans_alone: false adds nothing when no other word points at its topics")
    func frameThatDoesNotLeanAlone() throws {
        let concepts = """
            concepts:
              cio: [cio, IT]
              cmo: [cmo, marketing]
            frames:
              who-owns:
                when: [who owns, who controls]
                topics: [alpha]
                leans_alone: false

            """
        let folder = try TestSupport.copyFixture("valid")
        defer { folder.remove() }
        try folder.write("concepts.yaml", concepts)
        let base = KnowledgeBaseLoader.load(directory: folder.path).0
        #expect(base.frames.first?.leansAlone == false)
        let routing = Router(knowledgeBase: base).route("who owns the zebras?")
        #expect(routing.candidates.isEmpty, "\(routing.candidates)")
        #expect(routing.topic == "none")

        try folder.write(
            "concepts.yaml", concepts.replacingOccurrences(of: "leans_alone: false", with: "leans_alone: maybe"))
        let problems = KnowledgeBaseLoader.load(directory: folder.path).1
        #expect(
            problems.contains { $0.message.contains("'leans_alone' of frame 'who-owns' must be true or false") },
            "\(problems)")
    }
}
