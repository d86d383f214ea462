"""Text for a terminal: control characters from hostile names shown, never obeyed.

File names and certificate subjects are attacker-chosen. Printed raw, an ESC sequence in a CN
can recolour, move the cursor, retitle the window or hide the rows that follow; a newline
fakes a table row; a bidi override reorders what the reader sees; a file name that is not
UTF-8 (kept by Python as a lone surrogate) makes ``print`` raise. :func:`printable` shows each
such character as a Python-style escape (``\\x1b``, ``\\u202e``) instead.
"""

from __future__ import annotations

import re

__all__ = ["printable"]

#: C0 controls (tab and newline included: one cell stays one line), DEL, C1 controls, the
#: bidirectional embeddings/overrides/isolates and marks, line/paragraph separators, and the
#: lone surrogates that stand for undecodable bytes of a file name.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for the raw byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every character that a terminal would act on written as an escape."""
    return _UNSAFE.sub(_escape, text)
