"""Preview builds on a shared server: one at a time per package, at most N at once, a storm of saves coalesced.

A save asks for a build of its package (:meth:`Builds.request`).  When none of that package is running or waiting,
the build is queued; when one is waiting, the request joins it; when one is running, exactly one more is queued to
run after it (it will read the newest files).  So however many saves arrive, a package has at most one build
running and one waiting, the queue holds at most one entry per package, and at most ``parallel`` builds run at
once on the server (LibreOffice and Graphviz are heavy; the machine has few cores).

A request returns a *ticket*; :meth:`Builds.wait` blocks until a build that started after the ticket was issued
has finished, and gives its result (or raises what it raised).
"""
from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Deque, Dict, Optional


@dataclass
class _Package:
    requested: int = 0          # tickets issued
    started: int = 0            # the ticket the running (or last) build covers
    finished: int = 0           # the ticket the last finished build covers
    running: bool = False
    queued: bool = False
    result: Any = None
    error: Optional[BaseException] = None
    done: threading.Condition = field(default_factory=lambda: threading.Condition(threading.Lock()))


class Builds:
    def __init__(self, run: Callable[[str], Any], parallel: int = 2):
        self.run = run
        self.parallel = max(1, parallel)
        self.lock = threading.Lock()
        self.packages: Dict[str, _Package] = {}
        self.queue: Deque[str] = deque()
        self.running = 0
        self.most_running = 0       # for tests and the benchmark
        self.builds = 0
        self.closed = False

    def request(self, name: str) -> int:
        """Ask for a build of *name* covering everything saved until now; returns the ticket to wait for."""
        with self.lock:
            state = self.packages.setdefault(name, _Package())
            state.requested += 1
            ticket = state.requested
            if not state.queued:
                state.queued = True
                self.queue.append(name)
            self._start()
            return ticket

    def _start(self) -> None:
        """Start queued builds while slots are free (lock held); a package already running waits its turn."""
        for _turn in range(len(self.queue)):
            if self.running >= self.parallel or self.closed:
                return
            name = self.queue.popleft()
            state = self.packages[name]
            if state.running:
                self.queue.append(name)
                continue
            state.queued = False
            state.running = True
            state.started = state.requested
            self.running += 1
            self.most_running = max(self.most_running, self.running)
            threading.Thread(target=self._build, args=(name, state), daemon=True,
                             name=f"build-{name}").start()

    def _build(self, name: str, state: _Package) -> None:
        result, error = None, None
        try:
            result = self.run(name)
        except BaseException as exc:       # noqa: BLE001 - handed to whoever waits for it
            error = exc
        with self.lock:
            self.running -= 1
            self.builds += 1
            state.running = False
            with state.done:
                state.finished = state.started
                state.result, state.error = result, error
                state.done.notify_all()
            self._start()

    def wait(self, name: str, ticket: int, timeout: Optional[float] = None):
        """The result of the first build of *name* that covers *ticket*; None when *timeout* passes first."""
        with self.lock:
            state = self.packages.setdefault(name, _Package())
        with state.done:
            if not state.done.wait_for(lambda: state.finished >= ticket, timeout):
                return None
            if state.error is not None:
                raise state.error
            return state.result

    def latest(self, name: str):
        """The result of the last finished build of *name* (None before the first)."""
        state = self.packages.get(name)
        return state.result if state else None

    def close(self) -> None:
        with self.lock:
            self.closed = True
            self.queue.clear()
