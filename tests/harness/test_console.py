"""The run's terminal output (report/console.py): the bar, library output routed around it, the
summary tables, and plain text where there is no terminal."""

from __future__ import annotations

import io
import logging
import re
import sys
import warnings
from pathlib import Path

import pytest
from crafted_report import report

from edgequake_harness.report import console


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_captured_shows_each_line_once_and_counts_repeats() -> None:
    shown = []
    captured = console.Captured(shown.append)
    captured.write("12:00:01 - LiteLLM:WARNING: same thing\n12:00:02 - LiteLLM:WARNING: same ")
    captured.write("thing\nother\n")
    captured.write("partial")
    captured.flush()
    assert shown == ["12:00:01 - LiteLLM:WARNING: same thing", "other", "partial"]
    assert captured.summary() == ["2x LiteLLM:WARNING: same thing"]


def test_routed_takes_warnings_logging_and_prints_and_puts_them_back() -> None:
    logger = logging.getLogger("edgequake-test-routed")
    handler = logging.StreamHandler(sys.stderr)  # as litellm makes its own, at import
    logger.addHandler(handler)
    logger.propagate = False
    before = (sys.stdout, sys.stderr, warnings.showwarning, handler.stream)
    shown = []
    captured = console.Captured(shown.append)
    try:
        with console.routed(captured):
            logger.warning("from a library logger")
            print("printed by a target")
            sys.stderr.write("written to stderr\n")
            with warnings.catch_warnings():
                warnings.simplefilter("always")  # not the suite's "error"
                warnings.warn("a library warning", UserWarning, stacklevel=1)
    finally:
        logger.removeHandler(handler)
    assert (sys.stdout, sys.stderr, warnings.showwarning, handler.stream) == before
    assert shown[:3] == ["from a library logger", "printed by a target", "written to stderr"]
    assert shown[3].startswith("UserWarning: a library warning (")


def test_progress_bar_with_library_noise_keeps_one_line_per_message() -> None:
    err = Terminal()
    logger = logging.getLogger("edgequake-test-bar")
    handler = logging.StreamHandler(sys.stderr)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with console.progress(err, True) as update:
            assert update is not None
            for done in range(5):
                update(done, 5, f"case/{done} [sync]")
                logger.warning("litellm says the same thing every call")
            update(5, 5, "")
    finally:
        logger.removeHandler(handler)
    text = err.getvalue()
    assert text.count("litellm says the same thing every call") == 2  # once above, once in the tally
    assert "5x litellm says the same thing every call" in text
    assert "5/5" in text


def test_progress_disabled_is_none_and_leaves_output_alone() -> None:
    with console.progress(io.StringIO(), False) as update:
        assert update is None
        assert not isinstance(sys.stderr, console.Captured)


def test_summary_is_plain_text_off_a_terminal_and_tables_on_one(tmp_path: Path) -> None:
    from edgequake_harness.report import compat as reports

    built = report()
    plain = io.StringIO()
    console.summary(built, plain)
    assert plain.getvalue() == reports.terminal(built) + "\n"  # CI logs: unchanged
    term = Terminal()
    console.summary(built, term)
    text = re.sub(r"\x1b\[[0-9;]*m", "", term.getvalue())  # the colours aside
    assert all(mode in text for mode in ("sync", "async", "sync/env")) and "openai" in text
    assert "33.3% 1reg 1div" in text  # the dashboard's percentage, then the rest by outcome
    assert "diverged: anthropic/stream/diverged-<script>" in text  # what needs attention, as in plain


def test_without_rich_the_bar_is_the_plain_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "rich_available", lambda: False)
    err = Terminal()
    with console.progress(err, True) as update:
        assert update is not None
        update(1, 2, "a [sync]")
        update(2, 2, "")
    assert "[###############...............] 1/2 a [sync]" in err.getvalue()


def test_a_long_case_id_is_cut_in_the_middle_keeping_its_mode() -> None:
    label = "together/stream/mirascope__test_call__together_meta_llama_Llama_4_Maverick__stream [sync/env]"
    cut = console._fit(label, 50)
    assert len(cut) == 50 and cut.startswith("together/stream/") and cut.endswith("[sync/env]")
    assert console._fit("short [sync]", 50) == "short [sync]"
