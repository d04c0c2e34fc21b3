"""poll_load: every HTTP request the counting proxy in front of Livy saw while a ~5 s statement ran
(for sparkmagic: idle check + POST + polls), counted at the server, not as the kernel reports it.
Measured on the fresh kernels of first_result."""
from livybench.kernel import Kernel
from livybench.livy import http_json
from livybench.results import Results
from livybench.runner import Alternation

LONG_STATEMENT = "import time\ntime.sleep(5)"


def measure(kernel: Kernel, proxy_url: str) -> tuple[int, dict[str, int]]:
    """The number of requests during the statement, and how many of each `METHOD /path/{id}`."""
    cell = kernel.run_ok(LONG_STATEMENT, timeout=120)
    requests = http_json(proxy_url + "/__bench__/requests")
    window = [r[:3] for r in requests if cell.sent_wall <= r[0] <= cell.reply_wall]
    kinds = {}
    for _, method, path in window:
        key = f"{method} {'/'.join('{id}' if part.isdigit() else part for part in path.split('?')[0].split('/'))}"
        kinds[key] = kinds.get(key, 0) + 1
    return len(window), kinds


def report(alternation: Alternation, results: Results, which: str) -> None:
    results.put("poll_load", which, {"unit": "requests", **alternation.summary("polls", which),
                                     "requests": alternation.values("requests", which)})
