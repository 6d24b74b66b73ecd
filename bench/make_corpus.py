#!/usr/bin/env python3
"""(A verbatim copy of ../shared/bench/make_corpus.py, kept here so the benchmarks run from a clone.)

Write a large synthetic roadmapgen project (content format v1) for benchmarks.

Deterministic for a given N and seed. About 70% of documents are public; bodies are
400-800 words of varied Markdown (headings, lists, links, code, tables, quotes), with an
occasional `::: internal` block and links between items.

    make_corpus.py N DEST [--hugo HUGO_DEST] [--seed S]

--hugo also writes a Hugo site holding the same roadmap items (same Markdown bodies) with
minimal templates, so the two generators can be timed side by side on the same work.
"""
import argparse
import datetime as dt
import os
import random
import shutil

WORDS = (
    "roadmap customer workflow latency dashboard export import billing invoice "
    "permission role audit trail integration webhook api endpoint token session "
    "search index filter query report chart metric alert threshold notification "
    "email digest onboarding wizard template workspace project milestone backlog "
    "sprint release feature flag rollout experiment cohort segment retention churn "
    "pipeline queue worker cache database replica shard migration schema column "
    "latency throughput availability reliability compliance encryption key vault "
    "region tenant account organisation admin owner viewer editor comment thread "
    "mention attachment upload preview thumbnail mobile desktop browser offline sync "
    "conflict merge history version snapshot restore backup archive retention policy "
    "the a an of to and in for with on by from is are be will should can may must "
    "we our users teams this that these those it its their when while because "
    "improve reduce enable support simplify expose allow prevent track measure "
    "faster simpler safer clearer consistent scalable configurable reliable "
    "internal external existing new legacy current upcoming primary secondary"
).split()

THEMES = ["Collaboration", "Analytics", "Platform", "Security", "Integrations",
          "Mobile", "Billing", "Onboarding", "Performance", "Admin"]
STATUSES = ["planned", "in-progress", "shipped"]
TAGS = ["api", "ux", "enterprise", "smb", "compliance", "perf", "mobile", "web",
        "ai", "reporting", "sso", "audit", "export", "notifications", "search",
        "billing", "infra", "accessibility", "i18n", "beta"]
PERSONAS = ["admin-alex", "analyst-ana", "developer-dev", "manager-mo",
            "viewer-vic", "finance-fay", "support-sam", "executive-eve"]
VERBS = ["Improve", "Redesign", "Add", "Support", "Speed up", "Simplify",
         "Introduce", "Automate", "Harden", "Expose"]
LANGS = {
    "python": ["def handler(event, ctx):", "    items = load(event['id'])",
               "    for item in items:", "        if item.status == 'planned':",
               "            yield render(item)", "    return None"],
    "yaml": ["rollout:", "  flag: new_dashboard", "  cohorts: [beta, internal]",
             "  percentage: 25", "alerts:", "  - metric: p95_latency_ms",
             "    threshold: 400"],
    "json": ['{', '  "id": "item-123",', '  "status": "in-progress",',
             '  "owners": ["team-a", "team-b"],', '  "quarter": "2025-Q3"', '}'],
    "bash": ["curl -sS -H 'Authorization: Bearer $TOKEN' \\",
             "  https://api.example.com/v2/items?status=planned | jq '.items[]'"],
    "sql": ["SELECT theme, count(*) AS n", "FROM items",
            "WHERE status = 'shipped' AND quarter >= '2025-Q1'",
            "GROUP BY theme ORDER BY n DESC;"],
}


class Body:
    def __init__(self, rng):
        self.r = rng
        self.parts = []
        self.words = 0

    def w(self, n):
        r = self.r
        out = []
        for _ in range(n):
            word = r.choice(WORDS)
            x = r.random()
            if x < 0.03:
                word = f"*{word}*"
            elif x < 0.05:
                word = f"**{word}**"
            elif x < 0.06:
                word = f"`{word}_{r.choice(WORDS)}`"
            elif x < 0.075:
                word = f"[{word}](https://example.com/{r.choice(WORDS)}/{r.randint(1, 999)})"
            out.append(word)
        self.words += n
        return out

    def sentence(self):
        ws = self.w(self.r.randint(8, 20))
        s = " ".join(ws)
        return s[0].upper() + s[1:] + "."

    def para(self):
        self.parts.append(" ".join(self.sentence() for _ in range(self.r.randint(2, 5))))

    def heading(self, level, text):
        self.parts.append("#" * level + " " + text)

    def bullets(self, ordered=False):
        n = self.r.randint(3, 6)
        lines = []
        for i in range(n):
            item = " ".join(self.w(self.r.randint(4, 12)))
            lines.append((f"{i + 1}. " if ordered else "- ") + item)
        self.parts.append("\n".join(lines))

    def code(self):
        lang = self.r.choice(sorted(LANGS))
        self.parts.append("```" + lang + "\n" + "\n".join(LANGS[lang]) + "\n```")

    def table(self):
        rows = ["| Metric | Baseline | Target | Owner |", "|---|---:|---:|---|"]
        for _ in range(self.r.randint(3, 6)):
            rows.append("| %s %s | %d | %d | %s |" % (
                self.r.choice(WORDS), self.r.choice(WORDS), self.r.randint(1, 900),
                self.r.randint(1, 900), self.r.choice(PERSONAS)))
        self.words += len(rows) * 4
        self.parts.append("\n".join(rows))

    def quote(self):
        self.parts.append("> " + self.sentence() + " " + self.sentence())

    def text(self):
        return "\n\n".join(self.parts) + "\n"



STATUSES = ["planned", "in-progress", "beta", "shipped", "paused", "cancelled"]
HORIZONS = ["now", "next", "later"]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def body_text(rng, i, n_items):
    target = rng.randint(400, 800)
    b = Body(rng)
    b.para()
    b.heading(2, "Problem")
    b.para()
    b.para()
    b.heading(2, "Proposal")
    b.para()
    b.bullets()
    b.heading(3, "Details")
    b.para()
    b.code()
    if i % 3 == 0:
        b.heading(3, "Success metrics")
        b.table()
    if rng.random() < 0.4:
        b.quote()
    if rng.random() < 0.3:
        b.parts.append("::: internal\n" + b.sentence() + "\n:::")
    if rng.random() < 0.3:
        other = rng.randint(1, n_items)
        b.parts.append(f"See also [item {other}](item-{other:05d}.md).")
    b.heading(2, "Rollout")
    b.bullets(ordered=True)
    sec = 1
    while b.words < target:
        b.heading(3, f"Notes {sec}")
        b.para()
        if rng.random() < 0.3:
            b.bullets()
        sec += 1
    return b.text()


def generate(n, dest, seed, hugo=None):
    rng = random.Random(seed)
    shutil.rmtree(dest, ignore_errors=True)
    write(f"{dest}/roadmapgen.yaml",
          f"product: Bench {n}\ntagline: Synthetic benchmark project\nbase_url: https://bench.example/\n")
    write(f"{dest}/content/vision.md",
          "---\ntitle: Vision\nstatement: Every team ships what customers need.\nvisibility: public\n---\n"
          + Body(rng).sentence() + "\n")
    objectives = [f"objective-{k:02d}" for k in range(1, 11)]
    for k, slug in enumerate(objectives):
        vis = "public" if k % 3 else "internal"
        write(f"{dest}/content/objectives/{slug}.md",
              f"---\ntitle: Objective {k + 1}\nsummary: {q(Body(rng).sentence())}\n"
              f"key_results: [{q(Body(rng).sentence())}]\nvisibility: {vis}\n---\n{Body(rng).sentence()}\n")
    n_personas = max(8, n // 50)
    personas = [f"persona-{k:04d}" for k in range(1, n_personas + 1)]
    for k, slug in enumerate(personas):
        vis = "public" if k % 4 else "internal"
        write(f"{dest}/content/personas/{slug}.md",
              f"---\nname: Persona {k + 1}\nrole: {rng.choice(WORDS).title()} lead\nsegment: Segment {k % 5}\n"
              f"quote: {q(Body(rng).sentence())}\ngoals: [{q(Body(rng).sentence())}, {q(Body(rng).sentence())}]\n"
              f"pain_points: [{q(Body(rng).sentence())}]\nvisibility: {vis}\n---\n"
              + " ".join(Body(rng).sentence() for _ in range(4)) + "\n")
    shipped = []
    hugo_items = []
    for i in range(1, n + 1):
        status = rng.choice(STATUSES)
        tags = sorted(rng.sample(TAGS, rng.randint(1, 4)))
        noun = " ".join(rng.choice(WORDS[:120]) for _ in range(2))
        title = f"{rng.choice(VERBS)} {noun} (#{i})"
        fm = [f"title: {q(title)}", f"status: {status}"]
        if status not in ("shipped", "cancelled"):
            fm.append(f"horizon: {rng.choice(HORIZONS)}")
        fm.append(f"summary: {q(Body(rng).sentence())}")
        fm.append(f'target: "{rng.choice([2026, 2027])}-Q{rng.randint(1, 4)}"')
        fm.append(f"objective: {rng.choice(objectives)}")
        fm.append("personas: [" + ", ".join(sorted(rng.sample(personas, rng.randint(1, 3)))) + "]")
        fm.append("tags: [" + ", ".join(tags) + "]")
        fm.append(f"owner: Owner {rng.randint(1, 40)}")
        fm.append(f"rice: {{reach: {rng.randint(10, 5000)}, impact: {rng.choice([0.25, 0.5, 1, 2, 3])}, "
                  f"confidence: {rng.choice([0.5, 0.8, 1])}, effort: {rng.choice([0.5, 1, 2, 3, 5])}}}")
        fm.append("visibility: " + ("public" if rng.random() < 0.7 else "internal"))
        body = body_text(rng, i, n)
        slug = f"item-{i:05d}"
        write(f"{dest}/content/roadmap/{slug}.md", "---\n" + "\n".join(fm) + "\n---\n" + body)
        if status == "shipped":
            shipped.append(slug)
        if hugo:
            hugo_items.append((slug, title, status, tags, body))
    n_releases = max(3, n // 25)
    day = dt.date(2024, 1, 1)
    for r in range(n_releases):
        version = f"{1 + r // 100}.{(r // 10) % 10}.{r % 10}"
        ships = shipped[r::n_releases]
        day += dt.timedelta(days=rng.randint(1, 5))
        write(f"{dest}/content/releases/{version}.md",
              f"---\nversion: {version}\ndate: {day.isoformat()}\ntitle: Release {version}\n"
              f"ships: [{', '.join(ships)}]\nvisibility: {'public' if r % 5 else 'internal'}\n---\n"
              "## Added\n\n" + "\n".join("- " + Body(rng).sentence() for _ in range(4)) + "\n")
    for k in range(n // 4):
        its = sorted({f"item-{rng.randint(1, n):05d}" for _ in range(rng.randint(1, 3))})
        write(f"{dest}/content/feedback/feedback-{k:05d}.md",
              f"---\ndate: 2026-{1 + k % 12:02d}-{1 + k % 28:02d}\nsource: {rng.choice(['interview', 'survey', 'support', 'sales'])}\n"
              f"customer: Customer {rng.randint(1, 300)}\npersona: {rng.choice(personas)}\n"
              f"items: [{', '.join(its)}]\nsentiment: {rng.choice(['positive', 'neutral', 'negative'])}\n"
              f"quote: {q(Body(rng).sentence())}\n---\n{Body(rng).sentence()}\n")
    for name, kind in (("nps", "nps"), ("csat", "csat"), ("ces", "ces")):
        pts = "\n".join(f"  - {{date: 2026-{m:02d}-28, value: {rng.randint(10, 90)}}}" for m in range(1, 13))
        write(f"{dest}/content/metrics/{name}.yaml",
              f"name: {name.upper()}\nkind: {kind}\nvisibility: public\npoints:\n{pts}\n")
    if hugo:
        write_hugo(hugo, hugo_items)


HUGO_TOML = """baseURL = "https://bench.example/"
locale = "en-us"
title = "Roadmap bench"
"""
HUGO_BASEOF = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head>
<body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HUGO_SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<dl><dt>Status</dt><dd>{{ .Params.status }}</dd>
<dt>Tags</dt><dd>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd></dl>
{{ .Content }}</article>{{ end }}
"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> - {{ .Params.status }}</li>{{ end }}</ul>{{ end }}
"""


def write_hugo(dest, items):
    shutil.rmtree(dest, ignore_errors=True)
    write(f"{dest}/hugo.toml", HUGO_TOML)
    write(f"{dest}/layouts/baseof.html", HUGO_BASEOF)
    write(f"{dest}/layouts/single.html", HUGO_SINGLE)
    write(f"{dest}/layouts/list.html", HUGO_LIST)
    write(f"{dest}/content/roadmap/_index.md", "---\ntitle: Roadmap\n---\n")
    for slug, title, status, tags, body in items:
        # Hugo needs a Hugo link form; plain text keeps the Markdown work the same
        body = body.replace("::: internal\n", "").replace("\n:::", "")
        write(f"{dest}/content/roadmap/{slug}.md",
              f"---\ntitle: {q(title)}\nstatus: {status}\ntags: [{', '.join(tags)}]\n---\n{body}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of roadmap items")
    ap.add_argument("dest", help="folder for the roadmapgen project (replaced)")
    ap.add_argument("--hugo", help="also write a Hugo site with the same items here (replaced)")
    ap.add_argument("--seed", type=int, default=20261122)
    a = ap.parse_args()
    generate(a.n, a.dest, a.seed, a.hugo)


if __name__ == "__main__":
    main()
