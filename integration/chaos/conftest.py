"""Fixtures of the chaos suite (`make test-chaos`): the dev Livy server of integration/conftest.py,
the fault proxy in front of it, and one kernel behind the proxy that the tests share.

The shared kernel is checked before every test (one cell through the proxy with no fault armed)
and replaced when a fault left it unable to run cells, so one broken test does not break the next.
Everything started here is stopped at the end of the run, also when a test failed or timed out.
"""
import pytest

from chaos_kernel import CURRENT_TEST, SLOWEST_KERNEL_INFO, STARTED, ChaosKernel
from fault_proxy import FaultProxy


@pytest.fixture(scope="session", autouse=True)
def no_leftover_kernels():
    yield
    for km in STARTED:
        try:
            if km.is_alive():
                km.shutdown_kernel(now=True)
        except Exception:
            pass


@pytest.fixture(autouse=True)
def name_the_test(request):
    CURRENT_TEST[0] = request.node.name
    yield
    CURRENT_TEST[0] = ""


def pytest_terminal_summary(terminalreporter):
    if SLOWEST_KERNEL_INFO:
        terminalreporter.section("slowest kernel_info answer (control channel) per test")
        for test, seconds in SLOWEST_KERNEL_INFO.items():
            if test:
                terminalreporter.write_line(f"{seconds * 1000:7.1f} ms  {test}")


@pytest.fixture(scope="session")
def proxy(livy):
    proxy = FaultProxy(livy.url)
    yield proxy
    proxy.close()


@pytest.fixture(autouse=False)
def clean_proxy(proxy):
    """Each test starts and ends with no fault armed and the proxy listening."""
    proxy.clear()
    proxy.accept()
    yield proxy
    proxy.clear()
    proxy.accept()


class KernelHolder:
    def __init__(self, url, work):
        self.url, self.work, self.kernel = url, work, None

    def healthy(self, livy) -> ChaosKernel:
        if self.kernel is not None:
            try:
                self.kernel.current_session(livy)
                return self.kernel
            except Exception:
                self.kernel.stop()
        self.kernel = ChaosKernel(self.url, self.work)
        self.kernel.current_session(livy)
        return self.kernel


@pytest.fixture(scope="session")
def kernel_holder(proxy, tmp_path_factory):
    holder = KernelHolder(proxy.url, tmp_path_factory.mktemp("chaos"))
    yield holder
    if holder.kernel is not None:
        holder.kernel.stop()


@pytest.fixture
def kernel(kernel_holder, clean_proxy, livy) -> ChaosKernel:
    """The shared kernel behind the proxy, known to run cells, its session id in `session_id`."""
    return kernel_holder.healthy(livy)


def pytest_configure(config):
    config.addinivalue_line("markers", "load: the concurrent-load test (make test-load), not part of make test-chaos")
