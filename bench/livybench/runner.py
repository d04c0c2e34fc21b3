"""The one alternating runner every case uses: rounds of A B A B … over the kernels, samples per
kernel for medians and spreads, and failures tracked so that no kernel's failure is ever dropped.

Two ways to treat a failed run: by default the kernel is out of the case (its figures become
"n/a: reason" at once, and it is skipped in later rounds); with `retry=True` (fresh kernels each
run) the run is dropped, noted under `retries`, and the kernel runs again in the next round — it is
n/a only if no run completed.
"""
import threading
import traceback

from livybench.contenders import LABEL, log
from livybench.results import Results
from livybench.stats import summary


def reason_of(error: BaseException) -> str:
    """The n/a reason for an exception: its type and the first line of its message."""
    return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"[:200]


class guarded:
    """Context manager: an exception in a case is recorded as n/a for that kernel, never dropped."""

    def __init__(self, results: Results, names: list[str], which: str):
        self.results, self.names, self.which = results, names, which

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None:
            return False
        reason = reason_of(exc)
        log(f"{LABEL[self.which]}: {', '.join(self.names)} failed: {reason}")
        traceback.print_exception(exc_type, exc, tb)
        for name in self.names:
            if self.which not in self.results.cases.get(name, {}):
                self.results.na(name, self.which, reason)
        return True


class Alternation:
    """Runs a case's `run_once(which, round)` A B A B … and keeps its samples.

    `names`: the cases a failure makes n/a; `series`: the sample lists kept per kernel (`add`)."""

    def __init__(self, results: Results, names: list[str], whiches, series: tuple[str, ...] = (),
                 retry: bool = False):
        self.results, self.names, self.whiches, self.retry = results, names, list(whiches), retry
        self.samples = {name: {which: [] for which in self.whiches} for name in series}
        self.failed: dict[str, str] = {}          # kernel → reason; out of the case (not in retry mode)
        self.dropped: dict[str, list[str]] = {}   # kernel → reasons of dropped runs (retry mode)

    def add(self, which: str, **values) -> None:
        for name, value in values.items():
            self.samples[name][which].append(value)

    def values(self, name: str, which: str) -> list:
        return self.samples[name][which]

    def summary(self, name: str, which: str) -> dict:
        return summary(self.samples[name][which])

    def run(self, rounds: int, run_once, after_round=None) -> None:
        for round_index in range(rounds):
            for which in self.whiches:
                if which not in self.failed:
                    self.once(which, round_index, run_once)
            if after_round is not None:
                after_round(round_index)

    def once(self, which: str, round_index: int, run_once) -> None:
        if self.retry:
            try:
                run_once(which, round_index)
            except Exception as error:  # noqa: BLE001 - a failed run is dropped and noted, never fatal
                reason = reason_of(error)
                self.dropped.setdefault(which, []).append(reason)
                self.results.retry(which, f"{self.names[0]} run {round_index + 1}: {reason}")
                log(f"{LABEL[which]} {'/'.join(self.names)} run failed: {reason}")
            return
        with guarded(self.results, self.names, which):
            try:
                run_once(which, round_index)
            except Exception as error:
                self.failed[which] = reason_of(error)
                raise

    def finish(self) -> list[str]:
        """The kernels to report figures for. In retry mode, the others (no completed run: a
        series is empty) are recorded n/a here, with the reason of their last dropped run."""
        done = []
        for which in self.whiches:
            if which in self.failed:
                continue
            if self.retry and not all(self.samples[name][which] for name in self.samples):
                reason = self.dropped.get(which, ["no run completed"])[-1]
                for name in self.names:
                    self.results.na(name, which, reason)
                continue
            done.append(which)
        return done


def concurrently(whiches, work) -> None:
    """Runs `work(which)` for all kernels at once (for untimed work only) and waits for all."""
    threads = [threading.Thread(target=work, args=(which,)) for which in whiches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
