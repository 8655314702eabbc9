import Foundation

/// Shows transcript times, saved as UTC (`2026-12-02T08:14:05.123Z`), in a time zone and
/// with that zone's name: `2 Dec 2026 09:14 CET`.
///
/// `system` is the process's local zone as the C library reads it from `TZ` (else
/// `/etc/localtime`), with the abbreviation of the time zone database (`CET`, `CEST`,
/// `UTC`); a zone the database names only by its offset shows the offset (`+04:00`).
public struct LocalTime: Sendable {
    /// A zone at one instant: its distance from UTC in seconds and what it is called.
    public struct Zone: Sendable, Equatable {
        /// Seconds east of UTC (3600 for CET, -18000 for EST).
        public var offset: Int
        /// The zone's abbreviation (`CET`), or its offset (`+04:00`) when the zone has no named abbreviation.
        public var name: String
    }

    private let zone: @Sendable (time_t) -> Zone

    /// The local zone of this process, from `TZ`.
    public static let system = LocalTime { seconds in
        var time = seconds
        var parts = tm()
        guard localtime_r(&time, &parts) != nil else { return Zone(offset: 0, name: "UTC") }
        let abbreviation = parts.tm_zone.map { String(cString: $0) } ?? ""
        let offset = Int(parts.tm_gmtoff)
        let named = abbreviation.first.map { $0.isLetter } ?? false
        return Zone(offset: offset, name: named ? abbreviation : offsetName(offset))
    }

    /// A named zone (`Europe/Paris`) with its daylight saving time, shown by its offset
    /// from UTC (`+01:00`, `+02:00` in summer; `UTC` itself as `UTC`).
    public init(timeZone: TimeZone) {
        zone = { seconds in
            let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
            return Zone(offset: offset, name: LocalTime.offsetName(offset))
        }
    }

    private init(zone: @escaping @Sendable (time_t) -> Zone) { self.zone = zone }

    /// `at` as a date and a time to the minute with the zone, `2 Dec 2026 09:14 CET`;
    /// nil when `at` is not a saved timestamp.
    public func dateTime(_ at: String) -> String? {
        guard let local = local(at) else { return nil }
        let month = Self.months[Int(local.parts.tm_mon)]
        return "\(local.parts.tm_mday) \(month) \(Int(local.parts.tm_year) + 1900) "
            + "\(Self.twoDigits(local.parts.tm_hour)):\(Self.twoDigits(local.parts.tm_min)) \(local.zone.name)"
    }

    /// `at` as a time to the second with the zone, `09:14:05 CET`; nil when `at` is not a
    /// saved timestamp.
    public func time(_ at: String) -> String? {
        guard let local = local(at) else { return nil }
        return "\(Self.twoDigits(local.parts.tm_hour)):\(Self.twoDigits(local.parts.tm_min))"
            + ":\(Self.twoDigits(local.parts.tm_sec)) \(local.zone.name)"
    }

    /// The broken-down local time of `at` and the zone it is in.
    private func local(_ at: String) -> (parts: tm, zone: Zone)? {
        guard let seconds = Self.utcSeconds(at) else { return nil }
        let zone = zone(seconds)
        var shifted = seconds + time_t(zone.offset)
        var parts = tm()
        guard gmtime_r(&shifted, &parts) != nil else { return nil }
        return (parts, zone)
    }

    /// Seconds since 1970 of a timestamp as `Timestamp` writes it
    /// (`YYYY-MM-DDTHH:MM:SS`, optional fraction, `Z`); nil for anything else.
    static func utcSeconds(_ at: String) -> time_t? {
        let bytes = Array(at.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ start: Int, _ length: Int) -> Int32? {
            var value: Int32 = 0
            for byte in bytes[start..<start + length] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int32(byte - 0x30)
            }
            return value
        }
        let separators: [(Int, Character)] = [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":")]
        guard separators.allSatisfy({ bytes[$0.0] == $0.1.asciiValue }) else { return nil }
        let fraction = bytes[19..<(bytes.count - 1)]
        guard
            fraction.isEmpty
                || (fraction.first == UInt8(ascii: ".") && fraction.count > 1
                    && fraction.dropFirst().allSatisfy { (0x30...0x39).contains($0) })
        else { return nil }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        let seconds = timegm(&parts)
        return seconds == -1 && year != 1969 ? nil : seconds
    }

    /// An offset from UTC as `+01:00`, `-05:00`, `+05:30`; zero as `UTC`.
    static func offsetName(_ offset: Int) -> String {
        guard offset != 0 else { return "UTC" }
        let minutes = abs(offset) / 60
        return (offset < 0 ? "-" : "+") + twoDigits(Int32(minutes / 60)) + ":" + twoDigits(Int32(minutes % 60))
    }

    private static func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
