import AdvisorKnowledge

/// What an `/expect` line asserts of the last answer: its topic, and optionally whom the
/// advice was for (`as cio`, `as nobody`) and which role the question was about (`about cmo`).
public struct Expectation: Sendable, Equatable, CustomStringConvertible {
    /// The topic id the answer must have.
    public var topic: String
    /// nil: not checked; `.some(nil)`: no asker role.
    public var asker: Role??
    /// nil: not checked; `.some(nil)`: about no role.
    public var about: Role??

    /// Makes an expectation of `topic`; by default the roles are not checked.
    public init(topic: String, asker: Role?? = nil, about: Role?? = nil) {
        self.topic = topic
        self.asker = asker
        self.about = about
    }

    /// Reads `TOPIC [as ROLE] [about ROLE]`, where ROLE is `cio`, `cmo` or `nobody`.
    public static func parse(_ text: String) -> Result<Expectation, ExpectationError> {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let topic = words.first else { return .failure(ExpectationError("needs a topic id")) }
        var expectation = Expectation(topic: topic)
        var index = 1
        while index < words.count {
            let keyword = words[index].lowercased()
            guard ["as", "about"].contains(keyword), index + 1 < words.count else {
                return .failure(
                    ExpectationError("expected 'as cio|cmo|nobody' or 'about cio|cmo|nobody' after the topic"))
            }
            let value = words[index + 1].lowercased()
            let role: Role?
            if let known = Role(rawValue: value) {
                role = known
            } else if value == "nobody" || value == "none" {
                role = nil
            } else {
                return .failure(ExpectationError("'\(keyword)' takes cio, cmo or nobody, not '\(words[index + 1])'"))
            }
            if keyword == "as" { expectation.asker = .some(role) } else { expectation.about = .some(role) }
            index += 2
        }
        return .success(expectation)
    }

    /// Whether an answer's actual topic and roles meet this expectation.
    public func matches(_ actual: Expectation) -> Bool {
        topic == actual.topic && Self.agrees(asker, actual.asker) && Self.agrees(about, actual.about)
    }

    private static func agrees(_ expected: Role??, _ actual: Role??) -> Bool {
        guard case let .some(wanted) = expected else { return true }
        guard case let .some(got) = actual else { return wanted == nil }
        return wanted == got
    }

    /// `actual` showing only what this expectation checks.
    public func projected(_ actual: Expectation) -> Expectation {
        Expectation(
            topic: actual.topic, asker: asker == nil ? nil : actual.asker, about: about == nil ? nil : actual.about)
    }

    /// The expectation as an `/expect` line writes it: `TOPIC [as ROLE] [about ROLE]`, with `nobody` for no role.
    public var description: String {
        var text = topic
        if let asker { text += " as " + (asker?.rawValue ?? "nobody") }
        if let about { text += " about " + (about?.rawValue ?? "nobody") }
        return text
    }
}

/// Why an `/expect` line could not be read.
public struct ExpectationError: Error, Sendable, Equatable {
    /// What is wrong with the line, in one phrase ("needs a topic id").
    public var message: String
    /// Makes the error from its message.
    public init(_ message: String) { self.message = message }
}
