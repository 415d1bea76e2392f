"""The preview's LibreOffice worker: one warm headless soffice, driven over UNO; run by Debian's /usr/bin/python3.

python3-uno (the ``uno`` module) exists only for the system's Python, not for doctools' virtual environment, so
this file imports nothing of doctools.  The server starts it as a subprocess; it reads one JSON request a line on
stdin (``{"docx": path, "pdf": path}``) and answers one JSON line on stdout (``{"ok": true, "pages": n}`` or
``{"error": "..."}``).  soffice runs the way doctools.pdf runs it: a private profile in a temporary folder, its
own process group, ``TZ=UTC``.  When soffice dies it is started again and the request is tried once more.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import uno  # noqa: E402  (python3-uno)
from com.sun.star.beans import PropertyValue  # noqa: E402


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


class Office:
    def __init__(self, soffice):
        self.soffice = soffice
        self.tmp = tempfile.mkdtemp(prefix="doctools-uno-")
        self.process = None
        self.desktop = None

    def start(self):
        pipe = "doctools%d" % os.getpid()
        profile = "file://" + os.path.join(self.tmp, "profile")
        env = dict(os.environ, TZ="UTC")
        self.process = subprocess.Popen(
            [self.soffice, "-env:UserInstallation=" + profile, "--headless", "--invisible", "--norestore",
             "--nologo", "--nodefault", "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
            start_new_session=True)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.time() + 60
        while True:
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:  # noqa: BLE001 - not listening yet
                if self.process.poll() is not None or time.time() > deadline:
                    raise RuntimeError("LibreOffice did not start") from None
                time.sleep(0.1)
        self.desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)

    def alive(self):
        return self.process is not None and self.process.poll() is None and self.desktop is not None

    def stop(self):
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
        self.process = self.desktop = None

    def convert(self, docx, pdf):
        if not self.alive():
            self.stop()
            self.start()
        doc = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(docx)), "_blank", 0,
                                                (prop("Hidden", True), prop("ReadOnly", True)))
        try:
            doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(pdf)), (prop("FilterName", "writer_pdf_Export"),))
            try:        # the layout is there already: no pdfinfo process for the page count
                return int(doc.getCurrentController().PageCount)
            except Exception:  # noqa: BLE001 - the server counts the PDF's pages itself
                return None
        finally:
            doc.close(True)


def main():
    office = Office(sys.argv[1] if len(sys.argv) > 1 else "soffice")
    try:
        office.start()
        print(json.dumps({"ready": True, "pid": office.process.pid}), flush=True)
    except Exception as exc:  # noqa: BLE001
        print(json.dumps({"ready": False, "error": str(exc)}), flush=True)
    for line in sys.stdin:
        try:
            request = json.loads(line)
        except ValueError:
            continue
        if request.get("ping"):
            print(json.dumps({"ok": office.alive(), "pid": office.process.pid if office.process else None}), flush=True)
            continue
        answer: dict = {"ok": True}
        for _attempt in range(2):
            try:
                answer = {"ok": True, "pages": office.convert(request["docx"], request["pdf"])}
                break
            except Exception as exc:  # noqa: BLE001 - soffice died or refused: start it again, once
                answer = {"error": "%s: %s" % (type(exc).__name__, exc)}
                office.stop()
        print(json.dumps(answer), flush=True)
    office.stop()


if __name__ == "__main__":
    main()
