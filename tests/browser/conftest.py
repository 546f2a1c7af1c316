"""Browser tests: the built console in Debian's Chromium, driven by Playwright, against a real server.

Not part of the ordinary pytest runs: the tests here are collected only when
``YIGONGTI_BROWSER_TESTS=1`` (``make test-browser`` sets it). They need the console built
(``make console``), ``/usr/bin/chromium`` (``make system-deps``) and the ``playwright`` package (dev
dependencies); ``playwright install`` is never run, Playwright drives Debian's Chromium.

The ``console_server`` fixture (once per run) prepares a temporary SQLite database (``prepare.py``:
migrate + ``demo-county --residents 300 --seed 5`` + a few fixtures), starts uvicorn on a free port
of 127.0.0.1, waits for ``/api/v1/health`` and stops it at the end. Huey runs tasks immediately in
the server process (``HUEY_IMMEDIATE=1``), so no consumer is needed. When Redis answers on
``YIGONGTI_BROWSER_REDIS_URL`` (default ``redis://127.0.0.1:6379/0``) the server uses it as its
Channels layer (``REDIS_URL``), so that a message sent by another process (the realtime scenario
calls the notify service from a script) reaches the sockets of the server; otherwise that
scenario is skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ENABLED = os.environ.get("YIGONGTI_BROWSER_TESTS") == "1"
ROOT = Path(__file__).resolve().parents[2]
CONSOLE_INDEX = ROOT / "src" / "yigongti" / "web" / "index.html"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("YIGONGTI_CHROMIUM", "/usr/bin/chromium")
# The flags the machine notes ask for; Playwright adds a fresh --user-data-dir of its own per launch.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1366, "height": 768}
REDIS_URL = os.environ.get("YIGONGTI_BROWSER_REDIS_URL", "redis://127.0.0.1:6379/0")

if not ENABLED:
    # Not even imported: ordinary runs (make test-sqlite / test-postgres, plain pytest) skip the lot.
    collect_ignore_glob = ["test_*.py"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: end-to-end test in Chromium (make test-browser)")


@dataclass(frozen=True)
class ConsoleServer:
    url: str
    facts: dict[str, Any]
    env: dict[str, str]
    log: Path
    realtime_across_processes: bool

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bind_args(port: int) -> list[str]:
    return ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]


def _redis_answers(url: str) -> bool:
    parsed = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _server_env(var_dir: Path, redis_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    if redis_url:
        # Channels layer (and Huey, which runs immediately anyway). redis-py 8 reads with a 5-second
        # socket timeout by default, which kills channels_redis' blocking receive of an idle socket
        # every 5 s (django/channels_redis#422); a longer timeout in the URL keeps it alive.
        sep = "&" if "?" in redis_url else "?"
        env["REDIS_URL"] = redis_url if "socket_timeout=" in redis_url else f"{redis_url}{sep}socket_timeout=60"
    env.update(
        YIGONGTI_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'yigongti.sqlite3'}",
        DJANGO_SETTINGS_MODULE="yigongti.config.settings",
        YIGONGTI_FAST_HASHER="1",  # demo and test accounts only: PBKDF2 would cost seconds per login
        HUEY_IMMEDIATE="1",
        PYTHONDONTWRITEBYTECODE="1",
        LOG_LEVEL="WARNING",
    )
    return env


def _wait_for_health(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"服务器进程已退出（{proc.returncode}）：\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/v1/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"服务器 {timeout:.0f} 秒内没有就绪：\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="session")
def console_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    if not CONSOLE_INDEX.exists():
        pytest.fail(f"控制台尚未构建（{CONSOLE_INDEX}）：先运行 make console")
    base = Path(os.environ.get("YIGONGTI_BROWSER_TMP") or tmp_path_factory.mktemp("browser-server"))
    var_dir = base / "var"
    var_dir.mkdir(parents=True, exist_ok=True)
    redis_url = REDIS_URL if _redis_answers(REDIS_URL) else None
    env = _server_env(var_dir, redis_url)
    facts_file = var_dir / "browser-facts.json"
    prepared = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("prepare.py")), str(facts_file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=420,  # migrate + demo county: about a minute, much more on a loaded machine
    )
    if prepared.returncode != 0:
        pytest.fail(f"准备测试数据库失败：\n{prepared.stdout[-2000:]}\n{prepared.stderr[-4000:]}")
    facts = json.loads(facts_file.read_text(encoding="utf-8"))

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = var_dir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "yigongti.config.asgi:application", *_bind_args(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_health(url, proc, log)
        yield ConsoleServer(url=url, facts=facts, env=env, log=log, realtime_across_processes=bool(redis_url))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(f"找不到 Chromium（{CHROMIUM}）：make system-deps 会安装 Debian 的 chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Any, console_server: ConsoleServer) -> Iterator[Any]:
    """A fresh browser context (no cookies) at 1366×768, Chinese locale, the server as base URL."""
    context = browser.new_context(
        base_url=console_server.url, viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"页面脚本出错：{errors}"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
