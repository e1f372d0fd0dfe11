"""Badges: one SVG per provider (and one for the whole run) from a compat.json, drawn locally.

`report --badges DIR` writes `DIR/<provider>.svg` and `DIR/conformance.svg`, flat shields-style
badges (grey label, coloured value), with no network: the text widths come from a per-character
table close to Verdana 11px, which is what shields uses, so the badges look alike.

The value is the share of judged results (every mode) the candidate passes natively: conformant or
registered divergence, over all results that are not skipped and not reference errors (those
cannot judge). A delegated result counts against: the candidate did not serve the call (as in the
coverage matrix). The README's badge line (between `compat-badges` markers) links these files;
`report --readme README.md --badges reports/badges` regenerates both.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

README_START, README_END = "<!-- compat-badges:start -->", "<!-- compat-badges:end -->"
OVERALL = "conformance"
PASSING = ("conformant", "registered_divergence")
UNJUDGED = ("skipped", "reference_error")
# shields' named colours, from the best share down.
COLOURS = ((100.0, "#4c1"), (95.0, "#97ca00"), (80.0, "#a4a61d"), (60.0, "#dfb317"), (0.0, "#e05d44"))
GREY = "#9f9f9f"

# Approximate advance widths of Verdana 11px (pixels); other characters count as WIDE.
_NARROW = dict.fromkeys("ijlI.,:;'!|", 3.5)
_MEDIUM = dict.fromkeys("frt()[]/ -", 4.8)
_WIDE_CHARS = dict.fromkeys("mwMW%", 10.5)
DEFAULT = 7.0


def text_width(text: str) -> float:
    return sum(_NARROW.get(c) or _MEDIUM.get(c) or _WIDE_CHARS.get(c) or DEFAULT for c in text)


def share(outcomes: Dict[str, int]) -> Tuple[int, int]:
    """(passing, judged) results for a provider's (or the run's) outcome counts."""
    judged = sum(n for outcome, n in outcomes.items() if outcome not in UNJUDGED)
    return sum(outcomes.get(o, 0) for o in PASSING), judged


def colour(passing: int, judged: int) -> str:
    if not judged:
        return GREY
    percent = 100.0 * passing / judged
    return next(c for floor, c in COLOURS if percent >= floor)


def value_text(passing: int, judged: int) -> str:
    if not judged:
        return "no results"
    percent = 100.0 * passing / judged
    shown = f"{percent:.1f}".rstrip("0").rstrip(".") if percent < 100 else "100"
    return f"{shown}% ({passing}/{judged})"


def svg(label: str, value: str, fill: str) -> str:
    """A flat badge: label on grey, value on `fill`; text is escaped (provider names are data)."""
    left, right = round(text_width(label) + 10), round(text_width(value) + 10)
    width = left + right
    label_e, value_e = html.escape(label), html.escape(value)
    title = f"{label_e}: {value_e}"

    def text(x: float, body: str) -> str:
        return (
            f'<text x="{x * 10:.0f}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)">'
            f"{body}</text>"
            f'<text x="{x * 10:.0f}" y="140" transform="scale(.1)">{body}</text>'
        )

    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{title}"><title>{title}</title>'
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        '<stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{fill}"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        'text-rendering="geometricPrecision" font-size="110">'
        f"{text(left / 2, label_e)}{text(left + right / 2, value_e)}</g></svg>\n"
    )


def _outcomes(report: Dict[str, Any]) -> Dict[str, Dict[str, int]]:
    """Outcome counts per provider over every mode, plus the run's own under OVERALL."""
    per: Dict[str, Dict[str, int]] = {}
    for case in report["cases"]:
        counts = per.setdefault(case["provider"], {})
        counts[case["outcome"]] = counts.get(case["outcome"], 0) + 1
    overall: Dict[str, int] = {}
    for counts in per.values():
        for outcome, n in counts.items():
            overall[outcome] = overall.get(outcome, 0) + n
    return {**dict(sorted(per.items())), OVERALL: overall}


_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")


def file_name(provider: str) -> str:
    return _SAFE_NAME.sub("_", provider).lstrip(".") + ".svg"


def write(report: Dict[str, Any], directory: Path) -> List[Path]:
    """Every badge into `directory` (created); returns the files in provider order, overall last."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for provider, outcomes in _outcomes(report).items():
        passing, judged = share(outcomes)
        path = directory / file_name(provider)
        path.write_text(svg(provider, value_text(passing, judged), colour(passing, judged)), encoding="utf-8")
        written.append(path)
    return written


def badge_line(report: Dict[str, Any], directory: Path, readme: Optional[Path] = None) -> str:
    """Markdown images for the README, the overall badge first, paths relative to the README."""
    base = readme.parent if readme is not None else Path(".")
    providers = list(_outcomes(report))
    ordered = [OVERALL, *(p for p in providers if p != OVERALL)]
    images = []
    for provider in ordered:
        target = Path(os.path.relpath(directory / file_name(provider), base)).as_posix()
        alt = re.sub(r"[\[\]()<>`]", "", provider)  # a directory name must not break the image syntax
        images.append(f"![{alt}]({target})")
    return " ".join(images)


def update_readme(text: str, report: Dict[str, Any], directory: Path, readme: Optional[Path] = None) -> str:
    """Replace what lies between the compat-badges markers with the badge line."""
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README has no {README_START} ... {README_END} markers")
    generated = "\n".join(
        [
            README_START,
            f"<!-- generated by `python -m edgequake_harness report --readme --badges {directory.as_posix()}`"
            " -->",
            badge_line(report, directory, readme),
            README_END,
        ]
    )
    return text[:start] + generated + text[end + len(README_END) :]


def has_markers(text: str) -> bool:
    return README_START in text and README_END in text
