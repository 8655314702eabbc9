import AdvisorEngine
import AdvisorKnowledge
import AdvisorTranscripts
import Foundation
import FuzzSupport

/// Any bytes as a script file read through the line reader and run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScript(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    var descriptors: [Int32] = [0, 0]
    guard pipe(&descriptors) == 0 else { return 0 }
    defer { close(descriptors[0]) }
    // Small inputs fit the pipe buffer; larger ones are cut to it.
    _ = write(descriptors[1], start, min(count, 60_000))
    close(descriptors[1])
    let session = Session(advisor: Shipped.advisor, role: nil, recorder: nil, renderer: AnswerRenderer())
    let runner = ScriptRunner(session: session, displayName: "fuzz", output: { _ in }, diagnostic: { _ in })
    runner.json = count % 2 == 0
    _ = runner.run(LineReader(descriptor: descriptors[0]))
    return 0
}
