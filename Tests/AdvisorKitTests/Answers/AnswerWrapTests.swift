import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("Neutralising, fast path")
struct AnswerWrapTests {
    @Test("the ASCII fast path of neutralize agrees with the scalar rules")
    func neutralizeEveryByte() {
        for value in 0..<0x100 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "a\(Character(scalar))b"
            for keep in [true, false] {
                let expected: String
                if keep, value == 0x0A || value == 0x09 {
                    expected = text
                } else if value < 0x20 {
                    expected = "a^\(Character(Unicode.Scalar(UInt8(value) + 0x40)))b"
                } else if value == 0x7F {
                    expected = "a^?b"
                } else if (0x80...0x9F).contains(value) {
                    expected = "a<U+00\(String(value, radix: 16, uppercase: true))>b"
                } else {
                    expected = text
                }
                #expect(TerminalSafe.neutralize(text, keepNewlines: keep) == expected, "U+\(value) keep \(keep)")
            }
        }
    }
}
