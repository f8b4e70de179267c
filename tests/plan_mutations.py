"""Mutated rectification plans (.txt and .docx) for fuzzing the plan reader.

``make_case(rng)`` → (name, data, suffix): a plan written by tests/plan_factory.py in a random shape, then
damaged the ways files get damaged or crafted: bytes flipped, cut short, lines shuffled or repeated,
punctuation swapped between widths, odd numbering and brackets, other encodings; for Word, damaged zip
members and directories, hostile XML (DTD, entities), huge or missing parts.
"""

from __future__ import annotations

import io
import random
import zipfile

from tests.plan_factory import PlanMeasure, PlanTask, add_table, docx_bytes, fields_plan, inline_plan

WORDS = ["污水处理厂", "超标排放", "扬尘", "秸秆焚烧", "黑臭水体", "矿山修复", "垃圾填埋场", "饮用水源地"]
UNITS = ["县住建局", "县水利局", "县自然资源和规划局", "各乡镇", "各县(区)", "县委督查室", "高新区管委会"]
DEADLINES = ["2023年12月底前", "立行立改、长期坚持", "2024年6月30日", "明年春天", "", "2024.9"]
ODD_LINES = [
    "(((((((((((", "））））））", "1.", "（一）", "责任单位:", "整改措施：", "第 页", "- -", "附件",
    "（以下简称）", "（简称“”）", "一、" * 200, "（" * 500 + "县住建局牵头" + "）" * 500, "\u200b\ufeff\u3000",
    "1.5万吨", "2023.", "①②③④⑤⑥⑦⑧⑨⑩", "【责任单位】【整改时限】【整改目标】", "整改时限:" + "2" * 5000,
    "\t\t\t", "(县住建局牵头,", "牵头,配合)", "简称各管委会)", "A" * 20000,
]  # fmt: skip


def _tasks(rng: random.Random, count: int) -> list[PlanTask]:
    out = []
    for _ in range(count):
        measures = [
            PlanMeasure(
                rng.choice(WORDS) + "整治。",
                rng.sample(UNITS, rng.randint(1, 2)),
                rng.sample(UNITS, rng.randint(0, 2)),
            )
            for _ in range(rng.randint(0, 4))
        ]
        out.append(
            PlanTask(
                description=",".join(rng.sample(WORDS, rng.randint(1, 3))) + "问题。",
                responsible=rng.sample(UNITS, rng.randint(0, 3)),
                deadline=rng.choice(DEADLINES),
                goal=rng.choice(["", "整改到位。"]),
                measures=measures,
            )
        )
    return out


def plan_text(rng: random.Random) -> str:
    tasks = _tasks(rng, rng.randint(1, 15))
    if rng.random() < 0.5:
        return fields_plan(
            tasks,
            numbering=rng.choice(["cn_dun", "cn_paren", "dot", "paren"]),
            measure_numbering=rng.choice(["dot", "paren", "circled"]),
            colon=rng.choice([":", "："]),
            inline=rng.random() < 0.3,
            furniture=rng.random() < 0.5,
            measure_units=rng.random() < 0.5,
        )
    sections = [(t.description, t.measures or [PlanMeasure("加强监管。", ["县水利局"])]) for t in tasks]
    return inline_plan(sections, numbering=rng.choice(["dot", "dun", "paren"]), full_width=rng.random() < 0.5)


def mutate_text(rng: random.Random, text: str) -> tuple[str, str]:
    """(mutation name, text)."""
    lines = text.split("\n")
    kind = rng.choice(["shuffle", "repeat", "drop", "odd", "widths", "join", "none", "cut"])
    if kind == "shuffle":
        start = rng.randrange(len(lines))
        chunk = lines[start : start + rng.randint(2, 20)]
        rng.shuffle(chunk)
        lines[start : start + len(chunk)] = chunk
    elif kind == "repeat":
        for _ in range(rng.randint(1, 20)):
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(lines))
    elif kind == "drop":
        for _ in range(rng.randint(1, max(1, len(lines) // 3))):
            if lines:
                lines.pop(rng.randrange(len(lines)))
    elif kind == "odd":
        for _ in range(rng.randint(1, 10)):
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(ODD_LINES))
    elif kind == "widths":
        table = str.maketrans("()（）:：,，;；", "（）()：:，,；;")
        lines = [line.translate(table) if rng.random() < 0.5 else line for line in lines]
    elif kind == "join":
        lines = ["".join(lines)] if rng.random() < 0.5 else [" ".join(lines)]
    elif kind == "cut":
        joined = "\n".join(lines)
        return kind, joined[: rng.randrange(len(joined) + 1)]
    return kind, "\n".join(lines)


def mutate_bytes(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    kind = rng.choice(["flip", "truncate", "insert", "none", "none"])
    buffer = bytearray(data)
    if kind == "flip" and buffer:
        for _ in range(rng.randint(1, 50)):
            buffer[rng.randrange(len(buffer))] = rng.randrange(256)
    elif kind == "truncate":
        del buffer[rng.randrange(len(buffer) + 1) :]
    elif kind == "insert":
        at = rng.randrange(len(buffer) + 1)
        buffer[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))
    return kind, bytes(buffer)


def encode(rng: random.Random, text: str) -> tuple[str, bytes]:
    encoding = rng.choice(["utf-8", "utf-8-sig", "gb18030", "utf-16"])
    return encoding, text.encode(encoding, errors="replace")


def _docx_from_text(rng: random.Random, text: str) -> bytes:
    lines = text.split("\n")

    def build(document) -> None:  # type: ignore[no-untyped-def]
        for line in lines:
            document.add_paragraph(line.replace("\x00", ""))
        if rng.random() < 0.5:
            rows = [
                [str(i), f"问题{i}。", rng.choice(UNITS), rng.choice(DEADLINES), "", "1.措施\n2.措施"]
                for i in range(1, rng.randint(2, 12))
            ]
            spans = {0: [(0, 1)], 1: [(0, 1)]} if len(rows) > 2 and rng.random() < 0.5 else None
            add_table(
                document, ["序号", "反馈问题", "责任单位", "整改时限", "整改目标", "整改措施"], rows, spans
            )

    return docx_bytes(build)


def _rezip(data: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    change(members)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in members.items():
            archive.writestr(name, blob)
    return buffer.getvalue()


def mutate_docx(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    kind = rng.choice(["bytes", "xml-garbage", "dtd", "drop-part", "bomb", "xml-cut", "none", "text-in-xml"])
    if kind == "bytes":
        sub, out = mutate_bytes(rng, data)
        return f"bytes-{sub}", out
    if kind == "none":
        return kind, data

    def change(members: dict[str, bytes]) -> None:
        xml = members.get("word/document.xml", b"")
        if kind == "xml-garbage":
            at = rng.randrange(len(xml) + 1)
            members["word/document.xml"] = (
                xml[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 64))) + xml[at:]
            )
        elif kind == "dtd":
            members["word/document.xml"] = (
                b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]>' + xml.split(b"?>", 1)[-1]
            )
        elif kind == "drop-part":
            members.pop(rng.choice(sorted(members)))
        elif kind == "bomb":
            members["word/media/huge.bin"] = b"\0" * (rng.randint(11, 30) * 1024 * 1024)
        elif kind == "xml-cut":
            members["word/document.xml"] = xml[: rng.randrange(len(xml) + 1)]
        elif kind == "text-in-xml":
            members["word/document.xml"] = xml.replace(b"<w:t>", b"<w:t>" + "（（（（".encode() * 50, 3)

    return kind, _rezip(data, change)


def make_case(rng: random.Random) -> tuple[str, bytes, str]:
    """(description of the mutation, file bytes, suffix)."""
    _, text = mutate_text(rng, plan_text(rng))
    if rng.random() < 0.5:
        encoding, data = encode(rng, text)
        kind, data = mutate_bytes(rng, data) if rng.random() < 0.4 else ("none", data)
        return f"txt {encoding} {kind}", data, ".txt"
    kind, data = mutate_docx(rng, _docx_from_text(rng, text))
    return f"docx {kind}", data, ".docx"
