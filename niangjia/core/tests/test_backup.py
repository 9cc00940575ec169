"""#11 §4: `manage.py backup` holds the database and the files (MEDIA_ROOT and the private
evidence, receipts and signed documents), readable by its owner only; `restore` puts all of it
back. Runs on the suite's database: SQLite by default, PostgreSQL with DATABASE_URL (CI)."""

from __future__ import annotations

import stat
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from niangjia.orgs.models import Org


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.django_db(transaction=True)
def test_backup_includes_private_files_owner_only_and_restore_puts_everything_back(
    settings, tmp_path
):
    # given a database row, a public media file and private evidence
    Org.objects.add_root({"name": "备份测试总工会", "level": "national", "region_code": "110000"})
    media, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)
    (media / "stations").mkdir(parents=True)
    (media / "stations" / "photo.jpg").write_bytes(b"jpeg")
    (private / "evidence" / "2026").mkdir(parents=True)
    (private / "evidence" / "2026" / "contract.pdf").write_bytes(b"%PDF signed")
    (private / "receipts").mkdir()
    (private / "receipts" / "sig.png").write_bytes(b"png")
    settings.BACKUP_DIR = tmp_path / "backups"
    out = StringIO()
    call_command("backup", stdout=out)
    [archive] = list(settings.BACKUP_DIR.iterdir())
    # then the archive and its directory are for the owner only
    assert _mode(archive) == 0o600
    assert _mode(settings.BACKUP_DIR) == 0o700
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert "private/evidence/2026/contract.pdf" in names
    assert "private/receipts/sig.png" in names
    assert "media/stations/photo.jpg" in names
    assert {"manifest.json"} <= names
    # when data and files are lost (and a stray file appears)
    Org.objects.all().delete()
    (private / "evidence" / "2026" / "contract.pdf").unlink()
    (private / "receipts" / "sig.png").write_bytes(b"tampered")
    (private / "stray.txt").write_text("not in the backup")
    (media / "stations" / "photo.jpg").unlink()
    call_command("restore", str(archive), yes=True, stdout=StringIO())
    # then restore puts everything back as it was
    assert Org.objects.filter(name="备份测试总工会").count() == 1
    assert (private / "evidence" / "2026" / "contract.pdf").read_bytes() == b"%PDF signed"
    assert (private / "receipts" / "sig.png").read_bytes() == b"png"
    assert not (private / "stray.txt").exists()
    assert (media / "stations" / "photo.jpg").read_bytes() == b"jpeg"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_round_trips_private_files_on_postgresql(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL=postgres://…)")
    Org.objects.add_root({"name": "备份测试总工会", "level": "national", "region_code": "110000"})
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    (private / "documents").mkdir(parents=True)
    (private / "documents" / "agreement.pdf").write_bytes(b"%PDF agreement")
    target = tmp_path / "pg.tar.gz"
    call_command("backup", str(target), stdout=StringIO())
    assert _mode(target) == 0o600
    Org.objects.all().delete()
    (private / "documents" / "agreement.pdf").unlink()
    call_command("restore", str(target), yes=True, stdout=StringIO())
    assert Org.objects.filter(name="备份测试总工会").count() == 1
    assert (private / "documents" / "agreement.pdf").read_bytes() == b"%PDF agreement"


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    bogus = tmp_path / "x.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        tar.add(__file__, arcname="other.py")
    with pytest.raises(CommandError, match="不是 niangjia 备份文件"):
        call_command("restore", str(bogus), yes=True)
