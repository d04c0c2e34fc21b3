"""A fault-injecting HTTP proxy between the kernel and the dev Livy server.

It runs an aiohttp server on 127.0.0.1 in a background thread (its own event loop) and forwards
every request to the upstream Livy, except the ones a test armed a fault for. A fault matches a
method and a path regex and fires on the next `times` matching requests (None: until cleared):

* ``status``     answer `code` with an HTML page (a gateway's 500/502/503); nothing is forwarded
* ``malformed``  forward, then answer the real status with the real body cut in half (valid
                 Content-Length, invalid JSON): the server acted, the client cannot read the answer
* ``truncated``  forward, then promise the whole body (Content-Length) and send only half of it
                 before closing the connection
* ``stall``      hold the request `seconds` (longer than the kernel's request timeout; `forward`
                 decides whether the server gets it first), then close the connection
* ``drop``       forward, then close the client's connection without answering: the server ran the
                 request, the client never hears of it

`refuse()` stops listening (and closes open keep-alive connections), so the kernel gets
"connection refused" until `accept()` listens again on the same port. Every request is logged
(method, path, what happened) for the tests to inspect.
"""
from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from devlivy.testing import free_port

HOP_HEADERS = ("Content-Type", "Accept", "X-Requested-By", "Authorization")
KINDS = ("status", "malformed", "truncated", "stall", "drop")

# Connections the proxy cuts on purpose make aiohttp's server log tracebacks; they are expected.
logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)

_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


def html_page(code: int) -> str:
    """An error page as nginx or a load balancer writes it."""
    reason = _REASONS.get(code, "Error")
    return (f"<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n"
            f"<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n"
            "</body>\r\n</html>\r\n")


@dataclass
class Fault:
    kind: str
    method: str
    path: str                      # regex, matched in full against the request path
    times: int | None = 1          # how many matching requests it hits; None: until cleared
    code: int = 503                # status
    seconds: float = 30.0          # stall
    forward: bool = True           # stall: does the server get the request first
    hits: int = 0
    hit: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def matches(self, method: str, path: str) -> bool:
        return method == self.method and re.fullmatch(self.path, path) is not None

    @property
    def spent(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def wait_hit(self, timeout: float) -> bool:
        return self.hit.wait(timeout)


@dataclass
class Exchange:
    method: str
    path: str
    outcome: str                   # "forwarded 201", "fault drop", ...
    at: float


class FaultProxy:
    """Started (listening) on construction; `close()` stops it and its thread."""

    def __init__(self, upstream: str, port: int | None = None):
        self.upstream = upstream.rstrip("/")
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log: list[Exchange] = []
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-proxy", daemon=True)
        self._thread.start()
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None
        self._call(self._start())

    # ----- control, from the test's thread ------------------------------------------------------

    def inject(self, kind: str, method: str, path: str, **options) -> Fault:
        assert kind in KINDS, kind
        fault = Fault(kind, method, path, **options)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        """Disarms every fault and lets stalled requests go (their connections are closed)."""
        with self._lock:
            faults, self._faults = self._faults, []
        for fault in faults:
            fault.released.set()

    def refuse(self) -> None:
        """Stops listening and closes every open connection: connects are refused from now on."""
        self._call(self._stop_listening())

    def accept(self) -> None:
        self._call(self._listen())

    def requests(self, method: str | None = None, path: str | None = None) -> list[Exchange]:
        with self._lock:
            return [e for e in self.log
                    if (method is None or e.method == method) and (path is None or re.fullmatch(path, e.path))]

    def close(self) -> None:
        if not self._loop.is_running():
            return
        try:
            self._call(self._shutdown())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    # ----- the event loop's side ----------------------------------------------------------------

    def _call(self, coro, timeout: float = 15):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    async def _start(self) -> None:
        self._client = aiohttp.ClientSession(auto_decompress=False, timeout=aiohttp.ClientTimeout(total=120))
        await self._listen()

    async def _listen(self) -> None:
        if self._runner is not None:
            return
        app = web.Application(client_max_size=256 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", self.port, reuse_address=True).start()
        self._runner = runner

    async def _stop_listening(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def _shutdown(self) -> None:
        self.clear()
        await self._stop_listening()
        await self._client.close()

    def _take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if not fault.spent and fault.matches(method, path):
                    fault.hits += 1
                    return fault
        return None

    def _record(self, request: web.Request, outcome: str) -> None:
        with self._lock:
            self.log.append(Exchange(request.method, request.path, outcome, time.monotonic()))

    async def _forward(self, request: web.Request, body: bytes) -> tuple[int, dict, bytes]:
        headers = {k: v for k, v in request.headers.items() if k in HOP_HEADERS}
        try:
            async with self._client.request(request.method, self.upstream + request.path_qs,
                                            data=body or None, headers=headers) as response:
                data = await response.read()
                kept = {k: v for k, v in response.headers.items() if k in ("Content-Type", "Location")}
                return response.status, kept, data
        except aiohttp.ClientError:
            # What a gateway says when the upstream is down.
            return 502, {"Content-Type": "text/html"}, html_page(502).encode()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        fault = self._take(request.method, request.path)
        if fault is None:
            status, headers, data = await self._forward(request, body)
            self._record(request, f"forwarded {status}")
            return web.Response(status=status, body=data, headers=headers)
        try:
            return await self._inject(fault, request, body)
        finally:
            fault.hit.set()

    async def _inject(self, fault: Fault, request: web.Request, body: bytes) -> web.StreamResponse:
        kind = fault.kind
        if kind == "status":
            self._record(request, f"fault status {fault.code}")
            return web.Response(status=fault.code, text=html_page(fault.code), content_type="text/html")
        if kind == "stall" and not fault.forward:
            self._record(request, "fault stall (not forwarded)")
            await self._stall(fault)
            request.transport.abort()
            raise ConnectionCut("stalled")
        status, headers, data = await self._forward(request, body)
        self._record(request, f"fault {kind} (server answered {status})")
        if kind == "malformed":
            return web.Response(status=status, body=data[: max(1, len(data) // 2)], headers=headers)
        if kind == "truncated":
            response = web.StreamResponse(status=status, headers=headers)
            response.content_length = len(data)
            await response.prepare(request)
            await response.write(data[: len(data) // 2])
            request.transport.close()  # flushes what was written, then FIN: the rest never comes
            return response
        if kind == "stall":
            await self._stall(fault)
        # drop (and a forwarded stall): the server has acted; the client gets no answer.
        # abort, not close: nothing aiohttp writes after this can reach the client.
        request.transport.abort()
        raise ConnectionCut(f"fault {kind}")

    @staticmethod
    async def _stall(fault: Fault) -> None:
        deadline = time.monotonic() + fault.seconds
        while not fault.released.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)


class ConnectionCut(Exception):
    """Raised by a handler whose connection the proxy cut on purpose (aiohttp logs it, silenced)."""
