"""Evidence files that look like what units hand in: site photos (Pillow), a PDF, a Word and an Excel file.

Used by bench_attachments_ui.py and by the screenshot script of the 佐证材料 tab; not part of the app.
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"

PLACES = ["柳河水库", "北苑街道", "城区污水厂", "东湖湿地", "三号排口", "砂石料场", "垃圾中转站", "南山矿区"]
PHASES = ["整改前", "整改中", "整改后"]


def site_photo(path: Path, width: int, height: int, seed: int, quality: int = 88) -> Path:
    """A made-up site photo: sky, hills, water or a road, buildings, trees, and the date stamp that
    phone cameras of inspectors burn into the corner."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.35, 0.55))
    top, bottom = (rng.randint(90, 140), rng.randint(150, 190), 235), (205, 225, 245)
    for y in range(horizon):
        t = y / max(horizon - 1, 1)
        draw.line(
            [(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    ground = (rng.randint(70, 110), rng.randint(110, 150), rng.randint(50, 80))
    draw.rectangle([0, horizon, width, height], fill=ground)
    for _ in range(3):  # hills
        cx, r = rng.randint(0, width), rng.randint(width // 6, width // 2)
        shade = tuple(max(0, c - rng.randint(10, 40)) for c in ground)
        draw.ellipse([cx - r, horizon - r // 3, cx + r, horizon + r // 2], fill=shade)
    if rng.random() < 0.6:  # water
        water = (rng.randint(60, 90), rng.randint(110, 140), rng.randint(150, 180))
        draw.polygon(
            [(0, height), (width * 0.35, horizon + 10), (width * 0.65, horizon + 10), (width, height)],
            fill=water,
        )
    else:  # a road
        draw.polygon(
            [(width * 0.3, height), (width * 0.48, horizon), (width * 0.52, horizon), (width * 0.7, height)],
            fill=(120, 120, 118),
        )
    for _ in range(rng.randint(2, 5)):  # buildings with windows
        bw, bh = rng.randint(width // 14, width // 7), rng.randint(height // 8, height // 3)
        x = rng.randint(0, width - bw)
        colour = rng.choice([(225, 220, 210), (190, 185, 175), (170, 180, 195), (210, 200, 185)])
        draw.rectangle([x, horizon - bh, x + bw, horizon + 4], fill=colour)
        for wy in range(horizon - bh + 8, horizon - 8, max(bh // 6, 10)):
            for wx in range(x + 6, x + bw - 10, max(bw // 5, 10)):
                draw.rectangle([wx, wy, wx + max(bw // 12, 4), wy + max(bh // 14, 4)], fill=(90, 110, 140))
    for _ in range(rng.randint(4, 10)):  # trees
        tx, ty = rng.randint(0, width), rng.randint(horizon, height)
        r = rng.randint(height // 30, height // 12)
        draw.rectangle([tx - r // 6, ty, tx + r // 6, ty + r], fill=(100, 70, 40))
        draw.ellipse([tx - r, ty - r * 2, tx + r, ty + r // 3], fill=(40, rng.randint(100, 140), 50))
    image = image.filter(ImageFilter.GaussianBlur(radius=max(width // 1200, 1)))
    stamp = (
        f"2026-0{rng.randint(1, 9)}-{rng.randint(10, 28)} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"
    )
    label = f"{stamp} {rng.choice(PLACES)} {rng.choice(PHASES)}"
    font = ImageFont.truetype(str(FONT), size=max(height // 28, 12))
    draw = ImageDraw.Draw(image)
    x, y = width // 40, height - height // 14
    draw.text((x + 2, y + 2), label, font=font, fill=(0, 0, 0))
    draw.text((x, y), label, font=font, fill=(255, 200, 40))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=quality)
    return path


def report_pdf(path: Path, title: str = "柳河水库周边企业整改验收报告") -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WQY", str(FONT), subfontIndex=0))
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("WQY", 18)
    page.drawString(72, 760, title)
    page.setFont("WQY", 11)
    for number, line in enumerate(
        ["经现场核查,该问题已按整改方案完成整改。", "验收单位:区生态环境局", "验收日期:2026年3月5日"]
    ):
        page.drawString(72, 720 - number * 20, line)
    page.save()
    return path


def word_file(path: Path) -> Path:
    """A .docx as Word writes it is a zip; this one holds a minimal document."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document><w:body>整改情况说明</w:body></w:document>")
    return path


def excel_file(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "整改措施", "完成情况"])
    for number in range(1, 6):
        sheet.append([number, f"第{number}项措施", "已完成"])
    book.save(path)
    return path


def screenshot_set(folder: Path) -> list[Path]:
    """A dozen site photos of different sizes and orientations, plus a PDF, a Word and an Excel file."""
    sizes = [(1600, 1200), (1200, 1600), (2000, 1125), (1280, 960), (960, 1280), (1800, 1200)]
    files = [
        site_photo(
            folder / f"{PHASES[i % 3]}-{PLACES[i % len(PLACES)]}-{i + 1:02d}.jpg",
            *sizes[i % len(sizes)],
            seed=i,
        )
        for i in range(12)
    ]
    files.append(report_pdf(folder / "整改验收报告(盖章扫描件).pdf"))
    files.append(word_file(folder / "整改情况说明.docx"))
    files.append(excel_file(folder / "整改措施完成情况统计表.xlsx"))
    return files
