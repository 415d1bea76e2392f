"""The workbench: ``doctools serve``, a local web application over a folder of packages.

The package folders stay the single source of truth: the page reads and writes the same YAML files the command
line builds, through the same library (read -> check -> compose -> write).  :func:`create_app` makes the app;
:func:`serve` runs it on uvicorn.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional


def create_app(workspace, **options):
    from .app import create_app as make
    return make(Path(workspace), **options)


def serve(workspace: Path, host: str = "127.0.0.1", port: int = 8800, lang: Optional[str] = None,
          out_root: Optional[Path] = None, open_browser: bool = True, state: Optional[Path] = None,
          proxy: bool = False, builds: int = 2, say=print) -> None:
    """Run the workbench (wrapped for sharing, see :mod:`.server`) until stopped.  *proxy*: reached through an
    HTTPS reverse proxy on this machine (cookies only over HTTPS, the clerk's address from X-Forwarded-For)."""
    import threading
    import webbrowser

    import uvicorn

    from .server import secured_app

    app, settled = secured_app(workspace, out_root=out_root, lang=lang, state=state, https=proxy, builds=builds)
    for line in settled:
        say(line)
    if open_browser:
        threading.Timer(1.0, lambda: webbrowser.open(f"http://{host}:{port}/")).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=proxy,
                forwarded_allow_ips="127.0.0.1")
