"""The Spark UI of a session on the cluster, through the proxy (a real jupyter_server with the
sparkui_proxy extension) in headless Chromium: the Executors page, built in the page from the
driver's REST API, lists the driver and both workers' executors. Reuses the Spark UI proxy suite's
server runner and browser (sparkui_proxy/tests)."""
import os
import pathlib
import re
import types

import pytest

from cell_output import announcement
from jupyter_process import JupyterServer
from test_browser import CHROMEDRIVER, CHROMIUM, browser, check_page, settle, wait_for  # noqa: F401 (browser: a fixture)

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs the Debian packages chromium and chromium-driver (make test-cluster installs them)")


@pytest.fixture(scope="module")
def jupyter(jupyter_sandbox, tmp_path_factory):
    """jupyter_server with the extension, reading the Spark UI records the cluster kernels write."""
    server = JupyterServer(pathlib.Path(os.environ["LIVY_KERNEL_RUNTIME_DIR"]), tmp_path_factory.mktemp("jupyter-home"))
    yield server
    server.stop()


def test_executors_page_through_the_proxy_lists_both_executors(session, jupyter, browser, tmp_path):
    from selenium.webdriver.common.by import By

    link = re.search(r"Spark UI (\S+)", announcement(session.first_cell_messages)).group(1)
    reply, _ = session.run("sc.parallelize(range(4), 4).count()")
    assert reply["status"] == "ok", reply
    executors = {e["id"]: e for e in session.executors()}
    assert len(executors) == 2, executors

    browser.get(f"{jupyter.url}{link}executors/?token={jupyter.token}")
    settle(browser)
    rows_css = "#active-executors-table tbody tr"
    wait_for(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, rows_css)) >= 3,
             message="the executor table did not list three executors")
    rows = [row.text for row in browser.find_elements(By.CSS_SELECTOR, rows_css)]
    assert sorted(row.split()[0] for row in rows) == sorted(["driver", *executors]), rows
    for executor_id, executor in executors.items():
        [row] = [r for r in rows if r.split()[0] == executor_id]
        assert executor["hostPort"] in row, (executor, row)
    summary = browser.find_element(By.CSS_SELECTOR, "#summary-execs-table").text.replace(" ", "")
    assert "Active(3)" in summary, summary
    loaded = check_page(browser, jupyter, types.SimpleNamespace(prefix=link.rstrip("/")))
    assert any(f"/api/v1/applications/{session.app_id}/" in r["name"] for r in loaded), "no REST call through the proxy"
    browser.save_screenshot(str(tmp_path / "cluster-executors.png"))
