"""storytrace's HTML views in a real browser: headless Chromium lays a page out, measures every
highlighted passage and takes a screenshot.

:func:`measure` loads the views with a script that walks each ``div.st-text`` and, for every
``<mark>``, counts the code points of the text before and inside it (passage numbers, ``.st-n``,
are not text): where the reader sees the highlight, in the offsets of the original ``str``. It
also reads the mark's colour as the browser paints it, its box on the page and the text's box.
"""

from __future__ import annotations

import html
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
from typing import Any

WIDTH = 1000

_MEASURE = """
<script>
const report = [];
document.querySelectorAll("div.st-text").forEach((box, view) => {
  let at = 0, shown = "";
  const b = box.getBoundingClientRect();
  const text_box = [b.left + window.scrollX, b.top + window.scrollY, b.width, b.height];
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        at += [...child.data].length;  // code points, as Python counts them
        shown += child.data;
      } else if (child.nodeType === Node.ELEMENT_NODE && !child.classList.contains("st-n")) {
        if (child.tagName === "MARK") {
          const start = at, before = shown.length;
          walk(child);
          const r = child.getBoundingClientRect();
          report.push({view, start, end: at, data_start: +child.dataset.start, data_end: +child.dataset.end,
                       key: child.dataset.key, text: shown.slice(before),
                       colour: getComputedStyle(child).backgroundColor,
                       box: [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height], text_box});
        } else {
          walk(child);
        }
      }
    }
  };
  walk(box);
});
const out = document.createElement("pre");
out.id = "st-report";
out.textContent = JSON.stringify(report);
document.body.appendChild(out);
</script>
"""


def chromium() -> str | None:
    """The browser's path, or None where none is installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def page(*views: str) -> str:
    body = "<hr>".join(views)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>storytrace</title></head>'
        f'<body style="margin:12px;background:white">{body}</body></html>'
    )


def _run(args: list[str], timeout: float = 120) -> str:
    browser = chromium()
    if browser is None:
        raise RuntimeError("no Chromium here: apt-get install chromium")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",  # root in a container
                "--disable-gpu",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                f"--user-data-dir={profile}",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "LANG": "en_US.UTF-8"},
        )
    if done.returncode != 0:
        raise RuntimeError(f"chromium failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def measure(markup: str, height: int = 1400) -> list[dict[str, Any]]:
    """Every mark of the page as the browser lays it out (see the module's docstring)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "page.html"
        path.write_text(markup.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
        dom = _run(
            ["--virtual-time-budget=5000", f"--window-size={WIDTH},{height}", "--dump-dom", path.as_uri()]
        )
    found = re.search(r'<pre id="st-report">(.*?)</pre>', dom, flags=re.S)
    if not found:
        raise RuntimeError("the page's measuring script did not run")
    return json.loads(html.unescape(found.group(1)))


def screenshot(markup: str, out: str | os.PathLike[str], height: int = 1400) -> None:
    """A PNG of the page, ``WIDTH`` by ``height`` pixels."""
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "page.html"
        path.write_text(markup, encoding="utf-8")
        _run([f"--window-size={WIDTH},{height}", f"--screenshot={os.path.abspath(out)}", path.as_uri()])


def rgb(colour: str) -> tuple[int, int, int]:
    """``#a6cee3`` or ``rgb(166, 206, 227)`` as a triple."""
    if colour.startswith("#"):
        return tuple(int(colour[k : k + 2], 16) for k in (1, 3, 5))  # type: ignore[return-value]
    r, g, b = (int(v) for v in re.findall(r"\d+", colour)[:3])
    return r, g, b
