"""Cross-check with an independent client: sparkmagic's livyclientlib
(0.23.0, in its own virtualenv) creates a session, runs a statement and a SQL
query, and deletes the session. If sparkmagic cannot talk to devlivy, devlivy
is wrong."""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPARKMAGIC_PY = os.environ.get("DEVLIVY_SPARKMAGIC_PY", str(REPO / ".venv-sparkmagic" / "bin" / "python"))


@pytest.fixture
def sparkmagic_env(tmp_path):
    if not os.path.exists(SPARKMAGIC_PY):
        pytest.fail(f"{SPARKMAGIC_PY} is missing: run `make test-devlivy` (it builds .venv-sparkmagic)")
    conf_dir = tmp_path / "sparkmagic"
    conf_dir.mkdir()
    # Short heartbeat period so deleting the session does not wait 30 s for
    # the heartbeat thread to notice.
    (conf_dir / "config.json").write_text(json.dumps({
        "heartbeat_refresh_seconds": 1, "heartbeat_retry_seconds": 1,
        "livy_session_startup_timeout_seconds": 90,
    }))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update({"HOME": str(tmp_path), "SPARKMAGIC_CONF_DIR": str(conf_dir)})
    return env


def test_sparkmagic_livyclientlib_round_trip(server, sparkmagic_env):
    before = {s["id"] for s in server.get("/sessions").json()["sessions"]}
    completed = subprocess.run(
        [SPARKMAGIC_PY, str(Path(__file__).parent / "sparkmagic_client.py"), server.url],
        env=sparkmagic_env, capture_output=True, text=True, timeout=240,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])

    assert result["status_after_start"] == "idle"
    assert result["sql_context_variable_name"] == "spark"
    assert result["app_id"].startswith("local-")
    assert result["spark_ui_url"] is None  # as from real Livy off YARN
    assert result["statement"] == {"success": True, "text": "45\n2", "mimetype": "text/plain"}
    assert result["failed_statement"]["success"] is False
    assert "ZeroDivisionError" in result["failed_statement"]["text"]
    assert result["sql"] == {"columns": ["id", "twice"], "rows": [[0, 0], [1, 2], [2, 4]]}
    assert result["status_after_delete"] == "dead"
    assert result["display_errors"] == []
    assert server.get(f"/sessions/{result['session_id']}").status_code == 404
    assert result["session_id"] not in before
