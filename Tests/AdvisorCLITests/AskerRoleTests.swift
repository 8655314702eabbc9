import AdvisorTestSupport
import Foundation
import Testing

/// Who asks and whom the question is about, over the built binary: `--role`, statements in
/// the question, `about`, next steps, and `/expect ... as ROLE`.
@Suite("asker role and next steps (binary)")
struct AskerRoleTests {
    @Test("--role CIO naming marketing gets CIO advice, with about and cited next steps in JSON")
    func cioNamesMarketing() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(
            ["ask", "--json", "--role", "CIO", "how do we split the budget with marketing?"])
        #expect(result.status == 0, "\(result)")
        let answer = try JSON.object(result.out)
        #expect(answer["topic"] as? String == "tech-budget")
        #expect(answer["role"] as? String == "cio", "roles are case-insensitive; naming marketing changes nothing")
        #expect(answer["about"] as? String == "cmo")
        let steps = try #require(answer["next_steps"] as? [[String: Any]])
        #expect(steps.count >= 2)
        let seeds = Set((answer["sources"] as? [[String: Any]] ?? []).compactMap { $0["seed"] as? String })
        for step in steps {
            #expect(step["role"] as? String == "cio")
            #expect((step["step"] as? String)?.isEmpty == false)
            #expect(seeds.contains(step["seed"] as? String ?? ""), "each step's article is among the sources")
            #expect(step["inferred"] is Bool)
        }
        let text = answer["answer"] as? String ?? ""
        #expect(text.contains("Next steps for you as a CIO:"))
        #expect(!text.contains("As a CMO"))
        let why = try #require(answer["why"] as? [String: Any])
        #expect(why["role"] as? String == "from --role")
    }

    @Test("text output leads with a summary, then the asker's steps, and numbers the sources")
    func textLayout() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(["ask", "--role", "cmo", "who should own mobile?"])
        #expect(result.status == 0, "\(result)")
        let lines = result.out.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasSuffix("[mobile-ownership]") == true)
        let steps = try #require(lines.firstIndex(of: "Next steps for you as a CMO:"))
        #expect(steps >= 2, "a summary comes first")
        #expect(result.out.contains("Sources: [1] "))
        #expect(result.out.contains("86%") && result.out.contains("76%"))
    }

    @Test("'I'm the CMO' in a script sets the role for the rest of the session and says so")
    func statementInScript() async throws {
        let sandbox = try Sandbox()
        let script = try sandbox.write(
            "statement.advisor",
            """
            I'm the CMO. Who should own mobile?
            /expect mobile-ownership as cmo
            how do we split the tech budget?
            /expect tech-budget as cmo
            what does platform mean to a CIO?
            /expect term-platform as cmo about cio

            """)
        let result = try await sandbox.advisor(["run", "--no-transcript", script.path])
        #expect(result.status == 0, "\(result)")
        #expect(result.out.contains("Noted: you are a CMO"))
        #expect(result.out.components(separatedBy: "Noted: you are").count == 2, "said once")
    }

    @Test("a side stated without the title is noted as that side: 'I'm the CTO' gets a CIO's advice")
    func sideNoted() async throws {
        let sandbox = try Sandbox()
        let cto = try await sandbox.advisor(["ask", "I'm the CTO and our CMO buys software without telling us"])
        #expect(cto.status == 0, "\(cto)")
        #expect(cto.out.contains("Noted: you are on IT's side, so advice is framed for a CIO"), "\(cto.out)")
        #expect(cto.out.contains("Next steps for you as a CIO"), "\(cto.out)")
        let marketing = try await sandbox.advisor(["ask", "I run marketing and IT keeps blocking our tools"])
        #expect(
            marketing.out.contains("Noted: you are on marketing's side, so advice is framed for a CMO"),
            "\(marketing.out)")
        let director = try await sandbox.advisor(["ask", "IT director here. marketing keeps buying tools without us"])
        #expect(director.out.contains("Noted: you are on IT's side"), "\(director.out)")
        #expect(director.out.contains("Next steps for you as a CIO"), "\(director.out)")
        for question in ["I'm the CMO, IT keeps blocking our tools", "CMO here. IT keeps blocking our tools"] {
            let title = try await sandbox.advisor(["ask", question])
            #expect(title.out.contains("Noted: you are a CMO"), "\(question): \(title.out)")
        }
    }

    @Test("'my CTO' makes the asker a CMO; 'my IT director' could be either side's, so no role is noted")
    func personOnASide() async throws {
        let sandbox = try Sandbox()
        let cto = try await sandbox.advisor(["ask", "--json", "My CTO says marketing tools are a nice-to-have"])
        let answer = try JSON.object(cto.out)
        #expect(answer["role"] as? String == "cmo", "\(cto.out)")
        let director = try await sandbox.advisor([
            "ask", "--json", "when my IT director says his team is agile, what does he mean?",
        ])
        let unread = try JSON.object(director.out)
        #expect(unread["role"] is NSNull, "\(director.out)")
        #expect(unread["notice"] == nil || unread["notice"] is NSNull, "\(director.out)")
    }

    @Test("a question signed chat-style, 'CMO: ...' or '... (CIO)', says who asks; 'CIO-CMO alignment:' signs nothing")
    func signedQuestion() async throws {
        let sandbox = try Sandbox()
        for (question, role) in [
            ("CMO: we keep launching campaigns and IT finds out the day before. how do we fix planning?", "cmo"),
            ("our CMO talks in acronyms and my team tunes out. any fix? (CIO)", "cio"),
            ("cio - how do I stop being the department of no?", "cio"),
        ] {
            let result = try await sandbox.advisor(["ask", "--json", question])
            let answer = try JSON.object(result.out)
            #expect(answer["role"] as? String == role, "\(question): \(result.out)")
            let steps = answer["next_steps"] as? [[String: Any]] ?? []
            #expect(!steps.isEmpty && steps.allSatisfy { $0["role"] as? String == role }, "\(question)")
        }
        let unsigned = try await sandbox.advisor(["ask", "--json", "CIO-CMO alignment: where do we start?"])
        #expect(try JSON.object(unsigned.out)["role"] is NSNull, "\(unsigned.out)")
    }

    @Test("/expect ... as ROLE fails with FILE:LINE: expected TOPIC as ROLE, got ...")
    func expectRoleFails() async throws {
        let sandbox = try Sandbox()
        let script = try sandbox.write(
            "wrong-role.advisor", "/role cio\nhow do we split the budget with marketing?\n/expect tech-budget as cmo\n")
        let result = try await sandbox.advisor(["run", "--no-transcript", script.path])
        #expect(result.status == 1, "\(result)")
        #expect(
            result.err.contains("wrong-role.advisor:3: expected tech-budget as cmo, got tech-budget as cio"),
            "\(result)")
    }

    @Test("a bad /expect role is a script error naming the line")
    func expectBadRole() async throws {
        let sandbox = try Sandbox()
        let script = try sandbox.write("bad.advisor", "who owns mobile\n/expect mobile-ownership as ceo\n")
        let result = try await sandbox.advisor(["run", "--no-transcript", script.path])
        #expect(result.status == 1, "\(result)")
        #expect(result.err.contains("bad.advisor:2:"), "\(result)")
        #expect(result.err.contains("'as' takes cio, cmo or nobody"), "\(result)")
    }

    @Test("with no role known, both roles' steps are shown, labelled")
    func noRole() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.advisor(["ask", "--json", "who should own mobile?"])
        let answer = try JSON.object(result.out)
        #expect(answer["role"] is NSNull)
        let roles = Set((answer["next_steps"] as? [[String: Any]] ?? []).compactMap { $0["role"] as? String })
        #expect(roles == ["cio", "cmo"])
        let text = answer["answer"] as? String ?? ""
        #expect(text.contains("For a CIO:") && text.contains("For a CMO:"))
    }

    @Test("kb eval reports accuracy, out-of-scope recall, false none and confusions; --min-accuracy gates")
    func kbEval() async throws {
        let sandbox = try Sandbox()
        let file = try sandbox.write(
            "set.tsv",
            "question\ttopic\tsource\nwho should own mobile?\tmobile-ownership\tx\n"
                + "what is the weather in Paris?\tnone\tx\nwho owns mobile\ttech-budget\tx\n")
        let result = try await sandbox.advisor(["kb", "eval", "--misses", file.path])
        #expect(result.status == 0, "\(result)")
        #expect(result.out.contains("accuracy           66.7% (2/3)"), "\(result)")
        #expect(result.out.contains("out-of-scope recall 100.0%"), "\(result)")
        #expect(result.out.contains("tech-budget -> mobile-ownership: 1"), "\(result)")
        #expect(result.out.contains("set.tsv:4: expected tech-budget, got mobile-ownership"), "\(result)")
        let gated = try await sandbox.advisor(["kb", "eval", "--min-accuracy", "0.9", file.path])
        #expect(gated.status == 1, "\(gated)")
        try await expectEvalRefuses(
            "who owns mobile\tno-such-topic\n", with: "bad.tsv:1: unknown topic 'no-such-topic'", in: sandbox)
    }

    /// `kb eval` on a one-line file `row` exits 2 with `message` on standard error.
    private func expectEvalRefuses(_ row: String, with message: String, in sandbox: Sandbox) async throws {
        let bad = try sandbox.write("bad.tsv", row)
        let result = try await sandbox.advisor(["kb", "eval", bad.path])
        #expect(result.status == 2, "\(result)")
        #expect(result.err.contains(message), "\(result)")
    }

    @Test("kb eval with a second labeller's column reports agreement, accuracy where they agree, and either label")
    func kbEvalSecondLabels() async throws {
        let sandbox = try Sandbox()
        // Row 2: both say mobile-ownership (right). Row 3: the labellers differ and the router
        // gives the second label. Row 4: both say tech-budget, the router says mobile-ownership.
        // Row 5 has no second label and is left out of the second-label figures.
        let file = try sandbox.write(
            "set.tsv",
            "question\ttopic\tsource\tsecond\nwho should own mobile?\tmobile-ownership\tx\tmobile-ownership\n"
                + "who owns mobile\ttech-budget\tx\tmobile-ownership\n"
                + "who owns the mobile app\ttech-budget\tx\ttech-budget\n"
                + "what is the weather in Paris?\tnone\tx\n")
        let result = try await sandbox.advisor(["kb", "eval", file.path])
        #expect(result.status == 0, "\(result)")
        #expect(result.out.contains("labellers agree    66.7% (2/3 with a second label)"), "\(result)")
        #expect(result.out.contains("accuracy, agreed   50.0% (1/2)"), "\(result)")
        #expect(result.out.contains("either label       66.7% (2/3)"), "\(result)")
        let plain = try sandbox.write("plain.tsv", "who should own mobile?\tmobile-ownership\tx\n")
        let plainResult = try await sandbox.advisor(["kb", "eval", plain.path])
        #expect(!plainResult.out.contains("labellers agree"), "\(plainResult)")
        try await expectEvalRefuses(
            "who owns mobile\tmobile-ownership\tx\tno-such-topic\n",
            with: "bad.tsv:1: unknown second label 'no-such-topic'", in: sandbox)
    }

    @Test("kb eval --patterns lists the patterns that decided answers wrongly at least as often as rightly")
    func kbEvalPatterns() async throws {
        let sandbox = try Sandbox()
        // mobile-ownership's patterns decide all three mobile rows, two of them labelled otherwise;
        // speed-vs-stability's decide one row, rightly, and are not listed.
        let file = try sandbox.write(
            "set.tsv",
            "question\ttopic\nwho should own mobile?\tmobile-ownership\nwho owns mobile\ttech-budget\n"
                + "who owns the mobile app\ttech-budget\nhow do we balance speed and security?\tspeed-vs-stability\n")
        let result = try await sandbox.advisor(["kb", "eval", "--patterns", file.path])
        #expect(result.status == 0, "\(result)")
        let section = result.out.components(separatedBy: "patterns wrong at least as often as right").last ?? ""
        #expect(section.contains("mobile-ownership: mobile, 1/2"), "\(result)")
        #expect(!section.contains("speed-vs-stability"), "\(result)")
        let clean = try sandbox.write("clean.tsv", "how do we balance speed and security?\tspeed-vs-stability\n")
        let none = try await sandbox.advisor(["kb", "eval", "--patterns", clean.path])
        #expect(none.out.contains("(topic: pattern, right/wrong):\n  (none)"), "\(none)")
        let plain = try await sandbox.advisor(["kb", "eval", file.path])
        #expect(!plain.out.contains("patterns wrong"), "\(plain)")
    }
}
