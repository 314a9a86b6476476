"""Fault tests, against real processes on this machine (`make pannes`, PostgreSQL and Redis):

1. Redis stopped during use: the pages keep answering; once Redis is back, the broker is "ok".
2. PostgreSQL restarted: the app answers again without being restarted.
3. The worker killed while it produces a funder report: the report is produced once.

They stop and start the machine's Redis and PostgreSQL: run them on a development or CI machine,
never beside a production service. Each step is bounded in time; the script stops by itself.
"""

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
PY = str(BASE / ".venv" / "bin" / "python")
PORT = 8766
URL = f"http://127.0.0.1:{PORT}"
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
    "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip


def step(message):
    print(f"\n== {message}", flush=True)


def wait_for(predicate, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception:  # noqa: S110 (retry until the deadline)
            pass
        time.sleep(0.5)
    raise SystemExit(f"ÉCHEC : {what} non atteint en {timeout} s")


class Navigateur:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path):
        try:
            with self.opener.open(URL + path, timeout=15) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def login(self, username):
        _, page = self.get("/comptes/connexion/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"username": username, "password": "Demo-ASEA-2026", "csrfmiddlewaretoken": token}
        )
        request = urllib.request.Request(
            URL + "/comptes/connexion/", data=data.encode(), headers={"Referer": URL + "/"}
        )
        with self.opener.open(request, timeout=15) as response:
            assert "Tableau de bord" in response.read().decode(), "login failed"


def pages_ok(nav):
    for path in ("/", "/menages/", "/menages/?q=martin", "/notifications/"):
        status, _ = nav.get(path)
        if status != 200:
            raise SystemExit(f"ÉCHEC : {path} a répondu {status}")
    return True


def redis_up():
    return (
        subprocess.run(["redis-cli", "ping"], capture_output=True, text=True, check=False).stdout.strip()
        == "PONG"
    )


def main():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "0"}
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not env.get(name):
            raise SystemExit(f"{name} est requis (PostgreSQL et Redis)")
    gunicorn = subprocess.Popen(
        [str(BASE / ".venv/bin/gunicorn"), "-c", "config/gunicorn.py", "--bind", f"127.0.0.1:{PORT}", "--workers", "2", "config.wsgi"],
        cwd=BASE, env=env,
    )  # fmt: skip
    worker = None
    try:
        nav = Navigateur()
        wait_for(lambda: nav.get("/sante/")[0] == 200, what="démarrage de gunicorn")
        nav.login("ts.adaff")
        pages_ok(nav)

        step("1. Redis arrêté pendant l’utilisation")
        subprocess.run(["redis-cli", "shutdown", "nosave"], check=False, capture_output=True)
        wait_for(lambda: not redis_up(), what="arrêt de Redis")
        started = time.monotonic()
        pages_ok(nav)
        print(
            f"   pages servies sans Redis en {time.monotonic() - started:.1f} s ; /sante/ : {nav.get('/sante/')[1]}"
        )
        subprocess.run(REDIS_START, check=True)
        wait_for(redis_up, what="redémarrage de Redis")
        wait_for(lambda: '"broker": "ok"' in nav.get("/sante/")[1], what="broker de nouveau « ok »")
        print("   Redis revenu : broker ok")

        step("2. PostgreSQL redémarré")
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True)
        wait_for(lambda: nav.get("/sante/")[0] == 200, what="base de nouveau joignable")
        pages_ok(nav)
        print("   l’application répond après le redémarrage, sans avoir été relancée")

        step("3. Worker tué pendant la production d’un rapport")
        worker_cmd = [PY, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-l", "WARNING"]
        worker = subprocess.Popen(worker_cmd, cwd=BASE, env=env)
        script = BASE / "charge" / "_rapport.py"
        out = subprocess.run(
            [PY, str(script), "demander"], cwd=BASE, env=env, check=True, capture_output=True, text=True
        )
        rapport_id = out.stdout.strip()

        def etat():
            return subprocess.run(
                [PY, str(script), "etat", rapport_id],
                cwd=BASE,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()

        wait_for(lambda: etat().startswith("en_cours"), what="production commencée")
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        print(f"   worker tué pendant la production (état : {etat()})")
        worker = subprocess.Popen(worker_cmd, cwd=BASE, env=env)
        subprocess.run([PY, str(script), "reprendre"], cwd=BASE, env=env, check=True)
        wait_for(lambda: etat().startswith("termine"), timeout=120, what="rapport produit")
        final = etat()
        print(f"   rapport produit : {final}")
        if not final.endswith("fichiers=1"):
            raise SystemExit("ÉCHEC : le rapport doit exister une seule fois")
        print("\nLes trois pannes sont passées.")
    finally:
        if worker:
            worker.terminate()
            worker.wait(10)
        gunicorn.terminate()
        gunicorn.wait(10)
        if not redis_up():
            subprocess.run(REDIS_START, check=False)


if __name__ == "__main__":
    sys.exit(main())
