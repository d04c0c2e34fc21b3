"""Helpers that talk to a running kernel over raw ZeroMQ sockets, below jupyter_client's
Session, so tests can send what a well-behaved client never would."""
import time
import uuid

import zmq
from jupyter_client.session import Session

DELIMITER = b"<IDS|MSG>"


class RawShell:
    """A DEALER socket on the kernel's shell port plus a SUB on iopub."""

    def __init__(self, connection: dict):
        self.connection = connection
        self.context = zmq.Context()
        self.shell = self.context.socket(zmq.DEALER)
        self.shell.linger = 0
        self.shell.connect(f"tcp://{connection['ip']}:{connection['shell_port']}")
        self.iopub = self.context.socket(zmq.SUB)
        self.iopub.linger = 0
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub.connect(f"tcp://{connection['ip']}:{connection['iopub_port']}")
        self.session = Session(key=connection["key"].encode(), username="test")
        time.sleep(0.3)  # let the SUB subscription reach the kernel's PUB

    def close(self):
        self.shell.close()
        self.iopub.close()
        self.context.term()

    def frames(self, msg_type: str, content: dict, session: Session | None = None) -> list[bytes]:
        """A correctly framed message, signed by `session` (default: the right key)."""
        session = session or self.session
        msg = session.msg(msg_type, content)
        return session.serialize(msg)

    def send_frames(self, frames: list[bytes]):
        self.shell.send_multipart(frames)

    def request(self, msg_type: str, content: dict | None = None, session: Session | None = None) -> str:
        """Sends a signed request; returns its msg_id."""
        session = session or self.session
        msg = session.msg(msg_type, content or {})
        self.shell.send_multipart(session.serialize(msg))
        return msg["header"]["msg_id"]

    def replies(self, timeout: float, expected: int | None = None) -> list[dict]:
        """Shell replies arriving within `timeout` seconds (verified with the right key); returns
        early once `expected` replies are in."""
        out = []
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0 and len(out) != expected:
            if not self.shell.poll(int(remaining * 1000)):
                break
            frames = self.shell.recv_multipart()
            _, msg_frames = self.session.feed_identities(frames)
            out.append(self.session.deserialize(msg_frames))
        return out

    def iopub_messages(self, timeout: float) -> list[dict]:
        out = []
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            if not self.iopub.poll(int(remaining * 1000)):
                break
            frames = self.iopub.recv_multipart()
            _, msg_frames = self.session.feed_identities(frames)
            out.append(self.session.deserialize(msg_frames))
        return out


def wrong_key_session() -> Session:
    return Session(key=uuid.uuid4().hex.encode(), username="attacker")
