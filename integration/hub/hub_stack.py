"""What the hub suite runs and finds: the started stack and its users (the fixtures' values), the
processes it caused (each carries LKHUB_MARK in its environment), free loopback ports, and waiting
for and stopping the hub."""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from devlivy.testing import LivyServer
from hub_client import Cell, Hub, KernelSocket, UserServer

USERS = ("alice", "bob")


@dataclass
class Stack:
    root: Path
    hub: Hub
    livy: LivyServer
    mark: str
    password: str
    hub_api_url: str          # the hub's own API (what services such as the culler are given)
    culler_token: str
    ui_ports: range
    hub_log: Path

    @property
    def runtime_dir(self) -> Path:
        return self.root / "spark-ui"


@dataclass
class HubUser:
    name: str
    token: str
    server: UserServer
    kernel_id: str
    socket: KernelSocket
    first_cell: Cell
    session_id: int
    link: str
    port: int


# ----- processes ----------------------------------------------------------------------------------

def marked_processes(mark: str) -> list[str]:
    """Processes (pid and command line) whose environment holds LKHUB_MARK=mark, this one excepted."""
    needle = f"LKHUB_MARK={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            stat = (entry / "stat").read_text()
            if stat.rsplit(")", 1)[1].split()[0] == "Z":
                continue
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue  # gone meanwhile, or not ours to read
        found.append(f"{entry.name} {cmdline[:160]}")
    return found


def wait_no_marked(mark: str, timeout: float) -> list[str]:
    deadline = time.monotonic() + timeout
    while (left := marked_processes(mark)) and time.monotonic() < deadline:
        time.sleep(0.25)
    return left


def free_port_block(count: int) -> range:
    """`count` consecutive loopback ports nobody listens on, away from Spark's default 4040-4139
    (other suites' drivers) and from the ephemeral range."""
    for base in range(4300 + secrets.randbelow(60) * 10, 5000, 10):
        ports = range(base, base + count)
        if all(_port_free(p) for p in ports):
            return ports
    raise RuntimeError("no block of free ports between 4300 and 5000")


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def wait_hub(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    """Until the hub answers through its proxy (GET /hub/api/ is public)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(f"{url}/hub/api/", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("jupyterhub did not come up:\n" + log.read_text()[-5000:])
        time.sleep(0.25)


def stop_process(process: subprocess.Popen, timeout: float) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# ----- the stack ----------------------------------------------------------------------------------

