internal import CYAML

/// Where a YAML value starts, counted from 1 as editors count (columns in Unicode scalars).
struct YAMLMark: Equatable {
    var line: Int
    var column: Int

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init(_ mark: yaml_mark_t) {
        line = Int(mark.line) + 1
        column = Int(mark.column) + 1
    }
}

/// A YAML value as the knowledge base reads it: text, a list or a mapping, each with the place it starts.
///
/// There are no aliases: the composer refuses them.
indirect enum Node {
    case scalar(Scalar)
    case sequence(Sequence)
    case mapping(Mapping)

    /// A text value and how it was written (plain text may mean null; quoted text never does).
    struct Scalar {
        var string: String
        var isPlain: Bool
        var mark: YAMLMark
    }

    /// A list of values.
    struct Sequence: RandomAccessCollection {
        var items: [Node]
        var mark: YAMLMark
        var startIndex: Int { items.startIndex }
        var endIndex: Int { items.endIndex }
        subscript(position: Int) -> Node { items[position] }
    }

    /// Key-value pairs in the order written.
    struct Mapping: RandomAccessCollection {
        var pairs: [(key: Node, value: Node)]
        var mark: YAMLMark
        var startIndex: Int { pairs.startIndex }
        var endIndex: Int { pairs.endIndex }
        subscript(position: Int) -> (key: Node, value: Node) { pairs[position] }
    }

    var mark: YAMLMark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .sequence(let sequence): sequence.mark
        case .mapping(let mapping): mapping.mark
        }
    }
}

/// Builds a `Node` tree from libyaml's events, with the limits a hand-edited file needs:
/// no aliases (a "billion laughs" file cannot expand), no duplicate keys, a bounded number
/// of values and a bounded depth (the tree is built without recursion).
enum YAMLComposer {
    /// A problem found while composing, at its place in the text; `message` is what the user reads.
    struct Failure: Error {
        var message: String
        var mark: YAMLMark?
    }

    /// The most values one file may hold.
    static let maximumValues = 2_000_000
    /// The deepest nesting of lists and mappings.
    static let maximumDepth = 1_000

    /// The single document of `text`, or nil for an empty stream.
    static func compose(_ text: String) throws(Failure) -> Node? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw Failure(message: "cannot start the YAML parser (out of memory?)", mark: nil)
        }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { (buffer) throws(Failure) -> Node? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var composer = EventComposer()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { throw parserFailure(parser) }
                defer { yaml_event_delete(&event) }
                if try composer.take(event) { return composer.root }
            }
        }
    }

    private static func parserFailure(_ parser: yaml_parser_t) -> Failure {
        let problem = "invalid YAML: " + (parser.problem.map { String(cString: $0) } ?? "unreadable text")
        if parser.error == YAML_READER_ERROR { return Failure(message: problem, mark: nil) }
        return Failure(message: problem, mark: YAMLMark(parser.problem_mark))
    }

    /// The open lists and mappings while events arrive.
    private struct EventComposer {
        /// A list or mapping whose end event has not come yet (mutated in place, so that
        /// appending stays linear).
        struct Open {
            var isMapping: Bool
            var mark: YAMLMark
            var items: [Node] = []
            var pairs: [(key: Node, value: Node)] = []
            /// A mapping's key waiting for its value.
            var pendingKey: Node?
            /// A mapping's scalar keys so far, to refuse duplicates.
            var keys: Set<String> = []
        }

        var stack: [Open] = []
        var root: Node?
        var documents = 0
        var values = 0

        /// Consumes one event; true once the stream has ended (the tree is then `root`).
        mutating func take(_ event: yaml_event_t) throws(Failure) -> Bool {
            let mark = YAMLMark(event.start_mark)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return true
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    throw Failure(
                        message: "invalid YAML: expected one YAML document in the file, found another", mark: mark)
                }
            case YAML_ALIAS_EVENT:
                throw Failure(message: "aliases (*name) are not allowed in knowledge base files", mark: mark)
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let string =
                    scalar.value.map {
                        String(decoding: UnsafeBufferPointer(start: $0, count: Int(scalar.length)), as: UTF8.self)
                    } ?? ""
                try count(at: mark)
                let isPlain = scalar.style == YAML_PLAIN_SCALAR_STYLE
                try add(.scalar(Node.Scalar(string: string, isPlain: isPlain, mark: mark)))
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                guard stack.count < YAMLComposer.maximumDepth else {
                    throw Failure(
                        message: "invalid YAML: nested deeper than \(YAMLComposer.maximumDepth) levels", mark: mark)
                }
                try count(at: mark)
                stack.append(Open(isMapping: event.type == YAML_MAPPING_START_EVENT, mark: mark))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let done = stack.popLast() else { break }  // libyaml pairs every end with its start
                try add(
                    done.isMapping
                        ? .mapping(Node.Mapping(pairs: done.pairs, mark: done.mark))
                        : .sequence(Node.Sequence(items: done.items, mark: done.mark)))
            default:
                break  // stream and document boundaries carry no value
            }
            return false
        }

        private mutating func count(at mark: YAMLMark) throws(Failure) {
            values += 1
            if values > YAMLComposer.maximumValues {
                throw Failure(message: "file has more than \(YAMLComposer.maximumValues) YAML values", mark: mark)
            }
        }

        /// Files a finished value in the innermost open collection, or as the root.
        private mutating func add(_ node: Node) throws(Failure) {
            let top = stack.count - 1
            guard top >= 0 else {
                root = node
                return
            }
            guard stack[top].isMapping else {
                stack[top].items.append(node)
                return
            }
            if let key = stack[top].pendingKey {
                stack[top].pairs.append((key, node))
                stack[top].pendingKey = nil
                return
            }
            if case .scalar(let key) = node, !stack[top].keys.insert(key.string).inserted {
                throw Failure(message: "duplicate key '\(key.string)'", mark: key.mark)
            }
            stack[top].pendingKey = node
        }
    }
}
