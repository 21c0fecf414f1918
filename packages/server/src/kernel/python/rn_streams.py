"""stdout/stderr of a running cell, forwarded to the kernel in chunks.

A chunk is sent when a line ends and at least ``INTERVAL`` seconds passed since
the previous one, when a lot of text piled up, before the cell sleeps
(``time.sleep``) or awaits, before a display output (so order is kept) and
when the cell ends. Output is therefore never held for the whole cell, and a
loop printing thousands of lines costs a handful of messages, not thousands.
"""

import io
import json
import time

INTERVAL = 0.05
_MAX_PENDING = 64 * 1024
# The server keeps 1 MiB of a cell's stream text; past it (plus one chunk, so the server marks the cut)
# nothing more is sent.
_STREAM_LIMIT = 1024 * 1024
_monotonic = time.monotonic

# The streams of the cell that is running (none between cells), and what they sent together.
active = []
_sent = [0]


def start_cell():
    _sent[0] = 0


class CellStream(io.TextIOBase):
    """A text stream whose writes end up in ``emit(kind, '{"text": ...}')``."""

    def __init__(self, kind, emit):
        super().__init__()
        self.kind = kind
        self._emit = emit
        self._parts = []
        self._pending = 0
        self._last = -INTERVAL

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "strict"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if not text:
            return 0
        self._parts.append(text)
        self._pending += len(text)
        if self._pending > _MAX_PENDING:
            self.send_all()
        elif "\n" in text:
            now = _monotonic()
            if now - self._last >= INTERVAL:
                self._send_lines(now)
        return len(text)

    def flush(self):
        self.send_all()

    def _send_lines(self, now):
        data = "".join(self._parts)
        cut = data.rfind("\n") + 1
        rest = data[cut:]
        self._parts = [rest] if rest else []
        self._pending = len(rest)
        self._last = now
        self._send(data[:cut])

    def send_all(self):
        """Send whatever is pending, even a partial line."""
        if not self._parts:
            return
        data = "".join(self._parts)
        self._parts = []
        self._pending = 0
        self._last = _monotonic()
        self._send(data)

    def _send(self, text):
        # Chunks of at most _MAX_PENDING characters: one huge write must not become one huge message.
        for start in range(0, len(text), _MAX_PENDING):
            if _sent[0] > _STREAM_LIMIT:
                return
            chunk = text[start : start + _MAX_PENDING]
            _sent[0] += len(chunk)
            self._emit(self.kind, json.dumps({"text": chunk}))


def flush_active():
    for stream in active:
        stream.send_all()


def _install_sleep_flush():
    """Make ``time.sleep`` send pending output first: the cell is about to go quiet."""
    sleep = time.sleep
    if getattr(sleep, "_rn_flushes", False):
        return

    def flushing_sleep(seconds):
        if active:
            flush_active()
        return sleep(seconds)

    flushing_sleep._rn_flushes = True
    flushing_sleep.__doc__ = sleep.__doc__
    time.sleep = flushing_sleep


_install_sleep_flush()
