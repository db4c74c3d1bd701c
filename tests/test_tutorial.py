"""The notebook tutorial (docs/tutorial.ipynb) runs from top to bottom in a fresh kernel, and the
copy in docs/ is stored executed. nbclient, nbformat and ipykernel are in the ``test`` extra."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
TUTORIAL = REPO / "docs" / "tutorial.ipynb"


def code_cells(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def test_the_stored_tutorial_is_executed() -> None:
    cells = code_cells(nbformat.read(TUTORIAL, as_version=4))
    assert cells and all(cell.outputs and cell.execution_count for cell in cells)
    assert not any(output.output_type == "error" for cell in cells for output in cell.outputs)


def test_the_tutorial_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
    notebook = nbformat.read(TUTORIAL, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()  # raises on a failing cell
    outputs = [output for cell in code_cells(notebook) for output in cell.outputs]
    text = "\n".join(str(output.get("data", {}).get("text/plain", "")) for output in outputs)
    assert "(True, Fraction(1, 1))" in text  # verified, and the receiver duels after quiche
    assert "semi-separating" in text and "babbling" in text
    assert any("image/png" in output.get("data", {}) for output in outputs)  # the figure
