"""Shared by the scripts that write the example notebooks: a notebook for one of the Livy kernels
(PySpark unless told otherwise) written to examples/NAME.ipynb."""
import pathlib

import nbformat
from nbformat.v4 import new_notebook


KERNELS = {
    "pyspark": ({"name": "livy-pyspark", "display_name": "PySpark (Livy)", "language": "python"},
                {"name": "python", "file_extension": ".py"}),
    "scala": ({"name": "livy-scala", "display_name": "Spark Scala (Livy)", "language": "scala"},
              {"name": "scala", "file_extension": ".scala"}),
}


def write_example(name: str, cells: list, kernel: str = "pyspark") -> pathlib.Path:
    kernelspec, language_info = KERNELS[kernel]
    notebook = new_notebook(cells=cells, metadata={"kernelspec": kernelspec, "language_info": language_info})
    path = pathlib.Path(__file__).resolve().parent.parent / "examples" / f"{name}.ipynb"
    nbformat.write(notebook, str(path))
    print(f"wrote {path}")
    return path
