"""Where a ledger file lives: a local disk, or a network share that several PCs reach.

SQLite's own documentation warns that its locking is unreliable over network file systems; a ledger on
a shared folder works for one clerk at a time but can be damaged when two PCs write, or when the
connection drops mid-commit. The program says so when a clerk opens such a file.
"""

from __future__ import annotations

import os
from pathlib import Path

_NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "9p", "afs", "ncpfs", "davfs"}
_DRIVE_REMOTE = 4  # GetDriveTypeW


def _windows_drive_is_remote(path: str) -> bool:
    import ctypes

    root = os.path.splitdrive(path)[0]
    if not root:
        return False
    return int(ctypes.windll.kernel32.GetDriveTypeW(root + "\\")) == _DRIVE_REMOTE  # type: ignore[attr-defined]


def _posix_fs_type(path: Path, mounts_file: Path) -> str | None:
    try:
        lines = mounts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    target = str(path.resolve())
    best, best_type = "", None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def is_network_path(
    path: Path, *, windows: bool = os.name == "nt", mounts_file: Path = Path("/proc/self/mounts")
) -> bool:
    """True for a UNC path (\\\\server\\share), a mapped network drive, or a network mount."""
    text = str(path)
    if windows or text.startswith(("\\\\", "//")):
        if text.startswith(("\\\\", "//")) and not text.startswith(("\\\\?\\", "\\\\.\\")):
            return True
        if text.startswith("\\\\?\\UNC\\"):
            return True
        return windows and _windows_drive_is_remote(text)
    return _posix_fs_type(path, mounts_file) in _NETWORK_FS


NETWORK_WARNING_ZH = (
    "这个台账保存在网络共享文件夹上。多台电脑同时修改同一个台账,或网络在保存时中断,都可能损坏台账。"
    "建议把台账放在本机硬盘上,需要交换时用“另存副本”或备份归档;如必须放在共享文件夹上,请保证同一时间只有一人打开修改。"
)
NETWORK_WARNING_EN = (
    "this ledger is on a network share: two PCs writing, or a connection dropped mid-save, can damage it; "
    "keep it on a local disk and exchange copies"
)
