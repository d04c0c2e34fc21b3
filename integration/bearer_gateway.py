"""A gateway in front of the dev Livy server, as Knox or a cloud gateway puts one: Livy under a
base path (`/gateway/livy/`), and every request needs `Authorization: Bearer <token>` with the
token the gateway currently accepts (`rotate()` changes it, as an expiring token would).

An aiohttp server on 127.0.0.1 in a background thread (its own event loop); it forwards what it
lets through to Livy and logs every request as "METHOD PATH STATUS"."""
from __future__ import annotations

import asyncio
import threading

import aiohttp
from aiohttp import web

from devlivy.testing import free_port

BASE = "/gateway/livy"
FORWARDED = ("Content-Type", "Accept", "X-Requested-By")


class BearerGateway:
    def __init__(self, upstream: str, token: str):
        self.upstream = upstream.rstrip("/")
        self.token = token
        self.port = free_port()
        self.log: list[str] = []
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="bearer-gateway", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the bearer gateway did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{BASE}"

    def rotate(self, token: str) -> None:
        """From now on only `token` is accepted."""
        self.token = token

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_route("*", BASE + "/{tail:.*}", self._forward)
        runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(runner.setup())
        self._loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self._session = self._loop.run_until_complete(self._client())
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._session.close())
        self._loop.run_until_complete(runner.cleanup())

    @staticmethod
    async def _client() -> aiohttp.ClientSession:
        return aiohttp.ClientSession()  # made inside the loop it belongs to

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            self.log.append(f"{request.method} {path} 401")
            return web.Response(status=401, text="token expired or missing",
                                headers={"WWW-Authenticate": 'Bearer realm="livy"'})
        target = self.upstream + "/" + request.match_info["tail"]
        if request.query_string:
            target += "?" + request.query_string
        headers = {name: request.headers[name] for name in FORWARDED if name in request.headers}
        async with self._session.request(request.method, target, data=await request.read(), headers=headers) as answer:
            body = await answer.read()
            self.log.append(f"{request.method} {path} {answer.status}")
            return web.Response(status=answer.status, body=body,
                                content_type=answer.content_type if body else None)
