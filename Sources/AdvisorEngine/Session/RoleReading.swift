import AdvisorKnowledge
import AdvisorText

/// What a question says about roles: who is asking, and which role it is about.
///
/// The two are different things. "I'm the CIO", "as a CMO", "I run marketing" and "my team
/// in IT" say who asks; "my CMO" and "our CIO keeps ..." say it too, the other way round
/// (the asker is the counterpart of the person named). "what does platform mean to a CMO?"
/// is about the CMO and says nothing of the asker. Naming a role never makes it the asker's.
public struct RoleReading: Sendable, Equatable {
    /// How the question told who asks.
    public enum AskerEvidence: Sendable, Equatable {
        /// The asker said what they are ("I'm the CIO", "as a CMO", "I run marketing").
        case statement
        /// The asker named their counterpart as theirs ("my CMO", "our CIO").
        case possessive
    }

    /// The asker's role, when the question says it.
    public var asker: Role?
    /// How it said so.
    public var askerEvidence: AskerEvidence?
    /// The words that said so, as typed (folded): "i am the cio", "my cmo".
    public var askerPhrase: String?
    /// The role the question is about, when it names one (and only one).
    public var about: Role?
    /// Whether `about` was asked for explicitly ("to a CMO", "for the CIO").
    public var aboutIsExplicit = false
    /// Whether the question names a role at all, for the asker or otherwise.
    public var namesRole = false

    /// Makes a reading that says nothing: no asker, no role asked about, no role named.
    public init() {}

    /// Words that can stand between a verb or possessive and the role ("I am the new CIO",
    /// "I'm head of marketing", "our recently hired CMO").
    package static let modifiers: Set<String> = [
        "a", "an", "the", "new", "newly", "recently", "just", "appointed", "hired", "interim", "acting", "current",
        "incoming", "global", "group", "company", "companys", "head", "of", "vp", "svp", "evp", "director",
        "leader", "up", "charge", "in", "at",
    ]
    /// Verbs whose subject "I" is the role that follows ("I run marketing").
    package static let selfVerbs: Set<String> = [
        "am", "run", "lead", "head", "manage", "oversee", "direct", "work", "was", "became", "joined", "represent",
    ]
    /// Surfaces of a role's title (a person), as opposed to its department ("marketing", "IT").
    package static let titles: Set<String> = [
        "cio", "cios", "cmo", "cmos", "chief information officer", "chief information officers",
        "chief marketing officer", "chief marketing officers",
    ]
    /// Words after "my" that make "my team in IT" a statement of the asker's department.
    package static let ownGroups: Set<String> = [
        "team", "teams", "department", "group", "org", "organisation", "organization", "people", "staff", "side",
    ]

    /// Reads the roles of a normalised question.
    public static func read(_ words: [NormalizedWord]) -> RoleReading {
        var reading = RoleReading()
        var statements: [(Role, String)] = []
        var possessives: [(Role, String)] = []
        var explicitAbout: Role?
        var mentioned: Set<Role> = []
        var mentionedTitles: Set<Role> = []
        let texts = words.map(\.surface)  // the words around a role as typed: "im" is not a typo here
        for (index, word) in words.enumerated() {
            guard let role = Self.role(of: word) else { continue }
            reading.namesRole = true
            let isTitle = titles.contains(word.correction ?? word.surface)
            // The words before the role, skipping modifiers.
            var back = index - 1
            var skippedArticle = false
            while back >= 0, modifiers.contains(texts[back]) {
                if ["a", "an", "the"].contains(texts[back]) { skippedArticle = true }
                back -= 1
            }
            let previous = back >= 0 ? texts[back] : nil
            let beforePrevious = back >= 1 ? texts[back - 1] : nil
            let phrase = { (from: Int) in texts[max(0, from)...index].joined(separator: " ") }

            let saysI = previous == "im" || (previous.map(selfVerbs.contains) ?? false && beforePrevious == "i")
            if saysI {
                statements.append((role, phrase(back - 1)))
                continue
            }
            if previous == "as", isTitle || skippedArticle {
                statements.append((role, phrase(back)))
                continue
            }
            if let previous, ["we", "us"].contains(previous) {
                statements.append((role, phrase(back)))
                continue
            }
            if previous == "my", !isTitle {
                statements.append((role, phrase(back)))  // "my marketing team", "my IT budget"
                continue
            }
            if let previous, ownGroups.contains(previous), beforePrevious == "my" {
                statements.append((role, phrase(back - 1)))  // "my team in IT"
                continue
            }
            if isTitle, previous == "my" || previous == "our" {
                possessives.append((role.counterpart, phrase(back)))
                mentioned.insert(role)
                continue
            }
            if isTitle { mentionedTitles.insert(role) }
            // The role the question is about.
            if let previous, ["to", "for", "from"].contains(previous) {
                explicitAbout = role
            }
            mentioned.insert(role)
        }
        let stated = Set(statements.map(\.0))
        let inferred = Set(possessives.map(\.0))
        if stated.count == 1, let first = statements.first {
            reading.asker = first.0
            reading.askerEvidence = .statement
            reading.askerPhrase = first.1
        } else if stated.isEmpty, inferred.count == 1, let first = possessives.first,
            !mentionedTitles.contains(first.0)  // "our CIO and CMO": a third party speaks
        {
            reading.asker = first.0
            reading.askerEvidence = .possessive
            reading.askerPhrase = first.1
        }
        if let explicitAbout {
            reading.about = explicitAbout
            reading.aboutIsExplicit = true
        } else if mentioned.count == 1 {
            reading.about = mentioned.first
        }
        return reading
    }

    /// The role a normalised word names, through the reserved concepts `cio` and `cmo`.
    package static func role(of word: NormalizedWord) -> Role? {
        switch word.term {
        case Normalizer.conceptPrefix + Role.cio.rawValue: .cio
        case Normalizer.conceptPrefix + Role.cmo.rawValue: .cmo
        default: nil
        }
    }
}
