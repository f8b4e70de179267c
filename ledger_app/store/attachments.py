"""The attachment store beside a ledger file: evidence files kept by content hash.

Layout of ``<ledger stem>.files/``::

    objects/ab/cdef…   the bytes of each distinct file, named by its sha256 (lower-case hex)
    tmp/               copies in flight; anything old here is left over from a crash
    thumbs/            cached image thumbnails, <sha256>-<size>.jpg
    lost+found/        files the repair moved aside (never deleted silently)

A file is copied in by streaming it to ``tmp/`` while hashing, fsync'ing it and renaming it into
``objects/`` in one atomic step, so an object is either complete or absent; a crash leaves only a
temporary file that nothing refers to. The source is never linked (USB sticks go away). No user text
is ever part of a path here: original names live in the database only. This module knows no database.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import stat
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from ledger_app.domain.errors import CancelledError, LedgerError
from ledger_app.domain.progress import CancelFn

from .fileops import fs_path, make_dirs, replace_file

log = logging.getLogger(__name__)

CHUNK = 1 << 20  # bytes read and hashed at a time
SHA256_HEX = re.compile(r"[0-9a-f]{64}")
# Recent files may belong to an add still running in another window or process: the check reports
# them as in flight and the repair leaves them alone. A copy in progress rewrites its temporary file
# every chunk, so two quiet minutes mean it is dead; a copied object waits unreferenced until its
# whole batch is registered, which for a big batch from a slow stick takes longer.
TMP_IN_FLIGHT_SECONDS = 2 * 60
OBJECT_IN_FLIGHT_SECONDS = 15 * 60
THUMB_SIZE = 160
READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH  # Windows: the read-only attribute
READ_WRITE = READ_ONLY | stat.S_IWUSR

BytesFn = Callable[[int], None]  # called with the number of bytes just read


class SourceFileError(LedgerError):
    """A file offered for the store that cannot be taken: unreadable, vanished, empty or too large."""


class StoreWriteError(LedgerError):
    """The store itself cannot be written (disk full, no permission): every further file would fail too."""


def format_size(size: int) -> str:
    """Bytes as a clerk reads them: "512 字节", "3.4 KB", "12.0 MB"."""
    if size < 1024:
        return f"{size} 字节"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            break
    return f"{value:.1f} {unit}"


def hash_file(path: Path, *, on_bytes: BytesFn | None = None, cancelled: CancelFn | None = None) -> str:
    digest = hashlib.sha256()
    with open(fs_path(path), "rb") as source:
        while chunk := source.read(CHUNK):
            if cancelled is not None and cancelled():
                raise CancelledError()
            digest.update(chunk)
            if on_bytes is not None:
                on_bytes(len(chunk))
    return digest.hexdigest()


def _make_writable(path: Path) -> None:
    # Objects are read-only so a viewer cannot save over them; Windows refuses to delete or replace
    # a read-only file, so clear the flag first.
    with contextlib.suppress(OSError):
        os.chmod(fs_path(path), READ_WRITE)


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX); Windows cannot open a folder for fsync and needs no such step."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if os.path.lexists(fs_path(path)):
        _make_writable(path)
        os.unlink(fs_path(path))


@dataclass(frozen=True, slots=True)
class StoredObject:
    sha256: str
    size: int
    created: bool  # False when identical content was already in the store (dedup)


@dataclass(slots=True)
class StoreScan:
    """What is on disk, before comparing with the database's rows. Object paths stay plain strings:
    building 10,000 Path objects cost more than the scan itself."""

    objects: dict[str, str] = field(default_factory=dict)  # well-named object files by sha256
    sizes: dict[str, int] = field(default_factory=dict)  # their sizes in bytes
    stray: list[Path] = field(default_factory=list)  # files under objects/ not named like an object
    tmp: list[Path] = field(default_factory=list)  # files in tmp/
    recent: set[str] = field(default_factory=set)  # paths of those an add may still be using


class AttachmentStore:
    """One ledger's store folder. Creates its folders only when the first file is added."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.objects_dir = self.root / "objects"
        self.tmp_dir = self.root / "tmp"
        self.thumbs_dir = self.root / "thumbs"
        self.lost_found_dir = self.root / "lost+found"
        self._tmp_ready = False

    # -- paths ------------------------------------------------------------------------------------
    def object_path(self, sha256: str) -> Path:
        if not SHA256_HEX.fullmatch(sha256):
            raise ValueError(f"not a lower-case sha256: {sha256!r}")
        return self.objects_dir / sha256[:2] / sha256[2:]

    def has(self, sha256: str) -> bool:
        return os.path.isfile(fs_path(self.object_path(sha256)))

    # -- copy in ----------------------------------------------------------------------------------
    def put_file(
        self,
        source: Path,
        *,
        max_size: int | None = None,
        on_bytes: BytesFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> StoredObject:
        """Copy ``source`` into the store. Raises SourceFileError for a file the store cannot take,
        StoreWriteError when the store cannot be written, CancelledError when ``cancelled()`` turns true.
        In every case no partial file is left in ``tmp/`` (a crash of the process aside).
        """
        tmp, digest, size = self._copy_in(source, max_size, on_bytes, cancelled)
        return self._commit(tmp, digest, size)

    def batch(self, created: set[str] | None = None) -> BatchWriter:
        """A writer for many files (see ``BatchWriter``); ``created`` collects the new objects' sha256."""
        return BatchWriter(self, created if created is not None else set())

    def _copy_in(
        self, source: Path, max_size: int | None, on_bytes: BytesFn | None, cancelled: CancelFn | None
    ) -> tuple[Path, str, int]:
        """Stream ``source`` into a new temporary file while hashing it; not yet fsync'ed."""
        if not self._tmp_ready:
            try:
                make_dirs(self.tmp_dir)
            except OSError as exc:
                raise self._write_error(exc) from exc
            self._tmp_ready = True
        tmp = self.tmp_dir / f"{uuid.uuid4().hex}.part"
        try:
            digest, size = self._copy_to_tmp(source, tmp, max_size, on_bytes, cancelled)
        except BaseException:
            _remove(tmp)
            raise
        return tmp, digest, size

    def _commit(self, tmp: Path, digest: str, size: int) -> StoredObject:
        """Make the temporary copy durable, then move it into ``objects/`` (or drop it: dedup)."""
        try:
            try:
                # Windows flushes only through a handle that may write.
                fd = os.open(fs_path(tmp), os.O_RDWR | getattr(os, "O_BINARY", 0))
                try:
                    os.fsync(fd)  # the bytes are on disk before any name points at them
                finally:
                    os.close(fd)
            except OSError as exc:
                raise self._write_error(exc) from exc
            return self._commit_tmp(tmp, digest, size)
        finally:
            _remove(tmp)

    def _copy_to_tmp(
        self,
        source: Path,
        tmp: Path,
        max_size: int | None,
        on_bytes: BytesFn | None,
        cancelled: CancelFn | None,
    ) -> tuple[str, int]:
        digest = hashlib.sha256()
        size = 0
        try:
            reader = open(fs_path(source), "rb")  # noqa: SIM115 - read errors and write errors differ
        except FileNotFoundError as exc:
            raise SourceFileError(f"找不到文件:{source}", f"file not found: {source}") from exc
        except OSError as exc:
            raise SourceFileError(
                f"无法读取文件:{source}({exc.strerror or exc})", f"cannot read {source}: {exc}"
            ) from exc
        with reader:
            try:
                writer = open(fs_path(tmp), "xb")  # noqa: SIM115
            except OSError as exc:
                raise self._write_error(exc) from exc
            with writer:
                while True:
                    if cancelled is not None and cancelled():
                        raise CancelledError()
                    try:
                        chunk = reader.read(CHUNK)
                    except OSError as exc:  # e.g. the USB stick was pulled out
                        raise SourceFileError(
                            f"读取文件时出错:{source}({exc.strerror or exc})",
                            f"read error in {source}: {exc}",
                        ) from exc
                    if not chunk:
                        break
                    size += len(chunk)
                    if max_size is not None and size > max_size:
                        raise too_large(source, max_size)
                    digest.update(chunk)
                    try:
                        writer.write(chunk)
                    except OSError as exc:
                        raise self._write_error(exc) from exc
                    if on_bytes is not None:
                        on_bytes(len(chunk))
                try:
                    writer.flush()
                except OSError as exc:
                    raise self._write_error(exc) from exc
        if size == 0:
            raise SourceFileError(f"文件是空的(0 字节):{source}", f"empty file: {source}")
        return digest.hexdigest(), size

    def _commit_tmp(self, tmp: Path, digest: str, size: int) -> StoredObject:
        dest = self.object_path(digest)
        try:
            if self._usable_existing(dest, size):
                return StoredObject(digest, size, created=False)
            make_dirs(dest.parent)
            os.chmod(fs_path(tmp), READ_ONLY)
            if os.path.exists(fs_path(dest)):  # a damaged copy of the same content: replace it
                _make_writable(dest)
            replace_file(fs_path(tmp), fs_path(dest))
        except OSError as exc:
            if self._usable_existing(dest, size):  # another process stored it meanwhile
                return StoredObject(digest, size, created=False)
            raise self._write_error(exc) from exc
        try:
            _fsync_dir(dest.parent)
        except OSError as exc:  # the object is complete; only the rename's durability is less sure
            log.warning("could not fsync %s: %s", dest.parent, exc)
        return StoredObject(digest, size, created=True)

    @staticmethod
    def _usable_existing(dest: Path, size: int) -> bool:
        """An object already there with the right size is reused (a full re-hash is the check's job);
        touching it marks it as in use, so a check running at the same time leaves it alone."""
        try:
            if os.stat(fs_path(dest)).st_size != size:
                return False
            os.utime(fs_path(dest))
        except OSError:
            return False
        return True

    def _write_error(self, exc: OSError) -> StoreWriteError:
        return StoreWriteError(
            f"无法写入附件库 {self.root}:{exc.strerror or exc}(磁盘可能已满或没有写入权限)",
            f"cannot write the attachment store {self.root}: {exc}",
        )

    # -- removal and moving aside -----------------------------------------------------------------
    def remove_object(self, sha256: str) -> None:
        """Delete an object; only for one this process just created and nothing refers to."""
        path = self.object_path(sha256)
        _make_writable(path)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(fs_path(path))

    def new_lost_found_folder(self) -> Path:
        folder = self.lost_found_dir / time.strftime("%Y%m%d-%H%M%S")
        make_dirs(folder)
        return folder

    def move_aside(self, path: Path, folder: Path, name: str) -> Path:
        """Move ``path`` into ``folder`` as ``name`` (made unique); returns where it went."""
        target = folder / name
        number = 2
        while os.path.lexists(fs_path(target)):
            target = folder / f"{name} ({number})"
            number += 1
        _make_writable(path)
        shutil.move(fs_path(path), fs_path(target))
        return target

    # -- scanning ---------------------------------------------------------------------------------
    @staticmethod
    def _entries_under(folder: str) -> Iterator[os.DirEntry[str]]:
        """Every file below ``folder`` (os.scandir: on Windows its entries carry the stat for free)."""
        try:
            entries = list(os.scandir(folder))
        except OSError:  # absent, or unreadable: the check then reports the rows' files as missing
            return
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from AttachmentStore._entries_under(entry.path)
            else:
                yield entry

    def _files_under(self, folder: Path) -> Iterator[Path]:
        for entry in self._entries_under(fs_path(folder)):
            yield Path(entry.path)

    def scan(self, *, now: float | None = None) -> StoreScan:
        """List objects, stray files and temporary files (no hashing)."""
        now = time.time() if now is None else now
        result = StoreScan()
        objects_dir = fs_path(self.objects_dir)
        for entry in self._entries_under(objects_dir):
            fan_dir, name = os.path.split(entry.path)
            parent, fan_out = os.path.split(fan_dir)
            sha = fan_out + name
            if parent == objects_dir and len(fan_out) == 2 and SHA256_HEX.fullmatch(sha) and entry.is_file():
                result.objects[sha] = entry.path
                result.sizes[sha] = self._stat(entry, result, now, OBJECT_IN_FLIGHT_SECONDS)
            else:
                result.stray.append(Path(entry.path))
                self._stat(entry, result, now, OBJECT_IN_FLIGHT_SECONDS)
        for entry in self._entries_under(fs_path(self.tmp_dir)):
            result.tmp.append(Path(entry.path))
            self._stat(entry, result, now, TMP_IN_FLIGHT_SECONDS)
        return result

    @staticmethod
    def _stat(entry: os.DirEntry[str], result: StoreScan, now: float, window: float) -> int:
        """The file's size; marks it recent when it was written within ``window`` seconds."""
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            return -1
        if now - info.st_mtime < window:
            result.recent.add(entry.path)
        return info.st_size

    def is_recent(self, path: Path, now: float | None = None) -> bool:
        """Written (or reused by an add) so recently that an add may still be working on it."""
        now = time.time() if now is None else now
        in_tmp = os.path.dirname(path) == str(self.tmp_dir)
        window = TMP_IN_FLIGHT_SECONDS if in_tmp else OBJECT_IN_FLIGHT_SECONDS
        try:
            return now - os.stat(fs_path(path)).st_mtime < window
        except OSError:
            return False

    def lost_found_files(self) -> list[Path]:
        return list(self._files_under(self.lost_found_dir))

    # -- thumbnails -------------------------------------------------------------------------------
    def thumbnail(self, sha256: str, size: int = THUMB_SIZE) -> Path | None:
        """The cached thumbnail of an image object, made on first use; None when it is no image
        Pillow can read (remembered, so a broken image is not re-read on every call)."""
        thumb = self.thumbs_dir / f"{sha256}-{size}.jpg"
        failed = thumb.with_suffix(".none")
        if thumb.is_file():
            return thumb
        if failed.exists() or not self.has(sha256):
            return None
        make_dirs(self.thumbs_dir)
        if make_thumbnail(self.object_path(sha256), thumb, size):
            return thumb
        failed.touch()
        return None


class BatchWriter:
    """Copies many files into the store, overlapping the slow part.

    The calling thread reads, hashes and writes each file to ``tmp/`` (progress and cancel work as
    in ``put_file``); a few helper threads fsync and rename the finished copies. An fsync waits for
    the disk, and several waiting at once are served by one journal commit. Leaving the ``with``
    block waits for every file; ``created`` then holds the sha256 of each object this batch
    created, also when the block failed, so the caller can remove what nothing will refer to.
    """

    THREADS = 4
    MAX_PENDING = 64  # bounds the work queued (and tmp/ space) when the disk is slower than the reads

    def __init__(self, store: AttachmentStore, created: set[str]) -> None:
        self.store = store
        self.created = created
        self._pool = ThreadPoolExecutor(self.THREADS, thread_name_prefix="attachment-commit")
        self._by_digest: dict[str, Future[StoredObject]] = {}
        self._futures: list[Future[StoredObject]] = []
        self._running: deque[Future[StoredObject]] = deque()  # submitted, oldest first

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True)
        for future in self._futures:
            if future.exception() is None and future.result().created:
                self.created.add(future.result().sha256)

    def put(
        self,
        source: Path,
        *,
        max_size: int | None = None,
        on_bytes: BytesFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> Future[StoredObject]:
        """Copy ``source`` to ``tmp/`` now (raising like ``put_file``); the rest happens in the
        background. The future gives the StoredObject, or the StoreWriteError that stopped it."""
        while self._running and self._running[0].done():
            self._running.popleft()
        if len(self._running) >= self.MAX_PENDING:
            wait(list(self._running), return_when=FIRST_COMPLETED)
        tmp, digest, size = self.store._copy_in(source, max_size, on_bytes, cancelled)
        if digest in self._by_digest:  # the same content twice in one batch: one object
            _remove(tmp)
            future: Future[StoredObject] = Future()
            future.set_result(StoredObject(digest, size, created=False))
        else:
            future = self._pool.submit(self.store._commit, tmp, digest, size)
            self._by_digest[digest] = future
            self._running.append(future)
        self._futures.append(future)
        return future


def too_large(source: Path, max_size: int) -> SourceFileError:
    return SourceFileError(
        f"文件过大,未添加:{source.name}(超过单个文件 {format_size(max_size)} 的上限)",
        f"file too large: {source} (limit {max_size} bytes)",
    )


def make_thumbnail(src: Path, dest: Path, size: int = THUMB_SIZE) -> bool:
    """Write a JPEG thumbnail of the image ``src`` fitting ``size``×``size`` to ``dest``.

    Returns False, writing nothing, when ``src`` is not an image Pillow can read. The photo's EXIF
    orientation is applied (phone photos are often stored sideways); transparency goes on white.
    """
    from PIL import Image, ImageOps  # imported here: only thumbnails need Pillow

    tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex}.tmp")
    try:
        with Image.open(fs_path(src)) as image:
            image.draft("RGB", (size * 2, size * 2))  # JPEG: decode at reduced scale, much faster
            oriented = ImageOps.exif_transpose(image) or image
            oriented.thumbnail((size, size))
            if oriented.mode in ("RGBA", "LA", "P"):
                rgba = oriented.convert("RGBA")
                flat = Image.new("RGB", rgba.size, "white")
                flat.paste(rgba, mask=rgba.getchannel("A"))
                oriented = flat
            elif oriented.mode != "RGB":
                oriented = oriented.convert("RGB")
            oriented.save(fs_path(tmp), "JPEG", quality=85)
        replace_file(fs_path(tmp), fs_path(dest))
        return True
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        log.debug("no thumbnail for %s: %s", src, exc)
        return False
    finally:
        if os.path.exists(fs_path(tmp)):
            os.unlink(fs_path(tmp))
