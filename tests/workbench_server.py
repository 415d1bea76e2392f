"""`doctools serve` as a real process on a loopback port, for tests that kill it, restart it or load it."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> list:
    """The process ids under *pid* (children, theirs, …), read from /proc."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


class Server:
    def __init__(self, workspace: Path, state: Path, out: Path, args=(), env=None):
        self.workspace, self.state, self.out = workspace, state, out
        self.port = free_port()
        self.args = list(args)
        self.env = dict(os.environ, **(env or {}))
        self.process = None
        self.log = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list:
        return [sys.executable, "-m", "doctools", "serve", str(self.workspace), "--host", "127.0.0.1", "--port",
                str(self.port), "--no-browser", "--state", str(self.state), "--out", str(self.out), *self.args]

    def start(self, timeout: float = 60) -> "Server":
        self.log = open(self.state.parent / f"server-{self.port}-{time.time():.0f}.log", "w+")
        self.process = subprocess.Popen(self.command(), stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT,
                                        env=self.env)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("the server stopped: " + self.output())
            try:
                httpx.get(self.url + "/login", timeout=2)
                return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError("the server did not start: " + self.output())

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def kill(self) -> None:
        """SIGKILL the server, then whatever it had started (its LibreOffice worker)."""
        if self.process is None:
            return
        below = descendants(self.process.pid)
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._end(below)

    def stop(self) -> None:
        if self.process is None:
            return
        below = descendants(self.process.pid)
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._end(below)

    def _end(self, pids) -> None:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process = None

    def memory(self) -> int:
        """Resident memory of the server and everything under it, in bytes."""
        total = 0
        for pid in [self.process.pid] + descendants(self.process.pid):
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                pass
        return total
