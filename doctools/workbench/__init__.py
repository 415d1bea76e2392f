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
          out_root: Optional[Path] = None, open_browser: bool = True) -> None:
    import threading
    import webbrowser

    import uvicorn

    app = create_app(workspace, out_root=out_root, lang=lang)
    if open_browser:
        threading.Timer(1.0, lambda: webbrowser.open(f"http://{host}:{port}/")).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")
