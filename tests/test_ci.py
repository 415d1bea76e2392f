"""What the README's set-up section says about CI, Pythons and install.sh is what .ci/run, setup.cfg,
pyproject.toml and install.sh do."""
import configparser
import re
import sys
import tomllib

from lockfile import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SETUP = README.split("## Set up and test", 1)[1].split("\n## ", 1)[0]
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
INSTALL = (ROOT / "install.sh").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def commands(script: str) -> list[str]:
    return [line.strip() for line in script.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_the_readme_has_two_commands_and_ci_runs_them_as_they_are_with_lint_and_types_first():
    first = SETUP.split("**Python.**")[0]
    assert re.findall(r"```sh\n(.*?)\n```", first, re.S) == ["./install.sh", ".venv/bin/python -m pytest"]
    run = commands(CI)
    assert run.index("./install.sh") < run.index(".venv/bin/ruff check .") < run.index(".venv/bin/mypy") \
        < run.index(".venv/bin/python -m pytest")
    assert "set -euo pipefail" in run and not any("|| true" in line and "pytest" in line for line in run)


def test_ci_runs_the_fast_part_with_the_lowest_versions_and_on_python_3_13():
    assert '.venv/bin/python -m pytest -m "not slow"' in README
    assert 'uv pip install -q --resolution lowest-direct' in CI and "--resolution lowest-direct" in README
    assert sum('-m "not slow"' in line for line in commands(CI)) == 2 and "versions/3.13*/bin/python" in CI and "python3.13" in CI


def test_the_supported_pythons_are_one_number_everywhere():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    assert cfg["options"]["python_requires"] == ">=3.11"
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py311"
    assert PYPROJECT["tool"]["mypy"]["python_version"] == "3.11"
    assert "--python-version 3.11" in INSTALL and "Python 3.11 (Debian 12) and 3.13 (Debian 13)" in README
    assert sys.version_info >= (3, 11)
    assert "slow" in cfg["tool:pytest"]["markers"] and "--strict-markers" in cfg["tool:pytest"]["addopts"]


def test_every_install_option_the_readme_names_is_one_install_sh_takes():
    named = set(re.findall(r"\./install\.sh((?: --[a-z-]+)+)", README))
    options = {o for group in named for o in group.split()} | set(re.findall(r"`(--[a-z-]+)`", SETUP)) - {
        "--require-hashes", "--no-deps", "--universal", "--generate-hashes", "--resolution", "--no-index"}
    assert {"--relock", "--upgrade", "--download", "--offline", "--no-apt"} <= options
    for option in options:
        assert re.search(rf"^\s+(?:--[a-z-]+\|)*{option}(?:\|--[a-z-]+)*\)", INSTALL, re.M), option
