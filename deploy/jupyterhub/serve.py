"""Run JupyterHub for a class that ``classroom.py create`` made (as root); Ctrl-C stops it.

    python deploy/jupyterhub/serve.py ROOT [--ip 127.0.0.1] [--port 8000]
    python deploy/jupyterhub/serve.py --demo [--port 8000]     (what `make hub` runs)

``--demo`` makes a demo class (``demo_class.csv``: three students and ``nbc-teacher``)
in a fresh folder, prints its passwords, serves it, and removes it all when stopped.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from classroom import DEFAULT_PREFIX, Classroom, create, remove

from graders.processes import stop_process_group

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "jupyterhub_config.py"
DEMO_CLASS = HERE / "demo_class.csv"
DEMO_INSTRUCTOR = "teacher"
DEMO_ASSIGNMENT = "01_numpy_basics"


def start_hub(classroom: Classroom, port: int, api_port: int, proxy_api_port: int,
              ip: str = "127.0.0.1") -> subprocess.Popen:
    """JupyterHub and its proxy, in a process group of their own; the log in ROOT/hub/."""
    env = {**os.environ, "COURSE_HUB_ROOT": str(classroom.root), "COURSE_HUB_IP": ip,
           "COURSE_HUB_PORT": str(port), "COURSE_HUB_API_PORT": str(api_port),
           "COURSE_HUB_PROXY_API_PORT": str(proxy_api_port),
           "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}"}
    with (classroom.state / "jupyterhub.log").open("a") as log:
        return subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f",
                                 str(CONFIG)], cwd=classroom.state, env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)


def wait_for_login_page(url: str, hub: subprocess.Popen, timeout: float = 120) -> None:
    """Wait until the hub answers with its login page (or fail, with the log, if it died)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if hub.poll() is not None:
            raise RuntimeError(f"JupyterHub exited with {hub.returncode}; see its log")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/hub/login", timeout=5):
            return
        time.sleep(0.5)
    raise RuntimeError(f"JupyterHub did not answer at {url} within {timeout} s")


def stop_hub(hub: subprocess.Popen, timeout: float = 60) -> None:
    """Stop the hub and its proxy; the hub first stops every user's server, hence the wait."""
    stop_process_group(hub, timeout)


def serve(classroom: Classroom, ip: str, port: int) -> None:
    """Run the hub until Ctrl-C (or SIGTERM)."""
    api_port, proxy_api_port = port + 1, port + 2
    hub = start_hub(classroom, port, api_port, proxy_api_port, ip)
    try:
        url = f"http://{ip}:{port}"
        wait_for_login_page(url, hub)
        print(f"The class's hub is at {url} · 课程 JupyterHub 地址：{url}\n"
              f"Ctrl-C stops it · 按 Ctrl-C 停止", flush=True)
        hub.wait()
    except KeyboardInterrupt:
        print("Stopping the hub and every user's server · 正在停止 JupyterHub", flush=True)
    finally:
        stop_hub(hub)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, nargs="?", help="the class's folder")
    parser.add_argument("--demo", action="store_true", help="a demo class, removed at the end")
    parser.add_argument("--ip", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000,
                        help="public port; the hub and the proxy's API take the next two")
    args = parser.parse_args(argv)
    # A stop is a Ctrl-C, even where the shell started us with Ctrl-C ignored (`make hub &`).
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, signal.default_int_handler)
    if os.geteuid() != 0:
        print("Run this as root: the hub starts each user's server as that user · "
              "请以 root 身份运行", file=sys.stderr)
        return 1
    if args.demo == bool(args.root):
        parser.error("give the class's folder, or --demo")
    if not args.demo:
        serve(Classroom.load(args.root), args.ip, args.port)
        return 0
    root = Path(tempfile.mkdtemp(prefix="numpy-dl-hub-demo-"))
    try:
        print("Making the demo class (accounts, course, assignment 1) · 正在创建演示班级",
              flush=True)
        classroom = create(root, DEMO_CLASS, DEMO_INSTRUCTOR, DEFAULT_PREFIX, "",
                           [DEMO_ASSIGNMENT])
        print(f"Log in as any of these · 可用以下账户登录:\n{classroom.passwords.read_text()}",
              flush=True)
        serve(classroom, args.ip, args.port)
    finally:
        remove(root)
        print("The demo class is removed · 演示班级已删除", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
