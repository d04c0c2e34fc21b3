"""A small scripted Livy for the fault the proxy and devlivy cannot produce: a session whose
Python interpreter dies while a statement runs, as real Livy reports it (docs/livy-rest.md §2.8):
the statement ends `available` with `ename: "Error"`, `evalue: "Interpreter died: ..."`, and the
session goes to state `error` — in which Livy still accepts statements, and fails each the same way.

Livy-shaped, not Livy: sessions start at once, a statement's output is `<tag> done` for a counted
cell's tag (chaos_kernel.ChaosKernel.counted), and the server counts the statements it was given per
tag (`submitted`). `die_on(tag)` makes the statement carrying that tag kill its session's
interpreter 0.5 s after it starts. Runs on 127.0.0.1 in a background thread.
"""
from __future__ import annotations

import asyncio
import re
import threading
import time
from collections import Counter

from aiohttp import web

from devlivy.testing import free_port

FINAL = ("error", "dead", "killed", "success")


class ScriptedLivy:
    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.sessions: dict[int, dict] = {}
        self.statements: dict[int, list[dict]] = {}
        self.submitted: Counter[str] = Counter()
        self._die_on: set[str] = set()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="scripted-livy", daemon=True)
        self._thread.start()
        self._runner = asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)

    def die_on(self, tag: str) -> None:
        with self._lock:
            self._die_on.add(tag)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _start(self) -> web.AppRunner:
        app = web.Application()
        r = app.router
        r.add_post("/sessions", self._create)
        r.add_get("/sessions", self._list)
        r.add_get("/sessions/{id}", self._get)
        r.add_get("/sessions/{id}/state", self._state)
        r.add_get("/sessions/{id}/log", self._log)
        r.add_delete("/sessions/{id}", self._delete)
        r.add_post("/sessions/{id}/statements", self._submit)
        r.add_get("/sessions/{id}/statements", self._statements)
        r.add_get("/sessions/{id}/statements/{sid}", self._statement)
        r.add_post("/sessions/{id}/statements/{sid}/cancel", self._cancel)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", self.port).start()
        return runner

    # ----- sessions ----------------------------------------------------------------------------

    def _session(self, request) -> dict:
        token = request.match_info["id"]
        session = self.sessions.get(int(token)) if token.isdigit() else None
        if session is None:
            raise web.HTTPNotFound(text='{"msg": "Session \'%s\' not found."}' % token, content_type="application/json")
        return session

    async def _create(self, request):
        body = await request.json()
        sid = len(self.sessions)
        self.sessions[sid] = {"id": sid, "name": body.get("name"), "appId": f"local-scripted-{sid}", "owner": None,
                              "proxyUser": None, "state": "idle", "kind": body.get("kind", "shared"),
                              "appInfo": {"driverLogUrl": None, "sparkUiUrl": None},
                              "log": ["scripted Livy: session started"]}
        self.statements[sid] = []
        return web.json_response(self.sessions[sid], status=201)

    async def _list(self, request):
        return web.json_response({"from": 0, "total": len(self.sessions), "sessions": list(self.sessions.values())})

    async def _get(self, request):
        return web.json_response(self._session(request))

    async def _state(self, request):
        session = self._session(request)
        return web.json_response({"id": session["id"], "state": session["state"]})

    async def _log(self, request):
        session = self._session(request)
        return web.json_response({"id": session["id"], "from": 0, "total": len(session["log"]), "log": session["log"]})

    async def _delete(self, request):
        self._session(request)["state"] = "killed"
        return web.json_response({"msg": "deleted"})

    # ----- statements --------------------------------------------------------------------------

    async def _submit(self, request):
        session = self._session(request)
        if session["state"] not in ("idle", "busy", "error"):  # Livy accepts statements in `error`
            return web.json_response(f"java.lang.IllegalStateException: Session is in state {session['state']}",
                                     status=500)
        code = (await request.json())["code"]
        match = re.search(r"print\('([^']+)' \+ ' done'\)", code)
        tag = match.group(1) if match else None
        if tag:
            self.submitted[tag] += 1
        statements = self.statements[session["id"]]
        statement = {"id": len(statements), "code": code, "state": "running", "output": None, "progress": 0.0,
                     "started": int(time.time() * 1000), "completed": 0}
        statements.append(statement)
        with self._lock:
            dies = tag in self._die_on
        if session["state"] == "error" or dies:
            self._loop.call_later(0.5, self._interpreter_died, session, statement)
        else:
            self._loop.call_later(0.05, self._finish, statement, {
                "status": "ok", "execution_count": statement["id"],
                "data": {"text/plain": f"{tag} done" if tag else ""}})
        return web.json_response(statement, status=201)

    def _finish(self, statement: dict, output: dict) -> None:
        statement.update(state="available", output=output, progress=1.0, completed=int(time.time() * 1000))

    def _interpreter_died(self, session: dict, statement: dict) -> None:
        session["state"] = "error"
        session["log"].append("scripted Livy: the Python interpreter died")
        self._finish(statement, {"status": "error", "execution_count": statement["id"], "ename": "Error",
                                 "evalue": "Interpreter died:\nKilled", "traceback": []})

    async def _statements(self, request):
        session = self._session(request)
        if session["state"] in FINAL and session["state"] != "error":
            return web.json_response({"msg": "requirement failed: Session isn't active."}, status=400)
        statements = self.statements[session["id"]]
        return web.json_response({"total_statements": len(statements), "statements": statements})

    async def _statement(self, request):
        session = self._session(request)
        if session["state"] in FINAL and session["state"] != "error":
            return web.json_response({"msg": "requirement failed: Session isn't active."}, status=400)
        sid = int(request.match_info["sid"])
        statements = self.statements[session["id"]]
        if sid >= len(statements):
            return web.json_response("Statement not found", status=404)
        return web.json_response(statements[sid])

    async def _cancel(self, request):
        return web.json_response({"msg": "canceled"})
