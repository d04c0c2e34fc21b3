"""Free loopback ports for the servers of this suite, and waiting until one of them accepts."""
import socket
import time


def free_ports(count: int) -> list[int]:
    """`count` distinct TCP ports on 127.0.0.1 that nobody listens on right now (the OS's pick).

    All sockets are bound before any is closed, so the OS cannot hand out the same port twice."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def wait_accepting(port: int, process, timeout: float = 10) -> None:
    """Returns once 127.0.0.1:`port` accepts a connection; raises if `process` (a Popen) exited
    first or the time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before port {port} accepted")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(f"nothing accepts on 127.0.0.1:{port} after {timeout} s")
