"""Shared by the scripts that write the example notebooks: a PySpark (Livy) notebook written to
examples/NAME.ipynb."""
import pathlib

import nbformat
from nbformat.v4 import new_notebook


def write_example(name: str, cells: list) -> pathlib.Path:
    notebook = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "livy-pyspark", "display_name": "PySpark (Livy)", "language": "python"},
        "language_info": {"name": "python", "file_extension": ".py"},
    })
    path = pathlib.Path(__file__).resolve().parent.parent / "examples" / f"{name}.ipynb"
    nbformat.write(notebook, str(path))
    print(f"wrote {path}")
    return path
