"""edgequake's conformance harness: replay recorded provider traffic through two litellm-compatible
targets (a reference and a candidate), diff what each returns and sends, and report.

This package must stay cheap to import: the pytest plugin imports it in every pytest session, so
nothing heavy (litellm, vcrpy, yaml, jinja2) is imported at package level.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
