"""The table of contents as a tree, and its two serializations: nav.xhtml and toc.ncx."""

from __future__ import annotations

from typing import NamedTuple

from lxml import etree

from ..core.labels import labels_for
from ..core.model import RenderedChapter
from ..core.xhtml import XHTML, document, element

NCX = "http://www.daisy.org/z3986/2005/ncx/"


class NavNode(NamedTuple):
    """An entry of the contents (a tuple: a long book's contents has tens of thousands)."""

    label: str
    href: str
    children: tuple[NavNode, ...] = ()


def build_toc(chapters: list[RenderedChapter], depth: int) -> list[NavNode]:
    """Nest each chapter's headings (h1 > h2 > h3 …) down to `depth` levels."""
    tree: list[NavNode] = []
    for chapter in chapters:
        # (level, label, href, children) while building; frozen NavNodes at the end.
        root: list = [0, chapter.title, chapter.file_name, []]
        stack = [root]
        for heading in chapter.headings:
            if heading.level == 1 or heading.level > depth or not heading.text:
                continue  # an empty heading would make an empty link, which EPUB forbids
            node = [heading.level, heading.text, f"{chapter.file_name}#{heading.id}", []]
            while stack[-1][0] >= heading.level:
                stack.pop()
            stack[-1][3].append(node)
            stack.append(node)
        tree.append(_freeze(root))
    kinds = [(c.chapter.kind, c.chapter.matter) for c in chapters]
    tree, kinds = _nest_sections(tree, kinds)
    return _nest_parts(tree, kinds)


def _nest_sections(
    tree: list[NavNode], kinds: list[tuple[str, str]]
) -> tuple[list[NavNode], list[tuple[str, str]]]:
    """A section file (kind: section) nests under the chapter before it."""
    nested: list[NavNode] = []
    nested_kinds: list[tuple[str, str]] = []
    for node, kind in zip(tree, kinds, strict=True):
        if kind[0] == "section" and nested and nested_kinds[-1][0] != "part":
            last = nested[-1]
            nested[-1] = NavNode(last.label, last.href, last.children + (node,))
        else:
            nested.append(node)
            nested_kinds.append(kind)
    return nested, nested_kinds


def _nest_parts(tree: list[NavNode], kinds: list[tuple[str, str]]) -> list[NavNode]:
    """The body chapters after a part (kind: part), up to the next part or the back matter,
    nest under it."""
    if not any(kind == "part" for kind, _ in kinds):
        return tree
    nested: list[NavNode] = []
    part: NavNode | None = None
    members: list[NavNode] = []

    def close() -> None:
        if part is not None:
            nested.append(NavNode(part.label, part.href, part.children + tuple(members)))

    for node, (kind, matter) in zip(tree, kinds, strict=True):
        if kind == "part":
            close()
            part, members = node, []
        elif part is not None and matter == "body":
            members.append(node)
        else:
            close()
            part, members = None, []
            nested.append(node)
    close()
    return nested


def _freeze(node: list) -> NavNode:
    # tuple.__new__ directly: NavNode(...) goes through a Python-level __new__, and a long
    # book's contents has tens of thousands of entries.
    children = tuple(map(_freeze, node[3])) if node[3] else ()
    return tuple.__new__(NavNode, (node[1], node[2], children))


def tree_depth(nodes: tuple[NavNode, ...] | list[NavNode]) -> int:
    return max((1 + tree_depth(n.children) for n in nodes), default=0)


def nav_document(
    toc: list[NavNode],
    landmarks: list[tuple[str, str]],
    language: str,
    stylesheets: list[str],
    pages: list[tuple[str, str]] | None = None,
) -> bytes:
    """The EPUB navigation document, also the visible contents page; with the print
    edition's pages (label, href), its page list."""
    labels = labels_for(language)
    nav = element("nav", {"epub:type": "toc", "id": "toc", "role": "doc-toc"})
    element("h1", text=labels["toc"], parent=nav)
    _nav_list(nav, toc)
    marks = element("nav", {"epub:type": "landmarks", "id": "landmarks", "hidden": "hidden"})
    element("h2", text=labels["landmarks"], parent=marks)
    ol = element("ol", parent=marks)
    for semantic, href in landmarks:
        li = element("li", parent=ol)
        element("a", {"epub:type": semantic, "href": href}, labels[semantic], parent=li)
    navs = [nav, marks]
    if pages:
        page_list = element(
            "nav", {"epub:type": "page-list", "id": "page-list", "hidden": "hidden"}
        )
        element("h2", text=labels["page-list"], parent=page_list)
        ol = element("ol", parent=page_list)
        for label, href in pages:
            element("a", {"href": href}, label, parent=element("li", parent=ol))
        navs.append(page_list)
    return document(
        labels["toc"], language, "frontmatter", navs, stylesheets, body_class="contents"
    )


def _nav_list(parent: etree._Element, nodes: tuple[NavNode, ...] | list[NavNode]) -> None:
    # Written as text and parsed in one go, as the NCX's navigation points are.
    parts: list[str] = []

    def add(nodes: tuple[NavNode, ...] | list[NavNode]) -> None:
        parts.append("<ol>")
        for node in nodes:
            parts.append(f'<li><a href="{_escape(node.href, True)}">{_escape(node.label)}</a>')
            if node.children:
                add(node.children)
            parts.append("</li>")
        parts.append("</ol>")

    add(nodes)
    parent.append(_parse(XHTML, "".join(parts)))


def _escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


_PARSER = etree.XMLParser(huge_tree=True)  # a long book's contents may pass libxml2's limits


def _parse(namespace: str, markup: str) -> etree._Element:
    """One element written as text, in `namespace`."""
    start = markup.index(">")
    return etree.fromstring(f'{markup[:start]} xmlns="{namespace}"{markup[start:]}', _PARSER)


def ncx_document(toc: list[NavNode], uid: str, title: str) -> bytes:
    """toc.ncx for EPUB 2 reading systems, nested like the nav."""
    root = etree.Element(f"{{{NCX}}}ncx", {"version": "2005-1"}, nsmap={None: NCX})
    head = etree.SubElement(root, f"{{{NCX}}}head")
    for name, content in (
        ("dtb:uid", uid),
        ("dtb:depth", str(max(tree_depth(toc), 1))),
        ("dtb:totalPageCount", "0"),
        ("dtb:maxPageNumber", "0"),
    ):
        etree.SubElement(head, f"{{{NCX}}}meta", {"name": name, "content": content})
    doc_title = etree.SubElement(root, f"{{{NCX}}}docTitle")
    etree.SubElement(doc_title, f"{{{NCX}}}text").text = title
    # The navigation points written as text and parsed in one go: a long book has tens of
    # thousands, which lxml parses many times faster than Python builds them element by
    # element (and the parser checks the escaping).
    points: list[str] = []
    counter = iter(range(1, 1_000_000))

    def add(node: NavNode) -> None:
        order = next(counter)
        points.append(
            f'<navPoint id="navpoint-{order}" playOrder="{order}"><navLabel><text>'
            f'{_escape(node.label)}</text></navLabel><content src="{_escape(node.href, True)}"/>'
        )
        for child in node.children:
            add(child)
        points.append("</navPoint>")

    for node in toc:
        add(node)
    root.append(_parse(NCX, f"<navMap>{''.join(points)}</navMap>"))
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)
