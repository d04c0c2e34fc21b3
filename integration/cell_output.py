"""Running a cell through jupyter_client and reading what it showed: the reply and the IOPub
messages of the request, and the stdout, displays, tables and session announcement in them."""
import re


def run(kc, code: str, timeout: float = 180):
    """Executes `code`; returns (reply content, iopub messages of the request)."""
    messages = []
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=messages.append)
    return reply["content"], messages


def stdout(messages) -> str:
    return "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")


def displays(messages) -> list[dict]:
    return [m["content"]["data"] for m in messages if m["msg_type"] in ("display_data", "update_display_data")]


# The live Spark jobs table a statement longer than a second shows (issue 15): not a result.
SPARK_JOBS_MIME = "application/vnd.livykernel.spark-jobs+json"


def tables(messages) -> list[str]:
    """The result tables of the cell (HTML), without its Spark jobs displays."""
    return [m["content"]["data"]["text/html"] for m in messages
            if m["msg_type"] == "display_data" and "<table" in m["content"]["data"].get("text/html", "")
            and SPARK_JOBS_MIME not in m["content"]["data"]]


def announcement(messages) -> str:
    """The ready session's banner (`Spark session N · … · Spark UI /spark/…/`), not the start-up
    display it replaces in place."""
    banners = [d["text/plain"] for d in displays(messages) if d.get("text/plain", "").startswith("Spark session")]
    assert banners, "no session announcement in the output"
    return banners[-1]


def session_id_of(messages) -> int:
    for data in displays(messages):
        match = re.search(r"Spark session (\d+)", data.get("text/plain", ""))
        if match:
            return int(match.group(1))
    raise AssertionError("no session announcement in the output")
