import AdvisorKnowledge
import AdvisorSystem
import Foundation

/// The REPL's preferences: `$XDG_CONFIG_HOME/advisor/config` (`~/.config/advisor/config`),
/// simple `key = value` lines, `#` comments.
///
/// ```text
/// # advisor preferences
/// role = cio        # cio, cmo or none: who is asking, until /role says otherwise
/// color = never     # auto (colour on a terminal) or never
/// ```
///
/// A line that cannot be read is one warning naming `FILE:LINE` and is ignored; the rest
/// of the file still applies.
public struct Preferences: Sendable, Equatable {
    /// Who is asking, when the file says so (`role = none` is nil, as no line is).
    public var role: Role?
    /// `color = never`: no colour even on a terminal.
    public var noColor = false

    /// The keys the file may set.
    public static let keys = ["role", "color"]

    /// Makes preferences; by default no role and colour left to the terminal.
    public init(role: Role? = nil, noColor: Bool = false) {
        self.role = role
        self.noColor = noColor
    }

    /// The file's path: `$XDG_CONFIG_HOME/advisor/config` when that is absolute, else
    /// `HOME/.config/advisor/config`.
    public static func path(environment: [String: String], home: String) -> String {
        UserDirectory.config.path(environment: environment, home: home) + "/config"
    }

    /// Reads the file at `path`; a missing file is no preferences and no warning.
    public static func load(path: String) -> (preferences: Preferences, warnings: [String]) {
        let data: Data
        do {
            data = try BoundedFile.read(path, limit: 1 << 16)
        } catch .notFound {
            return (Preferences(), [])
        } catch {
            return (Preferences(), ["\(path): \(error.description); preferences ignored"])
        }
        return parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// Parses the text of a preferences file; warnings are `PATH:LINE: message`.
    public static func parse(_ text: String, path: String) -> (preferences: Preferences, warnings: [String]) {
        var preferences = Preferences()
        var warnings: [String] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            func warn(_ message: String) {
                warnings.append("\(path):\(index + 1): \(message); line ignored")
            }
            let line = rawLine.prefix { $0 != "#" }.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            guard let equals = line.firstIndex(of: "=") else {
                warn("expected 'key = value', not '\(line)'")
                continue
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces).lowercased()
            switch key {
            case "role":
                if value == "none" {
                    preferences.role = nil
                } else if let role = Role(rawValue: value) {
                    preferences.role = role
                } else {
                    warn("role is cio, cmo or none, not '\(value)'")
                }
            case "color", "colour":
                switch value {
                case "never", "off", "no", "false": preferences.noColor = true
                case "auto", "on", "yes", "true": preferences.noColor = false
                default: warn("color is auto or never, not '\(value)'")
                }
            default:
                warn("unknown key '\(key)' (known: \(keys.joined(separator: ", ")))")
            }
        }
        return (preferences, warnings)
    }

    /// `text`, a preferences file's content, with `key = value` set: the first line for that key
    /// is replaced (later ones removed), every other line, comments included, is kept.
    public static func updated(_ text: String, key: String, value: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var replaced = false
        lines = lines.compactMap { line in
            let content = line.prefix { $0 != "#" }
            guard let equals = content.firstIndex(of: "="),
                content[..<equals].trimmingCharacters(in: .whitespaces).lowercased() == key
            else { return line }
            if replaced { return nil }
            replaced = true
            return "\(key) = \(value)"
        }
        if !replaced { lines.append("\(key) = \(value)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Saves `key = value` in the file at `path`, keeping its other lines.
    ///
    /// The file is written to a new file beside it (mode 0600) and renamed over it, its
    /// folders created user-only. A path that is a symbolic link or anything but a regular
    /// file is refused.
    public static func save(key: String, value: String, path: String) throws(SafeFile.Failure) {
        try SafeFile.checkReplaceable(path)
        var existing = ""
        if SafeFile.kind(of: path) == .regular {
            do {
                existing = String(
                    decoding: try BoundedFile.read(path, limit: 1 << 16, followSymlinks: false), as: UTF8.self)
            } catch {
                throw .system(path: path, reason: error.description)
            }
        }
        try SafeFile.createFolders((path as NSString).deletingLastPathComponent)
        try SafeFile.replace(path, with: Data(updated(existing, key: key, value: value).utf8))
    }
}
