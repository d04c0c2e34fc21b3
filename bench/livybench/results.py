"""Everything a run found, per case and kernel: a figure, an "n/a: reason", or extra detail (kept
under `extra` in latest.json), and the runs that were retried or dropped."""


class Results:
    def __init__(self, quick: bool):
        self.quick = quick
        self.cases: dict[str, dict] = {}

    def put(self, name: str, which: str, value) -> None:
        self.cases.setdefault(name, {})[which] = value

    def na(self, name: str, which: str, reason: str) -> None:
        self.put(name, which, {"na": reason})

    def retry(self, which: str, note: str) -> None:
        """A run that failed and was retried or dropped; listed in the notes under the table."""
        self.cases.setdefault("retries", {}).setdefault(which, []).append(note)
