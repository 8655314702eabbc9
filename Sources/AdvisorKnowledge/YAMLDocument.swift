import Foundation

/// A parsed YAML file, read with bounds and reported with `FILE:LINE:COLUMN` diagnostics.
struct YAMLDocument {
    /// The largest knowledge base file read, in bytes.
    static let maximumFileSize = 32 << 20

    let path: String
    let root: Node?

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
        do {
            return YAMLDocument(path: displayPath, root: try YAMLComposer.compose(text))
        } catch {
            guard let mark = error.mark else { throw Diagnostic(location, error.message) }
            throw Diagnostic(SourceLocation(file: displayPath, line: mark.line, column: mark.column), error.message)
        }
    }

    /// The first character YAML does not allow in a file, with its line, column and what it is.
    ///
    /// libyaml refuses such a character without saying where. It is a control character other
    /// than tab, newline and carriage return, a C1 control other than NEL, U+FFFE or U+FFFF, or
    /// a byte order mark after the start. Lines and columns count from 1, columns in Unicode
    /// scalars as libyaml counts them; nil when the text has no such character.
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

    // MARK: Reading nodes

    func location(of node: Node?) -> SourceLocation {
        guard let mark = node?.mark else { return SourceLocation(file: path, line: 1, column: 1) }
        return SourceLocation(file: path, line: mark.line, column: mark.column)
    }

    /// The key-value pairs of a mapping, keys as strings.
    func mapping(_ node: Node, what: String) throws(Diagnostic) -> [(key: String, keyNode: Node, value: Node)] {
        guard case let .mapping(mapping) = node else {
            throw Diagnostic(location(of: node), "\(what) must be a mapping of keys to values")
        }
        var pairs: [(key: String, keyNode: Node, value: Node)] = []
        for (key, value) in mapping {
            guard case let .scalar(scalar) = key else {
                throw Diagnostic(location(of: key), "keys in \(what) must be plain words")
            }
            pairs.append((scalar.string, key, value))
        }
        return pairs
    }

    /// A text value; nil for YAML null.
    func string(_ node: Node, what: String) throws(Diagnostic) -> String? {
        guard case let .scalar(scalar) = node else {
            throw Diagnostic(location(of: node), "\(what) must be text")
        }
        if scalar.isPlain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return nil }
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

    /// A `true` or `false` value.
    func bool(_ node: Node, what: String) throws(Diagnostic) -> Bool {
        switch try string(node, what: what) {
        case "true": return true
        case "false": return false
        default: throw Diagnostic(location(of: node), "\(what) must be true or false")
        }
    }

    /// A list of texts (a single text counts as a list of one).
    func strings(_ node: Node, what: String) throws(Diagnostic) -> [Located<String>] {
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
