"""jupyter_kernel_test's conformance suite against the real kernel (no Livy configured).

Every message the suite reads is validated against the protocol's schema. Attributes that need a
live Spark session (hello world, execute results, completion) are filled by the Livy issues.
"""
import unittest

import jupyter_kernel_test


class PySparkKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = "livy-pyspark"
    language_name = "python"
    file_extension = ".py"
    # Without Livy every cell is an error: exactly one `error` output and an error reply.
    code_generate_error = "raise ValueError('boom')"
    complete_code_samples = ["x = 1", "print('hello, world')", "def f(x):\n    return x * 2\n\n"]
    incomplete_code_samples = ["print('''hello", "def f(x):", "spark.range(10).filter("]
    invalid_code_samples = ["x = (1]", "print('unterminated\nx')"]


class SqlKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = "livy-sql"
    language_name = "sql"
    file_extension = ".sql"
    code_generate_error = "SELECT * FROM no_such_table"
    complete_code_samples = ["SELECT 1", "SELECT 'a;b' AS s; SELECT 2", "SET x=1; -- comment"]
    incomplete_code_samples = ["SELECT 'open", "SELECT /* open", "SELECT (1"]
    invalid_code_samples = ["SELECT 1)"]


if __name__ == "__main__":
    unittest.main()
