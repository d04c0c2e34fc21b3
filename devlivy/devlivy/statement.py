"""A statement as the server tracks it, and its Livy JSON view (docs/livy-rest.md §3.2).

States follow StatementState.java: waiting -> running -> available,
running -> cancelling -> cancelled, waiting -> cancelled. There is no
`error` state: a failing statement is `available` with an error output.
"""

import time
from dataclasses import dataclass

WAITING, RUNNING, AVAILABLE, CANCELLING, CANCELLED = (
    "waiting", "running", "available", "cancelling", "cancelled")


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class Statement:
    id: int
    code: str
    kind: str
    state: str = WAITING
    output: dict | None = None
    progress: float = 0.0
    started: int = 0
    completed: int = 0

    @property
    def finished(self) -> bool:
        return self.state in (AVAILABLE, CANCELLED)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "code": self.code,
            "state": self.state,
            "output": self.output,
            # Livy forces 1.0 once a statement is available or cancelled.
            "progress": 1.0 if self.finished else self.progress,
            "started": self.started,
            "completed": self.completed,
        }
