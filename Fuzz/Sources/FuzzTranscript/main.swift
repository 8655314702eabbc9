import AdvisorEngine
import AdvisorKnowledge
import AdvisorTranscripts
import Foundation

/// Any bytes as a transcript file: reading, summarising and rendering in every format.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTranscript(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    let transcript = TranscriptParser.parse(data, id: "fuzz", path: "fuzz.jsonl")
    _ = TranscriptParser.summary(data, id: "fuzz")
    let formatter = TranscriptFormatter()
    for format in TranscriptFormat.allCases {
        let output = formatter.render(transcript, as: format)
        if output.utf8.contains(0x1B) {
            fatalError("raw ESC in \(format) output")  // the property under test
        }
    }
    return 0
}
