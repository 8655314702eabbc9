import AdvisorSystem
import Foundation

/// What the program may assume about where its output goes: whether to colour it, and how wide to wrap it.
///
/// One place for the rules every command follows.
public enum TerminalPolicy {
    /// The widest text is wrapped on a very wide terminal: lines stay readable.
    public static let maximumReadingWidth = 100

    /// Colour only on a terminal, and never when asked not to (`--no-color`), with
    /// `NO_COLOR` set (https://no-color.org) or with `TERM=dumb`.
    public static func colors(
        disabled: Bool, on descriptor: Int32 = STDOUT_FILENO,
        environment: [String: String] = ProcessEnvironment.values(["NO_COLOR", "TERM"])
    ) -> Bool {
        if disabled || environment["NO_COLOR"] != nil || environment["TERM"] == "dumb" { return false }
        return isatty(descriptor) == 1
    }

    /// The width to wrap standard output to: the terminal's (read now, so it follows
    /// resizes) when standard output is one, else `$COLUMNS`, else 80.
    public static func outputWidth() -> Int {
        LineEditor.terminalWidth()
    }

    /// The width for reading text (answers, a session shown again): the terminal's, at
    /// least 40 and at most `maximumReadingWidth` columns; 80 when output is not a terminal.
    public static func readingWidth(minimum: Int = 40) -> Int {
        guard isatty(STDOUT_FILENO) == 1 else { return 80 }
        return max(minimum, min(LineEditor.terminalWidth(), maximumReadingWidth))
    }
}
