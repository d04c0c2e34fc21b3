"""JupyterLab in a real browser: headless Chromium opens a notebook in JupyterLab (a jupyter_server
with the jupyterlab and sparkui_proxy extensions, as `make lab` serves it), runs it on the real
kernel against the dev Livy server on real Spark, and checks what a person sees:

* while a long cell runs, the live table of its Spark jobs under the cell, each job linked into the
  proxied Spark UI and RUNNING;
* the `%spark_ui` iframe really rendering the Spark UI through the proxy (same-origin framing
  allowed by the proxy's X-Frame-Options and Jupyter's CSP, in a real browser);
* once the cell has finished, the table replaced by the one-line summary with its job links.

Screenshots go to the test-artifact directory: lab-live-jobs.png, lab-spark-ui-frame.png,
lab-jobs-summary.png (lab-failure.png when something is not as expected).
"""
from __future__ import annotations

import json
import os
import signal
import time
import types

import pytest

from jupyter_process import JupyterServer
from names import OWNER
from test_browser import CHROMEDRIVER, CHROMIUM, browser  # noqa: F401 (browser: the fixture)
from test_kernel_link import install_kernelspec

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs the Debian packages chromium and chromium-driver (make test-sparkui-proxy installs them)")

KERNEL_NAME = "livy-pyspark-proxytest"
NOTEBOOK = "lab-jobs.ipynb"
# A Spark job visibly running for several seconds: 4 tasks of 3 s on local[*] (2 cores here).
LONG_CELL = ("import time\n"
             "time.sleep(1.5)\n"
             "spark.range(0, 8, 1, 4).foreach(lambda x: time.sleep(1.5))\n"
             "print('done')")

# JupyterLab user settings for the test's own home: every cell attached to the DOM (no windowing,
# so selectors and iframes never depend on what is scrolled into view), and no news or update
# checks (no network, no toast over the notebook).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by its parent) is gone for our purposes.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def gone_within(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def livy_session_live(livy, session_id) -> bool:
    response = livy.get(f"/sessions/{session_id}/state")
    return response.status_code == 200 and response.json()["state"] not in ("dead", "killed", "success", "error")


@pytest.fixture
def lab(tmp_path, livy, runtime_dir):
    """A JupyterLab server whose kernelspec `livy-pyspark-proxytest` runs the real kernel against dev
    Livy, its Spark UI records in the proxy's runtime_dir, one UI port of its own. Whatever the test
    leaves running (kernel, Livy session and Spark driver, the server) is stopped here."""
    prefix, port = install_kernelspec(tmp_path, livy.url, runtime_dir, KERNEL_NAME)
    home = tmp_path / "lab-home"
    for name, values in LAB_SETTINGS.items():
        path = home / "config" / "lab" / "user-settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    (home / "sparkmagic").mkdir(parents=True)
    server = JupyterServer(runtime_dir, home, extra_env={
        "JUPYTER_PATH": str(prefix / "share" / "jupyter"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "config" / "lab" / "user-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "config" / "lab" / "workspaces"),
        "SPARKMAGIC_CONF_DIR": str(home / "sparkmagic"),
    }, ready_path="/lab")
    sessions_before = {s["id"] for s in livy.get("/sessions").json()["sessions"]}
    state = types.SimpleNamespace(server=server, port=port, link=f"/spark/{OWNER}/{port}/",
                                  notebooks=home / "notebooks", runtime_dir=runtime_dir, livy=livy,
                                  kernel_pid=None, session_id=None, driver_pid=None)
    try:
        yield state
    finally:
        record_path = runtime_dir / f"{port}.json"
        if state.kernel_pid is None and record_path.exists():  # the test failed before reading it
            record = json.loads(record_path.read_text())
            state.kernel_pid, state.session_id = record.get("pid"), record.get("session_id")
        new_sessions = [s["id"] for s in livy.get("/sessions").json()["sessions"] if s["id"] not in sessions_before]
        driver_pids = [state.driver_pid] if state.driver_pid else []
        for session_id in new_sessions:
            try:
                driver_pids.append(livy.driver_pid(session_id))
            except (AssertionError, KeyError, ValueError):  # no driver (yet, or any more)
                pass
        try:
            for kernel in server.http.get(server.url + "/api/kernels", headers=server.auth, timeout=10).json():
                server.http.delete(f"{server.url}/api/kernels/{kernel['id']}", headers=server.auth, timeout=30)
        except Exception:  # the server may be gone already; what is left is killed below
            pass
        server.stop()
        # A shut-down kernel deletes its Livy session, and Livy stops the driver, in the background.
        leftovers = []
        if state.kernel_pid and not gone_within(lambda: not pid_alive(state.kernel_pid), 10):
            leftovers.append(f"kernel pid {state.kernel_pid}")
            os.kill(state.kernel_pid, signal.SIGKILL)
        for session_id in new_sessions:
            if not gone_within(lambda: not livy_session_live(livy, session_id), 20):
                leftovers.append(f"Livy session {session_id}")
                livy.delete(f"/sessions/{session_id}")
        for pid in set(driver_pids):
            if not gone_within(lambda: not pid_alive(pid), 20):
                leftovers.append(f"Spark driver pid {pid}")
                os.kill(pid, signal.SIGKILL)
        record_path.unlink(missing_ok=True)
        assert not leftovers, f"left running after the test (now killed): {leftovers}"


# ----- reading JupyterLab's DOM ------------------------------------------------------------------

# The code cells of the open notebook, each as what its outputs show.
CELLS_JS = """
const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
if (!panel) return null;
return Array.from(panel.querySelectorAll('.jp-Notebook .jp-CodeCell')).map(cell => ({
  prompt: (cell.querySelector('.jp-InputArea-prompt') || {}).innerText || '',
  stdout: Array.from(cell.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stdout"]'))
            .map(e => e.innerText).join(''),
  output: (cell.querySelector('.jp-OutputArea') || {}).innerText || '',
  rows: Array.from(cell.querySelectorAll('.livykernel-jobs table tbody tr')).map(tr => ({
    cells: Array.from(tr.cells).map(td => td.innerText.trim()),
    href: tr.cells.length && tr.cells[0].querySelector('a') ? tr.cells[0].querySelector('a').getAttribute('href') : null,
  })),
  summary: Array.from(cell.querySelectorAll('.livykernel-jobs-summary')).map(s => ({
    text: s.innerText.trim(),
    links: Array.from(s.querySelectorAll('a')).map(a => ({text: a.innerText.trim(), href: a.getAttribute('href')})),
  })),
}));
"""


def cells(driver) -> list[dict]:
    return driver.execute_script(CELLS_JS) or []


def kernel_status(driver) -> str | None:
    return driver.execute_script(
        "const e = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');"
        "return e ? e.getAttribute('data-status') : null")


def status_bar(driver) -> str:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('.jp-StatusBar-TextItem')).map(e => e.innerText).join(' ; ')")


def kernel_states(server) -> list[tuple]:
    return [(s["path"], s["kernel"]["name"], s["kernel"]["execution_state"]) for s in server.get("/api/sessions").json()]


def dialogs(driver) -> list[str]:
    return driver.execute_script("return Array.from(document.querySelectorAll('.jp-Dialog')).map(d => d.innerText)")


class Page:
    """The JupyterLab page, with waits whose failure says what the notebook showed (and leaves a
    screenshot, lab-failure.png)."""

    def __init__(self, driver, lab, artifacts):
        self.driver, self.lab, self.artifacts = driver, lab, artifacts

    def describe(self) -> str:
        try:
            shown = json.dumps({"kernel_status": kernel_status(self.driver), "dialogs": dialogs(self.driver),
                                "cells": cells(self.driver)}, indent=1)
            self.driver.save_screenshot(str(self.artifacts / "lab-failure.png"))
        except Exception as error:  # the description must not hide the failure it describes
            shown = f"(the page could not be read: {error})"
        log = self.lab.server.server_log()[-3000:]
        return f"\nJupyterLab showed: {shown}\nJupyter server log (tail):\n{log}"

    def until(self, condition, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = condition()
            except Exception:  # stale elements while JupyterLab re-renders an output
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"after {timeout:.0f} s: {what}" + self.describe())
            time.sleep(0.2)

    def scroll_into_view(self, selector: str):
        self.driver.execute_script(
            "const e = document.querySelector(arguments[0]); if (e) e.scrollIntoView({block: 'center'});", selector)

    def run_all_cells(self):
        """JupyterLab's menu Run → Run All Cells, clicked as a person would."""
        from selenium.webdriver.common.by import By

        run_menu = self.until(lambda: [e for e in self.driver.find_elements(By.CSS_SELECTOR, "#jp-MainMenu .lm-MenuBar-item")
                                       if e.text.strip() == "Run"], 20, "no Run menu in JupyterLab's menu bar")
        run_menu[0].click()
        item = self.until(lambda: [e for e in self.driver.find_elements(
            By.CSS_SELECTOR, '.lm-Menu-item[data-command="runmenu:run-all"]')
            if e.text.strip() == "Run All Cells" and "lm-mod-disabled" not in (e.get_attribute("class") or "")], 10,
            "the Run menu has no enabled 'Run All Cells'")
        item[0].click()


def test_lab_shows_live_jobs_and_frames_the_spark_ui(lab, browser, artifacts):  # noqa: F811 (the fixture)
    import nbformat
    from selenium.webdriver.common.by import By

    started = time.monotonic()
    server, link = lab.server, lab.link
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("%spark_ui 500"), nbformat.v4.new_code_cell(LONG_CELL)],
        metadata={"kernelspec": {"name": KERNEL_NAME, "display_name": "PySpark (Livy)", "language": "python"}})
    nbformat.write(notebook, str(lab.notebooks / NOTEBOOK))
    page = Page(browser, lab, artifacts)

    browser.get(f"{server.url}/lab/tree/{NOTEBOOK}?token={server.token}")
    page.until(lambda: len(cells(browser)) == 2, 60, f"JupyterLab did not show {NOTEBOOK} with its 2 code cells")
    # Idle as JupyterLab shows it (its indicator says idle before any kernel is connected, so also
    # the kernel's name and state in the status bar) and as the server knows it.
    page.until(lambda: kernel_status(browser) == "idle" and "PySpark (Livy) | Idle" in status_bar(browser)
               and kernel_states(server) == [(NOTEBOOK, KERNEL_NAME, "idle")], 60,
               f"the notebook's kernel ({KERNEL_NAME}) did not become idle; sessions: {kernel_states(server)}")
    assert not dialogs(browser), f"JupyterLab asks something: {dialogs(browser)}"
    lab_ready = time.monotonic() - started

    page.run_all_cells()
    ran = time.monotonic()

    # 1. While the long cell runs: its live jobs table, a RUNNING job linked into the proxied UI.
    job_link = f"{link}jobs/job/?id="

    def running_rows():
        shown = cells(browser)
        rows = shown[1]["rows"] if len(shown) == 2 else []
        return [r for r in rows if len(r["cells"]) >= 2 and r["cells"][1] == "RUNNING"] and rows

    rows = page.until(running_rows, 120, "no RUNNING job in a '.livykernel-jobs' table under the long cell")
    page.scroll_into_view(".livykernel-jobs")
    browser.save_screenshot(str(artifacts / "lab-live-jobs.png"))
    live_seen = time.monotonic() - ran
    running = [r for r in rows if r["cells"][1] == "RUNNING"]
    assert all(r["href"] == job_link + r["cells"][0] and r["cells"][0].isdigit() for r in running), \
        f"each RUNNING job's id should link to {job_link}<id>: {running}"
    assert all(len(r["cells"]) == 6 for r in rows), f"rows should have job, status, stages, tasks, duration, description: {rows}"
    assert "foreach" in " ".join(r["cells"][5] for r in running), f"the running job is not the cell's foreach: {running}"

    # The kernel's record of this session: whose processes must be gone after the test.
    record = json.loads((lab.runtime_dir / f"{lab.port}.json").read_text())
    lab.kernel_pid, lab.session_id = record["pid"], record["session_id"]
    lab.driver_pid = lab.livy.driver_pid(lab.session_id)

    # 2. The %spark_ui output: an iframe whose document is the Spark UI, served through the proxy.
    frame = browser.find_element(By.CSS_SELECTOR, ".livykernel-spark-ui iframe")
    assert frame.get_attribute("src") == server.url + link, frame.get_attribute("src")
    new_tab = browser.find_element(By.CSS_SELECTOR, ".livykernel-spark-ui a").get_attribute("href")
    assert new_tab == server.url + link, new_tab
    page.scroll_into_view(".livykernel-spark-ui iframe")
    browser.switch_to.frame(frame)
    try:
        page.until(lambda: browser.execute_script("return document.readyState") == "complete"
                   and browser.find_elements(By.CSS_SELECTOR, ".navbar"), 30,
                   "the %spark_ui iframe did not render the Spark UI (no .navbar)")
        framed = browser.execute_script(
            "return {url: location.href, title: document.title,"
            " headings: Array.from(document.querySelectorAll('h3')).map(h => h.innerText.trim()),"
            " navbar: document.querySelector('.navbar').innerText}")
    finally:
        browser.switch_to.default_content()
    assert framed["url"] == f"{server.url}{link}jobs/", f"the iframe shows {framed['url']}, not the proxied Jobs page"
    assert framed["title"].endswith("Spark Jobs") and any(h.startswith("Spark Jobs") for h in framed["headings"]), framed
    assert "Jobs" in framed["navbar"] and "Executors" in framed["navbar"], framed
    browser.save_screenshot(str(artifacts / "lab-spark-ui-frame.png"))

    # 3. Once the cell has finished: the summary instead of the table, with job links, and its print.
    def finished():
        shown = cells(browser)
        return len(shown) == 2 and shown[1]["summary"] and "done" in shown[1]["stdout"] and shown[1]

    long_cell = page.until(finished, 120, "the long cell did not end with a '.livykernel-jobs-summary' and 'done'")
    page.until(lambda: kernel_status(browser) == "idle", 30, "the kernel did not become idle after the cells")
    page.scroll_into_view(".livykernel-jobs-summary")
    browser.save_screenshot(str(artifacts / "lab-jobs-summary.png"))
    run_time = time.monotonic() - ran
    long_cell = cells(browser)[1]
    assert not long_cell["rows"], f"the live table is still shown beside the summary: {long_cell['rows']}"
    assert len(long_cell["summary"]) == 1, long_cell["summary"]
    summary = long_cell["summary"][0]
    assert summary["text"].startswith("Spark: "), summary["text"]
    job_links = [a for a in summary["links"] if a["text"].startswith("job")]
    assert job_links and all(a["href"].startswith(job_link) for a in job_links), \
        f"the summary should link its jobs to {job_link}<id>: {summary['links']}"
    assert any(a["href"] == r["href"] for a in job_links for r in running), (job_links, running)
    assert long_cell["stdout"].strip() == "done", long_cell["stdout"]
    assert long_cell["prompt"].strip() == "[2]:", long_cell["prompt"]

    # Closing the notebook's kernel as a person would (shut down): the session, its record, the kernel
    # process and the Spark driver are gone, and the link is no longer served.
    session = server.get("/api/sessions").json()[0]
    response = server.http.delete(f"{server.url}/api/sessions/{session['id']}", headers=server.auth, timeout=60)
    assert response.status_code == 204, response.text
    page.until(lambda: not (lab.runtime_dir / f"{lab.port}.json").exists() and not pid_alive(lab.kernel_pid), 30,
               "the kernel did not exit and remove its Spark UI record")
    page.until(lambda: not livy_session_live(lab.livy, lab.session_id) and not pid_alive(lab.driver_pid), 30,
               f"Livy session {lab.session_id} or its driver (pid {lab.driver_pid}) outlived the kernel")
    assert server.get(link + "jobs/").status_code == 404
    browser.get("about:blank")  # JupyterLab's polling and websockets end with the page

    (artifacts / "lab-jobs.json").write_text(json.dumps({
        "lab_ready_s": round(lab_ready, 1), "live_table_after_s": round(live_seen, 1),
        "run_all_s": round(run_time, 1), "total_s": round(time.monotonic() - started, 1),
        "live_rows": rows, "framed": framed, "summary": summary,
        "screenshots": ["lab-live-jobs.png", "lab-spark-ui-frame.png", "lab-jobs-summary.png"]}, indent=1))
