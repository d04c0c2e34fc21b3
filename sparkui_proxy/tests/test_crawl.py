"""Every link and asset of the Jobs, Stages, Storage, Environment, Executors and SQL pages answers
200 through the proxy (after at most one redirect, which stays under the prefix), plus the REST API,
redirects, HEAD/POST, and the latency the proxy adds."""
from __future__ import annotations

import html.parser
import json
import re
import statistics
import time
import urllib.parse

import requests

from names import APP_NAME

TABS = ["jobs/", "stages/", "storage/", "environment/", "executors/", "SQL/"]


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (kind, url)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append((f"{tag}[{name}]", attrs[name]))
        if tag == "form" and attrs.get("action") and (attrs.get("method") or "get").lower() == "get":
            self.links.append(("form[action]", attrs["action"]))


def fetch_under_prefix(jupyter, path: str, prefix: str) -> tuple[int, list[str], requests.Response]:
    """GET through the proxy, following at most one redirect, which must stay under the prefix."""
    chain = [path]
    response = jupyter.get(path)
    if response.is_redirect:
        location = urllib.parse.urljoin(jupyter.url + path, response.headers["Location"])
        parts = urllib.parse.urlsplit(location)
        assert parts.netloc == urllib.parse.urlsplit(jupyter.url).netloc, location
        assert parts.path.startswith(prefix + "/"), f"{path} redirects out of the prefix: {location}"
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        chain.append(target)
        response = jupyter.get(target)
        assert not response.is_redirect, f"{path}: more than one redirect ({chain} -> {response.headers['Location']})"
    return response.status_code, chain, response


def test_bare_prefix_and_root_redirect_under_prefix(jupyter, spark):
    bare = jupyter.get(spark.prefix)
    assert bare.status_code == 302 and bare.headers["Location"] == spark.prefix + "/"
    root = jupyter.get(spark.prefix + "/")
    # The driver answers 302 http://<its host>:<port>/jobs/; the proxy maps it back under the prefix.
    assert root.status_code == 302 and root.headers["Location"] == spark.prefix + "/jobs/"
    jetty = jupyter.get(spark.prefix + "/jobs")  # Jetty's own trailing-slash redirect
    assert jetty.status_code in (301, 302) and jetty.headers["Location"] == spark.prefix + "/jobs/"
    jobs = jupyter.get(spark.prefix + "/jobs/")
    assert jobs.status_code == 200 and APP_NAME in jobs.text


def test_crawl_tabs_links_and_assets(jupyter, spark, artifacts):
    prefix = spark.prefix
    statuses: dict[str, int] = {}
    redirected: dict[str, str] = {}
    outside: list[str] = []
    external: set[str] = set()
    queue: list[tuple[str, str]] = []
    seen: set[str] = set()
    tab_links: dict[str, int] = {}

    def enqueue(page_url: str, url: str, kind: str):
        absolute = urllib.parse.urljoin(jupyter.url + page_url, url)
        parts = urllib.parse.urlsplit(absolute)
        if parts.scheme not in ("http", "https"):
            return
        if parts.netloc != urllib.parse.urlsplit(jupyter.url).netloc:
            external.add(absolute)
            return
        if not parts.path.startswith(prefix + "/"):
            outside.append(f"{page_url}: {kind} {url}")
            return
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path not in seen:
            seen.add(path)
            queue.append((kind, path))

    for tab in TABS:
        page = prefix + "/" + tab
        status, chain, response = fetch_under_prefix(jupyter, page, prefix)
        statuses[page] = status
        assert status == 200, (page, status, response.text[:500])
        assert APP_NAME in response.text, f"{page} does not show the application name"
        parser = Links()
        parser.feed(response.text)
        tab_links[tab] = len(parser.links)
        for kind, url in parser.links:
            enqueue(page, url, kind)
    seen.update(prefix + "/" + tab for tab in TABS)
    # The SQL tab renders its table in the browser (allexecutionspage.js) from the REST API, with
    # links `{uiRoot}/SQL/execution/?id=N`: follow those as the page's own links.
    executions = jupyter.get(f"{prefix}/api/v1/applications/{spark.app_id}/sql").json()
    assert executions, "the SQL tab has no executions"
    for execution in executions:
        enqueue(prefix + "/SQL/", f"{prefix}/SQL/execution/?id={execution['id']}", "SQL table (js)")

    while queue:
        kind, path = queue.pop(0)
        status, chain, response = fetch_under_prefix(jupyter, path, prefix)
        statuses[path] = status
        if len(chain) > 1:
            redirected[path] = chain[-1]
        content_type = response.headers.get("Content-Type", "")
        if status == 200 and "html" in content_type:
            # Pages linked from the tabs: their assets too (not their links, or the crawl never ends).
            parser = Links()
            parser.feed(response.text)
            for kind, url in parser.links:
                if "/static/" in url:
                    enqueue(path, url, kind)
        if status == 200 and "css" in content_type:
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", response.text):
                if not url.startswith("data:"):
                    enqueue(path, url, "css url()")
        if status == 200 and "javascript" in content_type:
            for url in re.findall(r"""(?:^|\n|;)\s*import\s[^'"]*?['"](\.{1,2}/[^'"]+)['"]""", response.text):
                enqueue(path, url, "js import")

    bad = {path: status for path, status in statuses.items() if status != 200}
    report = {"pages_and_assets": len(statuses), "status_counts": _count(statuses.values()),
              "links_per_tab": tab_links, "redirected": redirected, "external_links_not_followed": sorted(external),
              "statuses": statuses}
    (artifacts / "crawl.json").write_text(json.dumps(report, indent=1, sort_keys=True))
    print(f"\ncrawled {len(statuses)} pages and assets through the proxy: {_count(statuses.values())}")
    assert not outside, f"links that would leave the proxy prefix: {outside[:10]}"
    assert not bad, f"not 200 through the proxy: {bad}"
    assert any("/static/" in p and p.endswith(".js") for p in statuses), "no script assets found"
    assert any("/static/" in p and p.endswith(".css") for p in statuses), "no stylesheets found"
    assert any("/jobs/job/" in p for p in statuses) and any("/stages/stage/" in p for p in statuses)
    assert any("/storage/rdd/" in p for p in statuses), "the cached table's page was not linked"
    assert any("/SQL/execution/" in p for p in statuses), "no SQL execution page was linked"
    assert len(statuses) >= 40


def _count(values) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[str(value)] = counts.get(str(value), 0) + 1
    return counts


def test_rest_api_through_proxy(jupyter, spark):
    api = spark.prefix + "/api/v1/applications"
    apps = jupyter.get(api)
    assert apps.status_code == 200 and apps.headers["Content-Type"].startswith("application/json")
    [app] = apps.json()
    assert app["id"] == spark.app_id and app["name"] == APP_NAME
    for endpoint in ["jobs", "stages", "executors", "allexecutors", "environment", "storage/rdd", "sql"]:
        response = jupyter.get(f"{api}/{spark.app_id}/{endpoint}")
        assert response.status_code == 200, (endpoint, response.status_code, response.text[:300])
        assert response.json() is not None
    executors = jupyter.get(f"{api}/{spark.app_id}/allexecutors").json()
    assert any(e["id"] == "driver" for e in executors)
    # Query strings reach the driver unchanged (Jupyter's own `token` parameter does not).
    jobs = jupyter.get(f"{api}/{spark.app_id}/jobs?status=succeeded&token={jupyter.token}", token=False)
    assert jobs.status_code == 200 and jobs.json() and all(j["status"] == "SUCCEEDED" for j in jobs.json())
    unknown = jupyter.get(f"{api}/no-such-app/jobs")
    assert unknown.status_code == 404  # the driver's own 404, passed through


def test_head_and_streamed_gzip_asset(jupyter, spark):
    path = spark.prefix + "/static/jquery.min.js"
    direct = requests.get(spark.direct + "/static/jquery.min.js", timeout=30)
    proxied = jupyter.get(path, headers={"Accept-Encoding": "gzip"})
    assert proxied.status_code == 200 and proxied.content == direct.content
    head = jupyter.http.head(jupyter.url + path, headers=jupyter.auth, timeout=30)
    assert head.status_code == 200 and head.content == b""
    identity = jupyter.get(path, headers={"Accept-Encoding": "identity"}, stream=True)
    assert identity.raw.read() == direct.content


def test_kill_button_posts_through_proxy(jupyter, spark):
    """A running job's (kill) form — a same-origin POST with the driver's csrfToken and no Jupyter
    _xsrf — goes through with the login cookie; the driver's redirect comes back under the prefix."""
    livy = spark.livy
    statement = livy.submit(spark.session_id,
                            "spark.sparkContext.setJobDescription('sleeper')\n"
                            "spark.range(0, 2, 1, 2).rdd.map(lambda x: __import__('time').sleep(120)).count()")
    try:
        _kill_through_proxy(jupyter, spark, livy, statement)
    finally:
        livy.post(f"/sessions/{spark.session_id}/statements/{statement['id']}/cancel")
        livy.wait_statement(spark.session_id, statement["id"], timeout=60)


def _kill_through_proxy(jupyter, spark, livy, statement):
    browser = requests.Session()
    login = browser.get(f"{jupyter.url}{spark.prefix}/jobs/?token={jupyter.token}", timeout=30)
    assert login.status_code == 200
    cookies = {c.name: c.value for c in browser.cookies}
    assert cookies, "no login cookie"
    form = None
    deadline = time.monotonic() + 60
    while form is None and time.monotonic() < deadline:
        page = requests.get(f"{jupyter.url}{spark.prefix}/jobs/", cookies=cookies, timeout=30).text
        form = re.search(r'<form action="([^"]*/jobs/job/kill/)" method="POST"[^>]*>(.*?)</form>', page, re.S)
        time.sleep(0.3)
    assert form, "no (kill) form for the running job"
    action = form.group(1)
    assert action.startswith(spark.prefix + "/"), action
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form.group(2)))
    assert "id" in fields, form.group(2)

    cross = requests.post(jupyter.url + action, data=fields, cookies=cookies, allow_redirects=False, timeout=30,
                          headers={"Origin": "http://evil.example"})
    # Jupyter refuses it (its cross-origin check answers 404) before anything reaches the driver.
    assert cross.status_code in (403, 404) and "CSRF token on a state-changing" not in cross.text
    same = requests.post(jupyter.url + action, data=fields, cookies=cookies, allow_redirects=False, timeout=30,
                         headers={"Origin": jupyter.url, "Referer": f"{jupyter.url}{spark.prefix}/jobs/"})
    assert same.status_code in (302, 303), (same.status_code, same.text[:400])
    assert same.headers["Location"].startswith(spark.prefix + "/jobs/"), same.headers["Location"]
    finished = livy.wait_statement(spark.session_id, statement["id"], timeout=60)
    assert finished["output"]["status"] == "error" and "cancel" in json.dumps(finished["output"]).lower(), finished


def test_latency_added_by_proxy(jupyter, spark, artifacts):
    page = "/environment/"
    direct_http = requests.Session()
    proxied_http = requests.Session()
    direct_ms, proxied_ms = [], []
    for _ in range(3):  # warm up both paths (JIT, connections, Livy state cache)
        direct_http.get(spark.direct + page, timeout=30)
        proxied_http.get(jupyter.url + spark.prefix + page, headers=jupyter.auth, timeout=30)
    for _ in range(40):
        started = time.perf_counter()
        assert direct_http.get(spark.direct + page, timeout=30).status_code == 200
        direct_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        assert proxied_http.get(jupyter.url + spark.prefix + page, headers=jupyter.auth, timeout=30).status_code == 200
        proxied_ms.append((time.perf_counter() - started) * 1000)
    result = {"page": f"{spark.prefix}{page}", "samples": len(direct_ms),
              "direct_median_ms": round(statistics.median(direct_ms), 2),
              "proxied_median_ms": round(statistics.median(proxied_ms), 2)}
    result["added_median_ms"] = round(result["proxied_median_ms"] - result["direct_median_ms"], 2)
    (artifacts / "latency.json").write_text(json.dumps(result, indent=1))
    print(f"\nproxy latency: {result}")
    assert result["added_median_ms"] < 100, result
