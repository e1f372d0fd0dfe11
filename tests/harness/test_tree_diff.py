"""judge/tree_diff: deepdiff's vocabulary over JSON values, and the safe-point collector of a run."""

from __future__ import annotations

import ast
import gc
import threading
from typing import Any, List, Tuple

import pytest

from edgequake_harness.judge.tree_diff import NOT_PRESENT, tree_diff
from edgequake_harness.run.collector import SafePointCollector


def kinds(left: Any, right: Any, epsilon: Any = None) -> List[Tuple[str, Tuple[Any, ...]]]:
    return [(kind, path) for kind, path, _, _ in tree_diff(left, right, epsilon)]


def test_equal_values_have_no_difference() -> None:
    value = {"a": [1, 2.5, {"b": None, "c": "x"}], "d": True}
    assert tree_diff(value, {"d": True, "a": [1, 2.5, {"c": "x", "b": None}]}) == []


def test_each_kind_is_reported_at_its_path() -> None:
    left = {"kept": 1, "gone": "x", "list": [1, 2, 3], "type": 1, "nested": {"v": "a"}}
    right = {"kept": 1, "new": [0], "list": [1, 5], "type": 1.0, "nested": {"v": "b"}}
    assert sorted(kinds(left, right)) == [
        ("dictionary_item_added", ("new",)),
        ("dictionary_item_removed", ("gone",)),
        ("iterable_item_removed", ("list", 2)),
        ("type_changes", ("type",)),
        ("values_changed", ("list", 1)),
        ("values_changed", ("nested", "v")),
    ]


def test_the_absent_side_reads_not_present_and_values_are_kept() -> None:
    assert tree_diff([1], [1, {"k": 2}]) == [("iterable_item_added", (1,), NOT_PRESENT, {"k": 2})]
    assert tree_diff({"k": [1]}, {}) == [("dictionary_item_removed", ("k",), [1], NOT_PRESENT)]


def test_bool_int_and_none_are_types_of_their_own() -> None:
    assert kinds(True, 1) == [("type_changes", ())]
    assert kinds(None, "x") == [("type_changes", ())]
    assert kinds([None], [0]) == [("type_changes", (0,))]


def test_floats_within_the_tolerance_are_equal() -> None:
    assert kinds(0.1 + 0.2, 0.3, epsilon=1e-9) == []
    assert kinds(0.1, 0.2, epsilon=1e-9) == [("values_changed", ())]
    assert kinds(0.1 + 0.2, 0.3) == [("values_changed", ())]
    assert kinds(float("nan"), float("nan")) == []


def test_the_walk_uses_no_parser() -> None:
    # deepdiff rebuilt every list index with ast.literal_eval; CPython 3.11 keeps one AST recursion
    # counter per interpreter, so a traceback formatted on another thread meanwhile made compare()
    # raise SystemError (ADR 0015). The walk must not parse anything.
    calls = []
    original = ast.parse
    ast.parse = lambda *a, **k: calls.append(a) or original(*a, **k)  # type: ignore[assignment]
    try:
        tree_diff({"a": [[1, 2], [3]]}, {"a": [[1, 3], [3, 4]]})
    finally:
        ast.parse = original  # type: ignore[assignment]
    assert calls == []


def test_the_collector_runs_only_at_its_safe_points() -> None:
    assert gc.isenabled()
    with SafePointCollector(full_every=2) as collector:
        assert not gc.isenabled()
        collected: List[str] = []

        class Cycle:
            def __del__(self) -> None:
                collected.append(threading.current_thread().name)

        def leak() -> None:
            node = Cycle()
            node.me = node  # type: ignore[attr-defined]

        worker = threading.Thread(target=lambda: [leak() for _ in range(1000)], name="target")
        worker.start()
        worker.join()
        assert collected == []  # nothing finalised on the target's thread
        collector.after_call()
        assert collected and set(collected) == {threading.current_thread().name}
        collector.after_call()  # the second: a full collection, and what survives is frozen
        assert gc.get_freeze_count() > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0


@pytest.mark.parametrize("was_enabled", [True, False])
def test_the_collector_restores_the_previous_state(was_enabled: bool) -> None:
    if not was_enabled:
        gc.disable()
    try:
        with SafePointCollector():
            pass
        assert gc.isenabled() is was_enabled
    finally:
        gc.enable()
