"""Config stage: roadmapgen.yaml -> :class:`ProjectConfig` with every path resolved once."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from babel.numbers import list_currencies
from pydantic import AfterValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from roadmapgen.colours import HEX, accent_problem
from roadmapgen.errors import ContentError, UsageError
from roadmapgen.i18n import Strings, load_strings
from roadmapgen.kinds.fields import AssetPath, FeedbackUrl, Seq, StrictModel, Text, rule_error
from roadmapgen.load.images import image_size
from roadmapgen.load.text import decode
from roadmapgen.load.yamlsafe import read_yaml
from roadmapgen.places import Place
from roadmapgen.themes import theme_chain
from roadmapgen.validation import validate

CONFIG_FILE = "roadmapgen.yaml"
BUILTIN_THEME = "default"
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if (parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment
            or any(char.isspace() for char in value) or value.endswith("?") or value.endswith("#")):
        raise rule_error("must be an absolute http(s) URL like https://example.com/roadmap/", value)
    return value if value.endswith("/") else value + "/"


def _check_language(value: str) -> str:
    if not _LANGUAGE.match(value):
        raise rule_error("must be a language tag like 'en' or 'en-GB'", value)
    return value


def _check_currency(value: str) -> str:
    if value not in list_currencies():
        raise rule_error("must be an ISO 4217 currency code like USD, EUR or GBP", value)
    return value


Currency = Annotated[str, AfterValidator(_check_currency),
                     WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$", "examples": ["USD", "EUR"]})]
"""A currency, by its ISO 4217 code: what feedback's revenue is counted in."""

Url = Annotated[str, AfterValidator(_check_url),
                WithJsonSchema({"type": "string", "format": "uri", "pattern": r"^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\s]+[^?#\s]*$",
                                "examples": ["https://example.com/roadmap/"]})]


def _check_https(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or any(char.isspace() or char in "<>\"'`" for char in value):
        raise rule_error("must be an https address like https://example.com/page", value)
    return value


HttpsUrl = Annotated[str, AfterValidator(_check_https),
                     WithJsonSchema({"type": "string", "format": "uri", "pattern": r"^https://[^\s<>\"'`]+$"})]
"""A page on another site the public site links to or loads from: https only, nothing that could end an attribute."""

_SITE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def _check_site_id(value: str) -> str:
    if not _SITE_ID.match(value):
        raise rule_error("must be the site's id at the provider: letters, digits, '.', '_' and '-'", value)
    return value


ANALYTICS_SOURCES = {
    "plausible": "https://plausible.io/js/script.js",
    "umami": "https://cloud.umami.is/script.js",
    "goatcounter": "https://gc.zgo.at/count.js",
}
"""Each privacy-friendly provider's script, when the config names no other (a self-hosted one)."""


class Analytics(StrictModel):
    model_config = ConfigDict(use_attribute_docstrings=True)
    provider: Literal["plausible", "umami", "goatcounter"]
    """plausible, umami or goatcounter."""
    site: Annotated[str, AfterValidator(_check_site_id),
                    WithJsonSchema({"type": "string", "pattern": _SITE_ID.pattern})]
    """The site's id at the provider: its domain (Plausible), website id (Umami) or code (GoatCounter)."""
    src: HttpsUrl | None = None
    """The provider's script, when it is not the provider's own address (a self-hosted instance)."""


class Research(StrictModel):
    model_config = ConfigDict(use_attribute_docstrings=True)
    interviews_per_quarter: Annotated[int, Field(ge=0)] | None = None
    """How many customer interviews the team aims for each quarter."""
    target_segments: Seq[Text] = ()
    """The persona segments the product is for first: their evidence is counted apart and shown first."""


def _check_image(value: str) -> str:
    if posixpath.splitext(value)[1].lower() not in BRAND_IMAGE_TYPES:
        raise rule_error("must be an SVG, PNG or ICO file under assets/, like assets/brand/logo.svg", value)
    return value


def _check_accent(value: str) -> str:
    if not HEX.fullmatch(value):
        raise rule_error("must be a colour written #rrggbb, like #1f5f99", value)
    problem = accent_problem(value.lower())
    if problem is not None:
        raise PydanticCustomError("rg", f"{value} {problem}")
    return value.lower()


BRAND_IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}
BrandImage = Annotated[
    AssetPath, AfterValidator(_check_image),
    WithJsonSchema({"type": "string", "pattern": r"^assets/(?!.*\.\.).+\.(?:[Ss][Vv][Gg]|[Pp][Nn][Gg]|[Ii][Cc][Oo])$",
                    "examples": ["assets/brand/logo.svg"]})]
AccentColour = Annotated[str, AfterValidator(_check_accent),
                         WithJsonSchema({"type": "string", "pattern": "^#[0-9a-fA-F]{6}$", "examples": ["#1f5f99"]})]


class Brand(StrictModel):
    model_config = ConfigDict(use_attribute_docstrings=True)
    logo: BrandImage | None = None
    """The logo in the header of both sites (SVG, PNG or ICO under assets/); the product's name is its text."""
    favicon: BrandImage | None = None
    """The browser tab's icon (SVG, PNG or ICO under assets/); the theme's own when left out."""
    accent: AccentColour | None = None
    """The accent colour (#rrggbb) of links, buttons and charts; it must reach WCAG AA contrast on the light
    background, and the dark scheme's shade is derived from it."""


class Search(StrictModel):
    model_config = ConfigDict(use_attribute_docstrings=True)
    public: bool = True
    """A search box and index on the public site."""
    internal: bool = True
    """A search box and index on the internal site."""


class Settings(StrictModel):
    """roadmapgen.yaml: the site configuration."""

    model_config = ConfigDict(use_attribute_docstrings=True, title="ConfigFile")
    product: Text
    """Product name, shown in every page header."""
    tagline: Text | None = None
    """One line under the product name."""
    base_url: Url
    """Absolute URL of the public site; may have a path, e.g. https://example.com/roadmap/."""
    internal_base_url: Url | None = None
    """Absolute URL of the internal site."""
    content_dir: Text = "content"
    """Folder of the content, relative to this file."""
    output_dir: Text = "site"
    """Folder the build writes internal/ and public/ into, relative to this file."""
    theme: Text = BUILTIN_THEME
    """A folder under themes/, or the built-in 'default'."""
    language: Annotated[str, AfterValidator(_check_language),
                        WithJsonSchema({"type": "string", "pattern": _LANGUAGE.pattern})] = "en"
    """BCP 47 language tag of the content."""
    research: Research | None = None
    """Goals for customer research (internal)."""
    feedback_url: FeedbackUrl | None = None
    """Link for feedback on an item, with {slug}, {title} and {url} filled in (URL-encoded), e.g.
    https://github.com/acme/roadmap/discussions/new?category=ideas&title={title}"""
    stale_after_days: Annotated[int, Field(ge=1)] = 90
    """Items whose file has not changed for longer are flagged on the internal site."""
    search: Search = Field(default_factory=Search)
    """Which sites have full-text search (Pagefind); both by default."""
    currency: Currency = "USD"
    """ISO 4217 code of the currency feedback's revenue is given in (internal)."""
    subscribe_url: HttpsUrl | None = None
    """An e-mail sign-up for the public changelog (an RSS-to-e-mail service's form): on subscribe/ and beside
    every feed link."""
    analytics: Analytics | None = None
    """Privacy-friendly page counts on the public site only; none when left out, and then no page loads
    anything from another host."""
    brand: Brand = Field(default_factory=Brand)
    """The company's logo, favicon and accent colour, on both sites."""
    strings: dict[str, Annotated[str, Field(min_length=1)]] = Field(default_factory=dict)
    """The theme's words, one by one: {key: text}; `roadmapgen strings` lists the keys and their texts."""


@dataclass(frozen=True, slots=True)
class ProjectConfig:
    """The validated configuration with absolute paths."""

    settings: Settings
    project_dir: Path
    content_dir: Path
    output_dir: Path
    theme_dir: Path | None
    """The project's theme folder, or None for the built-in theme alone."""
    places: dict[tuple[str | int, ...], Place]
    strings: Strings
    """The theme's words in the site's language, with the config's own."""
    logo_size: tuple[float, float] | None = None
    """The brand logo's intrinsic width and height, when its file says."""


def load_config(project_dir: Path, *, output_dir: Path | None = None
                ) -> tuple[ProjectConfig | None, list[ContentError]]:
    """Read ``roadmapgen.yaml`` in ``project_dir``.

    Raises:
        UsageError: if ``project_dir`` is not a roadmapgen project.
    """
    path = project_dir / CONFIG_FILE
    if not path.is_file():
        raise UsageError(
            f"{project_dir}: not a roadmapgen project (no {CONFIG_FILE}); run 'roadmapgen init DIR' to start one"
        )
    try:
        document = read_yaml(decode(path.read_bytes(), CONFIG_FILE), CONFIG_FILE)
    except ContentError as error:
        return None, [error]
    settings, errors = validate(Settings, document.data, document.places, CONFIG_FILE)
    if settings is None:
        return None, errors
    root = project_dir.resolve()
    theme_dir = _theme_dir(root, settings.theme)
    strings, problems = load_strings(theme_chain(theme_dir), settings.language, settings.strings, document.places,
                                     CONFIG_FILE)
    content_dir = root / settings.content_dir
    logo_size, brand_problems = _brand_files(settings.brand, content_dir, document.places)
    config = ProjectConfig(
        settings=settings,
        project_dir=root,
        content_dir=content_dir,
        output_dir=output_dir.resolve() if output_dir else root / settings.output_dir,
        theme_dir=theme_dir,
        places=document.places,
        strings=strings,
        logo_size=logo_size,
    )
    return config, [*problems, *brand_problems, *_check_folders(config)]


def _brand_files(brand: Brand, content_dir: Path, places: dict[tuple[str | int, ...], Place]
                 ) -> tuple[tuple[float, float] | None, list[ContentError]]:
    """The logo's size, and an error for each brand file that is not a file inside the content folder."""
    problems, size = [], None
    for name in ("logo", "favicon"):
        value = getattr(brand, name)
        if value is None:
            continue
        path = content_dir / value
        place = places.get(("brand", name), Place(1, 1, 1, 1))
        if not path.is_file() or path.is_symlink() or not path.resolve().is_relative_to(content_dir.resolve()):
            problems.append(ContentError(CONFIG_FILE, place.value_line, place.value_column,
                                         f"'brand.{name}': no such file '{value}' in the content folder"))
        elif name == "logo":
            size = image_size(path.read_bytes()[:65536], posixpath.splitext(value)[1].lower())
    return size, problems


def _theme_dir(root: Path, theme: str) -> Path | None:
    folder = root / "themes" / theme
    return folder if folder.is_dir() else None


def _check_folders(config: ProjectConfig) -> list[ContentError]:
    problems = []
    if not config.content_dir.is_dir():
        place = config.places.get(("content_dir",), Place(1, 1, 1, 1))
        problems.append(
            ContentError(
                CONFIG_FILE,
                place.value_line,
                place.value_column,
                f"content folder '{config.settings.content_dir}' does not exist",
            )
        )
    theme = config.settings.theme
    if config.theme_dir is None and theme != BUILTIN_THEME:
        place = config.places[("theme",)]
        problems.append(
            ContentError(
                CONFIG_FILE,
                place.value_line,
                place.value_column,
                f"theme '{theme}' not found: there is no folder themes/{theme}",
            )
        )
    return problems
