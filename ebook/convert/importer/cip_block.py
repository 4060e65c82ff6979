"""The printed CIP block, read back into book.yaml fields: the inverse of ebook/cip.py.

It reads the three layouts ebook/cip.py prints (2001, transitional, 2023) as OCR gives them:
area separators as ". —", ".——" or ".--", half- or full-width punctuation, a description broken
over lines anywhere, circled numbers present or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...core.cip import LAYOUTS, Layout, first_character, format_isbn, layout_for, printed_number
from ...core.cip import PRINTED_APPROVAL as APPROVAL
from ...core.i18n import say
from ...core.model import Cip
from ...core.roles import ROLE_TERMS
from .text import CIRCLED, CJK, squash

ISBN = re.compile(
    r"ISBN\s*(?P<isbn>(?:97[89][\s\-–]*)?(?:\d[\s\-–]*){9}[\dXx])"
    r"(?:\s*[（(](?P<qualifier>[^）)]{1,8})[)）])?"
)
# Between areas: ". —" (2001), ".--" or ".——" (2023 pages and their OCR).
SEPARATOR = re.compile(r"\s*[.．。]\s*(?:—{1,2}|-{2}|－{2}|–{1,2})\s*")
PUBLICATION = re.compile(
    r"^(?P<place>[^:：]+?)\s*[:：]\s*(?P<publisher>.+?)\s*[,，]\s*"
    r"(?P<year>\d{4})(?:\s*[.．]\s*(?P<month>\d{1,2})(?!\d))?(?P<rest>.*)$",
    re.S,
)
# The date of a later printing after the publication date: （2021.2重印）.
REPRINT = re.compile(r"^[（(]\s*(?P<year>\d{4})\s*[.．]\s*(?P<month>\d{1,2})\s*重印\s*[)）]")
# The volume of a multi-volume work: . 第2卷 / 上册 / 卷Ⅱ / 卷2, and its own title after ", ".
VOLUME = re.compile(
    r"^(?P<title>.+?)\s*[.．]\s*(?P<label>第\s*[\d一二三四五六七八九十百]+\s*[卷册辑分]"
    r"|[上中下]\s*[卷册]|卷\s*(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|\d{1,3}|[一二三四五六七八九十]{1,3}))"
    r"(?:\s*[,，]\s*(?P<volume_title>.+))?$"
)
# A retrieval section's numeral: at the start, after a space or an ellipsis, or straight after
# a subject heading's last Chinese character (计算机网络—程序设计IV.).
ROMAN = re.compile(r"(?:^|(?<=\s)|(?<=…)|(?<=[\u4e00-\u9fff]))(IV|III|II|I|Ⅳ|Ⅲ|Ⅱ|Ⅰ)\s*[.．]\s*")
ROMAN_INDEX = {"I": 0, "II": 1, "III": 2, "IV": 3, "Ⅰ": 0, "Ⅱ": 1, "Ⅲ": 2, "Ⅳ": 3}
ITEM = re.compile(rf"[{CIRCLED}]|(?:^|(?<=\s))\d{{1,2}}(?=\s*[^\d\s.])")
ORIGINAL_TITLE = re.compile(r"^(?:书名原文|原书名)\s*[:：]\s*(.+)$")
PERSON = re.compile(
    r"^(?:[（(\[［]\s*(?P<nationality>[^）)\]］]{1,8}?)\s*[）)\]］])?\s*(?P<name>.+?)"
    r"(?:\s*[（(](?P<original>[^）)]+)[)）])?$"
)


@dataclass
class CipBlock:
    """What the block says, as book.yaml fields, and notes on what was unsure (line, text)."""

    fields: dict = field(default_factory=dict)
    contributors: list[dict] = field(default_factory=list)
    report: list[tuple[int, str]] = field(default_factory=list)


def is_retrieval(text: str) -> bool:
    return ROMAN.match(text.strip()) is not None


def parse_cip_block(lines: list[tuple[int, str]]) -> CipBlock:
    """Read the lines between the heading 图书在版编目（CIP）数据 and the approval number
    (included)."""
    block = CipBlock()
    first = lines[0][0] if lines else 0
    description = [
        text for _, text in lines if not is_retrieval(text) and not APPROVAL.search(text)
    ]
    _description("\n".join(description), first, block)
    approval = next(filter(None, (APPROVAL.search(t) for _, t in lines)), None)
    cip = block.fields.setdefault("cip", {})
    if approval:
        _approval(approval, cip)
    layout = layout_for(Cip(number=cip.get("number", ""), standard=cip.get("standard", "")))
    for number, text in lines:
        if is_retrieval(text):
            _retrieval(number, text, layout, block)
    if not cip:
        del block.fields["cip"]
    return block


def _approval(match: re.Match, cip: dict) -> None:
    cip["number"] = printed_number(match)
    if match.group("new"):
        return
    # The agency the page prints says which layout it is, where the year alone would not.
    agency = LAYOUTS["transitional" if match.group("national") else "2001"]
    if layout_for(Cip(number=cip["number"])) is not agency:
        cip["standard"] = agency.name


def _joined(text: str) -> str:
    """Lines of the description joined: no space where a CJK line was broken."""
    return re.sub(rf"(?<=[{CJK}，：；（）])\n|\n(?=[{CJK}，：；（）])", "", text).replace("\n", " ")


def _description(text: str, line: int, block: CipBlock) -> None:
    """title / responsibility. —edition. —place：publisher，date (series) notes ISBN."""
    for match in ISBN.finditer(text):
        digits = formatted_isbn(match.group("isbn"))
        if match.group("qualifier") and "套" in match.group("qualifier"):
            block.fields.setdefault("volume", {})["set_isbn"] = digits
        else:
            block.fields.setdefault("isbn", digits)
    text = ISBN.sub("\n", text)
    areas = SEPARATOR.split(text.strip())
    at = next((i for i, area in enumerate(areas) if PUBLICATION.match(area.strip())), None)
    if at is None or "/" not in areas[0].replace("／", "/"):
        block.report.append(
            (
                line,
                say(
                    "cannot read the CIP description (title / author. —place : publisher, "
                    "date); fill title, contributors, publisher and date by hand"
                ),
            )
        )
        return
    # The last "/" divides title and responsibility: a title may hold one (TCP/IP网络编程).
    title, _, people = areas[0].replace("／", "/").rpartition("/")
    _title(_joined(title).strip(), block)
    block.contributors += _responsibility(_joined(people).strip(), line, block)
    statements = [_joined(a).strip() for a in areas[1:at] if a.strip()]
    if statements:
        statement, _, by = statements[0].partition("/")
        edition = block.fields.setdefault("edition", {})
        numbered = re.fullmatch(r"(\d+)\s*版", statement.strip())
        if numbered:
            edition["number"] = int(numbered.group(1))
        else:
            edition["statement"] = statement.strip()
        if by.strip():
            edition["responsibility"] = by.strip()
    publication = PUBLICATION.match(areas[at].strip())
    block.fields["publisher"] = {
        "name": squash(publication.group("publisher")),
        "place": squash(publication.group("place")),
    }
    year, month = publication.group("year"), publication.group("month")
    block.fields["date"] = f"{year}-{int(month):02}" if month else year
    after_date = _reprint(publication.group("rest").strip(), line, block)
    # After the date: (series) and notes, on lines (2001) or as areas (2023).
    rest = [after_date] + areas[at + 1 :]
    for piece in (p.strip() for area in rest for p in area.split("\n")):
        series = re.fullmatch(r"[（(](.+)[)）]", piece)
        if series and "series" not in block.fields:
            block.fields["series"] = _series(series.group(1))
        elif original := ORIGINAL_TITLE.match(piece):
            block.fields["original"] = {"title": original.group(1).strip()}
        elif piece:
            block.fields.setdefault("cip", {}).setdefault("notes", []).append(piece)


def _reprint(text: str, line: int, block: CipBlock) -> str:
    """A reprint's date right after the publication date, `（2021.2重印）`, is the printing's;
    what follows it is returned."""
    reprint = REPRINT.match(text)
    if reprint is None:
        return text
    when = f"{reprint.group('year')}-{int(reprint.group('month')):02}"
    # A reprint is the second printing or a later one; the block does not say which.
    block.fields["printing"] = {"number": 2, "date": when}
    block.report.append(
        (line, say("the block is a reprint's ({date}): set printing.number", date=when))
    )
    return text[reprint.end() :]


def _title(text: str, block: CipBlock) -> None:
    """Title. volume, volume title：other title information = parallel title：statement."""
    main, _, parallel = text.partition("=") if "=" in text else (text, "", "")
    main, parallel = main.strip(), parallel.strip()
    main = squash(main) if re.search(rf"[{CJK}]", main) else main
    volume = VOLUME.match(main)
    if volume:  # what precedes the volume is the whole work's: title：other title information
        main = volume.group("title")
    main, _, subtitle = re.sub(r"\s*[:：]\s*", "：", main, count=1).partition("：")
    if volume:
        label = squash(volume.group("label"))
        digits = re.search(r"\d+", label)
        numerals = "一二三四五六七八九十"
        roman = re.search("[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]", label)
        number = (
            int(digits.group())
            if digits
            else "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ".index(roman.group()) + 1
            if roman
            else {"上": 1, "中": 2, "下": 3}.get(label[0], numerals.find(label[1:2]) + 1)
        )
        entry = block.fields.setdefault("volume", {})
        entry.update({"number": number or 1, "label": label})
        if volume.group("volume_title"):
            entry["title"] = volume.group("volume_title").strip()
    block.fields["title"] = main.strip()
    if subtitle.strip():
        block.fields["subtitle"] = subtitle.strip()
    if parallel:
        # A last part in Chinese after a title in another script: words about the title (英文).
        head, colon, tail = re.sub(r"\s*[:：]\s*", "：", parallel).rpartition("：")
        if colon and re.search(rf"[{CJK}]", tail) and not re.search(rf"[{CJK}]", head):
            block.fields["title_statement"] = tail.strip()
            parallel = head
        block.fields["parallel_title"] = re.sub(r"\s*：\s*", ": ", parallel.strip())


def _series(text: str) -> dict:
    """（title = parallel title / editor，ISSN 1234-5678；number）."""
    series: dict = {}
    text, _, number = text.partition("；") if "；" in text else text.partition(";")
    if number.strip():
        series["number"] = number.strip()
    issn = re.search(r"[,，]?\s*ISSN\s*([\dXx-]{8,9})", text)
    if issn:
        series["issn"] = issn.group(1).upper()
        text = text[: issn.start()] + text[issn.end() :]
    text, _, editor = text.partition("/")
    if editor.strip():
        series["editor"] = squash(editor)
    title, _, parallel = text.partition("=")
    series["title"] = squash(title) if re.search(rf"[{CJK}]", title) else title.strip()
    if parallel.strip():
        series["parallel_title"] = parallel.strip()
    return {
        k: series[k] for k in ("title", "parallel_title", "editor", "issn", "number") if k in series
    }


def formatted_isbn(text: str) -> str:
    """An ISBN as OCR gave it (spaced, dashed anyhow), hyphenated as printed."""
    return format_isbn(re.sub(r"[^\dXx]", "", text))


def _responsibility(text: str, line: int, block: CipBlock) -> list[dict]:
    """'（英）利兹·赖斯（Liz Rice）著；范彬，张保珠译' -> contributors with printed terms."""
    people = []
    terms = sorted(ROLE_TERMS, key=len, reverse=True)
    for group in re.split(r"\s*[;；]\s*", text.strip()):
        term = next((t for t in terms if group.endswith(t)), None)
        if term is None:
            block.report.append(
                (line, say("no role term at the end of '{group}'; taken as 著", group=group))
            )
            term, names = "著", group
        else:
            names = group[: -len(term)]
        # Commas inside an original name (Cormen, T.H.) are not between people.
        for name in re.split(r"\s*[,，、]\s*(?![^（(]*[)）])", names.strip()):
            match = PERSON.match(name.strip())
            if not match:
                continue
            # 谢型果等著: the first of more people, the others unnamed.
            written, others = re.subn(r"\s*等$", "", squash(match.group("name")))
            person = {"name": written, "role": term}
            if others:
                person["et_al"] = True
            if match.group("nationality"):
                person["nationality"] = squash(match.group("nationality"))
            if match.group("original"):
                person["original_name"] = match.group("original").strip()
            people.append(person)
    return people


def _retrieval(line: int, text: str, layout: Layout, block: CipBlock) -> None:
    """Ⅰ. title Ⅱ. persons Ⅲ. subject headings Ⅳ. CLC numbers, or only the classes (2023)."""
    printed = layout.retrieval
    parts = ROMAN.split(text.strip())
    sections: dict[int, list[str]] = {}
    single = []
    for numeral, body in zip(parts[1::2], parts[2::2], strict=False):
        index = ROMAN_INDEX[numeral]
        if index >= len(printed):
            continue
        items = [item.strip() for item in ITEM.split(body) if item.strip()]
        if not items:
            continue  # a numeral with nothing after it (OCR)
        sections[printed[index]] = items
        if len(items) == 1:
            single.append(ITEM.search(body) is not None)  # ① or OCR's 1
    cip = block.fields.setdefault("cip", {})
    if 2 in sections:
        cip["subjects"] = sections[2]
    if 3 in sections:
        # Printed with a dash (D63—39); written with the hyphen the classification uses. A page
        # that prints the other sign than its layout's keeps it (cip.class_dash).
        printed_dash = "—" if re.search("[—–－]", "".join(sections[3])) else "-"
        if re.search(r"\d\s*[-—–－]\s*\d", "".join(sections[3])) and (
            printed_dash != layout.clc_dash
        ):
            cip["class_dash"] = printed_dash
        cip["classifications"] = [re.sub(r"\s*[—–－]+\s*", "-", n) for n in sections[3]]
    if single and all(s != layout.circle_single for s in single):
        cip["single_points"] = "circled" if single[0] else "plain"
    title = block.fields.get("title", "")
    if 0 in sections and title and not sections[0][0].startswith(first_character(title)):
        block.report.append(
            (
                line,
                say(
                    "retrieval item Ⅰ '{value}' does not start like the title '{title}'",
                    value=sections[0][0],
                    title=title,
                ),
            )
        )
