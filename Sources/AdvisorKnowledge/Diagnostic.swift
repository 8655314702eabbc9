/// A place in a knowledge base file.
public struct SourceLocation: Sendable, Hashable, Comparable {
    /// The file's path as it was given.
    public var file: String
    /// 1-based line, 0 when the whole file is meant.
    public var line: Int
    /// 1-based column, 0 when the whole line is meant.
    public var column: Int

    /// Makes a location in `file`; leave `line` or `column` at 0 to mean the whole file or line.
    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// Orders locations by file path, then line, then column.
    public static func < (a: Self, b: Self) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// A problem found in a knowledge base, reported like a compiler's: `FILE:LINE:COLUMN: message`.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is.
    public var location: SourceLocation
    /// What is wrong, in one line.
    public var message: String

    /// Makes a diagnostic reporting `message` at `location`.
    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    /// The problem as a compiler would print it: `FILE:LINE:COLUMN: error: message`, without the line or column when 0.
    public var description: String {
        var text = location.file
        if location.line > 0 {
            text += ":\(location.line)"
            if location.column > 0 { text += ":\(location.column)" }
        }
        return text + ": error: " + message
    }
}

/// The knowledge base could not be used; every problem found is listed.
public struct KnowledgeBaseError: Error, Sendable, CustomStringConvertible {
    /// The problems, in file and line order.
    public var diagnostics: [Diagnostic]

    /// Makes the error from `diagnostics`, sorted by file, line and column.
    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.sorted { $0.location < $1.location }
    }

    /// Every problem, one `FILE:LINE:COLUMN: error: message` line each.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
