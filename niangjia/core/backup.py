"""Backups: SQLite through its online-backup API (consistent under WAL), PostgreSQL via pg_dump's
custom format. Both restore with `manage.py restore FILE`."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs pg_dump/pg_restore with an argument list, no shell
from pathlib import Path

from django.db import connection


class BackupError(RuntimeError):
    pass


def _pg_env() -> tuple[list[str], dict[str, str]]:
    params = connection.settings_dict
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    args = ["--dbname", params["NAME"]]
    if params.get("HOST"):
        args += ["--host", params["HOST"]]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", params["USER"]]
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} 未安装（PostgreSQL 客户端工具）")
    return path


def backup(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as dest:
            connection.connection.backup(dest)
        dest.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_env()
        subprocess.run(  # noqa: S603
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args],
            check=True,
            env=env,
        )
    else:
        raise BackupError(f"不支持的数据库：{connection.vendor}")
    return target


def restore(source: Path) -> None:
    if not source.exists():
        raise BackupError(f"备份文件不存在：{source}")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as src:
            src.backup(connection.connection)
        src.close()
    elif connection.vendor == "postgresql":
        connection.close()  # pg_restore --clean drops tables this connection may hold open
        args, env = _pg_env()
        subprocess.run(  # noqa: S603
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(source),
            ],
            check=True,
            env=env,
        )
    else:
        raise BackupError(f"不支持的数据库：{connection.vendor}")
