"""The README's section "在单位内网部署", followed on a fresh environment: doctools installed from this checkout
into a new virtual environment, the named folders made, an account added, the configuration checked, the systemd
unit's ExecStart run as it stands (no systemd here) with its paths put in a temporary folder and its address on
loopback (tests listen nowhere else), and a clerk logged in over HTTP."""
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from workbench_client import login
from workbench_server import descendants, free_port

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "docs" / "deploy" / "doctools.service"


def unit_value(key: str) -> str:
    return next(line.split("=", 1)[1] for line in UNIT.read_text(encoding="utf-8").splitlines()
                if line.startswith(key + "="))


def test_the_readme_names_the_unit_and_the_folders_it_uses():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 在单位内网部署", 1)[1].split("\n## ", 1)[0]
    assert "docs/deploy/doctools.service" in section and "docs/deploy/nginx-doctools.conf" in section
    command = unit_value("ExecStart")
    for folder in ("/srv/doctools/inputs", "/srv/doctools/outputs", "/var/lib/doctools/state"):
        assert folder in section and folder in command
    assert unit_value("User") == "doctools" and "ReadWritePaths=/srv/doctools /var/lib/doctools" in UNIT.read_text()
    assert "--host 127.0.0.1 --proxy" in section          # behind the optional HTTPS proxy


def test_install_add_an_account_start_the_units_command_and_log_in(tmp_path):
    venv = tmp_path / "opt" / "doctools" / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(ROOT)], check=True, capture_output=True)
    srv, var = tmp_path / "srv" / "doctools", tmp_path / "var" / "lib" / "doctools"
    for folder in (srv / "inputs", srv / "outputs", var / "state"):
        folder.mkdir(parents=True)
    subprocess.run(["cp", "-r", str(ROOT / "inputs" / "kazuo"), str(srv / "inputs")], check=True)
    doctools = str(venv / "bin" / "doctools")
    env = dict(os.environ, LANG="zh_CN.UTF-8", LANGUAGE="zh", HOME=str(var))
    added = subprocess.run([doctools, "users", "add", "张三", "--password-stdin", "--state", str(var / "state"),
                            "--workspace", str(srv / "inputs")], input="zhang-password\n", text=True,
                           capture_output=True, env=env)
    assert added.returncode == 0 and "已添加管理员 张三" in added.stdout, added.stderr
    port = free_port()
    command = (unit_value("ExecStart").replace("/opt/doctools/.venv", str(venv))
               .replace("/srv/doctools", str(srv)).replace("/var/lib/doctools", str(var))
               .replace("--host 0.0.0.0", "--host 127.0.0.1").replace("--port 8800", f"--port {port}"))
    args = shlex.split(command)
    assert args[0] == doctools and f"--port {port}" in command
    checked = subprocess.run(args + ["--check-config"], capture_output=True, text=True, env=env)
    assert checked.returncode == 0 and "1 个账户" in checked.stdout, checked.stdout + checked.stderr
    server = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                              cwd=str(srv))
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
        for _ in range(300):
            try:
                client.get("/login")
                break
            except httpx.HTTPError:
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.2)
        assert client.get("/", follow_redirects=False).headers["location"] == "/login"
        assert login(client, "张三", "wrong-password").status_code == 401
        assert login(client, "张三", "zhang-password").status_code == 303
        plans = client.get("/")
        assert plans.status_code == 200 and re.search(r'data-plan="?kazuo', plans.text)
        assert "张三" in plans.text and "退出登录" in plans.text
    finally:
        below = descendants(server.pid)
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        for pid in below:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
