"""A time limit on a request's line and headers (issue 18: slow clients, "slowloris").

uvicorn bounds an idle keep-alive connection (``timeout_keep_alive``) and the app bounds a request
body (:class:`truce.web.guards.BodyLimit`, 408 past ``max_body_seconds``), but nothing bounds the
time a client takes to send the request line and headers: the app is only called once they are
complete. A client that sends a header byte every few seconds then holds a connection for as
long as it likes, and ``limit_concurrency`` such clients (64) shut everyone else out.

:class:`HeaderDeadline` is uvicorn's h11 protocol with one timer more: armed when the connection
opens and again when a response is complete (the next request may start), cancelled as soon as
h11 has read a whole request head. When it fires, the client gets ``408 Request Timeout`` and the
connection is closed. The pattern is the one servers such as Apache's mod_reqtimeout apply
(``RequestReadTimeout header=...``).
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol

DEFAULT_HEADER_SECONDS = 10.0

_MESSAGE = b"the request line and headers did not arrive in time (this server's limit)\n"
TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
    b"content-length: " + str(len(_MESSAGE)).encode() + b"\r\n\r\n" + _MESSAGE
)


class HeaderDeadline(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request head is not in within :attr:`header_seconds`."""

    header_seconds: float = DEFAULT_HEADER_SECONDS

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._waiting_after = self.cycle  # the request whose successor's head is awaited (none yet)
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._waiting_after = self.cycle
        self._deadline = self.loop.call_later(self.header_seconds, self._too_slow)

    def _disarm(self) -> None:
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()
            self._deadline = None

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not self._waiting_after:  # h11 has read a new request's head
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # may start a pipelined request, whose head is then already in
        if not self.transport.is_closing() and self.cycle.response_complete:
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.write(TIMEOUT_RESPONSE)
            self.transport.close()


def header_deadline(seconds: float) -> type[HeaderDeadline]:
    """The protocol class to give uvicorn (``http=``), with its limit set to ``seconds``."""
    return type("HeaderDeadline", (HeaderDeadline,), {"header_seconds": float(seconds)})
