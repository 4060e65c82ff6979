"""Find a manuscript folder and load its book.yaml and chapters into a Book."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from stdnum.isbn import compact as isbn_compact

from ..core import keys, settings
from ..core.errors import ManuscriptError
from ..core.i18n import N_
from ..core.model import (
    IMAGE_TYPES,
    Book,
    Cip,
    Colophon,
    Contributor,
    Impression,
    Options,
    Original,
    Publisher,
    Revision,
    Series,
    Volume,
)
from ..core.references import FORMATS
from ..core.roles import resolve_role
from ..core.settings import SETTINGS
from ..incremental.source_index import SourceIndex
from .accepted import load_accepted
from .bibliography import references_of
from .chapters import inside, load_chapters
from .safe_yaml import VALUE, load_yaml, read_text
from .schema import (
    CONFIG_NAME,
    CONTRIBUTOR_KEYS,
    REVISION_KEYS,
    Findings,
    check_config,
    is_w3c_date,
    text_value,
    unknown_item_keys,
)


@dataclass(frozen=True)
class Located:
    """A manuscript found from a working folder, and where its builds go by default."""

    root: Path
    output_dir: Path


def locate_manuscript(start: Path) -> Located:
    """`start/manuscript` when it holds a book.yaml (the EPUB goes to `start/dist`), else the
    nearest of `start` and its parents that holds one (the EPUB goes to its `dist/`)."""
    conventional = start / "manuscript"
    if (conventional / CONFIG_NAME).is_file():
        return Located(conventional, start / "dist")
    for folder in (start, *start.resolve().parents):
        if (folder / CONFIG_NAME).is_file():
            return Located(folder, folder / "dist")
    raise ManuscriptError(
        "no manuscript here: no {conventional}/{CONFIG_NAME}, and no {CONFIG_NAME} in {value} or "
        "a folder above it",
        start,
        hint="name the manuscript folder, or `ebook init DIR` to start one",
        code="B000",
        conventional=conventional,
        CONFIG_NAME=CONFIG_NAME,
        value=start.resolve(),
    )


def load_book(root: Path, cache: bool = True) -> Book:
    """Read book.yaml and every chapter file of the manuscript at `root` (with `cache`, what
    the last run found in the files unchanged since is not worked out again)."""
    root = Path(root)
    config_path = root / CONFIG_NAME
    raw, lines = _read_config(config_path)
    found = Findings(config_path, lines)
    check_config(raw, found)
    contributors = _load_contributors(raw.get("contributors") or [], found)
    pub = raw.get("publisher") or {}
    options = _load_options(
        {section: raw.get(section) or {} for section in settings.SECTIONS}, root, found
    )
    bibliography = _bibliography(raw.get("bibliography") or [], root, found)
    index = SourceIndex(root if cache else None)
    chapters, chapter_findings = load_chapters(root, raw.get("chapters"), found, index)
    index.save()

    isbn = text_value(raw, "isbn") or None
    eisbn = text_value(raw, "eisbn") or None
    return Book(
        root=root,
        config_path=config_path,
        title=text_value(raw, "title"),
        subtitle=text_value(raw, "subtitle"),
        title_file_as=text_value(raw, "file_as") or None,
        language=text_value(raw, "language") or "zh-CN",
        contributors=contributors,
        publisher=Publisher(
            text_value(pub, "name"), text_value(pub, "place"), text_value(pub, "address")
        ),
        date=text_value(raw, "date"),
        isbn=isbn,
        eisbn=eisbn,
        description=text_value(raw, "description"),
        keywords=tuple(str(k).strip() for k in raw.get("keywords") or () if str(k).strip()),
        uid=_identifier(raw, isbn, eisbn, contributors),
        parallel_title=text_value(raw, "parallel_title"),
        title_statement=text_value(raw, "title_statement"),
        cip=_cip(raw.get("cip") or {}),
        series=_series(raw.get("series")),
        volume=_volume(raw.get("volume")),
        original=_original(raw.get("original")),
        colophon=_colophon(raw.get("colophon") or {}),
        revisions=_load_revisions(raw.get("revisions") or [], found),
        accepted=load_accepted(raw.get("accepted") or [], found),
        edition=_impression(raw.get("edition")),
        printing=_impression(raw.get("printing")),
        options=options,
        index_terms=_index_terms(options.index_terms),
        bibliography=bibliography,
        references=references_of(bibliography, found.items),
        chapters=tuple(chapters),
        findings=tuple(found.items + chapter_findings),
        config_lines=lines,
    )


def _bibliography(names: list, root: Path, found: Findings) -> tuple[Path, ...]:
    """The files of `bibliography:` that exist inside the manuscript and are of a format the
    tool reads."""
    paths = []
    for position, name in enumerate(names):
        where = ("bibliography", position, VALUE)
        if where not in found.lines:  # one name, not a list
            where = ("bibliography", VALUE)
        if Path(str(name)).suffix.lower() not in FORMATS:
            found.add(
                "G003",
                "bibliography '{value}' is not CSL-JSON (.json), BibTeX (.bib) or RIS (.ris)",
                where,
                "export the references from the reference manager in one of these formats",
                value=name,
            )
            continue
        path = _file_setting("bibliography", str(name), root, found, where)
        if path is not None:
            paths.append(path)
    return tuple(paths)


def _index_terms(path: Path | None) -> tuple[tuple[str, int], ...]:
    """options.index_terms: each line a term (`#` starts a comment), with its line number."""
    if path is None:
        return ()
    text = read_text(path, "F007")
    terms = []
    for number, line in enumerate(text.splitlines(), start=1):
        term = line.split("#", 1)[0].strip()
        if term:
            terms.append((term, number))
    return tuple(terms)


def _read_config(config_path: Path) -> tuple[dict, dict]:
    """book.yaml's mapping and where each key and value is; ManuscriptError when there is no
    book.yaml or it is not a mapping."""
    if not config_path.is_file():
        raise ManuscriptError(
            "no {CONFIG_NAME} in {root}",
            config_path.parent,
            hint="is this a manuscript folder? `ebook init DIR` creates one",
            code="B000",
            CONFIG_NAME=CONFIG_NAME,
            root=config_path.parent,
        )
    raw, lines = load_yaml(read_text(config_path, "B001"), config_path)
    if not isinstance(raw, dict):
        raise ManuscriptError(
            "{CONFIG_NAME} must be a mapping of keys to values",
            config_path,
            1,
            code="B004",
            CONFIG_NAME=CONFIG_NAME,
        )
    return raw, lines


def _identifier(
    raw: dict, isbn: str | None, eisbn: str | None, contributors: tuple[Contributor, ...]
) -> str:
    """The package's unique identifier: the e-book's own ISBN, else book.yaml's uid, else a
    urn:uuid that stays the same from build to build (never random): from the print ISBN,
    else from title and authors."""
    if eisbn:
        return f"urn:isbn:{isbn_compact(eisbn)}"
    uid = text_value(raw, "uid")
    if uid:
        return uid
    primary = [c.name for c in contributors if c.primary]
    seed = (
        f"urn:isbn:{isbn_compact(isbn)}"
        if isbn
        else "\n".join([text_value(raw, "title")] + primary)
    )
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, seed))


def _cip(cip: dict) -> Cip:
    return Cip(
        subjects=tuple(str(s) for s in cip.get("subjects") or ()),
        classifications=tuple(str(s) for s in cip.get("classifications") or ()),
        number=text_value(cip, "number"),
        standard=text_value(cip, "standard"),
        notes=tuple(str(s) for s in cip.get("notes") or ()),
        single_points=text_value(cip, "single_points"),
        class_dash=text_value(cip, "class_dash"),
        reprint="no" if cip.get("reprint") is False else "",
    )


def _colophon(colophon: dict) -> Colophon:
    texts = ("title_romanized", "format", "sheets", "printer", "price", "rights")
    return Colophon(
        **{k: text_value(colophon, k) for k in texts}, characters=colophon.get("characters")
    )


def _impression(value: dict | None) -> Impression | None:
    if not value or value.get("number") is None:
        return None
    return Impression(
        int(value["number"]),
        text_value(value, "date"),
        text_value(value, "statement"),
        text_value(value, "responsibility"),
    )


def _series(value: dict | None) -> Series | None:
    if not value or not text_value(value, "title"):
        return None
    return Series(**{k: text_value(value, k) for k in keys.item_keys("series")})


def _volume(value: dict | None) -> Volume | None:
    if not value or value.get("number") is None:
        return None
    number = int(value["number"])
    return Volume(
        number,
        text_value(value, "label") or f"第{number}卷",
        text_value(value, "title"),
        text_value(value, "set_isbn"),
    )


def _original(value: dict | None) -> Original | None:
    if not value or not text_value(value, "title"):
        return None
    return Original(text_value(value, "title"), text_value(value, "language"))


def _load_contributors(items: list, found: Findings) -> tuple[Contributor, ...]:
    result = []
    for i, item in enumerate(items):
        key = ("contributors", i)
        if (
            not isinstance(item, dict)
            or not item.get("name")
            or not all(isinstance(item.get(k) or "", str | int) for k in CONTRIBUTOR_KEYS)
        ):
            found.add(
                "B004",
                "a contributor needs at least 'name' and 'role'",
                key,
                "write it as {{name: 闫建, role: 著}}",
            )
            continue
        unknown_item_keys(
            item, CONTRIBUTOR_KEYS, key, found, N_("unknown contributor key '{extra}' is ignored")
        )
        role = str(item.get("role") or "aut")
        resolved = resolve_role(role)
        if resolved is None:
            found.add(
                "B006",
                "unknown contributor role '{role}'",
                key + ("role", VALUE),
                "use a printed term (著, 主编, 译, 责任编辑, 美术编辑, 封面设计, 责任校对…)"
                " or a MARC relator code (aut, edt, trl…)",
                role=role,
            )
            continue
        code, label, primary = resolved
        file_as = item.get("file_as")
        result.append(
            Contributor(
                str(item["name"]).strip(),
                code,
                label,
                primary,
                str(file_as) if file_as else None,
                text_value(item, "nationality"),
                text_value(item, "original_name"),
                item.get("et_al") is True,
            )
        )
    return tuple(result)


def _load_revisions(items: list, found: Findings) -> tuple[Revision, ...]:
    result = []
    for i, item in enumerate(items):
        key = ("revisions", i)
        if not isinstance(item, dict) or item.get("edition") is None or not item.get("date"):
            found.add(
                "B004",
                "a revision needs at least 'date' and 'edition'",
                key + (VALUE,),
                "write it as {{date: 2024-05, edition: 2, summary: …, changes: [...]}}",
            )
            continue
        edition = item["edition"]
        if not isinstance(edition, int) or isinstance(edition, bool):
            found.add(
                "B004",
                "a revision's edition must be a whole number, not '{edition}'",
                key + ("edition", VALUE),
                "write the edition number without quotes, e.g. edition: 2",
                edition=edition,
            )
            continue
        if not isinstance(item["date"], str) or not is_w3c_date(item["date"]):
            found.add(
                "B011",
                "'{item}' is not a W3C date",
                key + ("date", VALUE),
                "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024-05",
                item=item["date"],
            )
            continue
        unknown_item_keys(
            item, REVISION_KEYS, key, found, N_("unknown revision key '{extra}' is ignored")
        )
        changes = item.get("changes") or []
        result.append(
            Revision(
                date=item["date"],
                edition=int(item["edition"]),
                summary=str(item.get("summary") or "").strip(),
                changes=tuple(
                    str(c) for c in (changes if isinstance(changes, list) else [changes])
                ),
            )
        )
    return tuple(sorted(result, key=lambda r: (r.edition, r.date)))


def _load_options(sections: dict[str, dict], root: Path, found: Findings) -> Options:
    """Every setting of `options:` and `notes:`, validated and defaulted as settings.py says."""
    values: dict[str, object] = {}
    for setting in SETTINGS:
        raw = sections[setting.section].get(setting.name)
        where = (setting.section, setting.name, VALUE)
        value = setting.default if raw is None or raw == "" else raw
        if setting.choices and value not in setting.choices:
            found.add(
                "B004",
                "{key_} must be one of {value}, not '{value2}'",
                where,
                "the default is {default}",
                key_=setting.key,
                value=", ".join(setting.choices),
                value2=value,
                default=setting.default,
            )
            value = setting.default
        elif setting.bounds and not setting.bounds[0] <= value <= setting.bounds[1]:
            low, high = setting.bounds
            found.add(
                "B004",
                "{key_} must be between {low} and {high}, not {value}",
                where,
                "the default is {default}",
                key_=setting.key,
                low=low,
                high=high,
                value=value,
                default=setting.default,
            )
            value = setting.default
        elif setting.path and value is not None:
            value = _file_setting(setting.name, str(value), root, found)
        values[setting.field] = value
    values["output_name"] = _output_name(values["output_name"], found)  # type: ignore[arg-type]
    if values["note_compat"] == "duokan" and values["note_placement"] == "book-end":
        found.add(
            "B004",
            "notes.compat duokan needs the notes at the chapter's end",
            ("notes", "compat", VALUE),
            "Duokan pops up only notes in the same file:"
            " drop placement: book-end, or compat: duokan",
        )
    return Options(**values)  # type: ignore[arg-type]


def _file_setting(
    name: str, value: str, root: Path, found: Findings, where: tuple = ()
) -> Path | None:
    """The file a path setting names, when it is inside the manuscript and usable."""
    where = where or ("options", name, VALUE)
    path = inside(root, value)
    if path is None:
        found.add(
            "B016",
            "{name} '{value}' is outside the manuscript folder",
            where,
            "copy the file into the manuscript folder and give its path from there",
            name=name,
            value=value,
        )
    elif name == "cover" and path.suffix.lower() not in IMAGE_TYPES:
        found.add(
            "L003",
            "cover '{value}' is of a type EPUB does not allow",
            where,
            "use a JPEG or PNG cover",
            value=value,
        )
    elif not path.is_file():
        found.add(
            "B007",
            "{name} file '{value}' does not exist",
            where,
            "give a path relative to the manuscript folder",
            name=name,
            value=value,
        )
    elif name == "cover" and (problem := _image_problem(path)):
        code, template, arguments = problem
        found.add(
            code,
            template,
            where,
            "save the cover again as a plain JPEG or PNG file",
            file=value,
            **arguments,
        )
    else:
        return path
    return None


def _image_problem(path: Path) -> tuple[str, str, dict] | None:
    from ..core.media import image_problem  # lxml: only when a cover is named

    return image_problem(path)


def _output_name(value: str | None, found: Findings) -> str | None:
    """A file name for the EPUB in the output folder: never a path that leads elsewhere."""
    if not value:
        return None
    name = str(value).removesuffix(".epub")
    if (
        not name
        or name.strip(".") == ""
        or any(c in name for c in "/\\\0:")
        or (not name.isprintable())
    ):
        found.add(
            "B017",
            "output_name '{value}' is not a file name",
            ("options", "output_name", VALUE),
            "give a name without folders, e.g. output_name: my-book (-o chooses another folder)",
            value=value,
        )
        return None
    return name
