"""Front end: the FastAPI app (JSON API with OpenAPI) and the page it serves.

``create_app()`` builds the app; ``serve()`` runs it with uvicorn.
"""

from truce.web.app import create_app
from truce.web.limits import Limits
from truce.web.server import serve

__all__ = ["Limits", "create_app", "serve"]
