"""Preview builds on a shared server: a storm of saves to one plan is one or two builds, never a queue without
end; one build at a time per plan; at most N at once on the server; every waiter gets a build that read its save."""
import threading
import time

from doctools.workbench.builds import Builds


class Recorder:
    def __init__(self, seconds=0.2):
        self.seconds = seconds
        self.lock = threading.Lock()
        self.active = {}
        self.overlap = []
        self.calls = []
        self.saved = {}

    def __call__(self, name):
        with self.lock:
            self.active[name] = self.active.get(name, 0) + 1
            self.overlap.append(sum(self.active.values()))
            if self.active[name] > 1:
                raise AssertionError(f"two builds of {name} at once")
            self.calls.append(name)
            seen = self.saved.get(name, 0)       # what the build reads: the newest save when it starts
        time.sleep(self.seconds)
        with self.lock:
            self.active[name] -= 1
        return seen


def test_a_storm_of_saves_to_one_plan_is_coalesced_and_every_save_is_built():
    run = Recorder()
    builds = Builds(run, parallel=2)
    tickets = []
    for n in range(1, 201):
        run.saved["kazuo"] = n
        tickets.append((n, builds.request("kazuo")))
        time.sleep(0.001)
    results = [(n, builds.wait("kazuo", ticket, timeout=10)) for n, ticket in tickets]
    assert all(result is not None and result >= n for n, result in results)   # each save is in a build after it
    assert run.calls.count("kazuo") <= 4                                        # 200 saves, a handful of builds
    assert len(builds.queue) == 0 and builds.running == 0


def test_one_build_per_plan_at_a_time_and_at_most_n_on_the_server():
    run = Recorder(0.1)
    builds = Builds(run, parallel=2)
    threads = []
    for round_ in range(5):
        for name in ("a", "b", "c", "d", "e"):
            run.saved[name] = round_
            threads.append((name, builds.request(name)))
    for name, ticket in threads:
        assert builds.wait(name, ticket, timeout=20) is not None
    assert max(run.overlap) <= 2 and builds.most_running == 2
    assert len(builds.packages) == 5 and len(builds.queue) == 0


def test_a_failed_build_is_handed_to_its_waiters_and_the_next_build_runs():
    state = {"fail": True}

    def run(name):
        if state["fail"]:
            raise RuntimeError("LibreOffice died")
        return "ok"

    builds = Builds(run, parallel=1)
    ticket = builds.request("kazuo")
    try:
        builds.wait("kazuo", ticket, timeout=5)
        raise AssertionError("the failure was swallowed")
    except RuntimeError as exc:
        assert "LibreOffice died" in str(exc)
    state["fail"] = False
    assert builds.wait("kazuo", builds.request("kazuo"), timeout=5) == "ok"
