import Foundation

/// The XDG base directories advisor keeps its own files in: one place decides where the
/// transcripts, preferences, compiled cache and line history live.
public enum UserDirectory: Sendable {
    /// Transcripts: `$XDG_DATA_HOME`, else `~/.local/share`.
    case data
    /// The preferences file: `$XDG_CONFIG_HOME`, else `~/.config`.
    case config
    /// The compiled knowledge base and other derived files: `$XDG_CACHE_HOME`, else `~/.cache`.
    case cache
    /// The line-editing history: `$XDG_STATE_HOME`, else `~/.local/state`.
    case state

    private var variable: String {
        switch self {
        case .data: "XDG_DATA_HOME"
        case .config: "XDG_CONFIG_HOME"
        case .cache: "XDG_CACHE_HOME"
        case .state: "XDG_STATE_HOME"
        }
    }

    private var fallback: String {
        switch self {
        case .data: ".local/share"
        case .config: ".config"
        case .cache: ".cache"
        case .state: ".local/state"
        }
    }

    /// The path of advisor's own folder in this base directory.
    ///
    /// It is `$XDG_..._HOME/advisor` when the variable is an absolute path (the specification
    /// ignores relative ones), else `HOME/<fallback>/advisor`, such as `~/.local/share/advisor`.
    /// `home` defaults to `$HOME`, else the password database's home.
    public func path(environment: [String: String], home: String? = nil) -> String {
        if let base = environment[variable], base.hasPrefix("/") { return base + "/advisor" }
        return (home ?? Self.home(environment: environment)) + "/" + fallback + "/advisor"
    }

    /// The user's home folder: `$HOME` when set and not empty, else the password database's.
    public static func home(environment: [String: String]) -> String {
        environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }
}
