"""GB/T 7714-2015 (信息与文献 参考文献著录规则): how an entry is written in the 参考文献 list
and in a note, and how a citation is written in the text.

A pure module: a Reference in, text out. The layouts follow the standard's own examples
(clause 8 and annex A): its punctuation is Western (`. `, `, `, `: `) in Chinese and Western
entries alike; names are the Chinese name written whole, or the Western family name in
capitals and the initials without points; three names and then 等 or et al. by the entry's
language; `[M]`, `[J/OL]` after the title; the access date in brackets.
"""

from __future__ import annotations

import re

from .references import Name, Reference, is_cjk

NUMERIC = "numeric"
AUTHOR_DATE = "author-date"

_DASHES = re.compile(r"\s*(?:--|[–—－~～])\s*")
_ORDINAL = {1: "st", 2: "nd", 3: "rd"}


def names(people: tuple[Name, ...], language: str, limit: int = 3) -> str:
    """`陈晋镳, 张惠民, 朱士兴, 等` / `MYBURG A A, GRATTAPAGLIA D, TUSKAN G A, et al`: the first
    three of more than three, then 等 or et al. by the entry's language (8.1.2)."""
    real = [person for person in people if person.literal.lower() != "others"]
    written = [name_of(person) for person in real[:limit]]
    if len(real) > limit or len(real) < len(people):  # BibTeX's `and others`
        written.append(et_al(language))
    return ", ".join(w for w in written if w)


def et_al(language: str) -> str:
    return "等" if language in ("zh", "ja") else "et al."


def name_of(person: Name) -> str:
    """`陈登原`, `PEEBLES P Z, Jr`, `中国图书馆学会`."""
    if person.literal:
        return person.literal
    whole = person.family + person.given
    if is_cjk(whole) or "·" in whole:
        return f"{person.family}{person.given}"
    family = " ".join(p for p in (person.particle, person.family) if p).upper()
    initials = " ".join(_initials(person.given))
    written = f"{family} {initials}".strip()
    if person.suffix:
        written += ", " + person.suffix.rstrip(".")
    return written


def family_of(person: Name) -> str:
    """How a citation in the text names a person (10.2.2): a Chinese name whole, a Western
    family name in capitals."""
    if person.literal:
        return person.literal
    if is_cjk(person.family + person.given):
        return person.family + person.given
    return " ".join(p for p in (person.particle, person.family) if p).upper()


def _initials(given: str) -> list[str]:
    """`P. Z.` -> P Z; `Jean-Paul` -> J P; `J.-P.` -> J P."""
    return [part[0].upper() for part in re.split(r"[\s.\-‐]+", given) if part]


def edition(text: str, language: str) -> str:
    """A first edition is not written (8.3.1); `2` is 2版 or 2nd ed.; anything else stays as
    written (修订本, 4th ed.)."""
    text = text.strip()
    if not text.isdigit():
        return text
    number = int(text)
    if number <= 1:
        return ""
    if language in ("zh", "ja"):
        return f"{number}版"
    suffix = "th" if 10 <= number % 100 <= 20 else _ORDINAL.get(number % 10, "th")
    return f"{number}{suffix} ed."


def pages(text: str) -> str:
    """`2063--2064`, `24–29` -> 2063-2064, 24-29 (the standard's hyphen)."""
    return _DASHES.sub("-", text.strip())


def _volume(text: str, language: str) -> str:
    """A book's volume after its title: `1` is 第1卷 or Vol. 1; `第6册` stays."""
    text = text.strip()
    if not text.isdigit():
        return text
    return f"第{text}卷" if language in ("zh", "ja") else f"Vol. {text}"


def _title(text: str) -> str:
    """Other title information follows `: ` (8.2.2), also after a full-width colon."""
    return re.sub(r"\s*：\s*", ": ", text.strip())


def _join(parts: list[str], separator: str = ". ") -> str:
    """Parts joined by `separator`, without doubling a point a part ends with (`Inc.`)."""
    out = ""
    for part in (p for p in parts if p):
        if not out:
            out = part
        elif separator.startswith(".") and out.endswith("."):
            out += separator[1:] + part
        else:
            out += separator + part
    return out


def entry(
    ref: Reference, layout: str = NUMERIC, year_suffix: str = "", locator: str | None = None
) -> str:
    """The entry as the list prints it, without its number: `陈登原. 国史旧闻: 第1卷[M]. 北京:
    中华书局, 2000: 29.` In the author-date layout the year follows the names (9.3.2).
    `locator`, in a note, stands for the pages."""
    language = ref.language
    author_date = layout == AUTHOR_DATE
    responsible = names(ref.authors or _own_editors(ref), language)
    if author_date:
        responsible = _join([listed_author(ref), year_of(ref) + year_suffix], ", ")
    title = _title(ref.title)
    if ref.number and ref.code in ("S", "P", "A"):
        title += f": {ref.number}"
    if ref.volume and not ref.part and ref.code in ("M", "C", "R", "S"):
        title += f": {_volume(ref.volume, language)}"
    code = ref.code + ("/OL" if ref.online else "")
    title += f"[{code}]"
    shown_pages = pages(locator if locator is not None else ref.pages)
    accessed = f"[{ref.accessed}]" if ref.accessed and ref.online else ""
    if ref.part:
        title += "//" + _join([_container_responsible(ref), _container(ref)])
    body = _body(ref, author_date, shown_pages, accessed)
    tail = [ref.url, f"DOI:{ref.doi}" if ref.doi else ""]
    return _end(_join([responsible, title, *body, *tail]))


def listed_author(ref: Reference) -> str:
    """Who an author-date list enters the work under (9.3.2): its names, else 佚名 or Anon."""
    responsible = names(ref.authors or _own_editors(ref), ref.language)
    return responsible or ("佚名" if ref.language in ("zh", "ja") else "Anon")


def year_of(ref: Reference) -> str:
    """The year an author-date entry and its citations give: of publication, else the year it
    was read, in brackets, as an estimated year is written (8.4.1); "" when neither is known."""
    if re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", ref.issued):
        return ref.year
    if ref.issued:
        return ref.issued  # as written: 1865(清同治四年)
    return f"[{ref.accessed[:4]}]" if ref.accessed[:4].isdigit() else ""


def _end(text: str) -> str:
    return text if text.endswith(".") else text + "."


def _own_editors(ref: Reference) -> tuple[Name, ...]:
    """A work without authors is entered under its editors, unless it is a part (then they
    are the whole's)."""
    return () if ref.part else ref.editors


def _container_responsible(ref: Reference) -> str:
    return names(ref.container_authors or ref.editors, ref.language)


def _container(ref: Reference) -> str:
    title = _title(ref.container_title)
    if ref.volume:
        title += f": {_volume(ref.volume, ref.language)}"
    return title


def _body(ref: Reference, author_date: bool, shown_pages: str, accessed: str) -> list[str]:
    """What follows the title: other responsibility, edition, publication, pages, access
    date; by the type's layout (8.x)."""
    language = ref.language
    if ref.code == "J":
        return [_serial(ref, author_date, shown_pages) + accessed]
    if ref.code == "N":
        where = f"({shown_pages or ref.issue})" if shown_pages or ref.issue else ""
        return [_join([ref.container_title, f"{ref.issued}{where}{accessed}"], ", ")]
    if ref.code == "P":
        return [f"{ref.issued}{accessed}"]
    translated = ""
    if ref.translators:
        people = names(ref.translators, language)
        if language in ("zh", "ja"):
            translated = people + ("译" if people.endswith("等") else ", 译")
        else:
            translated = f"{people}, trans"
    publication = _publication(ref, author_date, shown_pages, accessed)
    return [translated, edition(ref.edition, language), publication]


def _publication(ref: Reference, author_date: bool, shown_pages: str, accessed: str) -> str:
    """`北京: 中华书局, 2000: 29[2014-06-11]`; online without a publisher, the date in
    parentheses: `(2012-01-16)[2013-03-26]` (8.8.2)."""
    if not (ref.publisher or ref.place):
        dated = f"({ref.issued})" if ref.issued else ""
        return f"{dated}{accessed}" if ref.online else _join([ref.issued, shown_pages], ": ")
    where = _join([ref.place, ref.publisher], ": ")
    year = "" if author_date else ref.issued
    dated = _join([where, year], ", ")
    return _join([dated, shown_pages], ": ") + accessed


def _serial(ref: Reference, author_date: bool, shown_pages: str) -> str:
    """`科学通报, 2012, 57(34): 3219`, `中国图书馆学报, 1996(2): 24-29`; author-date without
    the year: `中国出版(5): 38-39` (9.3.2)."""
    issue = f"({ref.issue})" if ref.issue else ""
    year = "" if author_date else ref.year
    if ref.volume:
        numbering = _join([year, ref.volume + issue], ", ")
        head = _join([ref.container_title, numbering], ", ")
    else:
        head = _join([ref.container_title, year], ", ") + issue
    return _join([head, shown_pages], ": ")


def short_form(ref: Reference, locator: str) -> str:
    """A work cited again in notes, shortly: its names and its title proper (without other
    title information), `陈登原. 国史旧闻: 29.`"""
    responsible = names(ref.authors or _own_editors(ref), ref.language)
    title = _title(ref.title).split(": ")[0]
    return _end(_join([responsible, _join([title, pages(locator)], ": ")]))


def cited_author(ref: Reference) -> str:
    """The author a citation in the text names (10.2.2): the first one, then 等 / et al.
    after a space when there are more; 佚名 / Anon when there is none."""
    people = ref.authors or _own_editors(ref)
    if not people:
        return "佚名" if ref.language in ("zh", "ja") else "Anon"
    first = family_of(people[0])
    return f"{first} {et_al(ref.language)}" if len(people) > 1 else first
