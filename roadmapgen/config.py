"""Config stage: roadmapgen.yaml -> :class:`ProjectConfig` with every path resolved once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from babel.numbers import list_currencies
from pydantic import AfterValidator, ConfigDict, Field, WithJsonSchema

from roadmapgen.errors import ContentError, UsageError
from roadmapgen.i18n import Strings, load_strings
from roadmapgen.kinds.fields import FeedbackUrl, Seq, StrictModel, Text, rule_error
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


class Research(StrictModel):
    model_config = ConfigDict(use_attribute_docstrings=True)
    interviews_per_quarter: Annotated[int, Field(ge=0)] | None = None
    """How many customer interviews the team aims for each quarter."""
    target_segments: Seq[Text] = ()
    """The persona segments the product is for first: their evidence is counted apart and shown first."""


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
    config = ProjectConfig(
        settings=settings,
        project_dir=root,
        content_dir=root / settings.content_dir,
        output_dir=output_dir.resolve() if output_dir else root / settings.output_dir,
        theme_dir=theme_dir,
        places=document.places,
        strings=strings,
    )
    return config, [*problems, *_check_folders(config)]


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
