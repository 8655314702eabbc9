import Foundation

/// The few environment variables a command reads, looked up one by one with getenv(3).
///
/// `ProcessInfo.processInfo.environment` copies every variable into a new dictionary at each
/// call, which costs a one-shot `advisor ask` a good part of its start-up; the functions that
/// take an environment as a dictionary (so that tests can give their own) get one of just the
/// variables they read.
public enum ProcessEnvironment {
    /// The value of `name`, or nil when it is not set.
    public static func value(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// The variables of `names` that are set, by name.
    public static func values(_ names: [String]) -> [String: String] {
        var values: [String: String] = [:]
        for name in names {
            if let value = value(name) { values[name] = value }
        }
        return values
    }
}
