"""The page the web app serves at ``/``: index.html, its style and its script as ES modules.

``app.js`` is the entry point (``<script type="module">``); it imports ``core.js`` (state, API
calls, helpers), ``form.js`` (the scenario form), ``figures.js`` (fitting the API's figures to
the page), ``results.js`` (the result sections) and ``advice.js`` (what blocks a deal, and the
text on the table with its improvements). ``draft.js``, a second entry point, drafts a
scenario from a pasted news text (``/api/draft``) with ``core.js``'s helpers. Every name here is
served under ``/static/``.
"""

SCRIPT = "text/javascript; charset=utf-8"
FILES = {
    "app.js": SCRIPT,
    "advice.js": SCRIPT,
    "core.js": SCRIPT,
    "form.js": SCRIPT,
    "figures.js": SCRIPT,
    "results.js": SCRIPT,
    "draft.js": SCRIPT,
    "style.css": "text/css; charset=utf-8",
}
"""The page's own files under ``/static/``, with their media types."""
