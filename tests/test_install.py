"""README: `./install.sh --relock` refreshes the lock, and `./install.sh --download DIR` on a connected machine
makes the folder `./install.sh --offline DIR` installs from with no index at all. Run on a copy of the checkout,
so the developer's .venv/ and outputs/ are not touched. The system packages (apt) are left alone (--no-apt):
installing .deb files is not something a test may do to the machine."""
import os
import shutil
import subprocess

import pytest

from lockfile import LOCK, ROOT

pytestmark = pytest.mark.slow
SKIP = shutil.ignore_patterns(".git", ".venv*", "outputs", "__pycache__", ".pytest_cache", ".hypothesis",
                              "*.egg-info", "build", "dist", ".mypy_cache", ".ruff_cache")


def run(*args, cwd, env=None):
    out = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    copy = tmp_path_factory.mktemp("install") / "doctools"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    return copy


def test_relock_keeps_a_fresh_lock_as_it_is_and_installs_it(checkout):
    run("./install.sh", "--relock", cwd=checkout)
    assert (checkout / "requirements.lock").read_text(encoding="utf-8") == LOCK.read_text(encoding="utf-8"), \
        "requirements.lock is not what setup.cfg asks for: run ./install.sh --relock and commit it"
    freeze = run(".venv/bin/python", "-m", "pip", "freeze", "--exclude-editable", cwd=checkout).stdout
    assert "click==" in freeze and "pytest==" in freeze


def test_offline_install_from_a_downloaded_folder_with_no_index(checkout, tmp_path):
    wheels = tmp_path / "dl"
    run("./install.sh", "--download", wheels, "--no-apt", cwd=checkout)
    assert any(wheels.glob("wheels/click-*.whl")) and not (wheels / "debs").exists()
    shutil.rmtree(checkout / ".venv", ignore_errors=True)
    shutil.rmtree(checkout / "outputs", ignore_errors=True)
    # no configuration may add an index or a folder of wheels; the network path is refused outright
    env = dict(os.environ, PIP_CONFIG_FILE=os.devnull, PIP_INDEX_URL="http://127.0.0.1:9/",
               PIP_FIND_LINKS="", PIP_EXTRA_INDEX_URL="", PIP_NO_CACHE_DIR="1")
    run("./install.sh", "--offline", wheels, "--no-apt", cwd=checkout, env=env)
    assert "Usage: doctools" in run(".venv/bin/doctools", "--help", cwd=checkout, env=dict(env, LANGUAGE="en")).stdout
    assert list((checkout / "outputs").glob("*/*.docx")) and list((checkout / "outputs").glob("*/*.pdf"))


def test_the_debs_download_fetches_are_the_system_packages_with_all_they_need(tmp_path):
    """What --download hands to apt-get download: each name has a file to fetch (no virtual package), and the
    list reaches down to libc. Only the addresses are asked for (--print-uris), nothing is fetched."""
    names = run("./install.sh", "--list-debs", cwd=ROOT).stdout.split()
    assert {"libreoffice-writer-nogui", "graphviz", "fonts-noto-cjk", "poppler-utils", "python3-venv",
            "libc6"} <= set(names)
    uris = run("apt-get", "download", "--print-uris", *names, cwd=tmp_path).stdout.splitlines()
    assert len(uris) == len(names) and all(".deb" in line for line in uris)
