"""What an image file really is: its bytes must match its name, and an SVG must be inert."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from .i18n import N_
from .model import IMAGE_TYPES

# The first bytes of each raster type EPUB allows (the image formats' own specifications).
_SIGNATURES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}
_SVG = "{http://www.w3.org/2000/svg}svg"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Elements that run code or pull in other documents: a reading system would have to script
# the book (EPUB 3.3 requires the `scripted` property, which this tool never sets) or fetch
# files that are not in the package.
_SVG_ACTIVE = frozenset({"script", "foreignObject", "iframe", "handler", "listener"})


# (code, template, arguments): the template names the file as {file}.
Problem = tuple[str, str, dict[str, str]]


def image_problem(path: Path) -> Problem | None:
    """What stops the file from going into an EPUB as the image its name says, if anything."""
    media_type = IMAGE_TYPES.get(path.suffix.lower())
    if media_type is None:
        return "L003", N_("'{file}' is of a type EPUB does not allow"), {}
    try:
        data = path.read_bytes()
    except OSError as exc:
        return "L002", N_("'{file}' cannot be read: {reason}"), {"reason": exc.strerror}
    if media_type == "image/svg+xml":
        return _svg_problem(data)
    if media_type == "image/webp":
        ok = data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    else:
        ok = data.startswith(_SIGNATURES[media_type])
    if not ok:
        kind = media_type.removeprefix("image/").upper()
        return "L008", N_("'{file}' is not a {kind} file"), {"kind": kind}
    return None


def _svg_problem(data: bytes) -> Problem | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return "L008", N_("'{file}' is not well-formed SVG: {reason}"), {"reason": exc.msg}
    if root is None or root.tag != _SVG:
        return "L008", N_("'{file}' is not an SVG file"), {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name = etree.QName(el).localname
        if name in _SVG_ACTIVE:
            return "H006", N_("'{file}' has a <{element}> element"), {"element": name}
        for attribute, value in el.attrib.items():
            local = etree.QName(attribute).localname
            if local.lower().startswith("on"):
                template = N_("'{file}' has an event-handler attribute '{attribute}'")
                return "H006", template, {"attribute": local}
            if (attribute == _XLINK_HREF or local == "href") and not value.strip().startswith("#"):
                template = N_("'{file}' refers to another file ('{target}')")
                return "L008", template, {"target": value[:60]}
    return None
