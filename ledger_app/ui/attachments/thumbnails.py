"""Image thumbnails made in the background and handed to the GUI by signal.

The attachment store makes and caches each thumbnail on disk (``thumbs/<sha256>-160.jpg``, Pillow);
here a small thread pool of its own calls it and reads the JPEG into a QImage off the UI thread, so
a task with a hundred photos opens at once and fills in its thumbnails as they come. Its own pool,
not ``workers.pool()``: that one runs database work one job at a time, and thumbnails need no
database (the sha256 names the file) and must not wait behind an export.

``ready(sha256)`` fires on the UI thread once ``icon(sha256)`` / ``path(sha256)`` can answer; an
image Pillow cannot read gets no icon (the caller keeps the file-type icon).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap

from ledger_app.store.attachments import THUMB_SIZE, AttachmentStore
from ledger_app.ui import workers
from ledger_app.ui.attachments.file_icons import ICON_CANVAS

log = logging.getLogger(__name__)

THREADS = 2  # Pillow decodes in C without the GIL: two threads nearly double the rate on 2 cores
MEMORY_CACHE = 600  # icons kept in memory (~75 KB each); the disk cache keeps them all


class _Relay(QObject):
    # sha256, the thumbnail file (or None), the decoded image (or None), the job; emitted from pool threads
    done = Signal(str, object, object, object)


class _Job(QRunnable):
    def __init__(self, loader: ThumbnailLoader, store: AttachmentStore, sha256: str, token: threading.Event):
        super().__init__()
        self.setAutoDelete(False)  # the loader holds it until delivered; Qt must not delete it under Python
        self.loader, self.store, self.sha256, self.token = loader, store, sha256, token

    def run(self) -> None:
        path, image = (None, None) if self.token.is_set() else produce(self.store, self.sha256)
        self.loader._relay.done.emit(self.sha256, path, image, self)


def produce(store: AttachmentStore, sha256: str) -> tuple[Path | None, QImage | None]:
    """Make (or find) the cached thumbnail and decode it; (None, None) when the image is unreadable."""
    try:
        path = store.thumbnail(sha256, THUMB_SIZE)
    except OSError as exc:  # a read-only or full store: no thumbnail, never an error dialog
        log.warning("thumbnail of %s failed: %s", sha256, exc)
        return None, None
    if path is None:
        return None, None
    image = QImage(str(path))
    return (path, image) if not image.isNull() else (None, None)


def framed_icon(image: QImage) -> QIcon:
    """The thumbnail centred on a transparent 4:3 canvas, like the type icons: the views place the text
    after the picture's actual width, so without it a portrait photo's name would sit further left."""
    canvas = QPixmap(ICON_CANVAS)
    canvas.fill(Qt.GlobalColor.transparent)
    picture = QPixmap.fromImage(image)
    if picture.width() > canvas.width() or picture.height() > canvas.height():
        picture = picture.scaled(
            canvas.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    painter = QPainter(canvas)
    painter.drawPixmap(
        (canvas.width() - picture.width()) // 2, (canvas.height() - picture.height()) // 2, picture
    )
    painter.end()
    icon = QIcon()
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected):  # a photo is not tinted blue when selected
        icon.addPixmap(canvas, mode)
    return icon


class ThumbnailLoader(QObject):
    ready = Signal(str)  # sha256 whose thumbnail (or its absence) is now known

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # The pool first: children are destroyed in creation order, so the pool waits for its
        # threads before the relay they emit through goes away.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(THREADS)
        self._relay = _Relay(self)
        self._relay.done.connect(self._deliver)
        self._store: AttachmentStore | None = None
        self._icons: OrderedDict[str, tuple[QIcon, Path]] = OrderedDict()
        self._failed: set[str] = set()
        self._jobs: dict[str, _Job] = {}  # the live request of each sha256
        self._alive: set[_Job] = set()  # every job until delivered: Qt runs them, Python owns them
        self._token = threading.Event()

    def set_store(self, root: Path | None) -> None:
        """The store of the open ledger (None: none open); forgets everything of the previous one."""
        if self._store is not None and root is not None and self._store.root == Path(root):
            return
        self.cancel_pending()
        self._store = AttachmentStore(Path(root)) if root is not None else None
        self._icons.clear()
        self._failed.clear()

    # -- asking -------------------------------------------------------------------------------
    def icon(self, sha256: str) -> QIcon | None:
        entry = self._icons.get(sha256)
        if entry is None:
            return None
        self._icons.move_to_end(sha256)
        return entry[0]

    def path(self, sha256: str) -> Path | None:
        entry = self._icons.get(sha256)
        return entry[1] if entry else None

    def known(self, sha256: str) -> bool:
        """True once the thumbnail is made or known to be impossible."""
        return sha256 in self._icons or sha256 in self._failed

    def request(self, shas: Iterable[str]) -> None:
        """Make the thumbnails of these images in the background (in the order given)."""
        store = self._store
        if store is None:
            return
        for sha in dict.fromkeys(shas):
            queued = self._jobs.get(sha)
            if self.known(sha) or (queued is not None and not queued.token.is_set()):
                continue
            if workers.SYNCHRONOUS:  # tests: at once, on this thread
                path, image = produce(store, sha)
                self._deliver(sha, path, image, None)
                continue
            job = _Job(self, store, sha, self._token)
            self._jobs[sha] = job  # replaces a cancelled one: asked again before it ran
            self._alive.add(job)
            self._pool.start(job)

    def cancel_pending(self) -> None:
        """Drop the queued requests (another task was selected); running ones finish quietly."""
        self._token.set()
        self._token = threading.Event()

    def pending(self) -> int:
        return len(self._alive)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the pool is idle (tests, benchmarks, closing)."""
        return self._pool.waitForDone(msecs)

    # -- delivering ---------------------------------------------------------------------------
    @Slot(str, object, object, object)
    def _deliver(self, sha256: str, path: object, image: object, job: object) -> None:
        if isinstance(job, _Job):
            self._alive.discard(job)
            if self._jobs.get(sha256) is job:
                del self._jobs[sha256]
            if image is None and job.token.is_set():
                return  # skipped: cancelled before it ran; asked again if still wanted
        if isinstance(image, QImage) and isinstance(path, Path):
            self._icons[sha256] = (framed_icon(image), path)
            while len(self._icons) > MEMORY_CACHE:
                self._icons.popitem(last=False)
        else:
            self._failed.add(sha256)
        self.ready.emit(sha256)
