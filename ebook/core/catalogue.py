"""The catalogue of finding codes: each code's severity, one-line title and explanation (what
`ebook check --explain CODE` prints). Data only; core/codes.py makes findings of them."""

from __future__ import annotations

from .catalogue_text import TEXT_CODES

# code -> (severity, one-line title, explanation)
CODES: dict[str, tuple[str, str, str]] = {
    # book.yaml
    "B000": (
        "error",
        "no book.yaml",
        "The folder is not a manuscript: it has no book.yaml. "
        "`ebook init DIR` creates a new manuscript.",
    ),
    "B001": (
        "error",
        "book.yaml is not valid YAML",
        "The YAML parser stopped at the line and "
        "column given. Common causes: a tab for indentation, a value containing ': ' that "
        "is not quoted, an unclosed [ or {.",
    ),
    "B002": (
        "warning",
        "unknown key",
        "book.yaml has a key the tool does not know; it is "
        "ignored. Usually a typo: the hint suggests the nearest known key.",
    ),
    "B003": (
        "error",
        "required field missing",
        "title, language, contributors, publisher and "
        "date are required: without them there is no valid package metadata.",
    ),
    "B004": (
        "error",
        "wrong type",
        "A value has the wrong type (a list where text is expected, "
        "text where a number is expected...).",
    ),
    "B005": (
        "error",
        "invalid ISBN",
        "The ISBN has the wrong length or a wrong check digit "
        "(checked with python-stdnum). Stores reject books with invalid ISBNs.",
    ),
    "B006": (
        "error",
        "unknown contributor role",
        "A role must be a term the book prints "
        "(著, 主编, 译, 责任编辑, 美术编辑, 封面设计, 责任校对, 序...) or a MARC relator code "
        "(aut, edt, trl, ...), so that it can be written as a marc:relators role.",
    ),
    "B007": (
        "error",
        "file does not exist",
        "A file named in chapters: or options: "
        "(stylesheet, cover) does not exist in the manuscript folder.",
    ),
    "B008": (
        "error",
        "e-ISBN equals the print ISBN",
        "An e-book needs its own ISBN; the print ISBN goes in isbn: and is written as dc:source.",
    ),
    "B009": (
        "error",
        "CLC number malformed",
        "Chinese Library Classification numbers look "
        "like D630.1 or D63-39 (class letters, digits, '.' and '-' subdivisions). Write the "
        "subdivision hyphen as '-'; it is printed as '—'.",
    ),
    "B010": (
        "error",
        "CIP number malformed",
        "The CIP approval number (数据核字) is written as YEAR-SERIAL, e.g. 2017-035467 for "
        "（2017）第 035467 号, or in the form of GB/T 12451-2023 (year, two letters, four "
        "digits), e.g. 2024AB1234 for 第2024AB1234号.",
    ),
    "B011": ("error", "not a W3C date", "Dates are written YYYY, YYYY-MM or YYYY-MM-DD."),
    "B012": (
        "error",
        "invalid language tag",
        "language must be a BCP 47 tag such as zh-CN, zh-Hans, zh-TW or en.",
    ),
    "B013": ("error", "chapter listed twice", "A file appears twice in chapters:."),
    "B014": (
        "warning",
        "file not listed",
        "A Markdown file in the manuscript folder is not in chapters: and will not be in the book.",
    ),
    "B015": (
        "warning",
        "new edition, same ISBN",
        "The edition number changed but the ISBN did "
        "not. A new edition of a print book normally gets a new ISBN; a reprint (new "
        "printing, same edition) does not.",
    ),
    "B016": (
        "error",
        "path outside the manuscript",
        "A chapter, the stylesheet or the cover named in book.yaml lies outside the manuscript "
        "folder: an absolute path, a path through '..', or a symlink pointing out. Nothing "
        "outside the folder goes into a book; copy the file in.",
    ),
    "B017": (
        "error",
        "output_name is not a file name",
        "options.output_name names the EPUB file in the output folder; it cannot hold '/', "
        "'\\', ':' or be '.' or '..'. Use `-o PATH` to write elsewhere.",
    ),
    "B018": (
        "error",
        "unusable identifier",
        "uid becomes the package's unique identifier (dc:identifier): it must be a URI without "
        "spaces, quotes or angle brackets, and a urn:uuid: must hold a UUID such as "
        "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e.",
    ),
    "B019": (
        "warning",
        "accepted finding no longer occurs",
        "An entry of book.yaml's accepted: list matches no warning of the book any more: the "
        "text was mended or moved. Remove the entry, or point it where the warning is now, so "
        "that the list says what is accepted and nothing else.",
    ),
    # CIP data (GB/T 12451)
    "C001": (
        "error",
        "unknown CIP layout",
        "cip.standard is 2001 (GB/T 12451-2001), transitional (the 2001 layout with the agency "
        "中国国家版本馆, for books approved in 2023–2024) or 2023 (GB/T 12451-2023); "
        "cip.single_points is circled or plain. Leave cip.standard out to take it from the "
        "approval number.",
    ),
    "C002": (
        "warning",
        "new edition without an edition statement",
        "revisions: describes a later edition than edition.number, so the CIP block prints "
        "the old edition statement (or none: a first edition prints none). Raise "
        "edition.number, and give edition.statement if the CIP data words it otherwise "
        "(修订本, 增订版).",
    ),
    "C003": (
        "warning",
        "new edition keeps the previous CIP number",
        "Each edition gets its own CIP data and approval number; this edition's cip.number is "
        "the one the previous edition (check --previous) printed. Copy the number the CIP "
        "centre gave this edition.",
    ),
    "C004": (
        "warning",
        "approval year does not fit the publication date",
        "CIP data is approved shortly before a book is printed: an approval year after the "
        "publication year, or more than a year before it, is usually a number copied from "
        "another book or edition.",
    ),
    "C005": (
        "warning",
        "no subject headings",
        "The 2001 and transitional layouts print subject headings (检索数据 Ⅲ) from the CIP "
        "data; cip.subjects is empty, so the block would lack them.",
    ),
    "C006": (
        "warning",
        "translation without the original title",
        "The book names a translator (译) but not the work it was translated from: give "
        "original.title (and original.language), which the CIP block prints as 书名原文 and "
        "the package metadata records.",
    ),
    "C007": (
        "error",
        "invalid ISSN",
        "series.issn has the wrong form or a wrong check digit (checked with python-stdnum). "
        "Copy it from the series' own pages: NNNN-NNNC.",
    ),
    "C008": (
        "warning",
        "2001 layout for a book approved in 2024 or later",
        "cip.standard: 2001 prints 中国版本图书馆, which approved no CIP data after 2023; a "
        "book approved in 2024 or later is printed in the transitional or the 2023 layout. "
        "Leave cip.standard out to take the layout from the approval number.",
    ),
    # front matter
    "F001": (
        "error",
        "front matter is not valid YAML",
        "The front matter between the '---' "
        "lines could not be parsed, or it is not closed by a '---' line.",
    ),
    "F002": (
        "warning",
        "unknown front matter key",
        "Front matter keys are id, kind and title; others are ignored.",
    ),
    "F003": (
        "error",
        "unusable id",
        "An id names the XHTML file and prefixes anchors: ASCII "
        "letters, digits, '-', '_', '.', starting with a letter, and not a name the tool "
        "uses itself (nav, toc, titlepage, copyright, cover).",
    ),
    "F004": (
        "error",
        "duplicate id",
        "Two files have the same id, so they would be written to the same XHTML file.",
    ),
    "F005": (
        "error",
        "unknown kind",
        "kind must be one of the kinds listed in the README "
        "(foreword, preface, chapter, appendix, ...).",
    ),
    "F006": ("error", "no title", "A file needs a title: front matter 'title:' or a '#' heading."),
    "F007": (
        "error",
        "file is not UTF-8 text",
        "The file is UTF-16 or holds bytes that are not UTF-8. Save it as UTF-8; the finding "
        "points at the first byte that cannot be read.",
    ),
    # the text of the chapters, as checked and rendered (catalogue_text.py)
    **TEXT_CODES,
    # earlier editions
    "R001": (
        "error",
        "file of the previous edition is gone",
        "A file the last published "
        "edition had is missing: readers' bookmarks and links into it would break. Add the "
        "old id to the front matter of the chapter that replaced it: aliases: [old-id].",
    ),
    "R002": (
        "error",
        "anchor of the previous edition is gone",
        "An anchor (heading, note) the "
        "last published edition had is missing. Keep it on the heading that replaced it: "
        '## New title {aliases="old-id"}.',
    ),
    "D001": (
        "error",
        "edition cannot be read",
        "`ebook diff` takes EPUB files, manuscript folders or git:REV[:PATH].",
    ),
    "E000": (
        "error",
        "the command stopped",
        "The command could not finish; the findings above it say why (for `build`, the "
        "errors `ebook check` lists). Nothing was written: an earlier EPUB stays as it was.",
    ),
    # output
    "O001": ("error", "cannot write the EPUB", "The output file or folder is not writable."),
    "O002": (
        "error",
        "folder not empty",
        "`ebook init` writes only into a new or empty folder, "
        "so that it never overwrites a manuscript.",
    ),
    "O003": (
        "error",
        "output would replace a manuscript file",
        "The output path names a file the book is made from (book.yaml, a chapter, the "
        "stylesheet, the cover, an image), a file in .ebook-cache, or something that is not a "
        "regular file (a device such as /dev/null, a folder). Nothing is written; choose "
        "another path.",
    ),
}
