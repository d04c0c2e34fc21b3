"""Spark UI lease records as the kernel writes them, and the pid of a kernel that is gone: what the
proxy reads to decide who may see which port."""
import json
import pathlib
import subprocess


def write_record(runtime_dir: pathlib.Path, **record) -> pathlib.Path:
    """A record as the kernel writes it (PortLeaseStore: `<port>.json`, sorted keys)."""
    runtime_dir.mkdir(parents=True, exist_ok=True)
    path = runtime_dir / f"{record['port']}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({k: v for k, v in record.items() if v is not None}, sort_keys=True))
    tmp.replace(path)
    return path


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped) — a kernel killed with SIGKILL."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid
