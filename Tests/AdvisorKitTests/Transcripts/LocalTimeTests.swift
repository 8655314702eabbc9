import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorTranscripts

@Suite("LocalTime")
struct LocalTimeTests {
    @Test("a saved timestamp is read with or without its fraction; anything else is not a time")
    func parsing() {
        #expect(LocalTime.utcSeconds("1970-01-01T00:00:00.000Z") == 0)
        #expect(LocalTime.utcSeconds("2026-12-02T08:14:05Z") == 1_796_199_245)
        #expect(LocalTime.utcSeconds("2026-12-02T08:14:05.999Z") == 1_796_199_245)
        for bad in [
            "", "yesterday", "2026-13-02T08:14:05Z", "2026-12-02 08:14:05Z", "2026-12-02T08:14:05.Z",
            "2026-12-02T08:14:05+01:00", "2026-12-02T25:00:00Z", "２026-12-02T08:14:05Z",
        ] {
            #expect(LocalTime.utcSeconds(bad) == nil, "\(bad)")
        }
    }

    @Test("a named zone is shown by its offset, with daylight saving time")
    func namedZone() throws {
        let paris = LocalTime(timeZone: try #require(TimeZone(identifier: "Europe/Paris")))
        #expect(paris.dateTime("2026-12-02T08:14:05.000Z") == "2 Dec 2026 09:14 +01:00")
        #expect(paris.time("2026-07-02T08:14:05.000Z") == "10:14:05 +02:00")
        let kolkata = LocalTime(timeZone: try #require(TimeZone(identifier: "Asia/Kolkata")))
        #expect(kolkata.time("2026-12-31T20:00:00Z") == "01:30:00 +05:30")
        #expect(kolkata.dateTime("2026-12-31T20:00:00Z") == "1 Jan 2027 01:30 +05:30")
        #expect(paris.dateTime("not a time") == nil)
    }
}
