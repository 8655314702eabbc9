import Foundation
internal import Yams

/// A parsed YAML file, read with bounds and reported with `FILE:LINE:COLUMN` diagnostics.
struct YAMLDocument {
    /// The largest knowledge base file read, in bytes.
    static let maximumFileSize = 32 << 20
    /// The most nodes one file may expand to (aliases included): stops "YAML bombs".
    static let maximumNodes = 2_000_000

    let path: String
    let root: Node?
    private var budget: Budget

    /// Counts nodes visited across a document so that alias expansion is bounded.
    final class Budget {
        var remaining: Int
        init(_ remaining: Int) { self.remaining = remaining }
    }

    /// Parses a file the loader has read (or says why it could not be read).
    static func parse(_ file: KnowledgeBaseFiles.File) throws(Diagnostic) -> YAMLDocument {
        switch file.contents {
        case .success(let data): return try parse(data, displayPath: file.path)
        case .failure(let failure): throw Diagnostic(SourceLocation(file: file.path), failure.description)
        }
    }

    /// Decodes and parses a file's bytes: UTF-8, with or without a byte order mark.
    static func parse(_ data: Data, displayPath: String) throws(Diagnostic) -> YAMLDocument {
        guard let text = String(validating: data, as: UTF8.self) else {
            let line = invalidUTF8Line(in: data)
            throw Diagnostic(SourceLocation(file: displayPath, line: line, column: 1), "invalid UTF-8")
        }
        return try parse(text, displayPath: displayPath)
    }

    /// Parses YAML text already read and decoded.
    static func parse(_ text: String, displayPath: String) throws(Diagnostic) -> YAMLDocument {
        let location = SourceLocation(file: displayPath)
        // Editors on Windows start UTF-8 files with a byte order mark; it is not content.
        var text = text
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        if let problem = forbiddenCharacter(in: text) {
            throw Diagnostic(
                SourceLocation(file: displayPath, line: problem.line, column: problem.column), problem.message)
        }
        if let problem = YAMLEvents.screen(text, maximumEvents: maximumNodes) {
            throw Diagnostic(
                SourceLocation(file: displayPath, line: problem.line, column: problem.column), problem.message)
        }
        do {
            let root = try Yams.compose(yaml: text)
            return YAMLDocument(path: displayPath, root: root, budget: Budget(maximumNodes))
        } catch let error as YamlError {
            throw Self.diagnostic(for: error, file: displayPath, text: text)
        } catch {
            throw Diagnostic(location, "cannot parse YAML: \(error)")
        }
    }

    /// The first character YAML does not allow in a file (libyaml refuses it without saying
    /// where): a control character other than tab, newline and carriage return, a C1
    /// control other than NEL, U+FFFE or U+FFFF, or a byte order mark after the start.
    /// Lines and columns count from 1, columns in Unicode scalars as Yams counts them.
    static func forbiddenCharacter(in text: String) -> (line: Int, column: Int, message: String)? {
        var line = 1
        var column = 1
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0x0A {
                line += 1
                column = 1
                continue
            }
            let allowed =
                value == 0x09 || value == 0x0D || (0x20...0x7E).contains(value) || value == 0x85
                || (0xA0...0xFFFD).contains(value) && value != 0xFEFF || value >= 0x1_0000
            if !allowed {
                let hex = String(value, radix: 16, uppercase: true)
                let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                let message: String
                switch value {
                case 0: message = "NUL byte in file"
                case 0xFEFF: message = "byte order mark (U+FEFF) inside the file; only the first character may be one"
                default:
                    message =
                        "control character \(code) is not allowed in YAML (write it as an escape in a double-quoted string)"
                }
                return (line, column, message)
            }
            column += 1
        }
        return nil
    }

    private static func invalidUTF8Line(in data: Data) -> Int {
        var line = 1
        var start = data.startIndex
        for index in data.indices where data[index] == UInt8(ascii: "\n") {
            if String(validating: data[start...index], as: UTF8.self) == nil { return line }
            line += 1
            start = data.index(after: index)
        }
        return line
    }

    private static func diagnostic(for error: YamlError, file: String, text: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            if problem.hasPrefix("Maximum nesting level") {
                return Diagnostic(at(mark), "invalid YAML: nested deeper than libyaml's limit")
            }
            return Diagnostic(at(mark), "invalid YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let message = "duplicate key '\(duplicates.joined(separator: "', '"))'"
            if let key = duplicates.first, let place = secondOccurrence(of: key, in: text, from: context.mark.line) {
                return Diagnostic(SourceLocation(file: file, line: place.line, column: place.column), message)
            }
            return Diagnostic(at(context.mark), message)
        case let .reader(problem, _, _, _):
            return Diagnostic(SourceLocation(file: file), "invalid YAML: \(problem)")
        default:
            return Diagnostic(SourceLocation(file: file), "invalid YAML: \(error)")
        }
    }

    /// Where `key:` appears a second time at the same indentation, from line `start` on:
    /// Yams marks a duplicate key's mapping, the editor wants the line to fix.
    private static func secondOccurrence(of key: String, in text: String, from start: Int) -> (line: Int, column: Int)?
    {
        var firstIndent: Int?
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where offset + 1 >= start {
            let indent = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(indent)
            guard rest.hasPrefix(key + ":") || rest.hasPrefix("\"\(key)\":") || rest.hasPrefix("'\(key)':") else {
                continue
            }
            if let firstIndent {
                if indent == firstIndent { return (offset + 1, indent + 1) }
            } else {
                firstIndent = indent
            }
        }
        return nil
    }

    // MARK: Reading nodes

    func location(of node: Node?) -> SourceLocation {
        guard let mark = node?.mark else { return SourceLocation(file: path, line: 1, column: 1) }
        return SourceLocation(file: path, line: mark.line, column: mark.column)
    }

    /// Charges one node against the budget; fails once the file has expanded too far.
    func visit(_ node: Node) throws(Diagnostic) {
        budget.remaining -= 1
        if budget.remaining < 0 {
            throw Diagnostic(
                location(of: node), "file expands to more than \(Self.maximumNodes) values (too many aliases?)")
        }
    }

    /// The key-value pairs of a mapping, keys as strings.
    func mapping(_ node: Node, what: String) throws(Diagnostic) -> [(key: String, keyNode: Node, value: Node)] {
        try visit(node)
        guard case let .mapping(mapping) = node else {
            throw Diagnostic(location(of: node), "\(what) must be a mapping of keys to values")
        }
        var pairs: [(key: String, keyNode: Node, value: Node)] = []
        for (key, value) in mapping {
            try visit(key)
            guard case let .scalar(scalar) = key else {
                throw Diagnostic(location(of: key), "keys in \(what) must be plain words")
            }
            pairs.append((scalar.string, key, value))
        }
        return pairs
    }

    /// A text value; nil for YAML null.
    func string(_ node: Node, what: String) throws(Diagnostic) -> String? {
        try visit(node)
        guard case let .scalar(scalar) = node else {
            throw Diagnostic(location(of: node), "\(what) must be text")
        }
        if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return nil }
        return scalar.string
    }

    /// A text value that must be present and not blank.
    func requiredString(_ node: Node, what: String) throws(Diagnostic) -> String {
        guard let value = try string(node, what: what),
            !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else {
            throw Diagnostic(location(of: node), "\(what) must not be empty")
        }
        return value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A list of texts (a single text counts as a list of one).
    func strings(_ node: Node, what: String) throws(Diagnostic) -> [Located<String>] {
        try visit(node)
        switch node {
        case .scalar:
            guard let value = try string(node, what: what) else { return [] }
            return [Located(value, at: location(of: node))]
        case let .sequence(sequence):
            var values: [Located<String>] = []
            for item in sequence {
                let value = try requiredString(item, what: "each item of \(what)")
                values.append(Located(value, at: location(of: item)))
            }
            return values
        default:
            throw Diagnostic(location(of: node), "\(what) must be a list")
        }
    }
}
