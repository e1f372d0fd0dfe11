"""The HTML dashboard: one static file (`compat.html`) rendered from a compat.json with jinja2.

Everything from a cassette or a target (ids, provider names, model output, error messages, reasons)
is text to the page, never markup: the template autoescapes every value, the data the page's script
needs is a JSON block (`<script type="application/json">`, with `<`, `>` and `&` escaped so no value
can close it), and the script only ever sets `textContent`/`hidden`, never `innerHTML`. A
Content-Security-Policy allows the one inline script (by hash) and nothing else: no network fetch,
no other script, even if escaping were wrong somewhere.
"""

from __future__ import annotations

import base64
import hashlib
from importlib import resources
from pathlib import Path
from typing import Any, Dict, List, Optional

from edgequake_harness.report import dashboard_model as model

HTML_NAME = "compat.html"
TEMPLATE = "dashboard.html.j2"


def _asset(name: str) -> str:
    folder = resources.files("edgequake_harness.report") / "templates"
    return (folder / name).read_text(encoding="utf-8")


def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("edgequake_harness.report", "templates"),
        autoescape=True,  # every template, whatever its name: cassette text is never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(
    report: Dict[str, Any],
    history: Optional[List[model.TrendPoint]] = None,
    notes: Optional[List[str]] = None,
) -> str:
    """The dashboard page for `report`, with a trend over `history` (past reports' points)."""
    from markupsafe import Markup

    script = _asset("dashboard.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    current = model.trend_point(report, "this report")
    context = {
        "report": report,
        "run": report.get("run", {}),
        "targets": report.get("targets", {}),
        "summary": report["summary"],
        "columns": model.COLUMNS,
        "labels": model.LABELS,
        "matrices": model.matrices(report),
        "cases": model.cases(report),
        "registry": model.registry(report),
        "stale": report.get("stale_divergences", []),
        "trend": model.trend(history or [], current),
        "history_runs": len(history or []),
        "notes": list(notes or []),
        "facets": model.facets(report),
        "css": Markup(_asset("dashboard.css")),  # our own static files, not report data
        "script": Markup(script),
        "script_hash": f"sha256-{digest}",
    }
    return str(_environment().get_template(TEMPLATE).render(**context))


def write(report: Dict[str, Any], directory: Path, history_dir: Optional[Path] = None) -> Path:
    points, notes = model.history(history_dir)
    path = directory / HTML_NAME
    path.write_text(render(report, points, notes), encoding="utf-8")
    return path


def available() -> bool:
    """Whether the template engine is installed (it comes with the `compat` extra)."""
    try:
        import jinja2  # noqa: F401
    except ImportError:
        return False
    return True
