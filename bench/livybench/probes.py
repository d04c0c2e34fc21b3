"""What the bench reads off a kernel process: RSS and its parts from /proc, the largest mappings,
and the peak RSS during a cell (VmHWM after a reset, or sampled every 5 ms where that is refused)."""
import contextlib
import threading
import time


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for pid {pid}")


def memory_parts(pid: int) -> dict:
    """RSS and its parts (anonymous = the kernel's own heap and stacks; file = mapped code)."""
    return {field: rss_mb(pid, field) for field in ("VmRSS", "RssAnon", "RssFile", "RssShmem")}


def rss_by_mapping(pid: int, top: int = 6) -> dict[str, float]:
    """RSS (MB) per mapped file (or [anon]/[heap]/[stack]), largest first."""
    sizes: dict[str, float] = {}
    name = "[anon]"
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            parts = line.split()
            if parts and not parts[0].endswith(":"):
                name = parts[5] if len(parts) > 5 else "[anon]"
            elif parts and parts[0] == "Rss:":
                sizes[name] = sizes.get(name, 0) + int(parts[1]) / 1024
    return dict(sorted(sizes.items(), key=lambda kv: -kv[1])[:top])


def reset_peak_rss(pid: int) -> bool:
    """Resets VmHWM (peak RSS) of a process we own (Linux ≥ 4.0)."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class PeakRSS:
    """`peak_mb` once the `with` block is over; `exact`: it is VmHWM, not sampled."""

    def __init__(self, before_mb: float, exact: bool):
        self.peak_mb, self.exact = before_mb, exact


@contextlib.contextmanager
def peak_rss(pid: int, before_mb: float):
    """Measures the peak RSS of `pid` while the block runs (`before_mb`: its RSS just before)."""
    peak = PeakRSS(before_mb, reset_peak_rss(pid))
    sampled = [before_mb]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            try:
                sampled[0] = max(sampled[0], rss_mb(pid))
            except Exception:  # noqa: BLE001
                pass
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        yield peak
    finally:
        stop.set()
        sampler.join()
    peak.peak_mb = rss_mb(pid, "VmHWM") if peak.exact else sampled[0]
