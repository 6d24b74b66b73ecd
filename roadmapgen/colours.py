"""A brand's accent colour, and the shades the theme derives from it, held to WCAG AA contrast.

Links and the accent's own text sit on the page background, so the accent as given must reach
4.5:1 against the light scheme's background; an accent that cannot is refused with a shade
of the same hue that can. The dark scheme's accent is the same hue lightened until it reaches
4.5:1 against the dark surfaces, and the text on an accent-coloured background is white or
near-black, whichever reads (both always exist).
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass

AA = 4.5
LIGHT_BACKGROUNDS = ("#f6f7f9", "#ffffff")
"""The light scheme's page and card backgrounds (style.css --bg and --surface)."""
DARK_BACKGROUNDS = ("#11151a", "#1a2027")
"""The dark scheme's page and card backgrounds."""
DARK_TEXT = "#0d1b29"
HEX = re.compile(r"#[0-9a-fA-F]{6}")


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb'."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _with_lightness(colour: str, lightness: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _, saturation = colorsys.rgb_to_hls(r, g, b)
    red, green, blue = colorsys.hls_to_rgb(hue, min(max(lightness, 0.0), 1.0), saturation)
    return "#" + "".join(f"{round(part * 255):02x}" for part in (red, green, blue))


def _lightness(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)[1]


def _shade_reaching(colour: str, backgrounds: tuple[str, ...], step: float) -> str:
    """The same hue, lighter (step > 0) or darker, until it reaches AA against every background."""
    lightness = _lightness(colour)
    shade = colour
    while not all(contrast(shade, background) >= AA for background in backgrounds):
        lightness += step
        shade = _with_lightness(colour, lightness)
        if not 0 <= lightness <= 1:
            break
    return shade


@dataclass(frozen=True, slots=True)
class Accent:
    """The accent and the text on it, in each scheme."""

    light: str
    light_text: str
    dark: str
    dark_text: str


def accent_problem(colour: str) -> str | None:
    """Why ``colour`` cannot be the light scheme's accent (a sentence with a shade that can), or None."""
    worst = min(contrast(colour, background) for background in LIGHT_BACKGROUNDS)
    if worst >= AA:
        return None
    suggestion = _shade_reaching(colour, LIGHT_BACKGROUNDS, -0.01)
    return (f"has a contrast of {worst:.1f}:1 with the page background; links and buttons need {AA}:1 "
            f"(WCAG AA): a darker shade of it, such as {suggestion}, passes")


def derive(colour: str) -> Accent:
    """The accent's shades for both schemes; ``colour`` must pass :func:`accent_problem`."""
    light = colour.lower()
    dark = _shade_reaching(light, DARK_BACKGROUNDS, 0.01)
    return Accent(light=light, light_text=_text_on(light), dark=dark, dark_text=_text_on(dark))


def _text_on(colour: str) -> str:
    """White or the theme's near-black on ``colour``, whichever reads; black where neither does (mid
    greys leave either a little short, black never)."""
    best = max(("#ffffff", DARK_TEXT), key=lambda text: contrast(text, colour))
    return best if contrast(best, colour) >= AA else "#000000"
