"""One session's driver: an OS process running ``python -m devlivy.driver``.

The driver gets its own process group (so a stop kills the Python driver,
the spark-submit JVM and any Python workers together), its own scratch
directory, loopback-only networking, and one end of a socket pair for
commands and events. Its stdout and stderr feed the session log.
"""

import asyncio
import json
import logging
import os
import shutil
import signal
import socket
import sys
from typing import Callable

log = logging.getLogger(__name__)

# The directory that holds the `devlivy` package, so the driver can import it.
_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

EventHandler = Callable[[dict], None]
# Longest event (one statement output) or log line accepted; Livy's RPC caps
# a message at 50 MB (livy.rsc.rpc.max.size).
_MAX_LINE = 64 * 1024 * 1024


class DriverProcess:
    def __init__(self, scratch: str, on_event: EventHandler, on_log_line: Callable[[str], None]):
        self.scratch = scratch
        self._on_event = on_event
        self._on_log_line = on_log_line
        self.process: asyncio.subprocess.Process | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._tasks: list[asyncio.Task] = []

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    async def start(self, config: dict, user: str | None = None) -> None:
        for sub in ("tmp", "local", "warehouse", "derby"):
            os.makedirs(os.path.join(self.scratch, sub), exist_ok=True)
        config_path = os.path.join(self.scratch, "driver.json")
        with open(config_path, "w", encoding="utf-8") as f:
            json.dump(config, f)
        ours, theirs = socket.socketpair()
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "devlivy.driver",
                "--channel-fd", str(theirs.fileno()), "--config", config_path,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                pass_fds=(theirs.fileno(),),
                start_new_session=True,  # own process group: killpg reaches the JVM too
                cwd=self.scratch,
                env=_driver_env(self.scratch, user),
                limit=_MAX_LINE,
            )
        finally:
            theirs.close()
        reader, self._writer = await asyncio.open_unix_connection(sock=ours, limit=_MAX_LINE)
        self._tasks = [
            asyncio.create_task(self._read_events(reader)),
            asyncio.create_task(self._read_output(self.process.stdout)),
        ]

    def send(self, message: dict) -> None:
        """Queues a command for the driver. Commands are small, so the write
        buffer never needs draining."""
        if self._writer is None or self._writer.is_closing():
            raise ConnectionError("driver channel is closed")
        self._writer.write((json.dumps(message) + "\n").encode("utf-8"))

    async def wait(self) -> int:
        """Waits for the driver to exit; returns its exit code. Also drains
        the output so the last lines (e.g. the failure) reach the log."""
        code = await self.process.wait()
        # Leftovers such as a JVM that outlived Python go first: they hold
        # the output pipe open, and the readers end only when it closes.
        self._kill_group(signal.SIGKILL)
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)
        return code

    async def stop(self, grace_s: float) -> None:
        """Asks the driver to stop Spark and exit; after `grace_s` (or if it
        cannot be asked) the whole process group is killed."""
        if self.process is None or self.process.returncode is not None:
            self._kill_group(signal.SIGKILL)
            return
        if grace_s > 0:
            try:
                self.send({"op": "shutdown"})
                await asyncio.wait_for(asyncio.shield(self.process.wait()), grace_s)
            except (ConnectionError, OSError, asyncio.TimeoutError):
                log.warning("driver %s did not stop in time; killing its process group", self.pid)
        self._kill_group(signal.SIGKILL)
        await self.process.wait()

    def kill_now(self) -> None:
        """Synchronous last resort (server exit paths)."""
        self._kill_group(signal.SIGKILL)

    def remove_scratch(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)

    def _kill_group(self, sig: int) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    async def _read_events(self, reader: asyncio.StreamReader) -> None:
        try:
            await self._read_event_lines(reader)
        except ValueError:  # a line over _MAX_LINE: the channel cannot resync
            log.error("driver %s sent an oversized message; killing it", self.pid)
            self._on_log_line("devlivy: the driver sent a message over 64 MB and was stopped")
            self._kill_group(signal.SIGKILL)
        if self._writer is not None:
            self._writer.close()

    async def _read_event_lines(self, reader: asyncio.StreamReader) -> None:
        while line := await reader.readline():
            try:
                event = json.loads(line)
            except ValueError:
                log.warning("driver %s sent an unreadable event: %r", self.pid, line[:200])
                continue
            self._on_event(event)

    async def _read_output(self, stream: asyncio.StreamReader) -> None:
        while True:
            try:
                line = await stream.readline()
            except ValueError:  # an endless line: keep what fits, go on
                line = await stream.read(_MAX_LINE)
            if not line:
                return
            self._on_log_line(line.decode("utf-8", errors="replace").rstrip("\n"))


def _driver_env(scratch: str, user: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if user:
        # The Spark user of the application (sc.sparkUser(), the UI, Hadoop
        # file access), as spark-submit --proxy-user would make it; the OS
        # user stays the server's.
        env["SPARK_USER"] = env["HADOOP_USER_NAME"] = user
    env.update({
        "SPARK_LOCAL_IP": "127.0.0.1",        # never bind a non-loopback address
        "PYSPARK_PYTHON": sys.executable,     # workers use the server's virtualenv
        "PYSPARK_DRIVER_PYTHON": sys.executable,
        "PYTHONUNBUFFERED": "1",
        "TMPDIR": os.path.join(scratch, "tmp"),
        # Shuffle and block files; the env var (unlike spark.local.dir) does
        # not make Spark warn on every start.
        "SPARK_LOCAL_DIRS": os.path.join(scratch, "local"),
        "PYTHONPATH": os.pathsep.join(p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH")) if p),
    })
    return env
