"""Unit names typed into a task's unit fields: split on what clerks type between them."""

from __future__ import annotations

import pytest

from ledger_app.ui.task_panel.widgets import split_units


@pytest.mark.parametrize(
    "typed",
    [
        "县住建局、县水利局",
        "县住建局，县水利局",
        "县住建局,县水利局",
        "县住建局；县水利局",
        "县住建局;县水利局",
        "县住建局\n县水利局",
    ],
)
def test_any_comma_or_semicolon_separates_units(typed: str) -> None:
    assert split_units(typed) == ["县住建局", "县水利局"]


def test_names_are_kept_whole_and_once() -> None:
    assert split_units(" 县自然资源和规划局 、县自然资源和规划局、各乡镇（街道）") == [
        "县自然资源和规划局",
        "各乡镇（街道）",
    ]
