"""`make cluster`: the app as it runs past one machine, on this machine.

A PostgreSQL database of its own (DATABASE_URL, or qa_cluster on 127.0.0.1:5432, created if missing),
Redis (REDIS_URL, default redis://127.0.0.1:6379/2; the cache and sessions on the next database number),
an S3-compatible server (moto's, on a free port, with a bucket), two gunicorn processes on two ports and
two RQ task workers. Nothing is shared on local disk: each process runs in a temporary folder of its own
with a MEDIA_ROOT there that nothing uses; every file goes to the bucket. Prints the addresses; Ctrl+C
stops everything it started. `.ci/cluster_check.py` drives the same cluster (the `Cluster` class).

    .venv/bin/python scripts/cluster.py [--demo] [--port 8001]
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PG = os.environ.get("CLUSTER_PG", "postgres://postgres@127.0.0.1:5432")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def redis_with_db(url: str, offset: int) -> str:
    base, _, number = url.rpartition("/")
    return f"{base}/{int(number or 0) + offset}"


class Cluster:
    """Start with `start()`, stop with `stop()` (or use it as a context manager)."""

    def __init__(self, database: str = "qa_cluster", web_ports=(None, None), extra_env=None, quiet=False):
        self.tmp = Path(tempfile.mkdtemp(prefix="qa-cluster-"))
        self.database_url = os.environ.get("DATABASE_URL") or f"{PG}/{database}"
        self.redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/2")
        self.s3_port = free_port()
        self.bucket = "qa-cluster"
        self.ports = [port or free_port() for port in web_ports]
        self.quiet = quiet
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
        self.env.update(
            DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(ROOT), DJANGO_ENV="production",
            SECRET_KEY="cluster-" + os.urandom(24).hex(), ALLOWED_HOSTS=HOST, PROXY_COUNT="1", TRUSTED_PROXIES=HOST,
            SECURE_SSL_REDIRECT="false", SITE_URL=f"https://{HOST}:{self.ports[0]}",
            DATABASE_URL=self.database_url, TASKS_BACKEND="rq", REDIS_URL=self.redis_url,
            CACHE_URL=redis_with_db(self.redis_url, 1),
            STORAGE_URL=f"s3://{self.bucket}?endpoint_url=http://{HOST}:{self.s3_port}&region_name=us-east-1",
            AWS_ACCESS_KEY_ID="cluster", AWS_SECRET_ACCESS_KEY="cluster", STATIC_ROOT=str(self.tmp / "static"))
        self.env.update(extra_env or {})

    def urls(self) -> list[str]:
        return [f"http://{HOST}:{port}" for port in self.ports]

    def _run(self, *args):
        if not self.quiet:
            print("manage.py", *args, flush=True)
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=self.env, check=True,
                       stdout=subprocess.DEVNULL)

    def _start(self, name, argv, **env):
        folder = self.tmp / name
        folder.mkdir()
        log = open(self.tmp / f"{name}.log", "wb")
        self.processes[name] = subprocess.Popen(
            argv, cwd=folder, env={**self.env, "MEDIA_ROOT": str(folder / "media"), **env},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def database(self):
        import psycopg

        base, _, name = self.database_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return False
            conn.execute(f'CREATE DATABASE "{name}"')
            return True

    def object_storage(self):
        import boto3

        self._start("s3", [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(self.s3_port)])
        client = boto3.client("s3", endpoint_url=f"http://{HOST}:{self.s3_port}", region_name="us-east-1",
                              aws_access_key_id="cluster", aws_secret_access_key="cluster")
        deadline = time.monotonic() + 30
        while True:
            try:
                client.create_bucket(Bucket=self.bucket)
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def start(self, demo=False):
        import redis

        redis.Redis.from_url(self.redis_url).ping()  # Redis must be running (REDIS_URL)
        created = self.database()
        self.object_storage()
        self._run("migrate", "--no-input", "-v", "0")
        self._run("collectstatic", "--no-input", "-v", "0")
        if demo and created:  # the demo data once; a database kept from an earlier run keeps its data
            self._run("seed_demo")
        for letter, port in zip("ab", self.ports):
            self._start(f"web-{letter}", [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi",
                                          "--bind", f"{HOST}:{port}", "--workers", "2",
                                          "--forwarded-allow-ips", HOST])
        for letter in "ab":
            self._start(f"worker-{letter}", [sys.executable, str(ROOT / "manage.py"), "task_worker",
                                             "--name", f"worker-{letter}-{os.getpid()}"])
        for url in self.urls():
            self.wait_for(url + "/health/")
        return self

    def wait_for(self, url, seconds=90):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(url, timeout=5).status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{url} did not answer within {seconds} s; logs in {self.tmp}")

    def kill(self, name):
        """Stop one process and every process under it at once (SIGKILL), as a machine lost would:
        an RQ worker's work horse runs in a process group of its own, so the group is not enough."""
        pids, parent_of = [self.processes.pop(name).pid], {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parent_of[int(stat.parent.name)] = int(fields[1])
        for pid in pids:
            pids += [child for child, parent in parent_of.items() if parent == pid]
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def stop(self):
        for name, process in list(self.processes.items()):
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for name, process in list(self.processes.items()):
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.processes.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo", action="store_true", help="load the demo data first")
    parser.add_argument("--port", type=int, default=8001, help="web A's port; web B gets the next one")
    args = parser.parse_args()
    cluster = Cluster(web_ports=(args.port, args.port + 1))
    try:
        cluster.start(demo=args.demo)
        print("Web A:", cluster.urls()[0], "\nWeb B:", cluster.urls()[1])
        print("Database:", cluster.database_url.split("@")[-1], "| Redis:", cluster.redis_url,
              "| S3:", f"http://{HOST}:{cluster.s3_port}/{cluster.bucket}", "| workers: 2 (RQ)")
        print("Logs:", cluster.tmp, "(Ctrl+C stops everything)", flush=True)
        while all(process.poll() is None for process in cluster.processes.values()):
            time.sleep(1)
        print("A process of the cluster stopped on its own; stopping the rest. Logs:", cluster.tmp)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


def interrupted(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, interrupted)  # stopped as Ctrl+C stops it
    signal.signal(signal.SIGINT, interrupted)  # even when started with SIGINT ignored (a background job)
    main()
