import Foundation
import Testing

@testable import AdvisorKit

@Suite("Wrapping and neutralising, fast paths")
struct AnswerWrapTests {
    @Test("ASCII text wraps byte by byte exactly as character by character", arguments: [20, 33, 80])
    func asciiWrap(_ width: Int) {
        let renderer = AnswerRenderer(width: width)
        var rng = SplitMix64(seed: UInt64(width))
        let pieces = ["a", "word", "- ", "  ", " ", "\n", "\n\n", String(repeating: "x", count: 45), "[1]", "-", "--"]
        for _ in 0..<500 {
            let count = Int.random(in: 0...40, using: &rng)
            let text = (0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &rng)] }.joined()
            #expect(renderer.wrap(text) == renderer.wrapCharacters(text), "\(text.debugDescription)")
        }
    }

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
