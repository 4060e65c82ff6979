"""The copyright page of a printed book: CIP block (GB/T 12451) and colophon (版本记录)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...core.i18n import say
from .cip_block import APPROVAL, ISBN, formatted_isbn, parse_cip_block
from .text import Paragraph, squash

CIP_HEADING = re.compile(r"图书在版编目\s*[（(]\s*CIP\s*[)）]\s*数据")
COLOPHON_LABELS = (
    "书名",
    "著者",
    "作者",
    "编著",
    "主编",
    "译者",
    "责任编辑",
    "特约编辑",
    "美术编辑",
    "封面设计",
    "版式设计",
    "责任校对",
    "责任印制",
    "出版发行",
    "印刷",
    "开本",
    "印张",
    "字数",
    "版次",
    "书号",
    "定价",
)
STAFF = {"责任编辑", "特约编辑", "美术编辑", "封面设计", "版式设计", "责任校对", "责任印制"}


@dataclass
class FrontMatter:
    """What the copyright page says, as book.yaml fields, plus notes on what was unsure."""

    fields: dict = field(default_factory=dict)
    contributors: list[dict] = field(default_factory=list)
    report: list[tuple[int, str]] = field(default_factory=list)
    last_line: int = 0  # the copyright page's last line


def parse_front(paras: list[Paragraph]) -> FrontMatter:
    """Read the CIP block and the colophon lines from the paragraphs before the body."""
    front = FrontMatter()
    lines = [(p.line + i, line.strip()) for p in paras for i, line in enumerate(p.lines)]
    start = next((i for i, (_, text) in enumerate(lines) if CIP_HEADING.search(text)), None)
    if start is None:
        front.report.append(
            (1, say("no CIP block (图书在版编目（CIP）数据) found; fill book.yaml by hand"))
        )
        return front
    end = next((i for i in range(start, len(lines)) if APPROVAL.search(lines[i][1])), None)
    if end is None:
        front.report.append((lines[start][0], say("the CIP block has no CIP number line")))
        end = min(start + 4, len(lines) - 1)
    _parse_cip(lines[start + 1 : end + 1], front)
    _parse_colophon(lines[end + 1 :], front)
    edition = front.fields.get("edition")
    if edition is not None and "number" not in edition:
        edition["number"] = 1
        front.report.append(
            (lines[start][0], say("no 版次 line gives the edition number; wrote 1"))
        )
    return front


def _parse_cip(lines: list[tuple[int, str]], front: FrontMatter) -> None:
    block = parse_cip_block(lines)
    front.fields.update(block.fields)
    front.contributors += block.contributors
    front.report += block.report


def _parse_colophon(lines: list[tuple[int, str]], front: FrontMatter) -> None:
    patterns = [
        (label, re.compile(r"^" + r"\s*".join(label) + r"\s*(.*)$"))
        for label in sorted(COLOPHON_LABELS, key=len, reverse=True)
    ]
    colophon: dict = {}
    previous = None
    for number, text in lines:
        if re.match(r"^版权所有", text):
            colophon["rights"] = text
            front.last_line = number
            break
        found = next(
            (
                (label, m.group(1).strip())
                for label, pattern in patterns
                if (m := pattern.match(text))
            ),
            None,
        )
        if found is None:
            if previous == "书名" and re.fullmatch(r"[A-Z0-9+\s:,.'-]+", text):
                colophon["title_romanized"] = text
            else:
                front.report.append(
                    (number, say("colophon line not understood: '{text}'", text=text))
                )
            continue
        label, value = found
        previous = label
        front.last_line = number
        _colophon_value(label, value, number, colophon, front)
    if colophon:
        front.fields["colophon"] = colophon


def _colophon_value(label: str, value: str, line: int, colophon: dict, front: FrontMatter) -> None:
    if label in STAFF:
        for name in re.split(r"\s{2,}|[,，、]", value):
            if name.strip():
                front.contributors.append({"name": squash(name), "role": label})
    elif label == "出版发行":
        match = re.match(r"^(.+?)\s*[（(](.+)[)）]\s*$", value)
        publisher = front.fields.setdefault("publisher", {})
        if match:
            publisher.setdefault("name", match.group(1).strip())
            publisher["address"] = match.group(2).strip()
        else:
            publisher.setdefault("name", value)
    elif label == "印刷":
        colophon["printer"] = value
    elif label == "开本":
        colophon["format"] = value
    elif label == "印张":
        colophon["sheets"] = value
    elif label == "字数":
        digits = re.sub(r"[\s,，]", "", value)
        thousands = re.fullmatch(r"(\d+)千字?", digits)
        if digits.isdigit():
            colophon["characters"] = int(digits)
        elif thousands:
            colophon["characters"] = int(thousands.group(1)) * 1000
        else:
            front.report.append((line, say("字数 '{value}' is not a number", value=value)))
    elif label == "版次":
        edition = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*第\s*(\d+)\s*版", value)
        printing = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*第\s*(\d+)\s*次印刷", value)
        if edition:
            # The CIP block may have given the edition statement already.
            front.fields.setdefault("edition", {}).update(
                number=int(edition.group(3)),
                date=f"{edition.group(1)}-{int(edition.group(2)):02}",
            )
        if printing:
            front.fields["printing"] = {
                "number": int(printing.group(3)),
                "date": f"{printing.group(1)}-{int(printing.group(2)):02}",
            }
        if not edition and not printing:
            front.report.append((line, say("版次 '{value}' not understood", value=value)))
    elif label == "书号":
        isbn = ISBN.search(value)
        if (
            isbn
            and "isbn" in front.fields
            and squash(formatted_isbn(isbn.group("isbn"))) != squash(front.fields["isbn"])
        ):
            front.report.append(
                (line, say("书号 differs from the CIP block's ISBN; kept the CIP one"))
            )
        elif isbn:
            front.fields.setdefault("isbn", formatted_isbn(isbn.group("isbn")))
    elif label == "定价":
        colophon["price"] = value
    elif label == "书名":
        if squash(value) != squash(front.fields.get("title", value)):
            front.report.append(
                (line, say("书名 '{value}' differs from the CIP title", value=value))
            )
    # 著者/作者/编著/主编/译者: the CIP statement of responsibility already named them.
