"""Asking Livy whether a session is still live, with a short cache (one request per few seconds,
not one per asset)."""
from __future__ import annotations

import json
import time
import urllib.parse

from tornado.httpclient import HTTPRequest

ENDED_STATES = {"shutting_down", "error", "dead", "killed", "success"}


class LivyStateCache:
    def __init__(self, http_client, ttl: float):
        self.http_client = http_client
        self.ttl = ttl
        self._answers: dict[tuple[str, int | str], tuple[float, bool | None]] = {}

    async def is_ended(self, livy_url: str, session_id: int | str) -> bool | None:
        """True when Livy says the session ended (or does not know it), False when live, None when
        Livy could not be asked."""
        key = (livy_url, session_id)
        cached = self._answers.get(key)
        now = time.monotonic()
        if cached and now - cached[0] < self.ttl:
            return cached[1]
        answer = await self._ask(livy_url, session_id)
        self._answers[key] = (now, answer)
        return answer

    async def _ask(self, livy_url: str, session_id: int | str) -> bool | None:
        # An integer id (Livy) or a string one (Lighter's UUIDs), as one path segment.
        segment = urllib.parse.quote(str(session_id), safe="")
        url = f"{livy_url.rstrip('/')}/sessions/{segment}/state"
        request = HTTPRequest(url, method="GET", connect_timeout=3, request_timeout=5,
                              follow_redirects=False, headers={"Accept": "application/json"})
        try:
            response = await self.http_client.fetch(request, raise_error=False)
        except Exception:  # a bad URL in a record: not our business to guess
            return None
        if response.code == 404:
            return True
        if response.code != 200:
            return None
        try:
            state = json.loads(response.body)["state"]
        except (ValueError, KeyError, TypeError):
            return None
        return state in ENDED_STATES
