"""The version store under a shared workbench: saves name their base, concurrent edits merge field by field,
a clash is a conflict with both values, edits on disk are versions too, and a crash loses at most the save in
flight (the server is killed with SIGKILL between the write-ahead record and the files)."""
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from doctools.workbench.store import History
from doctools.workbench.versions import Conflict, Saved, StoreError, apply_fields, load, plain, read_package

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def workspace(tmp_path):
    from helpers import copy_package

    copy_package(ROOT / "inputs" / "kazuo", tmp_path / "ws" / "kazuo")
    return tmp_path / "ws"


def edited(files, name, old, new):
    assert old in files[name], old
    out = dict(files)
    out[name] = files[name].replace(old, new, 1)
    return out


def store_for(workspace, tmp_path, **options):
    return History(tmp_path / "state" / "history.sqlite", workspace, **options)


def field(workspace, name, *path):
    value = load((workspace / "kazuo" / name).read_text())
    for step in path:
        value = value[step]
    return plain(value)


def test_two_clerks_edit_different_fields_of_one_plan_and_both_are_kept(workspace, tmp_path):
    store = store_for(workspace, tmp_path)
    v1 = store.current("kazuo")
    page = v1.files            # both pages show version 1
    a = store.commit("kazuo", v1.number, edited(page, "schedule.yaml", "2017年12月-2018年1月", "2017年12月-2018年2月"), "a")
    b = store.commit("kazuo", v1.number, edited(page, "tasks.yaml", "[县扶贫开发局, 县规划局, 各乡镇街区]",
                                              "[县扶贫开发局, 县住建局, 各乡镇街区]"), "b")
    assert isinstance(a, Saved) and isinstance(b, Saved) and b.merged
    assert field(workspace, "schedule.yaml", "schedule", 0, "period") == "2017年12月-2018年2月"
    assert field(workspace, "tasks.yaml", "tasks", 0, "responsible") == ["县扶贫开发局", "县住建局", "各乡镇街区"]
    # comments kept in the merged file
    assert (workspace / "kazuo" / "tasks.yaml").read_text().startswith("# 试点范围")
    assert [v.number for v in store.list("kazuo")] == [3, 2, 1]


def test_same_field_changed_twice_is_a_conflict_with_both_values_and_nothing_written(workspace, tmp_path):
    store = store_for(workspace, tmp_path)
    v1 = store.current("kazuo")
    page = v1.files
    store.commit("kazuo", 1, edited(page, "schedule.yaml", "period: 2018年11月", "period: 2018年10月"), "a")
    before = (workspace / "kazuo" / "schedule.yaml").read_bytes()
    result = store.commit("kazuo", 1, edited(page, "schedule.yaml", "period: 2018年11月", "period: 2018年9月"), "b")
    assert isinstance(result, Conflict)
    assert [(f.path, f.base, f.mine, f.theirs) for f in result.fields] == [
        (("schedule", 3, "period"), "2018年11月", "2018年9月", "2018年10月")]
    assert (workspace / "kazuo" / "schedule.yaml").read_bytes() == before
    # the clerk chooses theirs-or-mine per field; the choice is a new version on top of the newest
    chosen = apply_fields(result.merged, [("schedule.yaml", ("schedule", 3, "period"), "2018年9月")])
    saved = store.commit("kazuo", result.current, chosen, "b")
    assert isinstance(saved, Saved) and saved.version.number == 3
    assert field(workspace, "schedule.yaml", "schedule", 3, "period") == "2018年9月"
    history = store.list("kazuo")
    assert [plain(load(v.files["schedule.yaml"])["schedule"][3]["period"]) for v in history] == \
        ["2018年9月", "2018年10月", "2018年11月"]


def test_an_edit_on_disk_while_the_page_is_open_is_never_overwritten(workspace, tmp_path):
    store = store_for(workspace, tmp_path)
    v1 = store.current("kazuo")
    page = v1.files
    path = workspace / "kazuo" / "schedule.yaml"
    path.write_text(path.read_text().replace("period: 2018年12月", "period: 2019年1月"))      # the command line
    result = store.commit("kazuo", 1, edited(page, "schedule.yaml", "period: 2018年12月", "period: 2018年11月"), "a")
    assert isinstance(result, Conflict) and result.fields[0].theirs == "2019年1月"
    assert store.list("kazuo")[0].author == "disk"
    assert field(workspace, "schedule.yaml", "schedule", 4, "period") == "2019年1月"


def test_restore_makes_an_old_version_the_newest_without_losing_the_ones_after(workspace, tmp_path):
    store = store_for(workspace, tmp_path)
    page = store.current("kazuo").files
    store.commit("kazuo", 1, edited(page, "schedule.yaml", "period: 2018年11月", "period: 2018年10月"), "a")
    number = store.restore("kazuo", 1, author="a")
    assert number == 3 and store.get("kazuo", 3).note == "restore 1"
    assert (workspace / "kazuo" / "schedule.yaml").read_text() == page["schedule.yaml"]
    assert len(store.list("kazuo")) == 3


def test_a_full_disk_refuses_the_save_and_keeps_the_files_and_the_store_as_they_were(workspace, tmp_path,
                                                                                      monkeypatch):
    import doctools.safeio.atomic as atomic

    def full(target, data, mode):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "stage", full)
    store = store_for(workspace, tmp_path)
    page = store.current("kazuo").files
    before = read_package(workspace / "kazuo")
    with pytest.raises(StoreError, match="the disk is full"):
        store.commit("kazuo", 1, edited(page, "schedule.yaml", "period: 2018年11月", "period: 2018年10月"), "a")
    assert read_package(workspace / "kazuo") == before
    assert [v.number for v in store.list("kazuo")] == [1]
    assert not list((workspace / "kazuo").glob(".*.tmp"))


def test_a_read_only_store_refuses_the_save_with_a_message_and_writes_no_file(workspace, tmp_path):
    store = store_for(workspace, tmp_path)
    page = store.current("kazuo").files
    import sqlite3

    store.db.close()                  # the same store, its file now opened read-only
    store.db = sqlite3.connect(f"file:{tmp_path / 'state' / 'history.sqlite'}?mode=ro", uri=True,
                               isolation_level=None, check_same_thread=False)
    before = read_package(workspace / "kazuo")
    with pytest.raises(StoreError):
        store.commit("kazuo", 1, edited(page, "schedule.yaml", "period: 2018年11月", "period: 2018年10月"), "a")
    assert read_package(workspace / "kazuo") == before


KILLED = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from doctools.workbench.store import History
    state, workspace, where = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    store = History(state / "history.sqlite", workspace)
    page = store.current("kazuo").files
    def edit(n):
        out = dict(page)
        out["schedule.yaml"] = page["schedule.yaml"].replace("2018年11月", f"2018年{n}月")
        out["tasks.yaml"] = page["tasks.yaml"].replace("县交通局", f"县交通局{n}")
        return out
    saved = store.commit("kazuo", 1, edit(1), "a")
    print("acknowledged", saved.version.number, flush=True)
    def stop(version):
        if where == "ahead":
            print("in flight", flush=True); time.sleep(60)
    store.pause = stop
    if where == "between":
        import doctools.safeio.atomic as atomic
        real = atomic.put_in_place
        def half(tmp, target):
            real(tmp, target)
            print("in flight", flush=True); time.sleep(60)
        atomic.put_in_place = half
    store.commit("kazuo", saved.version.number, edit(2), "a")
""")


@pytest.mark.parametrize("where", ["ahead", "between"])
def test_killed_mid_save_the_store_and_the_yaml_agree_after_a_restart(workspace, tmp_path, where):
    """SIGKILL after the write-ahead record (no file written) and after the first of two files was replaced."""
    state = tmp_path / "state"
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(state), str(workspace), where],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout.readline().split() == ["acknowledged", "2"]
    assert proc.stdout.readline().strip() == "in flight"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = History(state / "history.sqlite", workspace)
    report = store.reconcile()
    assert report == [("kazuo", 3, "finished")]
    newest = store.current("kazuo")
    assert newest.number == 3 and newest.files == read_package(workspace / "kazuo")
    # the acknowledged save is there, and the one in flight was finished whole (both files), never half
    assert field(workspace, "tasks.yaml", "tasks", 3, "responsible") == ["县交通局2"]
    assert field(workspace, "schedule.yaml", "schedule", 3, "period") == "2018年2月"


def test_a_pending_save_whose_files_were_changed_by_hand_after_the_crash_is_dropped(workspace, tmp_path):
    state = tmp_path / "state"
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(state), str(workspace), "ahead"],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    proc.stdout.readline(), proc.stdout.readline()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    path = workspace / "kazuo" / "units.yaml"
    path.write_text(path.read_text() + "\n# edited by hand\n")
    store = History(state / "history.sqlite", workspace)
    assert store.reconcile() == [("kazuo", 3, "dropped")]
    newest = store.current("kazuo")
    assert newest.author == "disk" and newest.files == read_package(workspace / "kazuo")
    assert field(workspace, "tasks.yaml", "tasks", 3, "responsible") == ["县交通局1"]
