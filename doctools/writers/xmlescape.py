"""Text and attribute values escaped for XML, as :mod:`xml.sax.saxutils` does it.

saxutils imports ``urllib.request`` and with it ``http.client`` and ``email`` (15 ms of a 0.2 s build) for two
functions of three lines; these give the same bytes.
"""
from __future__ import annotations


def escape(text: str) -> str:
    """*text* with ``&``, ``<`` and ``>`` escaped (``saxutils.escape``)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """*text* escaped and quoted as an attribute value (``saxutils.quoteattr``): line ends and tabs as character
    references, in double quotes unless it holds a double quote and no single one."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))
