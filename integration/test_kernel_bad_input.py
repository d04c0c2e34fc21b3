"""Bad input on the wire: each is dropped with a log line and the kernel keeps serving."""
import time

import pytest
import zmq

from kernel_setup import read_connection
from kernel_wire import DELIMITER, RawShell, wrong_key_session


@pytest.fixture
def raw(kernel):
    km, kc = kernel
    shell = RawShell(read_connection(km))
    yield shell
    shell.close()


def assert_still_serving(raw: RawShell):
    msg_id = raw.request("kernel_info_request")
    replies = raw.replies(timeout=5, expected=1)
    assert [r["parent_header"]["msg_id"] for r in replies] == [msg_id]


def test_forged_signature_gets_no_reply(raw):
    raw.request("kernel_info_request", session=wrong_key_session())
    assert raw.replies(timeout=1.0) == []
    assert [m for m in raw.iopub_messages(timeout=0.3)] == [], "a forged message must not even cause busy/idle"
    assert_still_serving(raw)


def test_missing_signature_gets_no_reply(raw):
    frames = raw.frames("kernel_info_request", {})
    frames[1] = b""  # [delimiter, signature, header, parent, metadata, content]
    raw.send_frames(frames)
    assert raw.replies(timeout=1.0) == []
    assert_still_serving(raw)


def test_replayed_message_is_dropped(raw):
    frames = raw.frames("kernel_info_request", {})
    raw.send_frames(frames)
    raw.send_frames(frames)
    assert len(raw.replies(timeout=1.5)) == 1
    assert_still_serving(raw)


@pytest.mark.parametrize("mangle", [
    pytest.param(lambda f: [x for x in f if x != DELIMITER], id="no-delimiter"),
    pytest.param(lambda f: f[:4], id="too-few-frames"),
    pytest.param(lambda f: [b"only-one-frame"], id="single-frame"),
])
def test_malformed_multipart_is_dropped(raw, mangle):
    raw.send_frames(mangle(raw.frames("kernel_info_request", {})))
    assert raw.replies(timeout=1.0) == []
    assert_still_serving(raw)


def signed(raw: RawShell, header: bytes, content: bytes) -> list[bytes]:
    parts = [header, b"{}", b"{}", content]
    return [DELIMITER, raw.session.sign(parts)] + parts


def test_invalid_json_is_dropped(raw):
    raw.send_frames(signed(raw, b"{not json", b"{}"))
    good_header = raw.session.pack(raw.session.msg_header("kernel_info_request"))
    raw.send_frames(signed(raw, good_header, b"[1, 2"))
    raw.send_frames(signed(raw, b'{"msg_type": "kernel_info_request"}', b"{}"))  # no msg_id
    assert raw.replies(timeout=1.0) == []
    assert_still_serving(raw)


def test_wrong_content_types_are_dropped(raw):
    header = raw.session.pack(raw.session.msg_header("execute_request"))
    raw.send_frames(signed(raw, header, b'{"code": 42}'))
    assert raw.replies(timeout=1.0) == []
    assert_still_serving(raw)


def test_unknown_msg_type_gets_status_but_no_reply(raw):
    msg_id = raw.request("no_such_request", {})
    assert raw.replies(timeout=1.0) == []
    statuses = [m["content"]["execution_state"] for m in raw.iopub_messages(timeout=0.5)
                if m["parent_header"].get("msg_id") == msg_id]
    assert statuses == ["busy", "idle"]
    assert_still_serving(raw)


def test_heartbeat_answers_while_requests_are_in_flight(kernel):
    km, kc = kernel
    connection = read_connection(km)
    raw = RawShell(connection)
    heart = raw.context.socket(zmq.REQ)
    heart.linger = 0
    heart.connect(f"tcp://{connection['ip']}:{connection['hb_port']}")
    try:
        burst = 3000
        for _ in range(burst):
            raw.request("execute_request", {"code": "x", "silent": False, "stop_on_error": False})
        sent_ping = time.monotonic()
        heart.send(b"ping")
        assert heart.poll(2000), "no heartbeat echo within 2 s while the shell was busy"
        assert heart.recv() == b"ping"
        echo_seconds = time.monotonic() - sent_ping
        # The pong must have come back while the burst was still being answered.
        replies = 0
        while raw.shell.poll(0):
            raw.shell.recv_multipart()
            replies += 1
        assert replies < burst, f"all {burst} replies were already in; the test proved nothing"
        assert echo_seconds < 1.0
        collected = replies + len(raw.replies(timeout=60, expected=burst - replies))
        assert collected == burst
    finally:
        heart.close()
        raw.close()
