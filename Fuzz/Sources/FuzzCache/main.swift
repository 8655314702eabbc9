@_spi(Fuzzing) import AdvisorEngine
import AdvisorKnowledge
import Foundation

/// Any bytes as a compiled knowledge base cache file: the checksum must turn damage away,
/// and the decoder behind it (reached by framing the bytes as a file whose checksum holds)
/// must never crash, however its tables and indices are damaged. A decoded advisor then
/// answers a short conversation, and shows nothing raw on a terminal.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCache(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    guard let advisor = KnowledgeBaseCache.fuzzDecode(bytes) else { return 0 }
    let session = Session(advisor: advisor, role: nil, recorder: nil, renderer: AnswerRenderer(width: 40))
    for line in ["who controls the money?", "and to a CMO?", "what do the numbers say?", "/more", "platfrom", "/why"] {
        let output: String
        if line.hasPrefix("/") {
            output = session.run(command: line).output
        } else {
            let answer = session.ask(line)
            _ = answer.jsonLine()
            output = session.renderer.render(answer)
        }
        if output.utf8.contains(0x1B) {
            fatalError("raw ESC from a decoded cache")  // the property under test
        }
    }
    for topic in advisor.knowledgeBase.topics.prefix(2) { _ = session.run(command: "/topic \(topic.id)") }
    return 0
}
