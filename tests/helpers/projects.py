"""A small valid project that tests break one file at a time."""

from __future__ import annotations

SMALL_PROJECT = """\
-- roadmapgen.yaml --
product: Acme
base_url: https://example.com/
-- content/vision.md --
---
title: Vision
statement: Make work lighter.
visibility: public
---
We believe in [Pat](personas/pat.md).
-- content/objectives/grow.md --
---
title: Grow
summary: Grow the business.
visibility: public
---
Objective body.
-- content/personas/pat.md --
---
name: Pat Doe
role: Support lead
avatar: assets/pat.svg
visibility: public
---
Pat leads a support team.
-- content/roadmap/alpha.md --
---
title: Alpha
status: planned
horizon: now
objective: grow
personas: [pat]
rice: {reach: 100, impact: 1, confidence: 0.5, effort: 2}
visibility: public
---
Alpha body.
-- content/roadmap/beta.md --
---
title: Beta
status: shipped
visibility: public
---
Beta body.
-- content/releases/1.0.0.md --
---
version: 1.0.0
date: 2026-01-15
ships: [beta]
visibility: public
---
First release.
-- content/feedback/call.md --
---
date: 2026-02-01
source: interview
persona: pat
items: [alpha]
---
Notes.
-- content/metrics/nps.yaml --
name: NPS
kind: nps
visibility: public
points:
  - {date: 2026-01-31, value: 30}
  - {date: 2026-02-28, value: 35}
-- content/assets/pat.svg --
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><circle cx="1" cy="1" r="1"/></svg>
"""
