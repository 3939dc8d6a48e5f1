"""`audiocoach publish --serve`: the published folder over HTTP on the local network, with byte ranges.

Podcast apps and browsers seek in an MP3 (and resume a download) with `Range: bytes=…`
requests, which http.server's own handler ignores; this one answers them with 206 and the
asked-for bytes. One range per request (what players send); anything else gets the whole file.
"""

from __future__ import annotations

import functools
import os
import re
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
TYPES = {".mp3": "audio/mpeg", ".vtt": "text/vtt", ".xml": "application/rss+xml", ".json": "application/json",
         ".png": "image/png", ".html": "text/html", ".m3u8": "audio/x-mpegurl", ".lrc": "text/plain"}


class RangeHandler(SimpleHTTPRequestHandler):
    """Static files with single byte-range support (RFC 9110 §14)."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}
    _range: tuple[int, int] | None = None

    def send_head(self):
        self._range = None
        path = self.translate_path(self.path)
        asked = self.headers.get("Range")
        if asked is None or os.path.isdir(path) or not os.path.isfile(path):
            return super().send_head()
        size = os.path.getsize(path)
        span = byte_range(asked, size)
        if span is None:  # not a single bytes range we understand: the whole file, as the RFC allows
            return super().send_head()
        if not span:  # an empty tuple: not satisfiable
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        handle = open(path, "rb")  # noqa: SIM115 - closed by copyfile's caller (do_GET)
        first, last = span
        self._range = span
        handle.seek(first)
        self.send_response(HTTPStatus.PARTIAL_CONTENT)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.send_header("Content-Length", str(last - first + 1))
        self.end_headers()
        return handle

    def end_headers(self) -> None:
        if self._range is None:  # tell players of the whole file that they may ask for ranges
            self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def copyfile(self, source, outputfile) -> None:
        try:
            if self._range is None:
                super().copyfile(source, outputfile)
                return
            remaining = self._range[1] - self._range[0] + 1
            while remaining > 0:
                chunk = source.read(min(64 * 1024, remaining))
                if not chunk:
                    break
                outputfile.write(chunk)
                remaining -= len(chunk)
        except (ConnectionResetError, BrokenPipeError):
            pass  # a player that has what it needs drops the rest of a download: not an error


def byte_range(header: str, size: int) -> tuple[int, int] | tuple[()] | None:
    """(first, last) byte of `Range: bytes=…` in a file of `size` bytes; () when unsatisfiable; None when not
    a single byte range (then the whole file is sent)."""
    match = _RANGE.match(header.strip())
    if match is None or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        count = int(last)
        return () if count == 0 or size == 0 else (max(0, size - count), size - 1)
    start = int(first)
    if start >= size:
        return ()
    end = size - 1 if last == "" else min(int(last), size - 1)
    return None if end < start else (start, end)


def make_server(folder: str | Path, bind: str = "0.0.0.0", port: int = 8000) -> ThreadingHTTPServer:
    """A server of `folder` on (bind, port); call serve_forever() on it, server_close() after."""
    handler = functools.partial(RangeHandler, directory=str(Path(folder)))
    return ThreadingHTTPServer((bind, port), handler)


__all__ = ["RangeHandler", "byte_range", "make_server"]
