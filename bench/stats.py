"""Small, dependency-free summary statistics."""

from __future__ import annotations

import math
from typing import Dict, Optional, Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default method); ``q`` in [0, 100]."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50.0)


def summarize(values: Sequence[float], scale: float = 1.0, digits: int = 1) -> Dict[str, float]:
    """median, p10, p90, p99, mean, min, max of ``values`` divided by ``scale``, rounded."""
    if not values:
        return {}
    scaled = [v / scale for v in values]
    return {
        "median": round(median(scaled), digits),
        "p10": round(percentile(scaled, 10), digits),
        "p90": round(percentile(scaled, 90), digits),
        "p99": round(percentile(scaled, 99), digits),
        "mean": round(sum(scaled) / len(scaled), digits),
        "min": round(min(scaled), digits),
        "max": round(max(scaled), digits),
    }


def ratio(value: Optional[float], base: Optional[float]) -> Optional[float]:
    """value / base, or None when either is missing or the base is not positive."""
    if value is None or base is None or base <= 0 or math.isnan(value) or math.isnan(base):
        return None
    return round(value / base, 3)
