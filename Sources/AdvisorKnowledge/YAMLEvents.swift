internal import CYaml

/// A first pass over a YAML text with libyaml's event parser, before Yams builds its
/// tree: it rejects aliases, which knowledge base files never need and which can expand
/// exponentially (a "billion laughs" file), and bounds the number of events.
package enum YAMLEvents {
    /// Nil when the text may be composed; otherwise the problem and its 1-based position.
    package static func screen(_ text: String, maximumEvents: Int) -> (message: String, line: Int, column: Int)? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> (String, Int, Int)? in
            guard let base = buffer.baseAddress else { return nil }
            yaml_parser_set_input_string(&parser, base, buffer.count)
            var count = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }  // Yams reports syntax errors
                defer { yaml_event_delete(&event) }
                let mark = event.start_mark
                if event.type == YAML_ALIAS_EVENT {
                    return (
                        "aliases (*name) are not allowed in knowledge base files", Int(mark.line) + 1,
                        Int(mark.column) + 1
                    )
                }
                count += 1
                if count > maximumEvents {
                    return ("file has more than \(maximumEvents) YAML values", Int(mark.line) + 1, Int(mark.column) + 1)
                }
                if event.type == YAML_STREAM_END_EVENT { return nil }
            }
        }
    }
}
