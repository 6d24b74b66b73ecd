"""The front matter of each document type (content format §3), as strict pydantic models.

These classes are the single description of the format: validation, the typed model
and ``roadmapgen schema`` all come from them. They say nothing about what the public
site may show; that allow-list lives in :mod:`roadmapgen.audience.views`.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from roadmapgen.kinds.fields import (
    AssetPath,
    Day,
    Extra,
    FeedbackUrl,
    FrontMatter,
    ResponsesPath,
    Seq,
    Slug,
    StrictModel,
    Target,
    Text,
    Visibility,
    WebAddress,
    rule_error,
)
from roadmapgen.kinds.slugs import VERSION_PATTERN

Status = Literal["planned", "in-progress", "beta", "shipped", "paused", "cancelled"]
Horizon = Literal["now", "next", "later"]
FeedbackSource = Literal["interview", "survey", "support", "sales", "review", "analytics", "focus-group", "social",
                         "other"]
Sentiment = Literal["positive", "neutral", "negative"]
MetricKind = Literal["nps", "csat", "ces", "kpi"]
Period = Literal["month", "quarter"]

_DOCSTRINGS = ConfigDict(use_attribute_docstrings=True)
IMPACT_SCALE = (0.25, 0.5, 1, 2, 3)
MAX_REVENUE = 1e15
"""A customer's yearly revenue beyond any real one: sums of many stay finite and printable."""


def _impact_scale(value: int | float) -> int | float:
    if value not in IMPACT_SCALE:
        raise rule_error("must be one of 0.25, 0.5, 1, 2 or 3", value)
    return value


def _never_public(value: str) -> str:
    if value == "public":
        raise PydanticCustomError("rg", "cannot be 'public': feedback is customer evidence and never published")
    return value


FeedbackVisibility = Annotated[Visibility, AfterValidator(_never_public), WithJsonSchema({"const": "internal"})]


class Vision(FrontMatter):
    """content/vision.md: the product vision and strategy."""

    model_config = _DOCSTRINGS
    title: Text
    """Heading of the vision."""
    statement: Text
    """The one-sentence vision."""
    visibility: Visibility = "internal"
    """'public' to show the vision on the public site; internal otherwise."""
    extra: Extra | None = None
    """Free-form data for the team; never public."""


class Objective(FrontMatter):
    """content/objectives/<slug>.md: a strategic objective with key results."""

    model_config = _DOCSTRINGS
    title: Text
    """Name of the objective."""
    summary: Text | None = None
    """One line on what the objective means for customers."""
    key_results: Seq[Text] = ()
    """Measurable results that tell the objective is met (internal)."""
    owner: Text | None = None
    """Who is accountable (internal)."""
    visibility: Visibility = "internal"
    """'public' to show the objective on the public site; internal otherwise."""
    extra: Extra | None = None
    """Free-form data for the team; never public."""


class Persona(FrontMatter):
    """content/personas/<slug>.md: a customer persona grounded in research."""

    model_config = _DOCSTRINGS
    name: Text
    """The persona's name, e.g. 'Priya, the IT admin'."""
    role: Text
    """Job or role."""
    avatar: AssetPath | None = None
    """Picture under assets/, e.g. assets/avatars/priya.png."""
    segment: Text | None = None
    """Customer segment the persona belongs to."""
    quote: Text | None = None
    """A line in the persona's own words."""
    goals: Seq[Text] = ()
    """What the persona wants to achieve."""
    pain_points: Seq[Text] = ()
    """What gets in the persona's way."""
    motivations: Seq[Text] = ()
    """Why the persona cares."""
    channels: Seq[Text] = ()
    """Where the team reaches this persona (internal)."""
    visibility: Visibility = "internal"
    """'public' to show the persona on the public site; internal otherwise."""
    extra: Extra | None = None
    """Free-form data for the team; never public."""


class Rice(StrictModel):
    """RICE prioritisation inputs; score = reach x impact x confidence / effort."""

    model_config = _DOCSTRINGS
    reach: Annotated[int, Field(ge=0)]
    """Customers or events affected per period."""
    impact: Annotated[int | float, Field(json_schema_extra={"enum": list(IMPACT_SCALE)}), AfterValidator(_impact_scale)]
    """0.25 minimal, 0.5 low, 1 medium, 2 high, 3 massive."""
    confidence: Annotated[float, Field(ge=0, le=1)]
    """How sure the team is of the estimates, from 0 to 1."""
    effort: Annotated[float, Field(gt=0)]
    """Person-months of work."""

    @property
    def score(self) -> float:
        return float(self.reach * self.impact * self.confidence / self.effort)


class Story(StrictModel):
    """A user story: as <persona>, I want <want>, so that <so_that>."""

    model_config = _DOCSTRINGS
    persona: Slug
    """Slug of the persona telling the story."""
    want: Text
    """What they want."""
    so_that: Text | None = None
    """Why they want it."""


class PublicWording(StrictModel):
    """What the public site says instead of the team's own wording."""

    model_config = _DOCSTRINGS
    title: Text | None = None
    """The title customers see."""
    summary: Text | None = None
    """The summary customers see."""


class Item(FrontMatter):
    """content/roadmap/<slug>.md: an initiative or feature on the roadmap."""

    model_config = ConfigDict(use_attribute_docstrings=True, json_schema_extra={"allOf": [
        # model/rules.py: a horizon unless the item is shipped or cancelled.
        {"if": {"required": ["status"], "properties": {"status": {"not": {"enum": ["shipped", "cancelled"]}}}},
         "then": {"required": ["horizon"], "properties": {"horizon": {"type": "string"}}}},
    ]})
    HORIZON_OPTIONAL: ClassVar[frozenset[str]] = frozenset({"shipped", "cancelled"})
    title: Text
    """Name of the item as customers would say it."""
    status: Status
    """planned, in-progress, beta, shipped, paused or cancelled."""
    horizon: Horizon | None = None
    """now, next or later; required unless the status is shipped or cancelled."""
    summary: Text | None = None
    """One line on what changes for customers."""
    target: Target | None = None
    """Expected date: 2026-Q3, 2026-09 or 2026-09-30."""
    public: PublicWording | None = None
    """Customer-facing title and summary, shown on the public site instead of title and summary."""
    feedback_url: FeedbackUrl | None = None
    """Where customers give feedback on this item, instead of the config's feedback_url."""
    objective: Slug | None = None
    """Slug of the objective this item serves."""
    personas: Seq[Slug] = ()
    """Slugs of the personas this item is for."""
    tags: Seq[Text] = ()
    """Free labels."""
    owner: Text | None = None
    """Who drives the item (internal)."""
    competitors: Seq[Slug] = ()
    """Slugs of the competitors this item answers (internal)."""
    rice: Rice | None = None
    """RICE prioritisation (internal)."""
    stories: Seq[Story] = ()
    """User stories (internal)."""
    visibility: Visibility = "internal"
    """'public' to show the item on the public roadmap; internal otherwise."""
    extra: Extra | None = None
    """Free-form data for the team; never public."""


class Release(FrontMatter):
    """content/releases/<version>.md: release notes."""

    model_config = _DOCSTRINGS
    version: Annotated[str, Field(min_length=1),
                       WithJsonSchema({"type": "string", "pattern": f"^(?!.*\\.\\.){VERSION_PATTERN}$"})]
    """The version; must equal the file name without '.md'."""
    date: Day
    """Release date, YYYY-MM-DD."""
    title: Text | None = None
    """Headline of the release."""
    summary: Text | None = None
    """One line on what the release brings."""
    ships: Seq[Slug] = ()
    """Slugs of the roadmap items this release ships."""
    visibility: Visibility = "internal"
    """'public' to publish the release notes; internal otherwise."""
    extra: Extra | None = None
    """Free-form data for the team; never public."""


class Feedback(FrontMatter):
    """content/feedback/<slug>.md: customer evidence; never public."""

    model_config = _DOCSTRINGS
    date: Day
    """When the feedback was given, YYYY-MM-DD."""
    source: FeedbackSource
    """interview, survey, support, sales, review, analytics, focus-group, social (what customers say in
    public: social media, community forums, app reviews) or other."""
    customer: Text | None = None
    """Who gave it: the customer (company or person) it is counted as, once per item."""
    segment: Text | None = None
    """The customer's segment, like the personas' (e.g. 'Mid-market')."""
    plan: Text | None = None
    """The customer's plan or tier (e.g. 'Pro')."""
    revenue: Annotated[float, Field(ge=0, le=MAX_REVENUE)] | None = None
    """The customer's annual revenue to you, in the config's currency: what the priorities page weighs
    demand by."""
    persona: Slug | None = None
    """Slug of the persona the customer fits."""
    items: Seq[Slug] = ()
    """Slugs of the roadmap items this feedback is evidence for."""
    sentiment: Sentiment | None = None
    """positive, neutral or negative."""
    quote: Text | None = None
    """The customer's words."""
    tags: Seq[Text] = ()
    """Themes, like the items' tags: what the research page counts trends and unplanned demand by."""
    import_id: Text | None = None
    """Set by `roadmapgen import feedback`: the row's id in its source (or a hash of the row), so a
    second import of the same export skips it."""
    visibility: FeedbackVisibility = "internal"
    """Feedback is always internal."""
    extra: Extra | None = None
    """Free-form data for the team."""


class MetricPoint(StrictModel):
    """One measurement."""

    model_config = _DOCSTRINGS
    date: Day
    """Day of the measurement, YYYY-MM-DD."""
    value: float
    """The measured value."""


class Metric(FrontMatter):
    """content/metrics/<slug>.yaml: a customer metric over time."""

    # model/rules.py: points or responses (not both, not neither); period only with responses; no responses on a kpi.
    model_config = ConfigDict(use_attribute_docstrings=True, json_schema_extra={
        "anyOf": [{"required": ["points"], "properties": {"points": {"type": "array"}}},
                  {"required": ["responses"], "properties": {"responses": {"type": "string"}}}],
        "not": {"required": ["points", "responses"],
                "properties": {"points": {"type": "array"}, "responses": {"type": "string"}}},
        "allOf": [
            {"if": {"required": ["period"]},
             "then": {"required": ["responses"], "properties": {"responses": {"type": "string"}}}},
            {"if": {"required": ["min_responses"]},
             "then": {"required": ["responses"], "properties": {"responses": {"type": "string"}}}},
            {"if": {"required": ["kind"], "properties": {"kind": {"const": "kpi"}}},
             "then": {"properties": {"responses": {"type": "null"}}}},
        ],
    })
    name: Text
    """Name shown with the chart."""
    kind: MetricKind
    """nps, csat, ces or kpi."""
    unit: Text | None = None
    """Unit of the values, e.g. '%' or 'min'."""
    target: float | None = None
    """The team's goal for this metric (internal)."""
    points: Annotated[Seq[MetricPoint], Field(min_length=1)] | None = None
    """Measurements: a list of {date, value}. Give either points or responses."""
    responses: ResponsesPath | None = None
    """For nps, csat and ces: a CSV of survey responses (columns date and score) in metrics/, from which
    each period's value is computed; the file is never published (internal)."""
    period: Period = "month"
    """With responses: month or quarter, the span each computed value covers (internal)."""
    min_responses: Annotated[int, Field(ge=1)] = 10
    """With responses: a period with fewer answers, or one not yet ended, shows no value on the public site
    (internal)."""
    visibility: Visibility = "internal"
    """'public' to chart the metric on the public site; internal otherwise."""
    extra: Extra | None = None
    """Free-form data for the team; never public."""


class Competitor(FrontMatter):
    """content/competitors/<slug>.md: market analysis of one competitor; never public."""

    model_config = _DOCSTRINGS
    name: Text
    """The competitor's name."""
    segment: Text | None = None
    """The market segment where the team meets them."""
    website: WebAddress | None = None
    """Their web site, an http or https address."""
    strengths: Seq[Text] = ()
    """Where they are stronger than us."""
    weaknesses: Seq[Text] = ()
    """Where they are weaker than us."""
    pricing: Text | None = None
    """How they charge, in a line."""
    last_reviewed: Day | None = None
    """When the team last reviewed this analysis, YYYY-MM-DD."""
    visibility: Visibility = "internal"
    """Ignored: competitor analysis is always internal (a warning says so when it reads 'public')."""
    extra: Extra | None = None
    """Free-form data for the team."""
