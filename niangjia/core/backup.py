"""Backups: one archive with the database and the files.

The archive (tar, gzip) holds `database.sqlite3` (SQLite's online-backup API, consistent under
WAL) or `database.pgdump` (pg_dump's custom format), `media/` (MEDIA_ROOT) and `private/`
(PRIVATE_MEDIA_ROOT: evidence, receipts, signed documents), and `manifest.json`. It is written
readable by its owner only (0600, in a 0700 directory): it holds every ID number and file on the
platform. `restore` puts the database and both file trees back; a bare database file from an
older backup still restores (the database only).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs pg_dump/pg_restore with an argument list, no shell
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

FILE_MODE = 0o600
DIR_MODE = 0o700
FORMAT = 2
TREES = {"media": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}


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


def private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    path.chmod(DIR_MODE)


def _dump_database(target: Path) -> str:
    """The database into `target`; returns the name it has in the archive."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as dest:
            connection.connection.backup(dest)
        dest.close()
        return "database.sqlite3"
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        subprocess.run(  # noqa: S603
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args],
            check=True,
            env=env,
        )
        return "database.pgdump"
    raise BackupError(f"不支持的数据库：{connection.vendor}")


def _load_database(source: Path) -> None:
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


def backup(target: Path) -> Path:
    """Write the archive to `target` (0600; its directory 0700 when the command creates it)."""
    if not target.parent.exists():
        private_dir(target.parent)
    with tempfile.TemporaryDirectory(prefix="niangjia-backup-", dir=target.parent) as work:
        work_dir = Path(work)
        work_dir.chmod(DIR_MODE)
        dump = work_dir / "database"
        name = _dump_database(dump)
        dump.chmod(FILE_MODE)
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "database": {"vendor": connection.vendor, "file": name},
            "trees": sorted(TREES),
        }
        partial = work_dir / "archive.tar.gz"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            info = tarfile.TarInfo("manifest.json")
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info.size, info.mode, info.mtime = len(data), FILE_MODE, int(timezone.now().timestamp())
            archive.addfile(info, fileobj=_bytes(data))
            archive.add(dump, arcname=name)
            for arcname, setting in TREES.items():
                root = Path(getattr(settings, setting))
                if root.is_dir():
                    archive.add(root, arcname=arcname)
        os.replace(partial, target)
    target.chmod(FILE_MODE)
    return target


def _bytes(data: bytes):
    import io

    return io.BytesIO(data)


def restore(source: Path) -> None:
    """Put back the database and the media and private file trees of an archive."""
    if not source.exists():
        raise BackupError(f"备份文件不存在：{source}")
    if not tarfile.is_tarfile(source):
        _load_database(source)  # an older backup: the bare database file
        return
    with tempfile.TemporaryDirectory(prefix="niangjia-restore-") as work:
        work_dir = Path(work)
        work_dir.chmod(DIR_MODE)
        with tarfile.open(source, mode="r:*") as archive:
            try:
                manifest = json.load(archive.extractfile("manifest.json"))
            except (KeyError, ValueError) as exc:
                raise BackupError(f"不是 niangjia 备份文件：{source}") from exc
            if manifest["database"]["vendor"] != connection.vendor:
                raise BackupError(
                    f"备份来自 {manifest['database']['vendor']} 数据库，"
                    f"不能恢复到 {connection.vendor}"
                )
            archive.extractall(work_dir, filter="data")
        _load_database(work_dir / manifest["database"]["file"])
        for arcname, setting in TREES.items():
            _replace_tree(work_dir / arcname, Path(getattr(settings, setting)))


def _replace_tree(extracted: Path, root: Path) -> None:
    """`root` becomes exactly the archived tree (an empty one if the backup had none)."""
    root.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{root.name}-restore-", dir=root.parent))
    if extracted.is_dir():
        shutil.copytree(extracted, staged, dirs_exist_ok=True)
    old = None
    if root.exists():
        old = root.with_name(f".{root.name}-old-{os.getpid()}")
        os.replace(root, old)
    os.replace(staged, root)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
