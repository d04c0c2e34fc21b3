"""Medians and spreads: the summary every figure of the report is made of."""
import math
import statistics


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def summary(values: list[float]) -> dict:
    xs = sorted(values)
    if not xs:
        return {"n": 0}
    return {"n": len(xs), "median": statistics.median(xs), "p25": percentile(xs, 25), "p75": percentile(xs, 75),
            "p95": percentile(xs, 95), "p99": percentile(xs, 99), "min": xs[0], "max": xs[-1]}
