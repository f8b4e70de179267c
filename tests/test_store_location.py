"""A ledger on a network share is recognised, so the clerk can be warned about sharing it."""

from __future__ import annotations

from pathlib import Path

from ledger_app.store.location import is_network_path


def test_unc_paths_are_network_paths() -> None:
    assert is_network_path(Path("\\\\NAS\\整改办\\台账.sqlite3"), windows=True)
    assert is_network_path(Path("\\\\?\\UNC\\NAS\\整改办\\台账.sqlite3"), windows=True)
    assert not is_network_path(Path("\\\\?\\C:\\很长的路径\\台账.sqlite3"), windows=False)


def test_mounts_of_network_file_systems_are_recognised(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    share = tmp_path / "share"
    local = tmp_path / "local"
    share.mkdir()
    local.mkdir()
    mounts.write_text(
        f"/dev/vda / ext4 rw 0 0\n//nas/整改办 {share} cifs rw 0 0\nserver:/x {tmp_path}/nfs nfs4 rw 0 0\n",
        encoding="utf-8",
    )
    assert is_network_path(share / "台账.sqlite3", windows=False, mounts_file=mounts)
    assert not is_network_path(local / "台账.sqlite3", windows=False, mounts_file=mounts)
    assert not is_network_path(local / "台账.sqlite3", windows=False, mounts_file=tmp_path / "无")
