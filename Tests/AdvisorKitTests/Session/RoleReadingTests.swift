import AdvisorTestSupport
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorTranscripts

@Suite("Who asks and whom the question is about")
struct RoleReadingTests {
    private func read(_ question: String) -> RoleReading {
        RoleReading.read(TestSupport.advisor().router.route(question).words)
    }

    @Test(
        "A statement of the asker's own role sets the asker",
        arguments: [
            ("I'm the CIO, how do we split the budget?", Role.cio),
            ("im the cmo and IT is slow", .cmo),
            ("I am a new CMO. Where do I start with IT?", .cmo),
            ("As a CIO, what does marketing mean by platform?", .cio),
            ("as the CMO, how do I share customer data with IT?", .cmo),
            ("I run marketing and our CIO blocks every tool", .cmo),
            ("I lead IT at a retailer; marketing buys its own software", .cio),
            ("my team in IT is swamped by marketing requests", .cio),
            ("my marketing team wants its own analytics", .cmo),
            ("I work in IT. Who should own mobile?", .cio),
            ("I'm head of marketing, who owns the app?", .cmo),
            // A job after "as", "I head up", and a role's field in the asker's own statement.
            ("as head of IT, how should I share budget with marketing?", .cio),
            ("as VP of marketing, what does the CIO mean by agile?", .cmo),
            ("I head up marketing, who owns mobile?", .cmo),
            ("I head up digital marketing and need customer data from IT", .cmo),
            ("I'm in charge of technology; who owns the website?", .cio),
            ("I'm in charge of technology and my marketing counterpart wants her own developers", .cio),
            // Longer lead-ins, and a title opening the question.
            ("I'm responsible for IT and the CMO wants half my budget", .cio),
            ("I was just promoted to CMO, how do I approach the CIO?", .cmo),
            ("I look after marketing, IT says no to everything", .cmo),
            ("as someone who runs IT, what should I know about marketing KPIs?", .cio),
            ("speaking as the CMO, I think IT is too slow", .cmo),
            ("CIO here. marketing wants their own app", .cio),
            ("new CMO here - what should I ask the CIO?", .cmo),
            ("I'm looking after IT, who should own the app?", .cio),
            // Speaking for a side, and being on it.
            ("speaking for IT, why does marketing buy its own tools?", .cio),
            ("on behalf of marketing: why is IT so slow?", .cmo),
            ("I'm on the IT side, what does the CMO want?", .cio),
            ("from the marketing side, how do we get IT to listen?", .cmo),
            ("I work on the marketing side and IT never answers", .cmo),
            // The asker's own people in their department: "my IT boss" is not the counterpart.
            ("my IT boss wants me to work more closely with marketing", .cio),
            ("my IT guys are swamped by marketing requests", .cio),
            // A statement beside a comparison with the counterpart.
            ("As CIO, why does marketing get as much budget as I do?", .cio),
            ("as the CMO, should I get as much say as the CIO?", .cmo),
            // A side with its job introducing the asker (round 17's situational questions).
            ("IT director here, quick one: platform means something diff to the creatives, right?", .cio),
            ("Marketing chief here - what share of CIOs versus CMOs claim they own mobile?", .cmo),
            ("marketing director speaking. the engineers and my team mean different things", .cmo),
            ("Head of technology here. Does sloppy vocabulary cost the company money?", .cio),
            ("IT side here. is arguing with marketing normal?", .cio),
            ("IT head: should the marketing tech team report into my org?", .cio),
            ("marketing vp. our launches flop when IT isn't part of the planning", .cmo),
            ("As the tech lead, how do I explain omnichannel to my team?", .cio),
            ("CMO of a travel company. What does IT mean by platform?", .cmo),
            ("New CIO at a regional hospital group, first week in", .cio),
            ("CMO here - is it a problem if I outsource our analytics?", .cmo),
            ("CMO here. what does the company gain when my counterpart and I work together?", .cmo),
            ("i run growth marketing, what does the other side think a digital product is?", .cmo),
            ("I lead customer marketing. does IT mean something different by omnichannel?", .cmo),
            // A CTO introducing themselves is on IT's side.
            ("CTO here. what does marketing mean by platform?", .cio),
            // The titles of small and mid-size firms (round 18's situational questions).
            ("Head of IT at a district council. Where do I even start?", .cio),
            ("Head of growth at a 30 person SaaS startup. How do I work with IT?", .cmo),
            ("head of growth here. how common is a weak relationship with IT?", .cmo),
        ])
    func statement(question: String, asker: Role) {
        let reading = read(question)
        #expect(reading.asker == asker, "\(question)")
        #expect(reading.askerEvidence == .statement)
        #expect(reading.askerPhrase != nil)
    }

    @Test(
        "Naming the counterpart as one's own makes the asker the other role",
        arguments: [
            ("my CMO keeps buying SaaS without asking", Role.cio),
            ("our CIO keeps saying no to every campaign tool", .cmo),
            ("how do I get my CIO to move faster?", .cmo),
            ("our new CMO wants to own mobile", .cio),
            // A person in the other department: "my marketing counterpart" is not the asker's team.
            ("my marketing counterpart wants her own developers", .cio),
            ("my IT counterpart never listens to us", .cmo),
            // A CTO is a person on IT's side, as the CIO is (round 18's situational questions).
            ("My CTO cited a survey of 400 execs. What three steps did it recommend?", .cmo),
            ("Our CTO wants a fixed go-live date for the omnichannel experience", .cmo),
            ("our head of growth wants her own analytics tool", .cio),
        ])
    func possessive(question: String, asker: Role) {
        let reading = read(question)
        #expect(reading.asker == asker, "\(question)")
        #expect(reading.askerEvidence == .possessive)
        #expect(reading.about == asker.counterpart, "the question is about the counterpart it names")
    }

    @Test(
        "Merely naming a role says nothing of who asks",
        arguments: [
            "what does platform mean to a CMO?",
            "how do we split the budget with marketing?",
            "should IT or marketing own mobile?",
            "our CIO and CMO don't get along",
            "why do CMOs think IT is slow?",
            "marketing is as important as IT",
            // A role's field names no asker outside a statement.
            "as the technology changes, who owns mobile?",
            "my technology choices keep changing",
            "digital marketing is growing fast",
            "the CMO here wants more budget",
            "is the CIO here to stay?",
            "CIO here keeps blocking our campaign tools",
            "I work at a technology company, how do I get the CMO on board?",
            "I'm in technology sales, how do I sell to a CMO?",
            // The second "as" of a comparison names the role compared with, not the asker.
            "why does marketing get as much budget as the CIO?",
            "should the CMO have as much say as the CIO on tech spend?",
            "does the CMO get the same budget as the CIO?",
            "other roles such as the CIO",
            "the CMO, as well as the CIO, owns the customer experience",
            // Somebody's side, not the asker's.
            "why is everything slow on the IT side?",
            "the CMO says that on the IT side nothing moves",
            "is the problem on the marketing side or the IT side?",
            // A job after a side, or a title with "at", that is not an introduction.
            "IT head is leaving, who owns mobile now?",
            "the IT director here keeps blocking our tools",
            "marketing lead generation is down, is IT to blame?",
            "CIO at our company says no to every tool",
            "IT here is a mess, how do we work with marketing?",
            // A person of a side's with their job: the asker's report or their counterpart.
            "platform means different things to me and my IT lead, right?",
            "when my IT director says his team is agile, why do deadlines keep slipping?",
            "My VP of engineering said our brief was unbuildable as written",
            "my marketing manager wants to buy HubSpot without asking",
            // "we" with more than "in" or "the" before the side is not "we in IT".
            "we just hired a marketing ops director who thinks she runs all martech integration",
            "should we be hiring a head of growth or an agency?",
        ])
    func mentionOnly(question: String) {
        #expect(read(question).asker == nil, "\(question)")
    }

    @Test(
        "The words that state who asks are marked, so that they are not routed",
        arguments: [
            ("I'm responsible for IT and the CMO wants half my budget", ["i", "am", "responsible", "for"]),
            ("speaking as the CMO, I think IT is too slow", ["speaking", "as", "the"]),
            ("I'm the CIO, how do we split the budget?", ["i", "am", "the"]),
            ("why is IT so slow im the CMO", ["im", "the"]),
            // "in charge" is one word: a phrase of the knowledge base's concepts.
            ("I'm in charge of technology and the CMO", ["i", "am", "in charge", "of", "technology"]),
            ("my CMO keeps buying SaaS without asking", []),
            ("I'm on the IT side, what does the CMO want?", ["i", "am", "on", "the"]),
        ])
    func leadIn(question: String, words: [String]) {
        let routing = TestSupport.advisor().router.route(question)
        let reading = RoleReading.read(routing.words)
        #expect(routing.words[reading.askerLeadIn].map(\.surface) == words, "\(question)")
    }

    @Test(
        "The role a question is about",
        arguments: [
            ("what does platform mean to a CMO?", Role?.some(.cmo)),
            ("and to a CIO?", .cio),
            ("what does marketing mean by agile?", .cmo),
            ("platform cio vs cmo", nil),
            ("I'm the CIO. What does agile mean?", nil),
        ])
    func about(question: String, about: Role?) {
        #expect(read(question).about == about, "\(question)")
    }

    @Test(
        "A chat-style signature says who writes; the same words without its punctuation do not",
        arguments: [
            ("CMO: we keep launching campaigns and IT finds out the day before", Role?.some(.cmo), "cmo:"),
            ("cio : what do I tell the board?", .cio, "cio:"),
            ("CIO - how do I stop being the department of no?", .cio, "cio -"),
            ("CMO \u{2013} is it normal that we disagree?", .cmo, "cmo \u{2013}"),
            ("our CIO talks in acronyms and my team tunes out. any fix? (CMO)", .cmo, "(cmo)"),
            ("any fix? (cio).", .cio, "(cio)"),
            ("CIO-CMO alignment: where do we start?", nil, ""),
            ("CMO is a hard job, where do I start?", nil, ""),
            ("what does agile mean (to a CMO)?", nil, ""),
            ("(CMO)", nil, ""),
            ("CMO:", nil, ""),
            ("cmos: what do they want?", nil, ""),
        ])
    func signature(question: String, role: Role?, phrase: String) {
        let signed = RoleReading.signature(in: question)
        #expect(signed?.role == role, "\(question)")
        if role != nil { #expect(signed?.phrase == phrase, "\(question)") }
    }

    @Test("A signature yields to what the words say of who asks")
    func signatureYields() {
        var reading = read("I'm the CIO. any advice? (CMO)")
        reading.adoptSignature(of: "I'm the CIO. any advice? (CMO)")
        #expect(reading.asker == .cio)
        var unsigned = read("any advice on the budget? (CMO)")
        #expect(unsigned.asker == nil)
        unsigned.adoptSignature(of: "any advice on the budget? (CMO)")
        #expect(unsigned.asker == .cmo)
        #expect(unsigned.askerEvidence == .statement)
    }
}
