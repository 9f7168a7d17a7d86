"""The plot library the report embeds and the web page serves: Plotly's official basic bundle.

Every figure of truce is a scatter or a bar chart (with error bars, shapes and annotations, which
are part of Plotly's core), so the report does not need the full bundle that the ``plotly``
package ships (4.85 MB, every trace type: maps, 3-D, finance, ...). ``vendor/plotly-basic.min.js``
is the npm package ``plotly.js-basic-dist-min`` at :data:`VERSION` (trace types bar, pie and
scatter; MIT licence, ``vendor/plotly.js-LICENSE``; the version the ``plotly`` package's own bundle
has, so its figures' JSON reads the same), 1.12 MB. See ``vendor/README.md`` to update it.

The report embeds it gzip-compressed and base64-encoded (about 0.5 MB) and unpacks it in the
page with the browser's ``DecompressionStream``; :func:`report_loader` is that script. The
figures' own scripts wait in the page, typed ``text/x-plotly-figure`` so that the browser does
not run them, until the library is loaded; the loader then runs them in page order.
"""

from __future__ import annotations

import base64
import gzip
import re
from functools import lru_cache
from importlib import resources

VERSION = "3.7.0"
"""The version of ``plotly.js-basic-dist-min`` in ``vendor/``."""
FILE = "plotly-basic.min.js"
FIGURE_SCRIPT_TYPE = "text/x-plotly-figure"
"""The type a figure's script waits under until the plot library is loaded."""
NO_DECOMPRESSION = (
    "This browser cannot unpack the report's charts (it lacks DecompressionStream: Chrome or Edge 80, "
    "Firefox 113, Safari 16.4 or later have it). The text and tables above and below are complete."
)


@lru_cache(maxsize=1)
def plotly_javascript() -> str:
    """The vendored bundle's text."""
    return (resources.files("truce.report") / "vendor" / FILE).read_text(encoding="utf-8")


def bundle_version(javascript: str) -> str:
    """The version in a Plotly bundle's banner (``* plotly.js (basic - minified) v3.7.0``)."""
    match = re.search(r"plotly\.js[^\n]*? v(\d+\.\d+\.\d+)", javascript[:400])
    return match[1] if match else "unknown"


@lru_cache(maxsize=1)
def compressed_base64() -> str:
    """The bundle gzip-compressed (no time stamp, so the same report is the same file) and base64-encoded."""
    packed = gzip.compress(plotly_javascript().encode("utf-8"), compresslevel=9, mtime=0)
    return base64.b64encode(packed).decode("ascii")


def report_loader() -> str:
    """The report's script: unpack the bundle, run it, then run each waiting figure script in order;
    where the browser cannot unpack it, say so in each figure's place."""
    message = NO_DECOMPRESSION.replace("\\", "\\\\").replace('"', '\\"')
    return (
        "(function () {"
        f'var waiting = Array.prototype.slice.call(document.querySelectorAll(\'script[type="{FIGURE_SCRIPT_TYPE}"]\'));'
        "function say(text) { waiting.forEach(function (script) { var note = document.createElement('p');"
        " note.className = 'note'; note.textContent = text; script.parentNode.insertBefore(note, script); }); }"
        f'if (typeof DecompressionStream === "undefined") {{ say("{message}"); return; }}'
        "var packed = atob(document.getElementById('plotly-bundle').textContent.replace(/\\s+/g, ''));"
        "var bytes = new Uint8Array(packed.length);"
        "for (var i = 0; i < packed.length; i++) { bytes[i] = packed.charCodeAt(i); }"
        "new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text().then(function (code) {"
        " var library = document.createElement('script'); library.textContent = code; document.head.appendChild(library);"
        " waiting.forEach(function (script) { var run = document.createElement('script'); run.textContent = script.textContent;"
        " script.parentNode.replaceChild(run, script); });"
        "}).catch(function (error) { say('The report could not unpack its charts: ' + error); });"
        "})();"
    )
