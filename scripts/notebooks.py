"""Execute the notebooks under notebooks/ in place, as they are committed: with their outputs.

Run: python scripts/notebooks.py

The corpus study takes its sentences from Reuters-21578 when ../shared/datasets is there; here
the dataset is hidden (STORYTRACE_REUTERS names a folder that does not exist), so that the
committed outputs are of the random vocabulary and no text of a research-licensed dataset
reaches the repository. tests/python/test_notebooks.py checks that they are.
"""

from __future__ import annotations

import os
import pathlib

import nbclient
import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]


def main() -> None:
    os.environ["STORYTRACE_REUTERS"] = str(ROOT / "no-such-dataset")  # the kernel inherits it
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nbclient.NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
        nbformat.write(nb, path)
        print(f"{path.relative_to(ROOT)}: executed")


if __name__ == "__main__":
    main()
