"""requirements.lock holds exactly what setup.cfg asks for, every file with its hash (README: Set up and test)."""
import re
import subprocess

from packaging.utils import canonicalize_name

from lockfile import LOCK, ROOT, declared, locked


def test_every_requirement_of_setup_cfg_is_locked_at_a_version_inside_its_range():
    pins = locked()
    wrong = []
    for group, requirements in declared().items():
        for req in requirements:
            versions = [v for v, _ in pins.get(canonicalize_name(req.name), [])]
            if not versions:
                wrong.append(f"{group}: {req} is not in the lock")
            wrong += [f"{group}: {req} is locked at {v}" for v in versions if v not in req.specifier]
    assert not wrong, "run ./install.sh --relock:\n" + "\n".join(wrong)


def test_the_lock_pins_every_package_with_its_hashes():
    text = LOCK.read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2].strip())
    assert len(entries) == sum(len(v) for v in locked().values()) > 20
    for entry in entries:
        assert "==" in entry.splitlines()[0] and "--hash=sha256:" in entry, entry


def test_the_lock_holds_the_build_backend_so_the_project_installs_without_the_index():
    build = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "setuptools" in build and "setuptools" in locked() and "wheel" in locked()


def test_the_lock_is_refreshed_by_the_command_its_header_names():
    assert LOCK.read_text(encoding="utf-8").splitlines()[1].strip() == "#    ./install.sh --relock"
    out = subprocess.run(["bash", str(ROOT / "install.sh"), "--bogus"], capture_output=True, text=True)
    assert out.returncode == 2 and "unknown option --bogus" in out.stderr
