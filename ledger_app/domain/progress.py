"""The one shape of progress and cancel callbacks, shared by every long piece of work.

Services, readers and writers take ``progress(done, total, text)`` and ``cancelled()``; the GUI's
workers turn the first into a progress dialog and answer the second from its 取消 button, the CLI
draws a progress line. Nothing below ui/ knows about Qt.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressFn = Callable[[int, int, str], None]  # (done, total, text)
CancelFn = Callable[[], bool]  # True once the clerk pressed 取消
