"""The run's terminal output: a rich progress bar and summary table, plain text where there is no
terminal (CI logs) or no rich.

While the bar is drawn, whatever the targets print is routed above it instead of through it:
`warnings.warn`, `logging` records (litellm's logger writes to a stream handler it made at import,
which holds the real stderr and would bypass rich's own redirect), and plain writes to sys.stdout
and sys.stderr. Each distinct line is shown once as it happens; the run ends with how often each
came back, so a warning litellm repeats on every call costs one line, not hundreds.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import threading
import warnings
from collections import Counter
from typing import Any, Callable, Dict, Iterator, List, Optional, TextIO

Progress = Callable[[int, int, str], None]
# litellm's log format starts with a wall-clock time; repeats are the same line at another time.
_CLOCK = re.compile(r"^\d{2}:\d{2}:\d{2}(?:[.,]\d+)? - ")


def rich_available() -> bool:
    try:
        import rich  # noqa: F401
    except ImportError:
        return False
    return True


class Captured:
    """Lines written by libraries during a run: shown once above the bar, counted for the summary."""

    def __init__(self, show: Callable[[str], None]) -> None:
        self.show = show
        self.counts: Counter[str] = Counter()
        self._partial = ""
        self._lock = threading.RLock()  # litellm logs from its worker threads too

    def line(self, text: str, key: Optional[str] = None) -> None:
        """Show `text` unless its key (default: the text without a leading clock) was seen."""
        text = text.rstrip()
        if not text:
            return
        key = key or _CLOCK.sub("", text)
        with self._lock:
            if key not in self.counts:
                self.show(text)
            self.counts[key] += 1

    # A file-like face, for logging handlers and sys.stdout/sys.stderr.
    def write(self, text: str) -> int:
        with self._lock:
            lines = (self._partial + text).split("\n")
            self._partial = lines.pop()
            for line in lines:
                self.line(line)
        return len(text)

    def flush(self) -> None:
        with self._lock:
            if self._partial:
                self.line(self._partial)
                self._partial = ""

    def isatty(self) -> bool:
        return False

    def summary(self) -> List[str]:
        repeated = [(key, n) for key, n in self.counts.items() if n > 1]
        return [f"{n}x {key[:300]}" for key, n in sorted(repeated, key=lambda item: -item[1])]


def _stream_handlers() -> List[logging.StreamHandler]:
    """Every plain stream handler writing to the process's stdout or stderr."""
    loggers = [logging.getLogger()] + [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    streams = (sys.stderr, sys.stdout, sys.__stderr__, sys.__stdout__)
    return [
        handler
        for logger in loggers
        for handler in logger.handlers
        if type(handler) is logging.StreamHandler and handler.stream in streams
    ]


@contextlib.contextmanager
def routed(captured: Captured) -> Iterator[None]:
    """Library output goes to `captured` for the duration: warnings, logging, stdout and stderr."""
    handlers = _stream_handlers()
    previous: Dict[int, Any] = {id(h): h.stream for h in handlers}
    saved_show = warnings.showwarning
    saved_out, saved_err = sys.stdout, sys.stderr

    def show_warning(message: Any, category: Any, filename: str, lineno: int, *_: Any, **__: Any) -> None:
        # One per place it is raised from, as Python's default filter shows them: pydantic's
        # serializer warning differs in its values on every call but is one warning.
        text = f"{category.__name__}: {message} ({filename}:{lineno})"
        captured.line(text, key=f"{category.__name__} at {filename}:{lineno}")

    warnings.showwarning = show_warning
    for handler in handlers:
        handler.setStream(captured)
    sys.stdout = sys.stderr = captured
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved_out, saved_err
        for handler in handlers:
            handler.setStream(previous[id(handler)])
        warnings.showwarning = saved_show
        captured.flush()


def _plain_bar(stream: TextIO, width: int = 30) -> Progress:
    """The bar without rich (a terminal without the `compat` extra): one rewritten line."""

    def show(done: int, total: int, case_id: str) -> None:
        filled = width * done // total if total else width
        line = f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {case_id[:60]:<60}"
        stream.write(line if done < total else line + "\n")
        stream.flush()

    return show


def _fit(label: str, width: int) -> str:
    """`label` in `width` characters, keeping its end (the mode) when cut in the middle."""
    width = max(width, 20)
    if len(label) <= width:
        return label
    tail = min(24, width // 3)
    return label[: width - tail - 1] + "…" + label[-tail:]


@contextlib.contextmanager
def progress(stream: TextIO, enabled: bool) -> Iterator[Optional[Progress]]:
    """A progress callback for `Runner.run` (None when disabled), with library output routed."""
    if not enabled:
        yield None
        return
    if not rich_available():
        yield _plain_bar(stream)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar
    from rich.table import Column

    console = Console(file=stream, highlight=False, emoji=False)  # litellm's ":WARNING:" is no emoji
    bar = Bar(
        BarColumn(bar_width=30),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn(
            "{task.description}", markup=False, table_column=Column(no_wrap=True, overflow="ellipsis")
        ),
        console=console,
        redirect_stdout=False,  # routed() owns stdout/stderr: one place decides what is shown
        redirect_stderr=False,
    )
    captured = Captured(lambda text: console.print(text, markup=False, style="dim"))
    task: List[Any] = []

    def update(done: int, total: int, case_id: str) -> None:
        label = _fit(case_id, console.width - 52)  # the bar, counts and clock keep their width
        if not task:
            task.append(bar.add_task(label, total=total))
        bar.update(task[0], completed=done, total=total, description=label)

    with bar, routed(captured):
        yield update
    repeated = captured.summary()
    if repeated:
        console.print(f"library output repeated during the run ({len(repeated)} line(s)):", style="bold")
        for line in repeated[:20]:
            console.print("  " + line, markup=False, style="dim", soft_wrap=True)


STYLES = {
    "p100": "green",
    "p90": "bright_green",
    "p70": "yellow",
    "p40": "dark_orange",
    "p0": "red",
    "na": "dim",
}
COLOURS = {
    "conformant": "green",
    "registered_divergence": "cyan",
    "delegated": "blue",
    "skipped": "white",
    "reference_error": "magenta",
    "diverged": "yellow",
    "candidate_error": "red",
    "sandbox_violation": "bold red",
}
# Short enough that five modes fit an 80-column terminal; the line under the table spells them out.
TAGS = {
    "registered_divergence": "reg",
    "delegated": "del",
    "skipped": "skip",
    "reference_error": "ref",
    "diverged": "div",
    "candidate_error": "err",
    "sandbox_violation": "sbx",
}


def _cell(outcomes: Dict[str, int]) -> Any:
    """A mode's cell for one provider: the dashboard's percentage, then what is not conformant."""
    from rich.text import Text

    from edgequake_harness.report.dashboard_model import Cell

    cell = Cell.of(outcomes)
    text = Text(f"{cell.pct:g}%" if cell.pct is not None else "n/a", style=STYLES[cell.css])
    for outcome, tag in TAGS.items():
        if outcomes.get(outcome):
            text.append(f" {outcomes[outcome]}{tag}", style=COLOURS[outcome])
    return text


def summary(report: Dict[str, Any], out: TextIO) -> None:
    """The summary: a rich table on a terminal, else compat.terminal's plain lines (CI logs)."""
    from edgequake_harness.report import compat as reports

    if not (out.isatty() and rich_available()):
        out.write(reports.terminal(report) + "\n")
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, highlight=False, emoji=False)
    console.print(reports.terminal(report).splitlines()[0], markup=False, soft_wrap=True)
    summary_ = report["summary"]
    modes = summary_["modes"]
    by_mode = summary_["by_mode"]
    table = Table(
        title="% of judged results conformant or registered; then the others, by outcome",
        title_justify="left",
        show_footer=True,
        box=box.SIMPLE_HEAD,  # rules take no columns: five modes fit 80 columns
        pad_edge=False,
    )
    table.add_column("provider", footer="all")
    table.add_column("cases", justify="right", footer=str(max([by_mode[m]["total"] for m in modes] or [0])))
    for mode in modes:
        table.add_column(mode, footer=_cell(by_mode[mode]["outcomes"]))
    for provider in sorted({p for m in modes for p in by_mode[m]["by_provider"]}):
        rows = [by_mode[m]["by_provider"].get(provider) for m in modes]
        cases = max(row["total"] for row in rows if row)
        table.add_row(provider, str(cases), *(_cell(row["outcomes"]) if row else Text("") for row in rows))
    console.print(table)
    totals = Text("results: ")
    for outcome in reports.COLUMNS:
        if summary_["outcomes"].get(outcome):
            totals.append(
                f"{summary_['outcomes'][outcome]} {reports.SHORT[outcome]}  ", style=COLOURS[outcome]
            )
    console.print(totals, soft_wrap=True)
    legend = ", ".join(f"{tag}: {reports.SHORT[o]}" for o, tag in TAGS.items())
    console.print(f"({legend}; n/a: nothing judged)", style="dim", soft_wrap=True)
    for line in reports.notes(report):
        console.print(line, markup=False, soft_wrap=True)  # one line each, as in the plain summary
