"""Talking to a JupyterHub the way a browser and a notebook front end do, all through the hub's
public proxy: the hub's REST API with tokens (create user tokens, start and stop servers), a
password login with cookies (the OAuth dance into a user's server), the single-user server's REST
API (sessions, kernels) and its kernel websocket (`/user/{name}/api/kernels/{id}/channels`).

The kernel websocket speaks Jupyter's JSON websocket protocol (no subprotocol negotiated): each
frame is one message with a `channel` field. Messages are dicts shaped as jupyter_client's (with a
top-level `msg_type`), so integration/cell_output.py reads them.
"""
from __future__ import annotations

import datetime
import json
import re
import time
import uuid
from dataclasses import dataclass, field

import requests
import websocket  # websocket-client


class HubError(AssertionError):
    pass


@dataclass
class Hub:
    """The hub's public URL (configurable-http-proxy) and the operator service's token."""
    url: str
    operator_token: str
    http: requests.Session = field(default_factory=requests.Session)

    def api(self, method: str, path: str, token: str | None = None, **kw) -> requests.Response:
        headers = kw.pop("headers", {})
        headers["Authorization"] = f"token {token or self.operator_token}"
        return self.http.request(method, f"{self.url}/hub/api{path}", headers=headers, timeout=30, **kw)

    def user_model(self, name: str) -> dict:
        response = self.api("GET", f"/users/{name}")
        response.raise_for_status()
        return response.json()

    def new_token(self, name: str, note: str = "hub suite") -> str:
        """A token of `name` created by the operator service (an admin-created token, holding the
        user's own permissions: the default `inherit`)."""
        response = self.api("POST", f"/users/{name}/tokens", json={"note": note, "expires_in": 3600})
        if response.status_code != 201:
            raise HubError(f"token for {name}: {response.status_code} {response.text}")
        return response.json()["token"]

    def start_server(self, name: str, token: str, timeout: float = 120) -> None:
        """Starts `name`'s default server with the user's own token; returns once the hub says it is ready."""
        response = self.api("POST", f"/users/{name}/server", token=token)
        if response.status_code not in (201, 202):
            raise HubError(f"starting {name}'s server: {response.status_code} {response.text}")
        self.wait_server(name, ready=True, timeout=timeout)

    def stop_server(self, name: str, token: str) -> requests.Response:
        response = self.api("DELETE", f"/users/{name}/server", token=token)
        if response.status_code not in (202, 204):
            raise HubError(f"stopping {name}'s server: {response.status_code} {response.text}")
        return response

    def wait_server(self, name: str, ready: bool, timeout: float = 120) -> dict:
        """Polls the user model until the default server is ready (ready=True) or gone (False)."""
        deadline = time.monotonic() + timeout
        while True:
            model = self.user_model(name)
            server = model.get("servers", {}).get("")
            if ready and server and server.get("ready"):
                return model
            if not ready and not server:
                return model
            if time.monotonic() > deadline:
                raise HubError(f"{name}'s server is not {'ready' if ready else 'stopped'} after {timeout} s: {model}")
            time.sleep(0.25)

    def browser(self, name: str, password: str) -> requests.Session:
        """A cookie session signed in at /hub/login, as a browser after the login form. It holds the
        hub's cookie only; a user server's cookie comes from the OAuth redirects on the first visit."""
        session = requests.Session()
        session.get(f"{self.url}/hub/login", timeout=30).raise_for_status()
        xsrf = session.cookies.get("_xsrf")
        response = session.post(f"{self.url}/hub/login", data={"username": name, "password": password, "_xsrf": xsrf},
                                allow_redirects=False, timeout=30)
        if response.status_code != 302:
            raise HubError(f"login as {name}: {response.status_code} {response.text[:500]}")
        return session


@dataclass
class Cell:
    reply: dict
    messages: list[dict]


class KernelSocket:
    """One kernel's websocket through the hub's proxy; `execute` runs a cell as a front end does."""

    def __init__(self, hub_url: str, name: str, kernel_id: str, token: str):
        ws_url = hub_url.replace("http://", "ws://", 1) + f"/user/{name}/api/kernels/{kernel_id}/channels"
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(f"{ws_url}?session_id={self.session}", timeout=30,
                                              header=[f"Authorization: token {token}"])

    def close(self) -> None:
        self.ws.close()

    def send(self, msg_type: str, content: dict, channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": "hub-suite", "session": self.session,
                       "date": datetime.datetime.now(datetime.timezone.utc).isoformat(), "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": [],
        }))
        return msg_id

    def execute(self, code: str, timeout: float = 240) -> Cell:
        """Runs `code`; returns the execute_reply's content and the cell's IOPub messages, once the
        reply has come and the kernel went idle for this request."""
        msg_id = self.send("execute_request", {"code": code, "silent": False, "store_history": True,
                                               "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        reply, messages, idle = None, [], False
        deadline = time.monotonic() + timeout
        while reply is None or not idle:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"cell {code!r} did not finish in {timeout} s; seen {[m['msg_type'] for m in messages]}")
            self.ws.settimeout(remaining)
            message = json.loads(self.ws.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if message["channel"] == "shell" and message["msg_type"] == "execute_reply":
                reply = message["content"]
            elif message["channel"] == "iopub":
                if message["msg_type"] == "status":
                    idle = message["content"]["execution_state"] == "idle"
                else:
                    messages.append(message)
        return Cell(reply, messages)


@dataclass
class UserServer:
    """A hub user's single-user server, reached through the hub's proxy with the user's token."""
    hub: Hub
    name: str
    token: str

    @property
    def base(self) -> str:
        return f"{self.hub.url}/user/{self.name}"

    def api(self, method: str, path: str, **kw) -> requests.Response:
        return self.hub.http.request(method, f"{self.base}/api{path}", timeout=60,
                                     headers={"Authorization": f"token {self.token}"}, **kw)

    def new_notebook(self, path: str, kernel_name: str) -> None:
        """PUT /api/contents/{path}: an empty notebook for the kernel, as JupyterLab's "New notebook"."""
        notebook = {"cells": [], "metadata": {"kernelspec": {"name": kernel_name, "display_name": kernel_name}},
                    "nbformat": 4, "nbformat_minor": 5}
        response = self.api("PUT", f"/contents/{path}", json={"type": "notebook", "content": notebook})
        if response.status_code != 201:
            raise HubError(f"{self.name}: PUT /api/contents/{path}: {response.status_code} {response.text}")

    def new_notebook_session(self, kernel_name: str, path: str) -> str:
        """POST /api/sessions as JupyterLab does when a notebook opens; returns the kernel id."""
        response = self.api("POST", "/sessions", json={"path": path, "name": path, "type": "notebook",
                                                        "kernel": {"name": kernel_name}})
        if response.status_code != 201:
            raise HubError(f"{self.name}: POST /api/sessions: {response.status_code} {response.text}")
        return response.json()["kernel"]["id"]

    def kernel_socket(self, kernel_id: str) -> KernelSocket:
        return KernelSocket(self.hub.url, self.name, kernel_id, self.token)


SPARK_UI_LINK = re.compile(r"(/user/[^/\s]+/spark/[^/\s]+/(\d+)/)")


def spark_ui_link(banner: str) -> tuple[str, int]:
    """The Spark UI link (path) and port in a session banner."""
    match = SPARK_UI_LINK.search(banner)
    if not match:
        raise AssertionError(f"no /user/…/spark/…/PORT/ link in the banner: {banner!r}")
    return match.group(1), int(match.group(2))
