import AdvisorEngine
import AdvisorKnowledge
import AdvisorTranscripts
import Foundation
import FuzzSupport

/// Any text as questions of one conversation (lines), with slash commands.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRouter(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let session = Session(advisor: Shipped.advisor, role: nil, recorder: nil, renderer: AnswerRenderer(width: 40))
    for line in text.split(separator: "\n", omittingEmptySubsequences: true).prefix(16) {
        if line.hasPrefix("/") {
            _ = session.run(command: String(line))
        } else {
            let answer = session.ask(String(line))
            _ = session.renderer.render(answer)
            _ = answer.jsonLine()
        }
    }
    return 0
}
