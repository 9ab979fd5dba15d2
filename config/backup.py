"""Backup and restore of the database, on SQLite and PostgreSQL.

SQLite: the online backup API (consistent while the app runs). PostgreSQL:
pg_dump's custom format and pg_restore. Uploaded files live in MEDIA_ROOT and
are backed up separately (see README).
"""

import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


def _pg_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgresql://{auth}@{s.get('HOST') or 'localhost'}:{s.get('PORT') or 5432}/{s['NAME']}"


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise RuntimeError(f"{tool} is not installed; install PostgreSQL's client tools (Debian: postgresql-client).")
    return path


def backup(path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
    elif connection.vendor == "postgresql":
        subprocess.run([_require("pg_dump"), "--format=custom", "--no-owner", f"--file={path}", _pg_url()], check=True)
    else:
        raise RuntimeError(f"backups of {connection.vendor} are not supported")
    return path


def restore(path: Path) -> None:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(path)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        connection.close()
        subprocess.run([_require("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        f"--dbname={_pg_url()}", str(path)], check=True)
    else:
        raise RuntimeError(f"restores of {connection.vendor} are not supported")
