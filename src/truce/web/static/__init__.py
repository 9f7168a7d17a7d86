"""The page the web app serves at ``/``: index.html, style.css and app.js, inlined into one response."""
