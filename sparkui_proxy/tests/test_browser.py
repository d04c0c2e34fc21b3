"""A real browser: headless Chromium (Debian `chromium` + `chromium-driver`, driven by selenium)
opens the Jobs, Executors and SQL pages through the proxy with the Jupyter token, waits for the
pages' scripts, and checks what rendered. Screenshots go to the test-artifact directory."""
from __future__ import annotations

import json
import shutil

import pytest

from names import APP_NAME

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs the Debian packages chromium and chromium-driver (make test-sparkui-proxy installs them)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tmp_path_factory.mktemp("chromium-profile")
    home = tmp_path_factory.mktemp("chromium-home")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1400,1000", f"--user-data-dir={profile}", "--no-first-run",
                     "--disable-extensions", "--disable-background-networking", "--disable-sync",
                     "--disable-component-update", "--disable-default-apps"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=CHROMEDRIVER, env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
                      log_output=str(home / "chromedriver.log"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def wait_for(driver, condition, timeout=30, message=""):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(condition, message)


def resources(driver) -> list[dict]:
    return driver.execute_script(
        "return performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))"
        ".map(e => ({name: e.name, status: e.responseStatus, type: e.initiatorType}))")


def settle(driver):
    wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete")
    # jQuery's pending REST calls (the Executors and SQL tables are built from /api/v1 in the page).
    wait_for(driver, lambda d: d.execute_script("return !window.jQuery || jQuery.active === 0"))


def check_page(driver, jupyter, spark) -> list[dict]:
    loaded = resources(driver)
    assert loaded, "the page loaded nothing"
    bad = [r for r in loaded if r["status"] not in (200, 0) or not r["name"].startswith(jupyter.url + spark.prefix + "/")]
    assert not bad, f"resources not served through the proxy: {bad}"
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, f"browser errors: {errors}"
    return loaded


def test_jobs_and_executors_pages_render_in_chromium(browser, jupyter, spark, artifacts):
    from selenium.webdriver.common.by import By

    # Jobs: the link as a person would open it, with the token once (Jupyter then sets its cookie).
    browser.get(f"{jupyter.url}{spark.prefix}/?token={jupyter.token}")
    settle(browser)
    assert browser.current_url.startswith(f"{jupyter.url}{spark.prefix}/jobs/"), browser.current_url
    assert browser.title == f"{APP_NAME} - Spark Jobs", browser.title
    navbar = browser.find_element(By.CSS_SELECTOR, ".navbar").text
    assert APP_NAME in navbar, navbar
    job_rows = browser.find_elements(By.CSS_SELECTOR, "#completedJob-table tbody tr")
    assert len(job_rows) >= 2, "no completed jobs listed"
    jobs_loaded = check_page(browser, jupyter, spark)
    assert any(r["name"].endswith("/static/webui.js") for r in jobs_loaded)
    browser.save_screenshot(str(artifacts / "spark-ui-jobs.png"))

    # Executors: the table is built in the page by executorspage.js from the REST API (uiRoot + /api/v1/...).
    browser.get(f"{jupyter.url}{spark.prefix}/executors/")
    settle(browser)
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#active-executors-table tbody tr td"),
             message="the executor table stayed empty")
    rows = [row.text for row in browser.find_elements(By.CSS_SELECTOR, "#active-executors-table tbody tr")]
    assert any(row.startswith("driver") for row in rows), rows
    assert any("127.0.0.1" in row or "localhost" in row for row in rows), rows
    summary = browser.find_element(By.CSS_SELECTOR, "#summary-execs-table").text
    assert "Active(1)" in summary.replace(" ", ""), summary
    exec_loaded = check_page(browser, jupyter, spark)
    assert any("/api/v1/applications/" in r["name"] for r in exec_loaded), "no REST call through the proxy"
    browser.save_screenshot(str(artifacts / "spark-ui-executors.png"))

    # SQL: allexecutionspage.js lists the executions, linked under the prefix.
    browser.get(f"{jupyter.url}{spark.prefix}/SQL/")
    settle(browser)
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "a[href*='/SQL/execution/?id=']"),
             message="the SQL table stayed empty")
    link = browser.find_element(By.CSS_SELECTOR, "a[href*='/SQL/execution/?id=']").get_attribute("href")
    assert link.startswith(f"{jupyter.url}{spark.prefix}/SQL/execution/"), link
    check_page(browser, jupyter, spark)
    browser.save_screenshot(str(artifacts / "spark-ui-sql.png"))

    (artifacts / "browser.json").write_text(json.dumps(
        {"jobs_resources": len(jobs_loaded), "executors_resources": len(exec_loaded), "executor_rows": rows,
         "screenshots": ["spark-ui-jobs.png", "spark-ui-executors.png", "spark-ui-sql.png"]}, indent=1))
