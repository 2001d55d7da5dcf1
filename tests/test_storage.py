"""File storage: atomic writes, checksums, limits, and nothing left behind on failure."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from portal.storage import LocalStorage, TooLarge, safe_name


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_write_stores_the_bytes_with_their_sha256(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    written = storage.write([b"hello ", b"world"])
    assert written.sha256 == hashlib.sha256(b"hello world").hexdigest()
    assert written.size == 11
    with storage.open(written.key) as handle:
        assert handle.read() == b"hello world"


def test_too_large_a_stream_leaves_no_file(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    with pytest.raises(TooLarge):
        storage.write([b"x" * 600, b"x" * 600], max_bytes=1000)
    assert _files(tmp_path) == []


FULL_DISK_SCRIPT = """
import resource, signal, sys
from pathlib import Path
from portal.storage import LocalStorage, StorageError
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
# The kernel refuses to let this process grow any file past 64 KiB, as a full disk would stop the write.
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
try:
    LocalStorage(Path(sys.argv[1])).write([b"x" * 32 * 1024] * 8)
except StorageError as error:
    print("refused:", error)
"""


def test_a_full_disk_leaves_no_partial_file(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", FULL_DISK_SCRIPT, str(tmp_path)], capture_output=True,
                            text=True, check=True, timeout=60)
    assert result.stdout.startswith("refused:"), result.stdout + result.stderr
    assert _files(tmp_path) == []


def test_keys_cannot_escape_the_storage_directory(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    for key in ("../etc/passwd", "a/b", ".hidden", ""):
        with pytest.raises(ValueError, match="invalid storage key"):
            storage.open(key)


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\x\\kontoutdrag.pdf", "kontoutdrag.pdf"),
    ("bad\x00name\r\n.pdf", "badname.pdf"),
    ("", "file"),
    ("...", "file"),
])
def test_file_names_are_made_safe(name: str, expected: str) -> None:
    assert safe_name(name) == expected
