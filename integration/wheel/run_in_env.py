"""Runs inside the fresh virtualenv the wheel was installed into (with that env's Python): one
cell through the installed kernelspec with nbclient, then, while the kernel still runs, the cell's
Spark UI link through the Jupyter server the test started. Prints one JSON object."""
import json
import re
import sys
import urllib.request

import nbformat
from nbclient import NotebookClient

server_url, token = sys.argv[1], sys.argv[2]
notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("spark.range(5).count()")])
client = NotebookClient(notebook, kernel_name="livy-pyspark", timeout=240, startup_timeout=60)
result = {}
with client.setup_kernel():
    cell = client.execute_cell(notebook.cells[0], 0)
    texts = []
    for output in cell.outputs:
        texts.append(output.get("text") or output.get("data", {}).get("text/plain", ""))
    result["outputs"] = texts
    result["argv0"] = client.km.kernel_spec.argv[0]
    match = re.search(r"Spark UI (\S+)", "\n".join(texts))
    result["link"] = match.group(1) if match else None
    if match:
        request = urllib.request.Request(server_url + match.group(1) + "jobs/", headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            result["proxy_status"] = answer.status
            result["proxy_page_has_jobs"] = "Spark Jobs" in answer.read().decode()
print(json.dumps(result))
