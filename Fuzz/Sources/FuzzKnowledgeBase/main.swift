import AdvisorEngine
import AdvisorKnowledge
import AdvisorTranscripts
import Foundation

/// Any bytes as a topic file, and as an examples.tsv beside it: parsing, validation and
/// compiling must never crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKnowledgeBase(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    let (topics, _) = KnowledgeBaseLoader.parseTopicFile(data, name: "fuzz.yaml")
    var base = KnowledgeBase(directory: "fuzz", sources: [], concepts: [], topics: topics, fingerprint: "fuzz")
    base.examples = KnowledgeBaseLoader.parseExamplesFile(data, topicIDs: Set(topics.map(\.id)).union(["none"])).0
    _ = KnowledgeBaseValidator.structuralProblems(base)
    let advisor = Advisor(knowledgeBase: base)
    for topic in topics.prefix(3) {
        for sample in topic.samples.prefix(3) { _ = advisor.ask(sample.value) }
    }
    return 0
}
