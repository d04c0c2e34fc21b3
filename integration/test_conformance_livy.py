"""jupyter_kernel_test's conformance suite against the PySpark and Scala kernels on real Spark (dev Livy server).

Not filled, and why:
- code_stderr: Livy returns a statement's stdout and stderr merged into one text/plain, so the
  kernel cannot tell them apart; it shows the text as stdout.
- code_execute_result / history: for the same reason the value of the last expression arrives mixed
  with printed text, and is shown as stdout, not as an execute_result.
- code_inspect_sample, code_page_something, code_clear_output: Livy has no inspection or pager.
"""
import os
import unittest

import jupyter_kernel_test

from devlivy.testing import LivyServer
from kernel_setup import install_kernelspec, kernel_binary

SERVER = None


def setUpModule():
    global SERVER
    SERVER = LivyServer()
    prefix = os.environ["JUPYTER_PATH"].removesuffix("/share/jupyter")
    install_kernelspec(kernel_binary(), prefix, "livy-pyspark-conformance", env={"LIVY_URL": SERVER.url})
    install_kernelspec(kernel_binary(), prefix, "livy-scala-conformance", kind="scala", env={"LIVY_URL": SERVER.url})


def tearDownModule():
    SERVER.stop()


class PySparkOnLivyConformance(jupyter_kernel_test.KernelTests):
    kernel_name = "livy-pyspark-conformance"
    language_name = "python"
    file_extension = ".py"
    code_hello_world = "print('hello, world')"
    code_generate_error = "raise ValueError('boom')"
    code_display_data = [{"code": "%table [{'a': 1, 'b': 'x'}]", "mime": "text/html"}]
    completion_samples = [{"text": "spark.ra"}]
    complete_code_samples = ["x = 1", "print('hello, world')", "def f(x):\n    return x * 2\n\n"]
    incomplete_code_samples = ["print('''hello", "def f(x):", "spark.range(10).filter("]
    invalid_code_samples = ["x = (1]"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The first cell also shows the session announcement; run it here so that the suite's
        # tests (e.g. test_error: exactly one output) see plain cells.
        reply = cls.kc.execute_interactive("1", timeout=180)
        assert reply["content"]["status"] == "ok", reply["content"]


class ScalaOnLivyConformance(jupyter_kernel_test.KernelTests):
    kernel_name = "livy-scala-conformance"
    language_name = "scala"
    file_extension = ".scala"
    code_hello_world = 'println("hello, world")'
    code_generate_error = 'throw new RuntimeException("boom")'
    # Livy's Scala %table takes a value's name (AbstractSparkInterpreter's magics).
    code_display_data = [{"code": 'val cells = List(List(1, "a"), List(2, "b"))\n%table cells', "mime": "text/html"}]
    # Livy's Scala completer, through the kernel: the member names that can follow.
    completion_samples = [{"text": "spark.ran", "matches": {"range"}}]
    complete_code_samples = ["val x = 1", 'println("hello, world")', "def f(x: Int) = {\n  x * 2\n}"]
    incomplete_code_samples = ["def f(x: Int) = {", "spark.range(10).filter(", 'val s = """open']
    invalid_code_samples = ["val x = (1]", "}"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reply = cls.kc.execute_interactive("1", timeout=300)
        assert reply["content"]["status"] == "ok", reply["content"]


if __name__ == "__main__":
    unittest.main()
