"""What XHTML in an EPUB allows as an attribute's value, so that raw HTML that reaches the
book is what EPUBCheck accepts: ids, numbers, enumerations, language tags, dates, ARIA, URLs.

`problem(tag, name, value)` says what is wrong with one value (None when it is fine); the
XHTML mending drops such an attribute and reports the repair (H001) at its line.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# A BCP 47 language tag (the book's language is checked with the same pattern).
LANGUAGE_TAG = re.compile(
    r"^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*$"
)
# An id is an XML name without colons (EPUBCheck, RSC-005).
_NAME_START = (
    "A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF"
    "\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD"
    "\\U00010000-\\U000EFFFF"
)
_NAME_MORE = "\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040"
XML_NAME = re.compile(f"^[{_NAME_START}][{_NAME_START}{_NAME_MORE}]*$")
_POSITIVE = re.compile(r"^[1-9][0-9]{0,3}$")
_NON_NEGATIVE = re.compile(r"^[0-9]{1,5}$")
_INTEGER = re.compile(r"^-?[0-9]{1,9}$")
# HTML's valid date, time, date-time, month, year, week and duration strings (the common
# forms: a reader shows the element's text, the attribute only describes it).
_DATETIME = re.compile(
    r"^(?:\d{4}(?:-\d{2}(?:-\d{2})?)?"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?"
    r"|\d{2}-\d{2}|\d{4}-W\d{2}"
    r"|P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?)$"
)
_ENUMERATIONS = {
    ("*", "dir"): {"ltr", "rtl", "auto"},
    ("*", "translate"): {"yes", "no", ""},
    ("ol", "type"): {"1", "a", "A", "i", "I"},
    ("th", "scope"): {"row", "col", "rowgroup", "colgroup"},
}
_NUMBERS = {
    ("td", "colspan"): _POSITIVE,
    ("th", "colspan"): _POSITIVE,
    ("td", "rowspan"): _NON_NEGATIVE,
    ("th", "rowspan"): _NON_NEGATIVE,
    ("col", "span"): _POSITIVE,
    ("colgroup", "span"): _POSITIVE,
    ("ol", "start"): _INTEGER,
    ("li", "value"): _INTEGER,
    ("img", "width"): _NON_NEGATIVE,
    ("img", "height"): _NON_NEGATIVE,
}
# WAI-ARIA 1.2 and DPUB-ARIA 1.1 roles (abstract roles are not allowed in content).
ROLES = frozenset(
    """alert alertdialog application article banner blockquote button caption cell checkbox
    code columnheader combobox complementary contentinfo definition deletion dialog directory
    document emphasis feed figure form generic grid gridcell group heading img insertion link
    list listbox listitem log main marquee math menu menubar menuitem menuitemcheckbox
    menuitemradio meter navigation none note option paragraph presentation progressbar radio
    radiogroup region row rowgroup rowheader scrollbar search searchbox separator slider
    spinbutton status strong subscript superscript switch tab table tablist tabpanel term
    textbox time timer toolbar tooltip tree treegrid treeitem doc-abstract doc-acknowledgments
    doc-afterword doc-appendix doc-backlink doc-biblioentry doc-bibliography doc-biblioref
    doc-chapter doc-colophon doc-conclusion doc-cover doc-credit doc-credits doc-dedication
    doc-endnote doc-endnotes doc-epigraph doc-epilogue doc-errata doc-example doc-footnote
    doc-foreword doc-glossary doc-glossref doc-index doc-introduction doc-noteref doc-notice
    doc-pagebreak doc-pagefooter doc-pageheader doc-pagelist doc-part doc-preface doc-prologue
    doc-pullquote doc-qna doc-subtitle doc-tip doc-toc""".split()
)
_ARIA_BOOLEAN = frozenset(
    """aria-atomic aria-busy aria-disabled aria-modal aria-multiline aria-multiselectable
    aria-readonly aria-required""".split()
)
_ARIA_TRISTATE = frozenset("aria-checked aria-pressed".split())
_ARIA_OPTIONAL_BOOLEAN = frozenset("aria-expanded aria-grabbed aria-hidden aria-selected".split())
ARIA = frozenset(
    """aria-activedescendant aria-atomic aria-autocomplete aria-braillelabel
    aria-brailleroledescription aria-busy aria-checked aria-colcount aria-colindex
    aria-colindextext aria-colspan aria-controls aria-current aria-describedby
    aria-description aria-details aria-disabled aria-dropeffect aria-errormessage
    aria-expanded aria-flowto aria-grabbed aria-haspopup aria-hidden aria-invalid
    aria-keyshortcuts aria-label aria-labelledby aria-level aria-live aria-modal aria-multiline
    aria-multiselectable aria-orientation aria-owns aria-placeholder aria-posinset
    aria-pressed aria-readonly aria-relevant aria-required aria-roledescription aria-rowcount
    aria-rowindex aria-rowindextext aria-rowspan aria-selected aria-setsize aria-sort
    aria-valuemax aria-valuemin aria-valuenow aria-valuetext""".split()
)
_WEB = frozenset({"http", "https"})


def problem(tag: str, name: str, value: str) -> str | None:
    """What is wrong with `value` of attribute `name` on `tag`, or None."""
    if name == "id":
        return None if XML_NAME.match(value) else "is not an XML name (no spaces, not empty)"
    if name in ("lang", "{http://www.w3.org/XML/1998/namespace}lang"):
        return None if not value or LANGUAGE_TAG.match(value) else "is not a BCP 47 language tag"
    allowed = _ENUMERATIONS.get((tag, name)) or _ENUMERATIONS.get(("*", name))
    if allowed is not None:
        return None if value in allowed else f"is not one of {', '.join(sorted(allowed))}"
    number = _NUMBERS.get((tag, name))
    if number is not None:
        return None if number.match(value) else "is not a number allowed here"
    if name == "datetime":
        return None if _DATETIME.match(value.strip()) else "is not a date or time"
    if name == "role":
        wrong = [r for r in value.split() if r not in ROLES]
        return None if value.split() and not wrong else "is not an ARIA or DPUB-ARIA role"
    if name.startswith("aria-"):
        return _aria(name, value)
    if name in ("href", "src", "cite"):
        return _url(value)
    return None


def _aria(name: str, value: str) -> str | None:
    if name not in ARIA:
        return "is not an ARIA attribute"
    if name in _ARIA_BOOLEAN and value not in ("true", "false"):
        return "is not true or false"
    if name in _ARIA_TRISTATE and value not in ("true", "false", "mixed", "undefined"):
        return "is not true, false or mixed"
    if name in _ARIA_OPTIONAL_BOOLEAN and value not in ("true", "false", "undefined"):
        return "is not true or false"
    return None


def _url(value: str) -> str | None:
    """A URL a reading system can parse (RFC 3986; EPUBCheck RSC-020)."""
    if re.search(r"[\s\x00-\x1f\x7f<>\"\\^`{|}]", value.strip()):
        return "is not a valid URL (spaces or characters a URL cannot hold)"
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 (parsing the port raises on a bad one)
    except ValueError:
        return "is not a valid URL"
    if parts.scheme.lower() in _WEB and not parts.hostname:
        return "is not a valid URL (no host)"
    return None
