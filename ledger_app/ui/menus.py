"""The main window's menus and toolbar as the clerk sees them, in one place.

Each action is made where its work lives (ui/main_actions.py for the window's own, the feature
packages for theirs) and registered under a key; this layout alone decides where it shows. A key
whose feature is not installed (yet: features install after the first paint) is simply skipped, and
tests/test_ui_menus.py checks that every registered key is placed and every placed key exists.
"""

from __future__ import annotations

SEP = None  # a separator; repeated, leading or trailing ones are dropped
RECENT = "recent"  # the 最近打开 submenu

# (window attribute, title, items)
MENUS: tuple[tuple[str, str, tuple[str | None, ...]], ...] = (
    (
        "file_menu",
        "文件(&F)",
        (
            "new_ledger", "open_ledger", RECENT, SEP,
            "save_copy", "backups", SEP,
            "import_excel", "import_plan", SEP,
            "export_monthly", "export_progress_report", SEP,
            "send_unit_sheets", "collect_unit_sheets", "remind_units", SEP,
            "quit",
        ),
    ),
    (
        "ledger_menu",
        "台账(&L)",
        (
            "new_task", "delete_task", "trash", SEP,
            "rounds", "units", SEP,
            "print_signoff", "evaluation_report", "batch_print", "unit_notice", SEP,
            "evidence_selected", "evidence_filtered", "check_ledger", SEP,
            "settings",
        ),
    ),
    ("edit_menu", "编辑(&E)", ("undo", "redo", SEP, "copy", SEP, "find", "clear_filter")),
    ("view_menu", "视图(&V)", ("refresh",)),
    # 检查台账 also under 帮助, where Anki keeps its "Check Database": one action in two menus.
    ("help_menu", "帮助(&H)", ("guide", SEP, "check_ledger", "about")),
)  # fmt: skip

TOOLBAR: tuple[str | None, ...] = (
    "new_task", "delete_task", SEP,
    "undo", "redo", "refresh", SEP,
    "trash", "rounds", "units", "settings", SEP,
    "export_monthly", "import_excel",
)  # fmt: skip


def placed_keys() -> set[str]:
    """Every key the menus or the toolbar show."""
    keys = {k for _attr, _title, items in MENUS for k in items if k is not None}
    return (keys | {k for k in TOOLBAR if k is not None}) - {RECENT}


def present(items: tuple[str | None, ...], known: set[str]) -> list[str | None]:
    """The items whose actions exist, with separators only between groups that have some."""
    out: list[str | None] = []
    for item in items:
        if item is SEP:
            if out and out[-1] is not SEP:
                out.append(SEP)
        elif item in known:
            out.append(item)
    while out and out[-1] is SEP:
        out.pop()
    return out
