"""The last N lines of a driver's output (livy.cache-log.size), with Livy's
/log paging: from omitted means the last `size` lines; size < 0 means all."""

from collections import deque

MAX_LINE_CHARS = 10_000


class LogBuffer:
    def __init__(self, capacity: int):
        self._lines: deque[str] = deque(maxlen=capacity)

    def append(self, line: str) -> None:
        if len(line) > MAX_LINE_CHARS:  # one runaway print must not hold megabytes
            line = line[:MAX_LINE_CHARS] + f"... [{len(line) - MAX_LINE_CHARS} more characters]"
        self._lines.append(line)

    def tail(self, count: int) -> list[str]:
        return list(self._lines)[-count:] if count > 0 else []

    def page(self, start: int | None, size: int) -> tuple[int, int, list[str]]:
        """Returns (from, total, lines) for GET /sessions/{id}/log."""
        lines = list(self._lines)
        total = len(lines)
        if size < 0:
            size = total
        if start is None:
            start = max(0, total - size)
        start = max(0, start)
        return start, total, lines[start:start + size]
