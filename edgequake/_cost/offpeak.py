"""litellm's off-peak prices (``off_peak_pricing`` in an entry, e.g. DeepSeek's night rates): while
the current UTC time is inside one of the entry's windows, the listed rates replace the standard
ones for the whole request. So a price depends on when it is computed, as litellm's does.

Windows are "HH:MM-HH:MM" in UTC (start inclusive, end exclusive, wrapping past midnight, equal ends
meaning the whole day), either every day (``hours_utc``) or per rule with ISO ``weekdays`` read on
``weekday_timezone``'s calendar (UTC by default).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timezone, tzinfo
from typing import Any, List, Optional, Tuple

__all__ = ["open_block", "rate", "watch"]


@dataclass
class Watch:
    read: bool = False  # a price consulted the clock (an entry with off-peak pricing)


_watching = threading.local()


@contextmanager
def watch() -> Iterator[Watch]:
    """Notes whether anything priced inside consulted the clock, so its answer is not remembered."""
    stack: List[Watch] = _watching.__dict__.setdefault("stack", [])
    current = Watch()
    stack.append(current)
    try:
        yield current
    finally:
        stack.pop()
        if stack and current.read:
            stack[-1].read = True


_DAYS = {
    "mon": 1, "monday": 1, "tue": 2, "tues": 2, "tuesday": 2, "wed": 3, "wednesday": 3,
    "thu": 4, "thur": 4, "thurs": 4, "thursday": 4, "fri": 5, "friday": 5,
    "sat": 6, "saturday": 6, "sun": 7, "sunday": 7,
}  # fmt: skip


def _windows(value: Any) -> Tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def _inside(windows: Tuple[str, ...], now: time) -> bool:
    for window in windows:
        try:
            start_text, end_text = window.split("-")
            start = datetime.strptime(start_text.strip(), "%H:%M").time()
            end = datetime.strptime(end_text.strip(), "%H:%M").time()
        except (ValueError, AttributeError):
            continue
        if (start <= now < end) if start < end else (now >= start or now < end):
            return True
    return False


def _calendar(name: Any) -> tzinfo:
    if isinstance(name, str) and name.strip():
        try:
            from zoneinfo import ZoneInfo

            return ZoneInfo(name.strip())
        except Exception:
            return timezone.utc
    return timezone.utc


def _day(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= 7 else None
    return _DAYS.get(value.strip().lower()) if isinstance(value, str) else None


def _is_off_peak(block: Mapping[str, Any], when: datetime) -> bool:
    flat = _windows(block.get("hours_utc"))
    if flat and _inside(flat, when.time()):
        return True
    rules = block.get("windows")
    if not isinstance(rules, (list, tuple)):
        return False
    for rule in rules:
        if not isinstance(rule, Mapping):
            continue
        hours = _windows(rule.get("hours_utc"))
        if not hours:
            continue
        days = rule.get("weekdays")
        if days is not None:
            if isinstance(days, str) or not isinstance(days, (list, tuple)):
                continue
            allowed = {d for d in map(_day, days) if d is not None}
            if when.astimezone(_calendar(block.get("weekday_timezone"))).isoweekday() not in allowed:
                continue
        if _inside(hours, when.time()):
            return True
    return False


def open_block(info: Mapping[str, Any], when: Optional[datetime] = None) -> Optional[Mapping[str, Any]]:
    """The entry's off-peak block when it applies now (or at ``when``, UTC), else None."""
    block = info.get("off_peak_pricing")
    if not isinstance(block, Mapping):
        return None
    for watching in _watching.__dict__.get("stack", ()):
        watching.read = True
    now = when if when is not None else datetime.now(timezone.utc)
    now = now.astimezone(timezone.utc) if now.tzinfo is not None else now.replace(tzinfo=timezone.utc)
    return block if _is_off_peak(block, now) else None


def rate(block: Optional[Mapping[str, Any]], key: str, standard: Optional[float]) -> Optional[float]:
    value = block.get(key) if block is not None else None
    if isinstance(value, bool) or value is None:
        return standard
    try:
        return float(value)
    except (TypeError, ValueError):
        return standard
