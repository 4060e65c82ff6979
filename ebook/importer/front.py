"""The copyright page of a printed book: CIP block (GB/T 12451) and colophon (版本记录)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..i18n import say
from ..roles import ROLE_TERMS
from .text import CIRCLED, Paragraph, squash

CIP_HEADING = re.compile(r"图书在版编目\s*[（(]\s*CIP\s*[)）]\s*数据")
# 2001 layout: 中国版本图书馆 CIP 数据核字; 2023 layout: 中国国家版本馆 CIP 数据核字.
CIP_NUMBER = re.compile(
    r"中国(?:国家)?版本(?:图书)?馆\s*CIP\s*数据核字\s*[（(]\s*(\d{4})\s*[)）]\s*第\s*(\d+)\s*号"
)
ISBN = re.compile(r"ISBN\s*((?:97[89][\s\-–]*)?(?:\d[\s\-–]*){9}[\dXx])")
# Title / responsibility. — place : publisher, date   (ISBD separators, any width; 2023: ". --")
DESCRIPTION = re.compile(
    r"^(?P<title>.+?)\s*[/／]\s*(?P<resp>.+?)\s*[.．。]\s*(?:—+|-{2}|－{2}|-)\s*"
    r"(?P<place>[^:：]+?)\s*[:：]\s*(?P<publisher>.+?)\s*[,，]\s*"
    r"(?P<year>\d{4})\s*[.．]\s*(?P<month>\d{1,2})"
)
ROMAN = re.compile(r"(?:^|(?<=\s))(IV|III|II|I|Ⅳ|Ⅲ|Ⅱ|Ⅰ)\s*[.．]\s*")
ROMAN_INDEX = {"I": 0, "II": 1, "III": 2, "IV": 3, "Ⅰ": 0, "Ⅱ": 1, "Ⅲ": 2, "Ⅳ": 3}
ITEM = re.compile(rf"[{CIRCLED}]|(?:^|(?<=\s))\d{{1,2}}(?=\s*[^\d\s.])")
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
    end = next((i for i in range(start, len(lines)) if CIP_NUMBER.search(lines[i][1])), None)
    if end is None:
        front.report.append((lines[start][0], say("the CIP block has no CIP number line")))
        end = min(start + 4, len(lines) - 1)
    _parse_cip(lines[start + 1 : end + 1], front)
    _parse_colophon(lines[end + 1 :], front)
    return front


def _parse_cip(lines: list[tuple[int, str]], front: FrontMatter) -> None:
    isbn_at = next((i for i, (_, text) in enumerate(lines) if ISBN.match(text)), None)
    description_lines = lines[: isbn_at if isbn_at is not None else 1]
    description = "".join(text for _, text in description_lines)
    match = DESCRIPTION.match(description)
    if match is None:
        front.report.append(
            (
                lines[0][0] if lines else 0,
                say(
                    "cannot read the CIP description (title / author. —place : publisher, "
                    "date); fill title, contributors, publisher and date by hand"
                ),
            )
        )
    else:
        title = match.group("title").strip()
        title, _, subtitle = re.sub(r"\s*[:：]\s*", "：", title).partition("：")
        front.fields["title"] = title.strip()
        if subtitle.strip():
            front.fields["subtitle"] = subtitle.strip()
        front.contributors += _responsibility(match.group("resp"), lines[0][0], front)
        front.fields["publisher"] = {
            "name": match.group("publisher").strip(),
            "place": match.group("place").strip(),
        }
        front.fields["date"] = f"{match.group('year')}-{int(match.group('month')):02}"
    if isbn_at is not None:
        front.fields["isbn"] = _isbn(ISBN.match(lines[isbn_at][1]).group(1))
    for number, text in lines:
        if ROMAN.search(text) and ("…" in text or "..." in text):
            _parse_retrieval(number, text, front)
        cip_number = CIP_NUMBER.search(text)
        if cip_number:
            front.fields.setdefault("cip", {})["number"] = (
                f"{cip_number.group(1)}-{int(cip_number.group(2)):06}"
            )


def _isbn(text: str) -> str:
    from stdnum import isbn

    digits = re.sub(r"[^\dXx]", "", text)
    try:
        return isbn.format(digits)
    except Exception:  # an invalid ISBN is kept as printed; `ebook check` reports it
        return digits


def _responsibility(text: str, line: int, front: FrontMatter) -> list[dict]:
    """'闫建, 高华丽著；张三译' -> contributors with the printed role terms."""
    people = []
    terms = sorted(ROLE_TERMS, key=len, reverse=True)
    for group in re.split(r"\s*[;；]\s*", text.strip()):
        term = next((t for t in terms if group.endswith(t)), None)
        if term is None:
            front.report.append(
                (line, say("no role term at the end of '{group}'; taken as 著", group=group))
            )
            term, names = "著", group
        else:
            names = group[: -len(term)]
        for name in re.split(r"\s*[,，、]\s*", names.strip()):
            if name:
                people.append({"name": squash(name), "role": term})
    return people


def _parse_retrieval(line: int, text: str, front: FrontMatter) -> None:
    """Ⅰ. title Ⅱ. authors Ⅲ. subject headings Ⅳ. CLC numbers."""
    parts = ROMAN.split(text)
    sections: dict[int, list[str]] = {}
    for numeral, body in zip(parts[1::2], parts[2::2], strict=False):
        items = [item.strip() for item in ITEM.split(body) if item.strip()]
        sections[ROMAN_INDEX[numeral]] = items
    cip = front.fields.setdefault("cip", {})
    if 2 in sections:
        cip["subjects"] = sections[2]
    if 3 in sections:
        # Printed with a dash (D63—39); written with the hyphen the classification uses.
        cip["classifications"] = [re.sub(r"\s*[—–－]+\s*", "-", n) for n in sections[3]]
    title = front.fields.get("title", "")
    if 0 in sections and title and not sections[0][0].startswith(_first_letter(title)):
        front.report.append(
            (
                line,
                say(
                    "retrieval item Ⅰ '{value}' does not start like the title '{title}'",
                    value=sections[0][0],
                    title=title,
                ),
            )
        )


def _first_letter(text: str) -> str:
    return next((c for c in text if c.isalnum()), "")


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
            front.fields["edition"] = {
                "number": int(edition.group(3)),
                "date": f"{edition.group(1)}-{int(edition.group(2)):02}",
            }
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
            and squash(_isbn(isbn.group(1))) != squash(front.fields["isbn"])
        ):
            front.report.append(
                (line, say("书号 differs from the CIP block's ISBN; kept the CIP one"))
            )
        elif isbn:
            front.fields.setdefault("isbn", _isbn(isbn.group(1)))
    elif label == "定价":
        colophon["price"] = value
    elif label == "书名":
        if squash(value) != squash(front.fields.get("title", value)):
            front.report.append(
                (line, say("书名 '{value}' differs from the CIP title", value=value))
            )
    # 著者/作者/编著/主编/译者: the CIP statement of responsibility already named them.
