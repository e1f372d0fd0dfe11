"""A structural diff of two JSON values, reported in deepdiff's vocabulary (ADR 0015).

Observations are JSON by the time they are compared (dicts with string keys, lists, strings,
numbers, booleans, None), so the walk needs no general object model. What it reports, each at a
path given as a list of keys and indices:

- `type_changes`: the two sides hold values of different Python types (1 vs 1.0, None vs "x");
- `values_changed`: same type, different value (numbers within `epsilon` are equal);
- `dictionary_item_added` / `dictionary_item_removed`: a key on one side only;
- `iterable_item_added` / `iterable_item_removed`: lists are compared index by index, and the
  longer side's tail is added or removed.
"""

from __future__ import annotations

import math
from typing import Any, Iterator, List, Optional, Tuple

NOT_PRESENT = "<not present>"
Path = Tuple[Any, ...]
Change = Tuple[str, Path, Any, Any]  # kind, path, reference value, candidate value


def tree_diff(reference: Any, candidate: Any, epsilon: Optional[float] = None) -> List[Change]:
    """Every difference between two JSON values, depth first, keys in the reference's order."""
    return list(_walk(reference, candidate, (), epsilon))


def _walk(left: Any, right: Any, path: Path, epsilon: Optional[float]) -> Iterator[Change]:
    if type(left) is not type(right):
        yield ("type_changes", path, left, right)
    elif isinstance(left, dict):
        for key, value in left.items():
            if key in right:
                yield from _walk(value, right[key], (*path, key), epsilon)
            else:
                yield ("dictionary_item_removed", (*path, key), value, NOT_PRESENT)
        for key, value in right.items():
            if key not in left:
                yield ("dictionary_item_added", (*path, key), NOT_PRESENT, value)
    elif isinstance(left, (list, tuple)):
        for index, (a, b) in enumerate(zip(left, right)):
            yield from _walk(a, b, (*path, index), epsilon)
        for index in range(len(right), len(left)):
            yield ("iterable_item_removed", (*path, index), left[index], NOT_PRESENT)
        for index in range(len(left), len(right)):
            yield ("iterable_item_added", (*path, index), NOT_PRESENT, right[index])
    elif not _equal(left, right, epsilon):
        yield ("values_changed", path, left, right)


def _equal(left: Any, right: Any, epsilon: Optional[float]) -> bool:
    if isinstance(left, float):
        if math.isnan(left) or math.isnan(right):
            # Both sides giving NaN is the same answer (deepdiff calls it a change unless told not to).
            return math.isnan(left) and math.isnan(right)
        if epsilon:
            return math.isclose(left, right, rel_tol=0.0, abs_tol=epsilon)
    return bool(left == right)
