"""The kernel driver: a kernel launched as Jupyter launches it (kernelspec argv, a fresh connection
file) and driven through jupyter_client and ZeroMQ, timing each cell from `execute_request` sent to
`execute_reply` and `idle` received, with every output message and when it arrived."""
import json
import os
import pathlib
import queue
import subprocess
import time
import uuid

import zmq

from livybench.contenders import log
from livybench.probes import memory_parts, rss_mb

# One ZMQ context for every client. Its sockets retry a refused connection after 1 ms instead of
# ZMQ's default 100 ms: the client connects right after launching the kernel, before the kernel has
# bound its ports, and the default interval would add up to 100 ms of client-side wait to `startup`.
CLIENT_CONTEXT = zmq.Context()
CLIENT_CONTEXT.setsockopt(zmq.RECONNECT_IVL, 1)


class CellResult:
    def __init__(self):
        self.sent = self.sent_wall = self.reply_at = self.reply_wall = self.idle_at = None
        self.reply: dict | None = None
        self.outputs: list[tuple[float, float, str, dict]] = []  # (perf, wall, msg_type, content)

    @property
    def wall_ms(self) -> float:
        return (self.reply_at - self.sent) * 1000

    @property
    def status(self) -> str:
        return self.reply["content"]["status"] if self.reply else "no reply"

    @staticmethod
    def text_of(output) -> str:
        """The text one output shows (stream text or text/plain; "" for anything else)."""
        _, _, msg_type, content = output
        if msg_type == "stream":
            return content.get("text", "")
        if msg_type in ("execute_result", "display_data"):
            return str(content.get("data", {}).get("text/plain", ""))
        return ""

    def text(self) -> str:
        """Everything the cell showed, errors as `ename: evalue`."""
        return "".join(f"{o[3].get('ename')}: {o[3].get('evalue')}" if o[2] == "error" else self.text_of(o)
                       for o in self.outputs)

    def output_bytes(self) -> int:
        return sum(len(json.dumps(c)) for _, _, t, c in self.outputs if t in ("stream", "execute_result", "display_data"))


class Kernel:
    def __init__(self, which: str, kernel_name: str, env: dict, log_dir: pathlib.Path):
        self.which, self.kernel_name, self.env, self.log_dir = which, kernel_name, env, log_dir
        self.process = self.kc = None
        self.started_at = self.info_at = None
        self.cells = 0
        self.session_id: int | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self) -> float:
        """Launches the kernel as Jupyter does (kernelspec argv, a fresh connection file) and returns
        ms from process start (just before fork/exec) to the kernel_info_reply received."""
        from jupyter_client.blocking.client import BlockingKernelClient
        from jupyter_client.connect import write_connection_file
        from jupyter_client.kernelspec import KernelSpecManager

        spec = KernelSpecManager().get_kernel_spec(self.kernel_name)
        stamp = time.time_ns()
        connection_file = str(self.log_dir / f"{self.which}-{stamp}.json")
        write_connection_file(connection_file, ip="127.0.0.1", key=uuid.uuid4().hex.encode(),
                              kernel_name=self.kernel_name)
        argv = [part.replace("{connection_file}", connection_file) for part in spec.argv]
        env = {**self.env, **spec.env, "JPY_PARENT_PID": str(os.getpid())}
        self.stderr = open(self.log_dir / f"{self.which}-{stamp}.log", "w")
        self.started_at = time.perf_counter()
        self.started_wall = time.time()
        self.process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=self.stderr,
                                        stderr=self.stderr, cwd=self.log_dir)
        self.kc = BlockingKernelClient(context=CLIENT_CONTEXT)
        self.kc.load_connection_file(connection_file)
        self.kc.start_channels()
        self.kc.kernel_info()
        sent = time.perf_counter()
        deadline = sent + 60
        while True:
            try:
                msg = self.kc.shell_channel.get_msg(timeout=0.05)
            except queue.Empty:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.which} kernel exited at start; see {self.stderr.name}")
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"{self.which} kernel did not answer kernel_info; see {self.stderr.name}")
                if time.perf_counter() - sent > 1:
                    self.kc.kernel_info()
                    sent = time.perf_counter()
                continue
            if msg["msg_type"] == "kernel_info_reply":
                self.info_at = time.perf_counter()
                return (self.info_at - self.started_at) * 1000

    def settle_iopub(self, seconds: float = 0.5) -> None:
        """Lets the IOPub subscription connect and drains what arrived."""
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            try:
                self.kc.iopub_channel.get_msg(timeout=0.05)
            except queue.Empty:
                pass

    def run(self, code: str, timeout: float = 300) -> CellResult:
        kc = self.kc
        result = CellResult()
        poller = zmq.Poller()
        poller.register(kc.shell_channel.socket, zmq.POLLIN)
        poller.register(kc.iopub_channel.socket, zmq.POLLIN)
        result.sent = time.perf_counter()
        result.sent_wall = time.time()
        msg_id = kc.execute(code, store_history=True, allow_stdin=False)
        deadline = result.sent + timeout
        while result.reply is None or result.idle_at is None:
            now = time.perf_counter()
            if now > deadline:
                raise TimeoutError(f"{self.which}: no reply/idle after {timeout} s for {code[:40]!r}")
            if result.reply is not None and now - result.reply_at > 5:
                break  # idle lost (should not happen once IOPub is connected)
            events = dict(poller.poll(100))
            if kc.shell_channel.socket in events:
                msg = kc.shell_channel.get_msg(timeout=0)
                if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_reply":
                    result.reply_at, result.reply_wall, result.reply = time.perf_counter(), time.time(), msg
            if kc.iopub_channel.socket in events:
                while True:
                    try:
                        msg = kc.iopub_channel.get_msg(timeout=0)
                    except queue.Empty:
                        break
                    if msg["parent_header"].get("msg_id") != msg_id:
                        continue
                    msg_type = msg["msg_type"]
                    if msg_type == "status" and msg["content"]["execution_state"] == "idle":
                        result.idle_at = time.perf_counter()
                    elif msg_type in ("stream", "execute_result", "display_data", "update_display_data", "error"):
                        result.outputs.append((time.perf_counter(), time.time(), msg_type, msg["content"]))
        self.cells += 1
        return result

    def run_ok(self, code: str, timeout: float = 300) -> CellResult:
        result = self.run(code, timeout)
        if result.status != "ok":
            raise RuntimeError(f"{self.which}: cell {code[:40]!r} ended {result.status}: {result.text()[-500:]}")
        return result

    def rss(self) -> float:
        return rss_mb(self.pid)

    def memory(self) -> dict:
        return memory_parts(self.pid)

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            if self.kc is not None:
                self.kc.shutdown()
            self.process.wait(8)
        except Exception as error:  # noqa: BLE001 - a kernel that fails to stop must not stop the bench
            log(f"{self.which}: shutdown: {type(error).__name__} {error}; killing it")
            self.process.kill()
            self.process.wait(10)
        finally:
            if self.kc is not None:
                self.kc.stop_channels()
            self.stderr.close()
            self.process = self.kc = None
