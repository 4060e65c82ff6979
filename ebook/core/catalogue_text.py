"""The finding codes about the chapters' text, as the checks read it and the renderer renders
it: structure, notes, links and media, Chinese text, raw HTML, math, the apparatus,
accessibility. Part of the catalogue (core/catalogue.py)."""

from __future__ import annotations

TEXT_CODES: dict[str, tuple[str, str, str]] = {
    # structure
    "F008": (
        "error",
        "file changed during the run",
        "A chapter file was saved while the book was being built or checked, after the tool "
        "had taken it for unchanged: the run stops rather than mix two versions of it. Run it "
        "again.",
    ),
    "S001": (
        "warning",
        "heading level skipped",
        "A heading is more than one level deeper than "
        "the one before it (# then ###): the contents would have a gap.",
    ),
    "S002": (
        "error",
        "more than one top-level heading",
        "A file holds one chapter: one '#' "
        "heading. Split the file, or make the other headings '##'.",
    ),
    "S003": ("warning", "empty chapter", "The file has a title but no text."),
    "S004": (
        "warning",
        "numbering out of sequence",
        "Chinese heading numbers (第一章, 第一节, "
        "一、, （一）) skip or repeat a number; the expected label is given.",
    ),
    "S005": ("error", "duplicate heading id", "Two headings in one file have the same {#id}."),
    "S006": (
        "error",
        "nested too deep",
        "Quotes, lists or HTML elements are nested more than 64 levels deep. No reader shows "
        "that many levels, and past such depths parsers drop content; flatten the structure.",
    ),
    "S008": (
        "warning",
        "print page number out of order",
        "A page marker {page=N} repeats an earlier page number or goes back (in reading "
        "order; roman numbers in the front matter may come before arabic ones). The page list "
        "lets readers cite the print edition, so its numbers must follow the book.",
    ),
    # notes
    "N001": (
        "error",
        "note reference without definition",
        "[^label] is used but no "
        "'[^label]: text' line exists in the same file (labels are local to a file).",
    ),
    "N002": (
        "warning",
        "note never referenced",
        "A note is defined but never cited; it would not appear in the book.",
    ),
    "N003": ("error", "note defined twice", "Two definitions share a label."),
    "N004": (
        "error",
        "note reference in a heading",
        "A note in a heading would land in the "
        "table of contents. Put it in the text after the heading.",
    ),
    "N005": (
        "warning",
        "note that says only 'ditto'",
        "同上 / 同前注 / Ibid. point to the note "
        "before; in a popup there is no note before. Repeat the reference.",
    ),
    "N006": (
        "warning",
        "note too short or too long for Kobo",
        "Kobo pops up only notes of 9 "
        "to 5,000 characters; others it shows only at the chapter's end.",
    ),
    "N007": (
        "error",
        "note reference inside a note",
        "A note's text cites another note. A popup cannot open a popup, so the inner note would"
        " be lost; write the reference out in words, or cite the note from the main text.",
    ),
    "N008": (
        "warning",
        "more notes than circled markers",
        "Unicode encodes circled numbers up to ㊿; with note_markers: circled, the 51st note of "
        "a chapter and those after it are marked with plain numbers (51, 52…), as the tool "
        "cannot do otherwise. Print restarts the numbers on each page; an e-book has no pages. "
        "Use note_markers: numeric for the whole book, or split the chapter.",
    ),
    # links and media
    "L001": (
        "error",
        "link that does not resolve",
        "A link to another chapter (file.md#anchor) "
        "or an anchor in this one does not exist in the book.",
    ),
    "L002": ("error", "image not found", "The image file does not exist."),
    "L003": ("error", "image type not allowed", "EPUB allows JPEG, PNG, GIF, WebP and SVG."),
    "L004": (
        "warning",
        "image without alt text",
        "Readers who cannot see the image get nothing; write ![description](file).",
    ),
    "L005": (
        "error",
        "image outside the manuscript",
        "Images must be inside the manuscript "
        "folder: no '../', no absolute paths, no symlinks pointing out.",
    ),
    "L006": (
        "error",
        "remote image",
        "The book must carry its images; download it into the manuscript folder.",
    ),
    "L007": (
        "error",
        "link that cannot work in a book",
        "A link goes to a data:, file: or other URL an e-book cannot follow (EPUBCheck rejects "
        "data: URLs in links). Link to a web page (https:), an e-mail address (mailto:) or a "
        "chapter.",
    ),
    "L008": (
        "error",
        "image file is not what its name says",
        "The file's bytes are not of the type its name gives (a text file named .png), the SVG "
        "is not well-formed, or the SVG refers to other files. Save it again as a self-"
        "contained file of the right type.",
    ),
    # Chinese text
    "T001": (
        "warning",
        "half-width punctuation in Chinese",
        "A half-width , ; : ? ! ( ) stands "
        "between Chinese characters; the full-width form is given.",
    ),
    "T002": (
        "warning",
        "unbalanced quotation marks or brackets",
        "“ ” ‘ ’ 《 》 （ ） 【 】 do not pair up within the paragraph.",
    ),
    "T003": (
        "error",
        "leftover print note marker",
        "A ^① or ^{①④} left from the print edition; use a Markdown note [^label].",
    ),
    "T004": (
        "warning",
        "line with only a page number",
        "A line holding just a number is usually a print page number left over from OCR.",
    ),
    "T006": (
        "warning",
        "straight quote in Chinese text",
        "A keyboard's straight quotation mark '\"' next to Chinese: GB/T 15834 marks quotations "
        "with “ ” (and ‘ ’ inside them). Accept it in book.yaml (accepted: [{code: T006, "
        "reason: …}]) if the house style keeps straight quotes.",
    ),
    "T007": (
        "warning",
        "keyboard ellipsis",
        "'...', '。。。' or a single '…' next to Chinese: the Chinese 省略号 is …… (two U+2026, "
        "six dots, GB/T 15834).",
    ),
    "T008": (
        "warning",
        "keyboard dash",
        "'--' or a single '—' between Chinese: the Chinese 破折号 is —— (two U+2014, GB/T "
        "15834); a single — is a 连接号 (between numbers or names), and '-' a hyphen.",
    ),
    "T009": (
        "warning",
        "brackets of mixed width",
        "A full-width （ closed by a half-width ), or the reverse: the two halves of a pair are "
        "of one width.",
    ),
    "T010": (
        "warning",
        "space around full-width punctuation",
        "A space between Chinese text and full-width punctuation (中文 ，): full-width "
        "punctuation carries its own space, and the extra one shows as a gap.",
    ),
    "T005": (
        "error",
        "control character in the text",
        "The text holds a control character (U+0001-U+001F other than tab and line ends) or "
        "U+FFFE/U+FFFF: invisible, and no XHTML file can contain it. Remove it.",
    ),
    # raw HTML
    "H001": (
        "warning",
        "raw HTML repaired",
        "The HTML parser had to repair raw HTML (unclosed "
        "or stray tags, elements where XHTML does not allow them).",
    ),
    "H002": (
        "error",
        "scripting element",
        "<script>, <iframe>, <form>, <object> and similar "
        "need scripting or plugins; a book must not.",
    ),
    "H003": ("error", "event-handler attribute", "on... attributes run scripts."),
    "H004": ("error", "javascript: URL", "A link or source that runs a script."),
    "H005": ("warning", "id used twice", "Raw HTML repeats an id; the second is renamed."),
    "H006": (
        "error",
        "scripted SVG image",
        "An SVG image holds a <script>, an event-handler attribute (onload…) or another active "
        "element: a book must not need scripting. Remove them or export the image as PNG.",
    ),
    # math
    "M001": (
        "warning",
        "TeX that cannot become MathML",
        "latex2mathml could not read this TeX ($…$, $$…$$ or a ```math block), so the book shows "
        "it as code instead of a formula. Check the TeX; macros of your own are not known.",
    ),
    # cross-references, numbering and the index
    "X001": (
        "error",
        "reference to no label",
        "`@fig:name` (or tbl:, eq:, lst:, sec:) names a label no figure, table, equation, "
        "listing or section of the book has. Label what it means ({#fig:name} on the image, "
        "`: caption {#tbl:name}` after a table, `$$ … $$ {#eq:name}`) or fix the reference.",
    ),
    "X002": (
        "error",
        "label given twice",
        "Two figures, tables, equations, listings or sections have the same label; a "
        "reference could mean either. Every label must be unique in the book.",
    ),
    "X003": (
        "warning",
        "caption numbered by hand and by the tool",
        "A labelled caption starts with a number typed by hand (图 1-1 …). The tool numbers "
        "labelled figures, tables and listings itself and has left the typed number out; "
        "remove it from the manuscript so the two cannot disagree.",
    ),
    "X004": (
        "warning",
        "hand-typed number out of order",
        "A caption numbered by hand does not have the number a reader expects at that place "
        "(a number skipped or repeated, or another chapter's). Label it ({#fig:name}) and let "
        "the tool number it, or correct the number.",
    ),
    "X005": (
        "warning",
        "index terms but no index page",
        "Terms are marked for the index ([term]{.index}) but no chapter has 'kind: index', "
        "so the book has nowhere to print the 索引. Add one where the index should stand.",
    ),
    "X006": (
        "warning",
        "see-reference to no index entry",
        'An index term\'s see="…" or seealso="…" names a term that is not marked anywhere, '
        "so the index would send the reader to nothing.",
    ),
    "X007": (
        "warning",
        "listed index term not in the text",
        "A term of the options.index_terms file occurs nowhere in the book's paragraphs, list "
        "items, table cells or captions, so the index cannot list it. Check how the text "
        "writes it (the last part of `主!次` is what is looked for), or remove the line.",
    ),
    "X008": (
        "warning",
        "label that numbers nothing",
        "A label of a numbering kind (fig:, tbl:, eq:, lst:, sec:) stands where nothing is "
        "numbered, or on something of another kind: an image that is not alone in its "
        "paragraph, {#tbl:…} on an image. References to it find nothing (X001).",
    ),
    "X009": (
        "warning",
        "empty index page",
        "The book has a chapter of 'kind: index' but no term is marked for it and it has no "
        "text of its own, so readers would find an empty page.",
    ),
    # citations and the bibliography (GB/T 7714-2015)
    "G001": (
        "error",
        "citation of an unknown key",
        "`[@key]` names no entry of the files `bibliography:` lists (or the book lists none), "
        "so nothing can be printed for it. Usually a typo (the hint gives the nearest key) or "
        "an entry not yet exported from the reference manager.",
    ),
    "G002": (
        "warning",
        "entry never cited",
        "An entry of the bibliography is cited nowhere in the book, so it is not listed. "
        'Cite it, or list it on purpose in the bibliography page\'s `::: {#refs nocite="@key"}`'
        " (`@*` lists every entry).",
    ),
    "G003": (
        "error",
        "bibliography file cannot be read",
        "A file of `bibliography:` is not valid CSL-JSON, BibTeX or RIS at the line given, or "
        "is of another format. Export it again from the reference manager.",
    ),
    "G004": (
        "warning",
        "entry lacks a field its type prints",
        "GB/T 7714-2015 gives each type of document its layout: a book [M] its place, "
        "publisher and year; a journal article [J] its journal, year, volume or issue and "
        "pages; an online resource its URL and the date it was read (引用日期). Without the "
        "field the printed entry is incomplete.",
    ),
    "G005": (
        "warning",
        "invalid ISBN, ISSN or DOI",
        "An entry's ISBN or ISSN fails its check digit, or its DOI does not have the form "
        "10.NNNN/…, so a reader who follows it finds nothing.",
    ),
    "G006": (
        "warning",
        "the same work entered twice",
        "Two entries have the same DOI, or the same title and year: the list would print the "
        "work twice under two numbers. Keep one entry.",
    ),
    "G007": (
        "warning",
        "entry's language cannot be told",
        "The entry declares no language and its title has no letters to tell it by; the "
        "language decides 等 or et al. and where the entry stands in an author-date list.",
    ),
    "G008": (
        "warning",
        "citations but nowhere to list them",
        "The book cites its bibliography but has no chapter of `kind: bibliography` (and "
        "citations.per_chapter is off), so the entries are printed nowhere and the citations "
        "link to nothing. Add a 参考文献 chapter; the list is written into it.",
    ),
    "G009": (
        "error",
        "citation key given twice",
        "Two entries of the bibliography files have the same key; citations go to the first. "
        "Give each entry its own key.",
    ),
    "G010": (
        "warning",
        "@word that is no citation key",
        "`@word` in the text looks like a citation but the bibliography has no such key, so "
        "it is printed as written. If it is a citation, correct the key; if it is a name "
        "(an account, a handle), write it as `\\@word`.",
    ),
    # accessibility
    "A001": (
        "warning",
        "no accessibility conformance claim",
        "The EPUB will not carry dcterms:conformsTo 'EPUB Accessibility 1.1 - WCAG 2.1 Level "
        "AA', because something the tool checks does not hold: an image without a text "
        "alternative. Describe every image, or mark ornaments with {.decorative}.",
    ),
}
