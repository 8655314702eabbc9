#!/usr/bin/env python3
"""Peers beside the advisor (BENCHMARKS.md, "Peers, measured beside us"; run by
`scripts/bench --peers`).

  peers.py convert KB OUT          the synthetic KB as AIML and RiveScript, plus the questions
  peers.py run ENGINE OUT ...      load, answer every question, print one JSON line
  peers.py oneshot ENGINE OUT cache|source Q   load (from the engine's cache or source), answer Q
  peers.py ceiling OUT             how many paraphrases an in-order trigger could match at all
  peers.py table RESULTS.jsonl     the Markdown table

Each rule's answer is its id, so recall is scored as advisor-bench scores it: a paraphrase is
found when the reply is its rule's id; a noise question is a false hit when the reply is any
rule id. Only the standard library plus the engine under test is imported.
"""
import json
import os
import re
import resource
import sys
import time

RULE_ID = re.compile(r"^r\d{6}$")


def read_kb(kb):
    """(id, [words]) for every rule of an `advisor-bench generate` knowledge base."""
    rules = []
    folder = os.path.join(kb, "topics")
    pattern = re.compile(r'^  - id: (\S+)$|^    patterns: \["([^"]*)"\]$', re.M)
    for name in sorted(os.listdir(folder)):
        current = None
        with open(os.path.join(folder, name)) as f:
            for m in pattern.finditer(f.read()):
                if m.group(1):
                    current = m.group(1)
                else:
                    rules.append((current, m.group(2).split()))
    return rules


def read_questions(path):
    # The 1,000 timed questions; the spell corrector's extra ones (a "kind") are advisor-bench's alone.
    with open(path) as f:
        return [(o["q"], o["expect"]) for o in map(json.loads, f) if o and "kind" not in o]


def convert(kb, out):
    rules = read_kb(kb)
    os.makedirs(out, exist_ok=True)
    # AIML 1.0 (what python-aiml implements): `*` matches one or more words, so the natural
    # idiom is one category per rule with a wildcard before, between and after its words.
    with open(os.path.join(out, "rules.aiml"), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="1.0">\n')
        for rid, words in rules:
            pattern = "* " + " * ".join(w.upper() for w in words) + " *"
            f.write(f"<category><pattern>{pattern}</pattern><template>{rid}</template></category>\n")
        f.write("</aiml>\n")
    # RiveScript: `*` is one or more words, `[*]` the optional (zero or more) wildcard; the
    # idiom for "these words, in this order, anywhere in the message" is [*] between them.
    with open(os.path.join(out, "rules.rive"), "w") as f:
        f.write("! version = 2.0\n\n")
        for rid, words in rules:
            f.write("+ [*] " + " [*] ".join(words) + " [*]\n- " + rid + "\n\n")
    with open(os.path.join(kb, "questions.jsonl")) as src, open(os.path.join(out, "questions.jsonl"), "w") as dst:
        dst.write(src.read())
    with open(os.path.join(out, "rules.json"), "w") as f:
        json.dump(rules, f)
    print(f"converted {len(rules)} rules to {out}")


class AIML:
    name = "python-aiml"

    def __init__(self, out, cached=False):
        import aiml

        self.k = aiml.Kernel()
        self.k.verbose(False)
        brain = os.path.join(out, "rules.brn")
        if cached:
            self.k.loadBrain(brain)
        else:
            self.k.learn(os.path.join(out, "rules.aiml"))

    def save_cache(self, out):
        self.k.saveBrain(os.path.join(out, "rules.brn"))

    def reply(self, q):
        return self.k.respond(q)


class Rive:
    name = "rivescript"

    def __init__(self, out, cached=False):
        from rivescript import RiveScript

        self.r = RiveScript(utf8=False)
        self.r.load_file(os.path.join(out, "rules.rive"))
        self.r.sort_replies()

    def save_cache(self, out):
        pass  # RiveScript has no compiled form: every start parses and sorts the source.

    def reply(self, q):
        return self.r.reply("bench", q)


ENGINES = {"aiml": AIML, "rivescript": Rive}


def percentile(sorted_ns, p):
    if not sorted_ns:
        return 0.0
    i = min(len(sorted_ns) - 1, max(0, -(-len(sorted_ns) * p // 1) - 1))  # as advisor-bench
    return sorted_ns[int(i)] / 1000


def run(engine, out, repeats, budget):
    """Load from source, score every question once (advisor-bench does the same before it
    times), then time every question in up to `repeats` further passes, a new pass started
    only while `budget` seconds have not passed (so at least one whole pass is timed)."""
    questions = read_questions(os.path.join(out, "questions.jsonl"))
    t0 = time.perf_counter()
    e = ENGINES[engine](out)
    load_ms = (time.perf_counter() - t0) * 1000
    found = noise = hits = paraphrases = 0
    first_pass = []
    for q, expect in questions:
        s = time.perf_counter_ns()
        a = e.reply(q).strip()
        first_pass.append(time.perf_counter_ns() - s)
        if expect is None:
            noise += 1
            hits += bool(RULE_ID.match(a))
        else:
            paraphrases += 1
            found += a == expect
    times = []
    passes = 0
    deadline = time.perf_counter() + budget
    while passes < repeats and time.perf_counter() < deadline:
        for q, _ in questions:
            s = time.perf_counter_ns()
            e.reply(q)
            times.append(time.perf_counter_ns() - s)
        passes += 1
    times.sort()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    e.save_cache(out)
    cached_ms = None
    if engine == "aiml":
        t0 = time.perf_counter()
        AIML(out, cached=True)
        cached_ms = round((time.perf_counter() - t0) * 1000, 1)
    print(json.dumps({
        "engine": e.name, "load_ms": round(load_ms, 1), "load_cached_ms": cached_ms,
        "p50_us": round(percentile(times, 0.5), 1), "p99_us": round(percentile(times, 0.99), 1),
        "timed": len(times), "timed_passes": passes, "scoring_s": round(sum(first_pass) / 1e9, 1),
        "recall": round(found / paraphrases, 3) if paraphrases else 0,
        "found": found, "paraphrases": paraphrases, "noise": noise, "noise_false_hits": hits,
        "peak_mib": round(peak, 1),
    }))


def oneshot(engine, out, start, q):
    print(ENGINES[engine](out, cached=start == "cache").reply(q))


def ceiling(out):
    """What an in-order trigger can reach: paraphrases that still hold all of their rule's
    words in the rule's order (any gaps), and those that also have at least one other word
    before, between and after them (what AIML 1.0's one-or-more `*` needs)."""
    rules = dict((rid, words) for rid, words in json.load(open(os.path.join(out, "rules.json"))))
    in_order = gapped = paraphrases = 0
    for q, expect in read_questions(os.path.join(out, "questions.jsonl")):
        if expect is None:
            continue
        paraphrases += 1
        words, want = q.split(), rules[expect]
        def embeds(k, lowest, gap):
            # Is want[k:] a subsequence of words[lowest:], with `gap` other words between
            # consecutive rule words and after the last?
            if k == len(want):
                return True
            for j in range(lowest, len(words) - (gap if k == len(want) - 1 else 0)):
                if words[j] == want[k] and embeds(k + 1, j + 1 + gap, gap):
                    return True
            return False

        in_order += embeds(0, 0, 0)
        gapped += embeds(0, 1, 1)
    print(json.dumps({"paraphrases": paraphrases, "in_order": in_order, "in_order_gapped": gapped}))


def fmt(v):
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.1f}" if v < 1000 else f"{v:,.0f}"
    return f"{v:,}"


def ratio(v, base):
    if v is None or base in (None, 0):
        return "—"
    r = v / base
    return f"{r:.2g}×" if r < 10 else f"{r:,.0f}×"


def table(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    sizes = sorted({r["rules"] for r in rows})
    out = []
    out.append("| rules | engine | load ms | load cached ms | per question p50 µs | p99 µs | one-shot ms | peak MiB | recall | in-order ceiling | noise hits |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    ratios = []
    ratios.append("| rules | engine | load | load cached | p50 | p99 | one-shot | peak memory | recall |")
    ratios.append("|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        here = [r for r in rows if r["rules"] == n]
        base = next((r for r in here if r["engine"] == "advisor"), None)
        for r in sorted(here, key=lambda r: ["advisor", "python-aiml", "rivescript"].index(r["engine"])):
            if r.get("skipped"):
                out.append(f"| {n:,} | {r['engine']} | {r['skipped']} | | | | | | | | |")
                continue
            ceil = r.get("ceiling")
            out.append(
                f"| {n:,} | {r['engine']} | {fmt(r['load_ms'])} | {fmt(r.get('load_cached_ms'))} | {fmt(r['p50_us'])} | {fmt(r['p99_us'])} | "
                f"{fmt(r.get('oneshot_ms'))}{' (' + r['oneshot_from'] + ')' if r.get('oneshot_from') else ''} | {fmt(r['peak_mib'])} | {r['recall']:.1%} | {ceil or '—'} | {r['noise_false_hits']}/{r['noise']} |")
            if base and r is not base:
                ratios.append(
                    f"| {n:,} | {r['engine']} | {ratio(r['load_ms'], base['load_ms'])} | {ratio(r.get('load_cached_ms'), base.get('load_cached_ms'))} | "
                    f"{ratio(r['p50_us'], base['p50_us'])} | {ratio(r['p99_us'], base['p99_us'])} | {ratio(r.get('oneshot_ms'), base.get('oneshot_ms'))} | "
                    f"{ratio(r['peak_mib'], base['peak_mib'])} | {ratio(r['recall'], base['recall'])} |")
    print("\n".join(out))
    print()
    print("Each figure divided by the advisor's at the same size (above 1× for times and memory: the peer is slower or larger; below 1× for recall: it finds fewer):")
    print()
    print("\n".join(ratios))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "convert":
        convert(*args)
    elif cmd == "run":
        run(args[0], args[1], int(args[2]), float(args[3]))
    elif cmd == "oneshot":
        oneshot(*args)
    elif cmd == "ceiling":
        ceiling(*args)
    elif cmd == "table":
        table(*args)
    else:
        sys.exit(__doc__)
