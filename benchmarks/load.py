"""Many clerks on one shared workbench: the load test of issue 25.

    .venv/bin/python benchmarks/load.py                       # 20 clerks, 60 s, 5 plans (about 2 minutes)
    .venv/bin/python benchmarks/load.py --clerks 5 --seconds 15

Starts ``doctools serve`` on a loopback port over 5 copies of inputs/kazuo with an account per clerk, makes each
plan's preview once (a server that has been running has them; LibreOffice is warm), then each
simulated clerk logs in, opens a plan (clerk i works on plan i mod 5, on its own task's 备注), and every 2–5 s
changes it, saves, and asks for the preview (which returns once a build made after the save is done).  It stops
by itself after the time given.  It reports: requests and error responses, acknowledged saves and whether each is
on disk at the end (the last one of each clerk, and all of them, in order, in the plan's history), the time from a
save's acknowledgement to its preview (median, 95th percentile, most), the server's memory (with its LibreOffice)
and how many preview builds ran.  tests/test_workbench_load.py runs it and checks the figures that are not times.
"""
from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from workbench_client import csrf, login, plan_form  # noqa: E402
from workbench_server import Server  # noqa: E402


def run(clerks: int = 20, seconds: float = 60, plans: int = 5, folder: Path = None, seed: int = 25) -> dict:
    import httpx

    from doctools.workbench.accounts import Accounts
    from doctools.workbench.store import History
    from doctools.workbench.versions import load, plain

    own = folder is None
    folder = Path(tempfile.mkdtemp(prefix="doctools-load-")) if own else Path(folder)
    workspace, state = folder / "inputs", folder / "state"
    names = [f"plan{p + 1}" for p in range(plans)]
    for name in names:
        shutil.copytree(ROOT / "inputs" / "kazuo", workspace / name)
    accounts = Accounts(state)
    for c in range(clerks):
        accounts.add(f"clerk{c}", f"clerk{c}-password", admin=False)
    accounts.close()
    server = Server(workspace, state, folder / "outputs")
    figures = {"requests": 0, "errors": [], "saves": 0, "latencies": [], "memory": 0}
    acknowledged = {c: [] for c in range(clerks)}
    lock = threading.Lock()
    stop = threading.Event()

    def count(response, what):
        with lock:
            figures["requests"] += 1
            if response.status_code >= 400:
                figures["errors"].append(f"{what}: {response.status_code}")

    def clerk(c: int):
        rng = random.Random(seed * 1000 + c)
        plan, task = names[c % plans], c // plans
        client = httpx.Client(base_url=server.url, timeout=120)
        try:
            count(login(client, f"clerk{c}", f"clerk{c}-password"), "login")
            page, k = None, 0
            while not stop.is_set():
                if page is None:
                    response = client.get(f"/p/{plan}?tab=tasks")
                    count(response, "page")
                    page = response.text
                form = plan_form(page)
                k += 1
                value = f"c{c}-{k}"
                form[f"t:tasks.{task}.note"] = value
                response = client.post(f"/p/{plan}/save", data=form,
                                       headers={"X-CSRF-Token": csrf(page), "HX-Request": "true"})
                count(response, "save")
                if response.status_code != 200 or 'class="alert ok"' not in response.text:
                    with lock:
                        figures["errors"].append(f"save not acknowledged: {response.text[:120]}")
                    page = None
                    continue
                acked = time.perf_counter()
                with lock:
                    acknowledged[c].append(value)
                    figures["saves"] += 1
                if response.headers.get("HX-Refresh"):
                    page = None                     # merged with others' saves: the page is loaded again
                else:                               # the page stands on its own new version (static/security.js)
                    version = response.headers["HX-Trigger"].split('"version": ')[1].split("}")[0]
                    page = page.replace(f'name="_version" value="{plan_form(page)["_version"]}"',
                                        f'name="_version" value="{version}"')
                preview = client.get(f"/p/{plan}/preview")
                count(preview, "preview")
                with lock:
                    figures["latencies"].append(time.perf_counter() - acked)
                stop.wait(rng.uniform(2, 5))
        except httpx.HTTPError as exc:
            with lock:
                figures["errors"].append(f"clerk {c}: {type(exc).__name__}: {exc}")
        finally:
            client.close()

    try:
        server.start()
        warm = httpx.Client(base_url=server.url, timeout=300)     # a server that has been running: previews made
        login(warm, "clerk0", "clerk0-password")
        for name in names:
            warm.get(f"/p/{name}/preview")
        warm.close()
        threads = [threading.Thread(target=clerk, args=(c,)) for c in range(clerks)]
        started = time.perf_counter()
        for t in threads:
            t.start()
            time.sleep(0.05)
        while time.perf_counter() - started < seconds:
            figures["memory"] = max(figures["memory"], server.memory())
            time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join(180)
        figures["memory"] = max(figures["memory"], server.memory())
    finally:
        server.stop()
    # every acknowledged value: the last one on disk, all of them in the history in the order acknowledged
    history = History(state / "history.sqlite")
    lost, disordered = [], []
    for c in range(clerks):
        plan, task = names[c % plans], c // plans
        on_disk = plain(load((workspace / plan / "tasks.yaml").read_text()))["tasks"][task].get("note")
        if acknowledged[c] and on_disk != acknowledged[c][-1]:
            lost.append((c, acknowledged[c][-1], on_disk))
        values = [plain(load(v.files["tasks.yaml"]))["tasks"][task].get("note")
                  for v in reversed(history.list(plan)) if not v.draft]
        seen = [v for i, v in enumerate(values) if v and (i == 0 or values[i - 1] != v)]
        if [v for v in seen if v in acknowledged[c]] != acknowledged[c]:
            disordered.append(c)
    history.close()
    latencies = sorted(figures["latencies"])
    result = {
        "clerks": clerks, "seconds": seconds, "plans": plans, "requests": figures["requests"],
        "errors": figures["errors"], "saves": figures["saves"], "lost": lost, "disordered": disordered,
        "median": statistics.median(latencies) if latencies else None,
        "p95": latencies[int(0.95 * (len(latencies) - 1))] if latencies else None,
        "most": latencies[-1] if latencies else None, "memory": figures["memory"],
    }
    if own:
        shutil.rmtree(folder, ignore_errors=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clerks", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--plans", type=int, default=5)
    args = parser.parse_args()
    r = run(args.clerks, args.seconds, args.plans)
    print(f"{r['clerks']} clerks, {r['seconds']:.0f} s, {r['plans']} plans: {r['requests']} requests, "
          f"{len(r['errors'])} errors, {r['saves']} saves acknowledged, {len(r['lost'])} lost, "
          f"{len(r['disordered'])} out of order")
    print(f"save → preview: median {r['median']:.2f} s, p95 {r['p95']:.2f} s, most {r['most']:.2f} s "
          f"(target p95 ≤ 3 s: {'met' if r['p95'] <= 3 else 'NOT met'})")
    print(f"server memory with its LibreOffice: {r['memory'] / 1e6:.0f} MB (limit 1500 MB)")
    for error in r["errors"][:10]:
        print("error:", error)
    return 0 if not r["errors"] and not r["lost"] and not r["disordered"] else 1


if __name__ == "__main__":
    sys.exit(main())
