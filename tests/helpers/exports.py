"""CSV exports shaped like the ones teams really have, written by the tests (deterministically).

Delighted (an NPS survey with person properties: -0800 timestamps, blank scores, emoji,
multi-line comments, a BOM, CRLF line ends), Zendesk (tickets with a Good/Bad satisfaction
rating and a dropdown holding an item's title), HubSpot (a CRM report with revenue in
dollars and an id that collides with a Zendesk ticket's), Typeform (an NPS question as a
column named by its text) and Google Forms (US dates, words for satisfaction, no id). Names
and e-mail addresses are personal data: tests assert none of them reaches the repository.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

COMPANIES = (
    ("Harbor Freight Co", "Growth", "$26,400", "Growth plan, 10–50 agents"),
    ("Pinecrest Health", "Enterprise", "$96,000", "Mid-market and enterprise"),
    ("Fernway Outdoors", "Growth", "9600", "Growth plan, 5–20 agents"),
    ("Brightline Apps", "Starter", "1,200", "Starter plan"),
    ("Acme Logistics", "Enterprise", "$172,800.00", "Mid-market and enterprise"),
    ("Northwind Traders", "Growth", "20160 USD", "Growth plan, 10–50 agents"),
    ("Lumen Health", "Growth", "$14,400", "Growth plan, 5–20 agents"),
    ("Orbit Travel", "Starter", "$2,400", "Starter plan"),
)
COMMENTS = (
    "Love the shared inbox 😍",
    "",
    "Slack replies would save us an hour a day",
    "Search is slow, and it misses \"obvious\" articles",
    "Good, but:\nthe mobile app crashes\nwhen attaching photos",
    "",
    "SSO please — our IT team insists",
    "Pricing is hard to predict in peak season, we pay for idle seats",
    "Fine",
    "",
    "The new macros are great, thank you!",
)
PERSONAL = ("jane.doe", "@example.com", "Jane Doe")
"""Strings of the personal columns: none may reach the content folder."""


def _csv(header: list[str], rows: list[list[str]], *, bom: bool = False, crlf: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def delighted(rows: int = 160) -> bytes:
    """An NPS survey export: one row per answer, person properties as columns."""
    body = []
    for n in range(rows):
        company, plan, arr, segment = COMPANIES[n % len(COMPANIES)]
        score = "" if n % 13 == 5 else str((n * 7) % 11)
        day, hour = 1 + n % 28, 8 + n % 10
        body.append([str(40000 + n), f"2026-11-{day:02d} {hour:02d}:{n % 60:02d}:11 -0800", score,
                     COMMENTS[n % len(COMMENTS)], f"Jane Doe {n}", f"jane.doe+{n}@example.com", company, plan, arr,
                     segment])
    return _csv(["Response ID", "Created", "Score", "Comment", "Name", "Email", "Company", "Plan", "ARR", "Segment"],
                body, bom=True, crlf=True)


def zendesk() -> bytes:
    """Tickets: satisfaction rated Good or Bad (or offered and never answered); a custom dropdown names the item."""
    rows = [
        ["88125", "Can we reply from Slack?", "Agents live in Slack all day.\n\nThey asked twice.", "Jane Doe",
         "Harbor Freight Co", "2026-11-02 09:14", "Good", "Reply to tickets from Slack"],
        ["88126", "SSO with Okta", "IT blocks rollout until SSO.", "Jane Doe", "Pinecrest Health",
         "2026-11-03 15:40", "Bad", "Single sign-on with SAML"],
        ["88127", "Mobile app crashes", "Crash when attaching photos from the gallery.", "Jane Doe",
         "Fernway Outdoors", "2026-11-04 11:05", "Offered", "Mobile app for agents"],
        ["88128", "Question about invoices", "Where do I find last month's invoice?", "Jane Doe",
         "Brightline Apps", "2026-11-05 08:30", "Unoffered", ""],
        ["88129", "Search misses articles", "Searching 'refund' does not find the refunds article.",
         "Jane Doe", "Orbit Travel", "2026-11-06 10:00", "", "Help-center search that understands questions"],
    ]
    return _csv(["Id", "Subject", "Description", "Requester", "Organization", "Created at", "Satisfaction Score",
                 "Roadmap item"], rows)


def hubspot() -> bytes:
    """A CRM report: revenue in dollars, an industry worth keeping, record 88125 (a Zendesk ticket's id too)."""
    rows = [
        ["88125", "2026-11-20 14:05", "Acme Logistics", "$172,800.00", "Enterprise", "Logistics", "Customer",
         "Renewal depends on the audit log, \"without it legal says no\"."],
        ["88201", "2026-11-21 09:30", "Lumen Health", "$14,400.00", "Growth", "Healthcare", "Customer",
         "Wants EU data residency before expanding to Germany."],
        ["88202", "2026-11-22 16:45", "Northwind Traders", "$20,160.00", "Growth", "Retail", "Opportunity", ""],
    ]
    return _csv(["Record ID", "Create Date", "Company name", "Annual recurring revenue", "Plan tier", "Industry",
                 "Lifecycle Stage", "Feedback"], rows)


TYPEFORM_NPS = "How likely are you to recommend Brightdesk to a friend or colleague?"
TYPEFORM_WHY = "What is the main reason for your score?"


def typeform() -> bytes:
    rows = [
        ["a1b2c3", "10", "Fast, friendly, and the inbox rules just work", "Harbor Freight Co", "2026-11-28 17:02:11",
         "n1"],
        ["d4e5f6", "3", "Phone support is missing, we need it for our hotline", "Orbit Travel",
         "2026-11-28 18:10:45", "n2"],
        ["g7h8i9", "8", "", "Fernway Outdoors", "2026-11-29 07:55:00", "n3"],
        ["j1k2l3", "7", "Okay overall; reporting is thin", "Lumen Health", "2026-11-29 12:00:00", "n4"],
    ]
    return _csv(["#", TYPEFORM_NPS, TYPEFORM_WHY, "Company", "Submitted At", "Network ID"], rows)


FORMS_SATISFIED = "How satisfied are you with Brightdesk?"
FORMS_FEATURE = "Which feature is this about?"
FORMS_NEXT = "What should we build next?"


def google_forms() -> bytes:
    """A form: US timestamps, satisfaction in words, a dropdown of item titles, no id column."""
    rows = [
        ["12/3/2026 15:40:12", "jane.doe@example.com", "Very satisfied", "Reply to tickets from Slack",
         "Threads from Slack, please", "Harbor Freight Co"],
        ["12/4/2026 9:02:45", "jane.doe+2@example.com", "Dissatisfied", "Single sign-on with SAML",
         "SAML with Entra ID", "Pinecrest Health"],
        ["12/4/2026 10:15:00", "jane.doe+3@example.com", "Neutral", "", "", "Fernway Outdoors"],
        ["11/28/2026 9:02:00", "jane.doe+4@example.com", "Satisfied", "", "Dark mode for night shifts",
         "Lumen Health"],
    ]
    return _csv(["Timestamp", "Email Address", FORMS_SATISFIED, FORMS_FEATURE, FORMS_NEXT, "Company"], rows)


EXPORTS = {
    "exports/delighted.csv": delighted,
    "exports/zendesk.csv": zendesk,
    "exports/hubspot.csv": hubspot,
    "exports/typeform.csv": typeform,
    "exports/google-forms.csv": google_forms,
}


def write_exports(project: Path) -> None:
    for name, make in EXPORTS.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make())
