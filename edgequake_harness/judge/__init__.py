"""Judging a case: normalise both observations, compare them, decide the outcome."""
