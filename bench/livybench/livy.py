"""The bench's Livy REST client: a read-only look at the dev Livy server (direct, never through the
counting proxy), plus deleting what a stopped kernel left behind. Standard library only."""
import json
import time
import urllib.request


def http_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def livy_ms(statement: dict) -> float:
    """Livy's own time for a statement: `completed − started`."""
    return float(statement["completed"] - statement["started"])


class Livy:
    def __init__(self, url: str):
        self.url = url

    def session_ids(self) -> set[int]:
        return {s["id"] for s in http_json(self.url + "/sessions?size=1000")["sessions"]}

    def live_sessions(self) -> list[dict]:
        return [s for s in http_json(self.url + "/sessions?size=1000")["sessions"]
                if s["state"] in ("not_started", "starting", "idle", "busy", "shutting_down")]

    def statements(self, session_id: int) -> list[dict]:
        return http_json(f"{self.url}/sessions/{session_id}/statements")["statements"]

    def last_statement_id(self, session_id: int) -> int:
        statements = self.statements(session_id)
        return statements[-1]["id"] if statements else -1

    def statements_after(self, session_id: int, after_id: int) -> list[dict]:
        return [s for s in self.statements(session_id) if s["id"] > after_id]

    def delete_live_sessions(self) -> None:
        """Deletes what a kernel killed at shutdown left behind, so the next run starts alone."""
        for session in self.live_sessions():
            request = urllib.request.Request(f"{self.url}/sessions/{session['id']}", method="DELETE")
            try:
                urllib.request.urlopen(request, timeout=30).read()
            except OSError:
                pass
        self.wait_no_live_sessions()

    def wait_no_live_sessions(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.live_sessions() and time.monotonic() < deadline:
            time.sleep(0.2)
