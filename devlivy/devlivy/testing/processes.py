"""What is left of a server's or a driver's process group: the robustness, expiry and heartbeat
tests check that stopping a session or the server leaves no process behind."""
import subprocess
import time


def group_processes(pgid: int) -> list[str]:
    """Processes (pid and command) still alive in a process group."""
    out = subprocess.run(["ps", "-e", "-o", "pid=,pgid=,stat=,args="], capture_output=True, text=True).stdout
    alive = []
    for line in out.splitlines():
        pid, group, stat, args = line.split(None, 3)
        if int(group) == pgid and not stat.startswith("Z"):
            alive.append(f"{pid} {args[:120]}")
    return alive


def wait_group_gone(pgid: int, timeout: float = 20) -> list[str]:
    deadline = time.monotonic() + timeout
    while (alive := group_processes(pgid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive


def java_children(pgid: int) -> list[int]:
    out = subprocess.run(["ps", "-e", "-o", "pid=,pgid=,comm="], capture_output=True, text=True).stdout
    return [int(pid) for pid, group, comm in (l.split(None, 2) for l in out.splitlines())
            if int(group) == pgid and comm.strip() == "java"]
