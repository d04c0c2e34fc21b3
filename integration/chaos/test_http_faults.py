"""Faults between the kernel and Livy, made by the fault proxy (fault_proxy.py) in front of the
real dev Livy server: each test arms one fault, runs a counted cell into it, and checks that

* the cell's error names the cause and the next step (or, for a fault the kernel may ride
  through, the cell simply works);
* kernel_info is answered within 1 s while the cell waits on the fault and after it;
* the next cell works once the fault is cleared;
* no statement ran twice: the cell's own execution count (a line per run in a file) and the
  server's statement list agree, at most one run each.
"""
import re

import pytest

from chaos_kernel import REQUEST_TIMEOUT_S, assert_error_names, assert_responsive, server_statements, \
    wait_statements_final

STATEMENTS = r"/sessions/\d+/statements"          # POST: submit
STATEMENT = r"/sessions/\d+/statements/\d+"       # GET: poll

RUN_AGAIN = r"run (the|this|a) cell again"
# Telling the user "nothing was lost, run it again" after Livy ran the code makes them run it twice.
CLAIMS_NOTHING_RAN = r"nothing was lost|was not run|did not run"


def next_cell_works(kernel, livy):
    """Once the fault is cleared, a counted cell runs once and shows its output."""
    tag = kernel.tag("after")
    run = kernel.run(kernel.counted(tag))
    assert run.status == "ok", run.error_text
    assert f"{tag} done" in run.stdout
    assert kernel.executions(tag) == 1
    assert len(server_statements(livy, kernel.session_id, tag)) == 1


def ran_once_on_the_server(kernel, livy, tag) -> dict:
    """Waits for the session's statements to settle (a duplicate would be queued by now) and
    checks the code ran exactly once, by its own count and by the server's list."""
    wait_statements_final(livy, kernel.session_id)
    statements = server_statements(livy, kernel.session_id, tag)
    runs = kernel.wait_executions(tag, 1, timeout=10)
    assert len(statements) == 1 and runs == 1, (
        f"the statement ran {runs} times; the server has {len(statements)} statements with its code")
    return statements[0]


# ----- the server never gets the request ---------------------------------------------------------

def test_connection_refused(kernel, proxy, livy):
    tag = kernel.tag("refused")
    proxy.refuse()
    run = kernel.run(kernel.counted(tag))
    assert_responsive(run, kernel)
    assert_error_names(run, "LivyUnreachable", cause=rf"127\.0\.0\.1:{proxy.port}.*(refused|connect)",
                       next_step=RUN_AGAIN)
    assert kernel.executions(tag) == 0
    assert server_statements(livy, kernel.session_id, tag) == []
    proxy.accept()
    next_cell_works(kernel, livy)


@pytest.mark.parametrize("code,reason", [(500, "Internal Server Error"), (502, "Bad Gateway"),
                                         (503, "Service Unavailable")])
def test_html_error_page_on_submit(kernel, proxy, livy, code, reason):
    """A gateway in front of Livy answers the statement POST with its HTML error page."""
    tag = kernel.tag(f"http{code}")
    fault = proxy.inject("status", "POST", STATEMENTS, code=code)
    run = kernel.run(kernel.counted(tag))
    assert_responsive(run, kernel)
    assert fault.hits == 1
    # Either Livy's answer as is, or — since a gateway's 5xx may come after Livy took the POST —
    # "unknown whether it ran" once Livy's statement list has been checked.
    assert_error_names(run, ("LivyHTTPError", "StatementOutcomeUnknown"), cause=rf"\b{code}\b.*{reason}",
                       next_step=rf"{RUN_AGAIN}|run it again|try again|server's log")
    assert kernel.executions(tag) == 0
    assert server_statements(livy, kernel.session_id, tag) == []
    next_cell_works(kernel, livy)


def test_error_page_once_while_polling_is_retried(kernel, proxy, livy):
    """One 503 page for a statement poll (a GET, safe to repeat): the cell just works."""
    tag = kernel.tag("poll503")
    fault = proxy.inject("status", "GET", STATEMENT, code=503)
    run = kernel.run(kernel.counted(tag, "import time; time.sleep(0.5)"))
    assert_responsive(run, kernel)
    assert fault.hits == 1
    assert run.status == "ok", run.error_text
    assert f"{tag} done" in run.stdout
    ran_once_on_the_server(kernel, livy, tag)
    next_cell_works(kernel, livy)


# ----- the answer to a statement poll is broken or late ------------------------------------------

def test_malformed_json_while_polling(kernel, proxy, livy):
    """A poll answered 200 with half a JSON document: either the kernel polls again and the cell
    works, or the error says the answer was not Livy's JSON (the statement keeps running)."""
    tag = kernel.tag("pollmalformed")
    fault = proxy.inject("malformed", "GET", STATEMENT)
    run = kernel.run(kernel.counted(tag, "import time; time.sleep(0.5)"))
    assert_responsive(run, kernel)
    assert fault.hits == 1
    if run.status == "error":
        assert_error_names(run, "LivyInvalidResponse", cause=r"not JSON|malformed|truncated|invalid",
                           next_step=r"server's log|statement|again")
    else:
        assert f"{tag} done" in run.stdout
    ran_once_on_the_server(kernel, livy, tag)
    next_cell_works(kernel, livy)


def test_poll_stalled_once_is_retried(kernel, proxy, livy):
    """One poll gets no answer within livy.request_timeout_seconds: the GET is asked again."""
    tag = kernel.tag("pollstall1")
    fault = proxy.inject("stall", "GET", STATEMENT, seconds=REQUEST_TIMEOUT_S + 5, forward=False)
    run = kernel.run(kernel.counted(tag))
    assert_responsive(run, kernel)
    assert fault.hits == 1
    assert run.status == "ok", run.error_text
    assert f"{tag} done" in run.stdout
    ran_once_on_the_server(kernel, livy, tag)
    next_cell_works(kernel, livy)


def test_polls_stalled_until_cleared(kernel, proxy, livy):
    """Every poll stalls past the request timeout: the cell gives up with a timeout that says
    the statement was submitted (it ran), not that nothing happened."""
    tag = kernel.tag("pollstall")
    proxy.inject("stall", "GET", STATEMENT, times=None, seconds=60, forward=False)
    run = kernel.run(kernel.counted(tag), timeout=120)
    assert_responsive(run, kernel)
    proxy.clear()
    assert_error_names(run, ("LivyUnreachable", "LivyTimeout", "LivyRequestTimeout"),
                       cause=r"time[d ]*out", next_step=r"statement \d+")
    assert not re.search(CLAIMS_NOTHING_RAN, run.error_text, re.I), run.error_text
    ran_once_on_the_server(kernel, livy, tag)
    next_cell_works(kernel, livy)


# ----- Livy took the statement POST, the kernel never got a usable answer -------------------------

@pytest.mark.parametrize("kind", ["malformed", "truncated", "stall", "drop"])
def test_lost_answer_to_the_statement_post(kernel, proxy, livy, kind):
    """The POST reached Livy, which created and ran the statement; its answer is then cut in
    half (malformed JSON), cut short of its Content-Length (truncated), held past the kernel's
    request timeout (stall) or never sent (drop: connection closed). The kernel must not send the
    POST again, must find out from Livy's statement list that the statement exists, and then
    show its output or an error naming that statement."""
    tag = kernel.tag(f"lost{kind}")
    fault = proxy.inject(kind, "POST", STATEMENTS, seconds=REQUEST_TIMEOUT_S + 5)
    run = kernel.run(kernel.counted(tag, "import time; time.sleep(1)"))
    assert_responsive(run, kernel)
    assert fault.wait_hit(5)
    statement = ran_once_on_the_server(kernel, livy, tag)
    if run.status == "ok":
        assert f"{tag} done" in run.stdout
    else:
        assert_error_names(run, run.content["ename"], cause=rf"statement {statement['id']}\b",
                           next_step=rf"statement {statement['id']}\b")
        assert not re.search(CLAIMS_NOTHING_RAN, run.error_text, re.I), run.error_text
    listed = proxy.requests("GET", STATEMENTS)
    assert listed, "the kernel never listed the session's statements to find the one Livy created"
    next_cell_works(kernel, livy)
