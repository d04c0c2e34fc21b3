"""JSON-lines messages over the socket the server handed to the driver.

One message per line keeps framing trivial on both sides (asyncio's readline
on the server, a file object here). Sends are locked because the statement
thread, the progress reporter and the cancel loop all report back.
"""

import json
import socket
import threading


class Channel:
    def __init__(self, fd: int):
        self._sock = socket.socket(fileno=fd)
        self._reader = self._sock.makefile("r", encoding="utf-8")
        self._lock = threading.Lock()

    def send(self, message: dict) -> None:
        line = (json.dumps(message, default=str) + "\n").encode("utf-8")
        with self._lock:
            self._sock.sendall(line)

    def __iter__(self):
        """Yields messages until the server closes its end (EOF)."""
        for line in self._reader:
            if line.strip():
                yield json.loads(line)
