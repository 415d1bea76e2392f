"""Faults of a shared server: killed (SIGKILL) while clerks save, killed mid-build, its LibreOffice killed, a full
disk, a read-only store.  Afterwards it starts again cleanly with every acknowledged save on disk, the store and
the YAML in agreement, and a clear message for what failed."""
import random
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from doctools.workbench.accounts import Accounts
from doctools.workbench.store import History
from doctools.workbench.versions import digest, load, plain, read_package
from workbench_client import csrf, login, plan_form
from workbench_server import Server

ROOT = Path(__file__).resolve().parent.parent
CLERKS = 3


def setup_workspace(tmp_path, plans=("kazuo",)):
    workspace = tmp_path / "inputs"
    for name in plans:
        shutil.copytree(ROOT / "inputs" / name, workspace / name)
    state = tmp_path / "state"
    accounts = Accounts(state)
    for n in range(CLERKS):
        accounts.add(f"clerk{n}", f"clerk{n}-password", admin=False)
    accounts.close()
    return workspace, state


def client_for(server, n):
    client = httpx.Client(base_url=server.url, timeout=60)
    assert login(client, f"clerk{n}", f"clerk{n}-password").status_code == 303
    return client


def notes(workspace, plan="kazuo"):
    data = plain(load((workspace / plan / "tasks.yaml").read_text()))
    return [t.get("note") for t in data["tasks"]]


def agree(workspace, state, plan="kazuo"):
    """The store's newest saved version is the files on disk, and no save is left pending."""
    history = History(state / "history.sqlite")
    pending = history.db.execute("SELECT count(*) FROM history WHERE state = 'pending'").fetchone()[0]
    newest = history._newest_saved(plan)
    disk = {n: digest(t) for n, t in read_package(workspace / plan).items()}
    history.close()
    return pending == 0 and newest is not None and newest.hashes == disk


def keep_saving(server, n, acknowledged, sent, stop, round_=0):
    """Clerk n writes 备注 of task n again and again: n-1, n-2, …; each value the server acknowledged is noted."""
    try:
        client = client_for(server, n)
    except httpx.HTTPError:
        return
    count = 0
    while not stop.is_set():
        try:
            page = client.get("/p/kazuo?tab=tasks").text
            form = plan_form(page)
            count += 1
            value = f"{n}-{round_}-{count}"
            form[f"t:tasks.{n}.note"] = value
            sent[n].append(value)
            response = client.post("/p/kazuo/save", data=form, headers={"X-CSRF-Token": csrf(page),
                                                                          "HX-Request": "true"})
            if response.status_code == 200 and 'class="alert ok"' in response.text:
                acknowledged[n].append(value)
        except (httpx.HTTPError, AttributeError):
            return           # the server went away mid-request: that save was never acknowledged


def test_killed_while_clerks_save_it_restarts_with_every_acknowledged_save(tmp_path):
    workspace, state = setup_workspace(tmp_path)
    server = Server(workspace, state, tmp_path / "outputs")
    rng = random.Random(25)
    acknowledged = {n: [] for n in range(CLERKS)}
    try:
        for round_ in range(3):
            server.start()
            sent = {n: [] for n in range(CLERKS)}
            stop = threading.Event()
            threads = [threading.Thread(target=keep_saving, args=(server, n, acknowledged, sent, stop, round_))
                       for n in range(CLERKS)]
            for t in threads:
                t.start()
            before = {n: len(acknowledged[n]) for n in range(CLERKS)}
            deadline = time.time() + 120
            while time.time() < deadline and not all(len(acknowledged[n]) > before[n] for n in range(CLERKS)):
                time.sleep(0.2)
            time.sleep(rng.uniform(0.5, 2.5))
            server.kill()                                   # SIGKILL, saves in flight
            stop.set()
            for t in threads:
                t.join(60)
            server.start()                                  # settles what the kill cut short
            assert agree(workspace, state)
            on_disk = notes(workspace)
            for n in range(CLERKS):
                assert acknowledged[n], f"clerk {n} had no save acknowledged in round {round_}"
                last = acknowledged[n][-1]
                later = sent[n][sent[n].index(last):] if last in sent[n] else [last]
                assert on_disk[n] in later, (n, on_disk[n], last)     # the last acknowledged, or the one in flight
            server.stop()
    finally:
        server.kill()
    history = History(state / "history.sqlite")
    saved = [plain(load(v.files["tasks.yaml"]))["tasks"] for v in reversed(history.list("kazuo"))]
    for n in range(CLERKS):      # every acknowledged value is in the history, in the order it was acknowledged
        values = [tasks[n].get("note") for tasks in saved]
        seen = [v for i, v in enumerate(values) if v and (i == 0 or values[i - 1] != v)]
        assert [v for v in seen if v in acknowledged[n]] == acknowledged[n]


def test_killed_mid_build_and_its_libreoffice_killed_the_preview_comes_back(tmp_path):
    workspace, state = setup_workspace(tmp_path)
    server = Server(workspace, state, tmp_path / "outputs")
    try:
        server.start()
        client = client_for(server, 0)
        threading.Thread(target=lambda: _quietly(client.get, "/p/kazuo/preview"), daemon=True).start()
        time.sleep(2.5)                                     # the build (or its conversion) is running
        server.kill()
        before = read_package(workspace / "kazuo")
        server.start()
        client = client_for(server, 0)
        preview = client.get("/p/kazuo/preview", timeout=300)
        assert preview.status_code == 200 and re.search(r"/p/kazuo/page/\d+/1\.png", preview.text), preview.text
        assert read_package(workspace / "kazuo") == before and agree(workspace, state)
        # kill its LibreOffice: the next preview starts another and shows the saved change
        office = [pid for pid in _descendants(server) if b"soffice" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert office, "no LibreOffice under the server"
        for pid in office:
            subprocess.run(["kill", "-9", str(pid)], check=False)
        page = client.get("/p/kazuo?tab=frame").text
        form = plan_form(page)
        form["t:document.note"] = "（此件公开发布）"
        assert "Saved" in client.post("/p/kazuo/save", data=form, headers={"X-CSRF-Token": csrf(page),
                                                                           "HX-Request": "true"}).text
        preview = client.get("/p/kazuo/preview", timeout=300)
        assert preview.status_code == 200 and re.search(r"/p/kazuo/page/\d+/1\.png", preview.text), preview.text
    finally:
        server.kill()


def _descendants(server):
    from workbench_server import descendants

    return descendants(server.process.pid)


def _quietly(call, *args):
    try:
        call(*args, timeout=60)
    except httpx.HTTPError:
        pass


def _mount_tmpfs(folder: Path, size: str):
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")


def test_a_full_disk_refuses_the_save_with_a_message_and_keeps_the_last_one(tmp_path, monkeypatch):
    small = tmp_path / "small"
    _mount_tmpfs(small, "2m")
    server = None
    try:
        workspace, state = setup_workspace(small)
        server = Server(workspace, state, tmp_path / "outputs", env={"LANGUAGE": "zh"})
        server.start()
        client = client_for(server, 0)
        page = client.get("/p/kazuo?tab=tasks").text
        form = plan_form(page)
        form["t:tasks.0.note"] = "保存成功的备注"
        assert "保存" in client.post("/p/kazuo/save", data=form, headers={"X-CSRF-Token": csrf(page),
                                                                         "HX-Request": "true"}).text
        filler = small / "filler"
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)   # fills the disk
        page = client.get("/p/kazuo?tab=tasks").text
        form = plan_form(page)
        form["t:tasks.0.note"] = "磁盘满时的备注" * 2000
        response = client.post("/p/kazuo/save", data=form, headers={"X-CSRF-Token": csrf(page),
                                                                    "HX-Request": "true"})
        assert response.status_code < 500 and "Traceback" not in response.text
        assert "空间" in response.text or "磁盘" in response.text, response.text
        assert notes(workspace)[0] == "保存成功的备注"
        filler.unlink()
        server.kill()
        server.start()
        assert notes(workspace)[0] == "保存成功的备注" and agree(workspace, state)
    finally:
        if server:
            server.kill()
        subprocess.run(["umount", "-l", str(small)], check=False)


def test_a_read_only_store_refuses_the_save_with_a_message_and_writes_nothing(tmp_path):
    """The store's files made immutable under the running server (chattr +i: even root may not write them)."""
    workspace, state = setup_workspace(tmp_path)
    server = Server(workspace, state, tmp_path / "outputs", env={"LANGUAGE": "zh"})
    store_files = []
    try:
        server.start()
        client = client_for(server, 0)
        page = client.get("/p/kazuo?tab=tasks").text
        before = read_package(workspace / "kazuo")
        store_files = sorted(state.glob("history.sqlite*"))
        done = subprocess.run(["chattr", "+i", *map(str, store_files)], capture_output=True, text=True)
        if done.returncode:
            store_files = []
            pytest.skip(f"cannot make the store read-only here: {done.stderr.strip()}")
        form = plan_form(page)
        form["t:tasks.0.note"] = "只读时的备注"
        response = client.post("/p/kazuo/save", data=form, headers={"X-CSRF-Token": csrf(page),
                                                                    "HX-Request": "true"})
        assert response.status_code < 500 and "Traceback" not in response.text
        assert "方案没有保存" in response.text, response.text
        assert read_package(workspace / "kazuo") == before
        server.kill()
        subprocess.run(["chattr", "-i", *map(str, store_files)], check=True)
        store_files = []
        server.start()
        assert read_package(workspace / "kazuo") == before and agree(workspace, state)
    finally:
        if store_files:
            subprocess.run(["chattr", "-i", *map(str, store_files)], check=False)
        server.kill()
