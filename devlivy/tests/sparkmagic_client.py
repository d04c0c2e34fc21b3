"""Run with .venv-sparkmagic's Python: drives devlivy through sparkmagic's
own Livy client library (livyclientlib), exactly as sparkmagic's kernels do,
and prints one JSON object with what it saw. Argument: the server URL.

This file must not import anything from devlivy: it is the independent client.
"""

import json
import sys

from sparkmagic.livyclientlib.command import Command
from sparkmagic.livyclientlib.endpoint import Endpoint
from sparkmagic.livyclientlib.livyreliablehttpclient import LivyReliableHttpClient
from sparkmagic.livyclientlib.livysession import LivySession
from sparkmagic.livyclientlib.sqlquery import SQLQuery


class QuietDisplay:
    """Stands in for IPython's display outside a notebook."""

    def __init__(self):
        self.errors = []

    def display(self, _):
        pass

    def html(self, _):
        pass

    def write(self, _):
        pass

    def writeln(self, _):
        pass

    def send_error(self, error):
        self.errors.append(str(error))

    def stderr_flush(self):
        pass

    def stdout_flush(self):
        pass


def main(url: str) -> None:
    display = QuietDisplay()
    http = LivyReliableHttpClient.from_endpoint(Endpoint(url, None))
    # heartbeat_timeout=60 is what sparkmagic's kernels send.
    session = LivySession(http, {"kind": "pyspark"}, display, heartbeat_timeout=60)
    session.start()
    result = {
        "session_id": session.id,
        "status_after_start": session.status,
        "sql_context_variable_name": session.sql_context_variable_name,
        "app_id": session.get_app_id(),
        "spark_ui_url": session.get_spark_ui_url(),
    }
    success, text, mimetype = Command("print(sum(range(10)))\n1 + 1").execute(session)
    result["statement"] = {"success": success, "text": text, "mimetype": mimetype}
    failure = Command("1/0").execute(session)
    result["failed_statement"] = {"success": failure[0], "text": failure[1]}
    frame = SQLQuery("SELECT id, id * 2 AS twice FROM range(3)", maxrows=10).execute(session)
    result["sql"] = {"columns": list(frame.columns), "rows": frame.values.tolist()}
    result["logs"] = session.get_logs()[:200]
    session.delete()
    result["status_after_delete"] = session.status
    result["display_errors"] = display.errors
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
