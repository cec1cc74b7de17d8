"""HTTP load test of the main pages through `tnw serve` (gunicorn, production settings), with
the log-in page as the baseline measured in the same run, and the registration's service time.

    .venv/bin/python bench/load.py --people 2000 [--duration 10] [--workers 4]
    DATABASE_URL=postgres://... .venv/bin/python bench/load.py --people 2000
    DATABASE_URL=postgres://.../tnw_1m_load .venv/bin/python bench/load.py --skip-load

It loads `tnw demo` plus `tnw simulate --people N` into a fresh database (SQLite under
/tmp/tnw-bench-load-N, or the DATABASE_URL given, which must be empty; `--skip-load` measures
a data set already loaded and migrated, e.g. the 1,000,000-episode one of bench/scale.py),
starts `tnw serve` on 127.0.0.1 and runs `wrk` (Debian package `wrk`) against each page at 1
and 16 connections, as the coordinator with the most episodes (`--user` to choose another),
through a session that has passed the second factor (the production settings ask for it: the
bench gives the user a TOTP device and marks the session verified, as a log-in with the code
would). Every figure is reported next to the log-in page's, as a ratio:
the machine's speed cancels out. Timings are never asserted, only written: JSON on stdout and
in bench/results-load-<db>.json; bench/RESULTS.md has the measured figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TNW = [sys.executable, "-m", "tnw.cli"]
PAGES = {
    "login (baseline)": "/login/",
    "worklist": "/",
    "all tasks": "/worklist/",
    "search": "/search/?q=a",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env(args: argparse.Namespace, var: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tnw.settings.prod",
        "DJANGO_SECRET_KEY": "bench-only-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "TNW_SSL_REDIRECT": "0",  # plain HTTP on 127.0.0.1
        "TNW_AUDIT_KEYS": "bench:bench-only-audit-checkpoint-key",
        "TNW_AUDIT_DATA_KEYS": "bench:pMLEBMwicACXEpiqN7wZiBQcaiUuGBqvPcgc_FTWWPw=",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "TNW_VAR_DIR": str(var),
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{var / 'bench.sqlite3'}")
    return env


def _load(env: dict[str, str], people: int) -> None:
    for command in (["migrate", "-v0"], ["demo"], ["simulate", "--people", str(people)]):
        subprocess.run([*TNW, *command], env=env, cwd=ROOT, check=True, capture_output=True)


SESSION = """
import django
django.setup()
from django.db.models import Count
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from tnw.accounts.models import User
from tnw.dossier.models import Episode
name = USERNAME or (
    Episode.objects.filter(coordinator__isnull=False).values("coordinator__username")
    .annotate(n=Count("id")).order_by("-n").values_list("coordinator__username", flat=True)[0]
)
user = User.objects.get(username=name)
device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
          or TOTPDevice.objects.create(user=user, name="bench", confirmed=True))
client = Client()
client.force_login(user)
session = client.session
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.save()
print(Episode.objects.count(), name, session.session_key)
"""


def _session(env: dict[str, str], username: str | None) -> tuple[int, str, str]:
    """A session of `username` (default: the coordinator with the most episodes) that has
    passed the second factor; returns the number of episodes, the user name and the Cookie
    header."""
    out = subprocess.run(
        [sys.executable, "-c", f"USERNAME = {username!r}\n" + SESSION],
        env={**env, "DJANGO_ALLOWED_HOSTS": "testserver"}, cwd=ROOT, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    episodes, name, key = out.stdout.split()[-3:]
    return int(episodes), name, f"sessionid={key}"


def _a_dossier(base: str, cookie: str) -> str:
    request = urllib.request.Request(f"{base}/", headers={"Cookie": cookie})
    page = urllib.request.urlopen(request).read().decode()
    return re.search(r'href="(/people/\d+/)', page).group(1)


def _wrk(url: str, cookie: str, connections: int, seconds: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{seconds}s",
         "--timeout", "60s", "--latency", "-H", f"Cookie: {cookie}", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    figures = {}
    for name, value, unit in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M):
        figures[f"p{name}_ms"] = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    figures["requests_per_s"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["errors"] = int(errors.group(1)) if errors else 0
    return figures


def _registrations(env: dict[str, str], username: str, count: int) -> dict[str, float]:
    """p50/p95 of `count` registrations through the dossier service (in a child process)."""
    code = f"""
import django, json, time, statistics
django.setup()
from datetime import date
from tnw.accounts.models import User
from tnw.dossier.models import Episode
from tnw.dossier.services import give_consent, register_event
user = User.objects.get(username={username!r})
episodes = list(Episode.objects.filter(coordinator=user, end__isnull=True)[:{count}])
times, cpu, refused = [], [], []
def consent(episode):  # a registration too (consent_given), when the episode has none yet
    give_consent(user=user, episode_id=episode.pk, expected_version=episode.version,
                 on=date.today(), form_reference="bench-annex-iii")
def contact(episode):
    register_event(user=user, episode_id=episode.pk, expected_version=episode.version,
                   event_type="contact", on=date.today(),
                   fields={{"mode": "phone", "purpose": "other"}})
for episode in episodes:
    given = episode.consents.filter(kind="given").exists()
    for step in ([contact] if given else [consent]) + [contact, contact]:
        episode.refresh_from_db()
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            step(episode)
        except Exception as error:
            refused.append(str(error)[:200])
            continue
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
times.sort()
print(json.dumps({{"count": len(times), "refused": len(refused), "first_refusal":
                  refused[:1], "cpu_p50_ms": statistics.median(cpu) if cpu else None,
                  "p50_ms": statistics.median(times) if times else None,
                  "p95_ms": times[int(len(times) * 0.95) - 1] if times else None}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1]}
    return json.loads(out.stdout)


PAGE_CPU = """
import django, json, re, statistics, time
django.setup()
from django.test import Client
client, anonymous = Client(), Client()
client.cookies["sessionid"] = SESSION_KEY
home = client.get("/").content.decode()
pages = {**PAGES, "dossier": re.search(r'href="(/people/\\d+/)', home).group(1)}
out = {}
for name, path in pages.items():
    cpu = []
    for n in range(25):
        started = time.process_time()
        browser = anonymous if path == "/login/" else client
        assert browser.get(path).status_code == 200, path
        cpu.append((time.process_time() - started) * 1000)
    # The first request fills the per-process caches (texts, the engine's answers).
    out[name] = {"cpu_p50_ms": statistics.median(cpu[5:]), "cpu_first_ms": cpu[0]}
print(json.dumps(out))
"""


def _page_cpu(env: dict[str, str], cookie: str) -> dict[str, dict]:
    """CPU milliseconds per page, in one process through Django's test client (the server's
    own work: template, queries, audit entry; robust to other load on the machine)."""
    key = cookie.split("=", 1)[1]
    code = f"PAGES = {PAGES!r}\nSESSION_KEY = {key!r}\n" + PAGE_CPU
    env = {**env, "DJANGO_ALLOWED_HOSTS": "testserver"}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                         text=True)  # fmt: skip
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1]}
    figures = json.loads(out.stdout)
    baseline = figures["login (baseline)"]["cpu_p50_ms"]
    for values in figures.values():
        values["cpu_ratio"] = round(values["cpu_p50_ms"] / baseline, 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--registrations", type=int, default=100)
    parser.add_argument(
        "--skip-load", action="store_true", help="measure a data set already loaded (and migrated)"
    )
    parser.add_argument("--user", help="the user whose pages are measured (default: the "
                        "coordinator with the most episodes)")  # fmt: skip
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench/load.py needs wrk: apt-get install wrk")
    var = Path(tempfile.gettempdir()) / f"tnw-bench-load-{args.people}"
    var.mkdir(exist_ok=True)
    env = _env(args, var)
    database = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    if not args.skip_load:
        _load(env, args.people)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*TNW, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/login/")
                break
            except OSError:
                time.sleep(0.2)
        episodes, username, cookie = _session(env, args.user)
        pages = {**PAGES, "dossier": _a_dossier(base, cookie)}
        # Every worker fills its per-process caches (templates, translations, texts) first.
        for path in pages.values():
            for _ in range(3 * args.workers):
                request = urllib.request.Request(f"{base}{path}", headers={"Cookie": cookie})
                urllib.request.urlopen(request).read()
        results: dict[str, dict] = {}
        for connections in (1, 16):
            for name, path in pages.items():
                results[f"{name} @{connections}"] = _wrk(
                    f"{base}{path}", cookie, connections, args.duration
                )
    finally:
        server.terminate()
        server.wait(timeout=60)
    for key, figures in results.items():
        baseline = results[f"login (baseline) @{key.split('@')[1]}"]
        figures["p50_ratio"] = round(figures["p50_ms"] / baseline["p50_ms"], 2)
    report = {
        "database": database,
        "people": None if args.skip_load else args.people,
        "episodes": episodes,
        "gunicorn_workers": args.workers,
        "pages": results,
        "user": username,
        "page_cpu": _page_cpu(env, cookie),
        "registration_service": _registrations(env, username, args.registrations),
        "cpus": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
    }
    text = json.dumps(report, indent=2)
    (ROOT / "bench" / f"results-load-{database}-{episodes}.json").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
