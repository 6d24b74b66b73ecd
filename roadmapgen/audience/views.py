"""What templates may see: the allow-list of the audience wall, written as types.

The public classes hold exactly the fields content format §3 marks public; the
``Internal*`` subclasses add what only the internal site shows. Templates and the page
plan receive only these objects, never a :class:`~roadmapgen.model.document.Document`,
so a field added to the model stays internal until someone adds it here. On the public
site a template that asks for an internal field fails (StrictUndefined) instead of
printing it.

URLs are site-relative and start with the ROOT marker (see
:mod:`roadmapgen.markdown.placeholders`); ``body`` is HTML for this audience.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from roadmapgen.colours import Accent
from roadmapgen.i18n import Strings
from roadmapgen.markdown.placeholders import Anchor, resolve_links
from roadmapgen.model.survey import Survey, SurveyPeriod, Withheld
from roadmapgen.packs import StoredHtml, loaded


@dataclass(frozen=True, slots=True)
class Html:
    """A body for one site: its HTML, shared with the document, and where its links lead here.

    Links are resolved when the body is printed, so views of every site share one copy of
    each body instead of holding their own. ``anchors`` holds only what this site shows:
    an (href, title) per document link, or None for a link whose target is not here.
    A cached body's HTML is read from its pack only here, when a page prints it."""

    source: Markup | StoredHtml
    anchors: tuple[Anchor, ...] = ()
    internal_label: str = ""
    """The words that head an internal block (internal site only: public bodies have none)."""

    def __html__(self) -> Markup:
        return resolve_links(loaded(self.source), self.anchors, self.internal_label)

    def __str__(self) -> str:
        return self.__html__()

    def __bool__(self) -> bool:
        return bool(self.source)


@dataclass(frozen=True, slots=True, kw_only=True)
class PageRef:
    """Another page this one points to: its title and URL, nothing more."""

    slug: str
    title: str
    url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemCard:
    """A roadmap item as lists show it (board cards, persona and release pages)."""

    slug: str
    url: str
    title: str
    status: str
    horizon: str | None
    summary: str | None
    target: str | None
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class InternalItemCard(ItemCard):
    visibility: str
    owner: str | None
    score: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class VisionView:
    title: str
    statement: str
    body: Html


@dataclass(frozen=True, slots=True, kw_only=True)
class InternalVisionView(VisionView):
    visibility: str
    extra: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectiveView:
    slug: str
    url: str
    title: str
    summary: str | None
    body: Html
    items: tuple[ItemCard, ...]
    """Items serving this objective."""


@dataclass(frozen=True, slots=True, kw_only=True)
class InternalObjectiveView(ObjectiveView):
    key_results: tuple[str, ...]
    owner: str | None
    visibility: str
    extra: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonaView:
    slug: str
    url: str
    name: str
    role: str
    avatar: str | None
    """URL of the avatar image."""
    segment: str | None
    quote: str | None
    goals: tuple[str, ...]
    pain_points: tuple[str, ...]
    motivations: tuple[str, ...]
    body: Html
    items: tuple[ItemCard, ...]
    """Items built for this persona."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedbackRef:
    slug: str
    url: str
    date: dt.date
    source: str
    sentiment: str | None
    customer: str | None
    quote: str | None
    persona: str | None
    """The slug of the persona the customer fits."""
    segment: str | None
    """The entry's own segment (pages fall back on its persona's)."""
    plan: str | None
    revenue: float | None
    """The customer's annual revenue to the company, in the config's currency."""


@dataclass(frozen=True, slots=True, kw_only=True)
class InternalPersonaView(PersonaView):
    channels: tuple[str, ...]
    visibility: str
    feedback: tuple[FeedbackRef, ...]
    extra: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReleaseRef:
    slug: str
    url: str
    version: str
    date: dt.date


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeEvent:
    """Something that happened to an item: it appeared, moved, changed status or target, or shipped."""

    date: dt.date
    change: str
    """'added', 'moved' (horizon), 'status', 'retargeted', 'visibility' (internal) or 'shipped'."""
    before: str | None
    after: str | None
    release: ReleaseRef | None
    """For 'shipped': the release."""
    commit: str
    """The commit that made the change (internal site only; empty on the public one)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemView(ItemCard):
    objective: PageRef | None
    personas: tuple[PageRef, ...]
    body: Html
    shipped_in: tuple[ReleaseRef, ...]
    """Releases that ship this item, newest first."""
    feedback_url: str | None
    """Where to give feedback on this item: its own feedback_url or the config's, filled in."""
    changes: tuple[ChangeEvent, ...]
    """What happened to it, newest first: from git history (on the public site, only while it was
    public) and the releases that ship it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RiceView:
    reach: int
    impact: float
    confidence: float
    effort: float
    score: float


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryView:
    persona: PageRef
    want: str
    so_that: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class InternalItemView(ItemView):
    visibility: str
    owner: str | None
    rice: RiceView | None
    stories: tuple[StoryView, ...]
    competitors: tuple[PageRef, ...]
    """Competitors this item answers."""
    public_title: str | None
    """The title the public site shows instead, if the item has one."""
    public_summary: str | None
    feedback: tuple[FeedbackRef, ...]
    """Customer evidence naming this item, newest first."""
    last_changed: dt.date
    stale: bool
    extra: tuple[tuple[str, str], ...]

    @property
    def score(self) -> float | None:
        """The RICE score, as on :class:`InternalItemCard`."""
        return self.rice.score if self.rice else None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReleaseView:
    slug: str
    url: str
    version: str
    date: dt.date
    title: str | None
    summary: str | None
    ships: tuple[ItemCard, ...]
    body: Html


@dataclass(frozen=True, slots=True, kw_only=True)
class InternalReleaseView(ReleaseView):
    visibility: str
    extra: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MetricPointView:
    date: dt.date
    value: float


@dataclass(frozen=True, slots=True, kw_only=True)
class MetricView:
    slug: str
    url: str
    name: str
    kind: str
    unit: str | None
    points: tuple[MetricPointView, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SurveyRow:
    """One period of a survey metric as the internal site lists it."""

    period: SurveyPeriod
    withheld: Withheld | None
    """Why the public site shows no value for it ('not-over'); None when it shows one."""


@dataclass(frozen=True, slots=True, kw_only=True)
class InternalMetricView(MetricView):
    target: float | None
    survey: Survey | None
    """Computed from responses: each period's count and 95% interval."""
    survey_rows: tuple[SurveyRow, ...]
    """The survey's periods, each with whether the public site shows it."""
    min_responses: int | None
    """With responses: the answers a period needs to be public."""
    visibility: str
    extra: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedbackView:
    """Internal only; there is no public counterpart."""

    slug: str
    url: str
    date: dt.date
    source: str
    customer: str | None
    persona: PageRef | None
    segment: str | None
    plan: str | None
    revenue: float | None
    items: tuple[ItemCard, ...]
    sentiment: str | None
    quote: str | None
    tags: tuple[str, ...]
    import_id: str | None
    body: Html
    extra: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CompetitorView:
    """Internal only; there is no public counterpart."""

    slug: str
    url: str
    name: str
    segment: str | None
    website: str | None
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    pricing: str | None
    last_reviewed: dt.date | None
    items: tuple[ItemCard, ...]
    """Roadmap items that answer this competitor."""
    body: Html
    extra: tuple[tuple[str, str], ...]


View = VisionView | ObjectiveView | PersonaView | ItemView | ReleaseView | MetricView | FeedbackView | CompetitorView
"""Any document's view; the ``Internal*`` classes extend the public ones."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BrandView:
    """The company's look: its logo and favicon (site-relative URLs) and its accent's shades."""

    logo: str | None = None
    logo_width: int | None = None
    logo_height: int | None = None
    """Display size, from the file's own proportions, so the header does not move when the logo arrives."""
    favicon: str | None = None
    favicon_type: str | None = None
    accent: Accent | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalyticsView:
    provider: str
    site: str
    src: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteInfo:
    product: str
    tagline: str | None
    language: str
    audience: str
    """'public' or 'internal'; for the banner and labels, never to hide data."""
    base_url: str | None
    """Absolute URL of this site, if known."""
    feedback_url: str | None = None
    """Where to give feedback on the roadmap as a whole (the config's feedback_url, filled in)."""
    search: bool = True
    """Whether this site has a search index (the config's ``search``)."""
    brand: BrandView = BrandView()
    subscribe_url: str | None = None
    """An e-mail sign-up for the changelog (public site)."""
    analytics: AnalyticsView | None = None
    """The analytics snippet's values (public site, when configured)."""
    strings: Strings
    """The theme's words in the site's language (the public site's without the internal pages' words)."""

    @property
    def is_internal(self) -> bool:
        return self.audience == "internal"


@dataclass(frozen=True, slots=True, kw_only=True)
class ResearchGoal:
    interviews_per_quarter: int | None
    target_segments: tuple[str, ...]
    stale_after_days: int
    today: dt.date
    currency: str
    """ISO 4217 code feedback's revenue is given in."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """A document's page as a plan sees it before anything is rendered: where, and its title."""

    key: str
    kind: str
    slug: str
    title: str
    description: str | None
