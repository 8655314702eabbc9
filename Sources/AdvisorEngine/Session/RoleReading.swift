import AdvisorKnowledge
import AdvisorText
import Foundation

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
    /// Whether the statement named the role's title ("I'm the CIO", "CMO here"), not only its
    /// side ("I'm the CTO", "I run marketing", "my team in IT").
    public var askerNamedTitle = false
    /// Where, in the normalised question, the words that state who asks lie.
    ///
    /// "i", "am", "responsible", "for" in "I'm responsible for IT" (the role's own word is left
    /// out; a field's, "technology" in "I'm in charge of technology", is in): they say who asks,
    /// not what the question is about. Empty unless the asker made a statement.
    public var askerLeadIn: Range<Int> = 0..<0
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
        // "in charge" is one word of the knowledge base's (a concept's phrase).
        "in charge",
        // A part of the field one runs ("I run growth marketing", "I lead customer marketing").
        "growth", "customer", "brand", "product", "performance", "lifecycle", "field", "enterprise", "corporate",
    ]
    /// Job words after a role or its field that make the two a title ("IT director here", "marketing
    /// lead here", "as the tech lead").
    package static let trailingJobWords: Set<String> = [
        "director", "head", "lead", "chief", "vp", "exec", "executive", "leader", "manager", "boss",
    ]
    /// Job words after "my" and a side that name a person of that side who may be the asker's
    /// report or their counterpart ("my IT director", "my marketing manager"): all but "boss", since
    /// "my IT boss" is the asker's own side.
    package static let personJobWords = trailingJobWords.subtracting(["boss"])
    /// Words that may stand between "we" or "us" and a side it states ("we in IT", "us at marketing").
    package static let sideGlue: Set<String> = ["in", "at", "the"]
    /// Words after a title that close a self-introduction opening the question ("IT director
    /// here", "marketing director speaking").
    package static let introductions: Set<String> = ["here", "speaking"]
    /// Verbs whose subject "I" is the role that follows ("I run marketing").
    package static let selfVerbs: Set<String> = [
        "am", "run", "lead", "head", "manage", "oversee", "direct", "work", "was", "became", "joined", "represent",
    ]
    /// How many words before "as the CIO" an opening "as" or a "same" makes it a comparison
    /// ("as much of the budget as the CIO", "the same budget as the CMO").
    static let comparisonReach = 6

    /// Whether the "as" at `index` of `texts` ends a comparison: "such as", "as well as", or an
    /// "as" or "same" within ``comparisonReach`` words before it.
    static func isComparison(before index: Int, in texts: [String]) -> Bool {
        if index >= 1, ["such", "well"].contains(texts[index - 1]) { return true }
        let window = texts[max(0, index - comparisonReach)..<max(0, index)]
        return window.contains("as") || window.contains("same")
    }

    /// Surfaces of a role's title (a person), as opposed to its department ("marketing", "IT").
    package static let titles: Set<String> = [
        "cio", "cios", "cmo", "cmos", "chief information officer", "chief information officers",
        "chief marketing officer", "chief marketing officers",
    ]
    /// Surfaces of a person on one side other than the CIO or CMO themselves: "my CTO" and "our
    /// head of growth" name the asker's counterpart, as "my CIO" does, and "Head of growth here"
    /// introduces the asker.
    package static let otherPersons: Set<String> = [
        "cto", "ctos", "chief technology officer", "chief technology officers", "communications director",
        "director of communications", "head of communications", "head of growth", "head of brand", "brand lead",
        "brand director",
    ]
    /// Words after "my" that make "my team in IT" a statement of the asker's department.
    package static let ownGroups: Set<String> = [
        "team", "teams", "department", "group", "org", "organisation", "organization", "people", "staff", "side",
    ]
    /// Modifiers that say one holds a job ("as head of IT", "as VP of marketing", "in charge of"):
    /// with "as" they state the asker's role, as an article does ("as the CMO").
    package static let jobWords: Set<String> = [
        "head", "vp", "svp", "evp", "director", "leader", "charge", "in charge",
    ]
    /// Verbs that, with "I", say one runs a field ("I run technology"); "I work in technology"
    /// says less, and a field needs more than that to be a role.
    package static let fieldVerbs: Set<String> = ["run", "lead", "head", "manage", "oversee", "direct"]
    /// Words after "my <department>" that name the asker's opposite number in it, not the asker's
    /// own part of it: "my marketing counterpart" is the other side, as "my CMO" is. ("my IT boss"
    /// and "my IT guys" are the asker's own side, and "my IT colleagues" could be either.)
    package static let counterpartWords: Set<String> = [
        "counterpart", "counterparts", "peer", "peers", "partner", "partners", "contact", "contacts",
    ]
    /// Longer ways of saying one holds the role that follows, as word sequences with the
    /// modifiers left out: "I'm responsible for IT", "I was just promoted to CMO", "I look after
    /// marketing", "as someone who runs IT".
    package static let leadIns: Set<String> = [
        "im responsible for", "i am responsible for", "im accountable for", "i am accountable for",
        "i was promoted to", "ive been promoted to", "i have been promoted to", "i got promoted to",
        "i look after", "im looking after", "i am looking after",
        "as someone who runs", "as someone who leads", "as someone who manages", "as somebody who runs",
        "as somebody who leads", "as one who runs",
        // "speaking for IT", "on behalf of marketing" ("of" is a modifier).
        "speaking for", "speaking on behalf", "on behalf", "writing on behalf",
    ]
    /// Verbs that, after "I" or "we", make "on the IT side" the asker's own side ("I'm on the IT
    /// side", "we sit on the marketing side").
    package static let sideVerbs: Set<String> = ["am", "are", "work", "sit"]
    /// The concepts that name a role's field, read only when the asker says it is theirs.
    ///
    /// "I'm in charge of technology", "I head up digital marketing"; elsewhere they are a subject,
    /// not a role. They are the knowledge base's `technology` and `digital-marketing` (see its schema).
    package static let statedFields: [String: Role] = [
        Normalizer.conceptPrefix + "technology": .cio, Normalizer.conceptPrefix + "digital-marketing": .cmo,
    ]

    /// Reads the roles of a normalised question.
    public static func read(_ words: [NormalizedWord]) -> RoleReading {
        var reading = RoleReading()
        var statements: [(role: Role, phrase: String, leadIn: Range<Int>, isTitle: Bool)] = []
        var possessives: [(Role, String)] = []
        var explicitAbout: Role?
        var mentioned: Set<Role> = []
        var mentionedTitles: Set<Role> = []
        let texts = words.map(\.surface)  // the words around a role as typed: "im" is not a typo here
        for (index, word) in words.enumerated() {
            let named = Self.role(of: word)
            guard let role = named ?? statedFields[word.term] else { continue }
            let isField = named == nil  // "technology": a role only in the asker's own statement
            if !isField { reading.namesRole = true }
            let typed = word.correction ?? word.surface
            let isTitle = titles.contains(typed)
            let isPerson = isTitle || otherPersons.contains(typed)
            // The words before the role, skipping modifiers.
            var back = index - 1
            var skippedArticle = false
            var skippedJob = false
            var skippedVerb = false
            while back >= 0, modifiers.contains(texts[back]) {
                if ["a", "an", "the"].contains(texts[back]) { skippedArticle = true }
                if jobWords.contains(texts[back]) { skippedJob = true }
                if selfVerbs.contains(texts[back]) { skippedVerb = true }
                back -= 1
            }
            let previous = back >= 0 ? texts[back] : nil
            let beforePrevious = back >= 1 ? texts[back - 1] : nil
            let next = index + 1 < texts.count ? texts[index + 1] : nil
            let phrase = { (from: Int) in texts[max(0, from)...index].joined(separator: " ") }
            // A field's own word is part of the statement ("technology" says who asks, not what
            // about); a role's word is not content anyway.
            let state = { (from: Int, suffix: String) in
                reading.namesRole = true
                statements.append((role, phrase(from) + suffix, max(0, from)..<(isField ? index + 1 : index), isTitle))
            }

            // "I'm the CIO", "I run marketing", and "I head up marketing" (where "head" is also a
            // modifier, as in "I'm head of marketing").
            let saysI =
                previous == "im" || (previous.map(selfVerbs.contains) ?? false && beforePrevious == "i")
                || (previous == "i" && skippedVerb)
            // A field is a role only with a job or a verb of running it: "I'm in charge of
            // technology", "I head up digital marketing", not "I work at a technology company".
            let runsField = skippedJob || skippedVerb || (previous.map(fieldVerbs.contains) ?? false)
            if saysI, !isField || runsField {
                // "i run": the statement starts at "i"; "im" (typed without its apostrophe) is one word.
                state(previous == "i" || previous == "im" ? back : back - 1, "")
                continue
            }
            if let start = leadIn(before: index, in: texts) {
                state(start, "")
                continue
            }
            if next == "side", let start = Self.sideStatementStart(before: back, in: texts) {
                state(start, " side")
                continue
            }
            // "CIO here." and "new CMO here -" open a question by saying who writes it, as do "IT
            // director here", "marketing lead speaking", "head of technology here" and "IT side
            // here": a title, or a side with its job or "side", then "here".
            if back < 0, !skippedArticle, let opening = Self.introduction(after: index, in: texts),
                isPerson || opening.jobNamed || skippedJob || opening.side,
                Self.startsQuestion(at: opening.end + 1, in: words, with: introductionFollowers, orRole: true)
            {
                state(0, " " + texts[(index + 1)...opening.end].joined(separator: " "))
                continue
            }
            // "IT head: should ...", "marketing lead - my opposite number ...": a side and its job
            // opening the question, with no "here", when a question's own first word follows.
            if back < 0, !skippedArticle, let next, trailingJobWords.contains(next), index + 2 < texts.count,
                Self.startsQuestion(at: index + 2, in: words, with: questionStarts, orRole: false)
            {
                state(0, " " + next)
                continue
            }
            // "CMO of a travel company.", "CIO at a hospital group, ..." and "Head of IT at a district
            // council." open a question too.
            if back < 0, isPerson || skippedJob, let next, ["of", "at"].contains(next), index + 2 < texts.count,
                ["a", "an"].contains(texts[index + 2])
            {
                state(0, " " + next)
                continue
            }
            // "as the technology changes" is not a statement: a field needs the job ("as head of").
            // "as much budget as the CIO", "the same say as the CMO", "such as the CIO" compare
            // with the role: the second "as" of a comparison states nothing.
            // "as the tech lead": a job word after the field names the job too.
            let jobFollows = next.map(trailingJobWords.contains) ?? false
            if previous == "as", !Self.isComparison(before: back, in: texts),
                skippedJob || (skippedArticle && jobFollows) || (!isField && (isTitle || skippedArticle))
            {
                // "speaking as the CMO": the verb is part of the statement.
                let speaking = beforePrevious.map(["speaking", "talking", "writing", "asking"].contains) ?? false
                state(speaking ? back - 1 : back, "")
                continue
            }
            if isField { continue }
            if previous == "my", !isPerson, let next, counterpartWords.contains(next) {
                possessives.append((role.counterpart, phrase(back) + " " + next))  // "my marketing counterpart"
                mentioned.insert(role)
                continue
            }
            // "my IT director", "my VP of engineering": a person on that side, the asker's report or
            // their counterpart; either may say it, so it tells nobody's role.
            let namesJob = skippedJob || (next.map(personJobWords.contains) ?? false)
            if previous == "my", !isPerson, !namesJob {
                state(back, "")  // "my marketing team", "my IT budget"
                continue
            }
            // "we in IT", "us marketers"; not "we just hired a marketing ops director".
            let skipped = texts[(back + 1)..<index]
            if let previous, ["we", "us"].contains(previous), skipped.allSatisfy(sideGlue.contains) {
                state(back, "")
                continue
            }
            if let previous, ownGroups.contains(previous), beforePrevious == "my" {
                state(back - 1, "")  // "my team in IT"
                continue
            }
            if isPerson, previous == "my" || previous == "our" {
                possessives.append((role.counterpart, phrase(back)))
                mentioned.insert(role)
                continue
            }
            if isPerson { mentionedTitles.insert(role) }
            // The role the question is about.
            if let previous, ["to", "for", "from"].contains(previous) {
                explicitAbout = role
            }
            mentioned.insert(role)
        }
        let stated = Set(statements.map(\.role))
        let inferred = Set(possessives.map(\.0))
        if stated.count == 1, let first = statements.first {
            reading.asker = first.role
            reading.askerEvidence = .statement
            reading.askerPhrase = first.phrase
            reading.askerLeadIn = first.leadIn
            reading.askerNamedTitle = first.isTitle
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

    /// Where a statement of one's side starts when the word at `back` ("on", "from") opens "on
    /// the IT side": "I'm on the IT side", "we sit on the marketing side", or "From the marketing
    /// side, how do we ..." opening the question; nil when the side is somebody else's.
    private static func sideStatementStart(before back: Int, in texts: [String]) -> Int? {
        guard back >= 0, ["on", "from"].contains(texts[back]) else { return nil }
        if back == 0 { return 0 }
        if texts[back - 1] == "im" { return back - 1 }
        if back >= 2, sideVerbs.contains(texts[back - 1]), ["i", "we"].contains(texts[back - 2]) { return back - 2 }
        return nil
    }

    /// Where a self-introduction after the role at `index` ends ("here" in "IT director here",
    /// "speaking" in "marketing director speaking", "here" in "IT side here"), and whether a job
    /// word or "side" came between; nil when the role is not followed by one.
    private static func introduction(after index: Int, in texts: [String]) -> (
        end: Int, jobNamed: Bool, side: Bool
    )? {
        var position = index + 1
        var jobNamed = false
        var side = false
        if position < texts.count, trailingJobWords.contains(texts[position]) {
            jobNamed = true
            position += 1
        } else if position < texts.count, texts[position] == "side" {
            side = true
            position += 1
        }
        guard position < texts.count, introductions.contains(texts[position]) else { return nil }
        return (position, jobNamed, side)
    }

    /// Words that start a question's own sentence after a self-introduction with no "here"
    /// ("IT head: should ...", "marketing exec - the tech folks ..."); "is" and "are" are not
    /// among them ("IT head is leaving" speaks of that head).
    package static let questionStarts: Set<String> = [
        "how", "what", "why", "who", "when", "where", "which", "should", "can", "could", "would", "do", "i", "im",
        "we", "our", "my", "the", "every", "quick", "any",
    ]
    /// Words that start the question after "CIO here" and the like.
    ///
    /// The question's own first words, and more, since "here" already closed the introduction
    /// ("CMO here: is the survey credible?"); "CIO here keeps blocking ..." goes on about that CIO.
    package static let introductionFollowers: Set<String> = questionStarts.union([
        "question", "so", "and", "new", "just", "is", "are", "does", "did", "will", "need", "thoughts", "help",
        "advice", "one", "at",
    ])

    /// Whether the word at `position` starts the question: one of `starters` (a phrase of the
    /// knowledge base, "what does the company gain", by its first word), a role when `orRole` ("CIO
    /// here: marketing wants ..."; but "marketing lead IT projects" goes on about them), or the end.
    private static func startsQuestion(
        at position: Int, in words: [NormalizedWord], with starters: Set<String>, orRole: Bool
    ) -> Bool {
        guard position < words.count else { return true }
        let word = words[position]
        let first = word.surface.split(separator: " ").first.map(String.init) ?? word.surface
        return (orRole && role(of: word) != nil) || starters.contains(first)
    }

    /// Where a lead-in ending just before `index` starts ("im responsible for" before "IT"),
    /// modifiers between its words aside; nil when there is none.
    private static func leadIn(before index: Int, in texts: [String]) -> Int? {
        var positions: [Int] = []
        var position = index - 1
        while position >= 0, positions.count < 5 {
            if !modifiers.contains(texts[position]) { positions.append(position) }
            position -= 1
        }
        guard positions.count >= 2 else { return nil }
        for length in 2...positions.count {
            let words = positions.prefix(length).reversed().map { texts[$0] }
            if leadIns.contains(words.joined(separator: " ")) { return positions[length - 1] }
        }
        return nil
    }

    /// The role a question is signed with, chat-style, and the signature as typed (folded).
    ///
    /// "CMO: we keep launching campaigns ..." and "... any fix? (CMO)" say who writes, as
    /// "CMO here" does. The punctuation is the signature, so it is read from the question as
    /// typed: "CIO-CMO alignment: where to start?" and "what does agile mean (to a CMO)?" sign
    /// nothing.
    public static func signature(in question: String) -> (role: Role, phrase: String)? {
        // Only its two ends can hold a signature: a long question is not folded whole.
        let trimmed = question.trimmingCharacters(in: .whitespacesAndNewlines)
        let head = trimmed.prefix(8).lowercased()
        let tail = trimmed.suffix(64).lowercased()
        for role in Role.allCases {
            let name = role.rawValue
            // "cmo: ...", "cmo - ...": the name, then a colon, or a dash with a space before it
            // ("cio-cmo alignment" is one word), then the question.
            if head.hasPrefix(name) {
                let rest = trimmed.dropFirst(name.count)
                let mark = rest.drop { $0 == " " }
                let colon = mark.first == ":"
                let dash = mark.count < rest.count && ["-", "\u{2013}", "\u{2014}"].contains(mark.first)
                if colon || dash, mark.dropFirst().contains(where: { $0 != " " }) {
                    return (role, name + (colon ? ":" : " " + String(mark.prefix(1))))
                }
            }
            // "... any fix? (cmo)": the name alone in brackets, last.
            var end = Substring(tail)
            while let last = end.last, ".!".contains(last) || last == " " { end = end.dropLast() }
            if end.hasSuffix("(" + name + ")"), trimmed.count > name.count + 2 + (tail.count - end.count) {
                return (role, "(" + name + ")")
            }
        }
        return nil
    }

    /// Takes the asker from the question's signature (``signature(in:)``) when its words said
    /// nothing of who asks.
    public mutating func adoptSignature(of question: String) {
        guard asker == nil, let signed = Self.signature(in: question) else { return }
        asker = signed.role
        askerEvidence = .statement
        askerPhrase = signed.phrase
        askerNamedTitle = true
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
