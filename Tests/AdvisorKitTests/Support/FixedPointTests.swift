import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorSystem

@Suite("FixedPoint")
struct FixedPointTests {
    @Test("writes what String(format:) writes, on ties, signs and the values routing prints")
    func knownValues() {
        let values: [Double] = [
            0, -0.0, 0.005, 0.015, 0.125, 0.375, 1.005, 2.675, 0.994999, 0.995, 9.995, 99.999, -0.001, -1.5,
            0.1 + 0.2, 1e-9, 123_456.789, 1e16, .infinity, -.infinity, .nan, 0.42, 1, 0.5,
        ]
        for value in values {
            for digits in 0...3 {
                #expect(
                    FixedPoint.format(value, digits: digits) == String(format: "%.\(digits)f", value),
                    "\(value) with \(digits) digits")
            }
        }
    }

    @Test("agrees with String(format:) on 20,000 random scores and hundredths")
    func randomValues() {
        var generator = SplitMix64(seed: 20_261_204)
        for index in 0..<20_000 {
            // Scores (0 to 10), and values on or next to a hundredth, where rounding is decided.
            let value =
                index % 2 == 0
                ? Double.random(in: 0..<10, using: &generator)
                : (Double(Int.random(in: -100_000...100_000, using: &generator)) + 0.5) / 100
                    + Double(Int.random(in: -2...2, using: &generator)) * 1e-12
            #expect(FixedPoint.format(value, digits: 2) == String(format: "%.2f", value), "\(value)")
        }
    }
}
