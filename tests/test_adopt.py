"""`ebook adopt`: existing Markdown books (mdBook, GitBook, Docusaurus-style) made manuscripts."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NS, assert_epubcheck_clean, open_epub, write_manuscript
from ebook.build import build_epub
from ebook.cli import main
from ebook.convert.adopt import adopt
from ebook.core.errors import EbookError
from test_fixture_books import png

MDBOOK = {
    "book.toml": '[book]\ntitle = "示例之书"\nauthors = ["张三"]\nlanguage = "zh-CN"\n',
    "src/SUMMARY.md": (
        "# Summary\n\n[前言](README.md)\n\n# 第一部分 入门\n\n- [第一章 安装](guide/install.md)\n"
        "    - [第一节 细节](guide/details.md)\n- [第二章 使用](guide/usage.md)\n- [草稿]()\n\n"
        "# 第二部分 进阶\n\n- [第三章 高级](advanced.md)\n"
    ),
    "src/README.md": "# 前言\n\n这是前言。\n",
    "src/guide/install.md": (
        "---\ntitle: 安装\nauthor: someone\n---\n\n# 第一章 安装\n\n"
        "请看[使用](usage.md)和[细节](details.md#要点)。{{< note >}}\n\n![一张图](../img/a.png)\n"
    ),
    "src/guide/details.md": (
        "# 第一节 细节\n\n## `要点`\n\n细节的文字，见[要点](#要点)和[别处](#无此节)。\n"
    ),
    "src/guide/usage.md": "# 第二章 使用\n\n> [!TIP]\n> 一个提示。\n\n[TOC]\n\n正文[^a]。\n\n[^a]: 一条注释，足够长的文字。\n",
    "src/advanced.md": '# 第三章 高级\n\n回到[安装](/guide/install.md)。\n\n## {{% heading "next" %}}\n',
    "src/img/a.png": png(),
}


def fill(manuscript: Path, names: bool = True) -> None:
    """What the source did not say: the author fills book.yaml's TODOs (with `names`, also a
    title and an author the site did not give)."""
    config = manuscript / "book.yaml"
    text = config.read_text("utf-8")
    if names:
        text = text.replace('title: "TODO"', 'title: "某书"').replace('"TODO"', '"某作者"')
    text = text.replace(
        "publisher:                # TODO: {name: …, place: …}", "publisher: {name: 某出版社}"
    )
    text = text.replace(
        "date:                     # TODO: the publication date (YYYY, YYYY-MM or YYYY-MM-DD)",
        "date: 2024-05",
    )
    config.write_text(text, "utf-8")


def digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h.update(path.as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def test_an_mdbook_keeps_its_order_parts_links_and_images(tmp_path):
    source = write_manuscript(tmp_path / "src-book", None, MDBOOK)
    before = digest(source)
    result = CliRunner().invoke(main, ["adopt", str(source), "-o", str(tmp_path / "m")])
    assert result.exit_code == 1, result.output  # book.yaml lacks publisher and date
    assert digest(source) == before  # the source is only read
    report = result.output.split("Adoption report:")[1]
    assert "SUMMARY.md:10: draft chapter '草稿' has no file: left out" in report
    assert "guide/install.md:1: front matter 'author' is not carried over" in report
    assert "guide/install.md:7: a Hugo shortcode is site-only syntax: removed" in report
    assert "guide/usage.md:6: a table-of-contents marker is site-only syntax: removed" in report
    manuscript = tmp_path / "m"
    fill(manuscript)
    assert CliRunner().invoke(main, ["check", "--strict", str(manuscript)]).exit_code == 0
    build_epub(manuscript, tmp_path / "b.epub")
    epub = open_epub(tmp_path / "b.epub")
    toc = epub.doc("nav.xhtml").find(".//h:nav[@epub:type='toc']/h:ol", NS)
    top = [li.findtext("h:a", namespaces=NS) for li in toc.findall("h:li", NS)]
    assert top == ["前言", "第一部分 入门", "第二部分 进阶"]
    first_part = toc.findall("h:li", NS)[1]
    assert [a.text for a in first_part.findall("h:ol/h:li/h:a", NS)] == [
        "第一章 安装",
        "第二章 使用",
    ]
    # The item nested in SUMMARY.md is a section file nested under its chapter.
    install_item = first_part.find("h:ol/h:li", NS)
    assert [a.text for a in install_item.findall("h:ol/h:li/h:a", NS)] == ["第一节 细节"]
    assert "kind: section" in (manuscript / "guide-details.md").read_text("utf-8")
    install = epub.doc("guide-install.xhtml")
    hrefs = [a.get("href") for a in install.iterfind(".//h:p/h:a", NS)]
    assert hrefs[0] == "guide-usage.xhtml"
    target, _, anchor = hrefs[1].partition("#")
    assert target == "guide-details.xhtml"
    assert "".join(epub.doc(target).find(f".//*[@id='{anchor}']", NS).itertext()) == "要点"
    # A link within the page follows the heading's id; one to no heading keeps its text.
    details = epub.doc("guide-details.xhtml")
    assert [a.get("href") for a in details.iterfind(".//h:p/h:a", NS)] == [f"#{anchor}"]
    assert "别处" in "".join(details.find(".//h:p", NS).itertext())
    assert "guide/details.md:5: link '#无此节' leads to no heading of the chapter" in report
    assert install.find(".//h:figure/h:img", NS).get("src") == "images/img/a.png"
    assert epub.doc("guide-usage.xhtml").find(".//h:div[@role='note']", NS) is not None


def test_a_gitbook_and_a_docusaurus_tree(tmp_path):
    gitbook = write_manuscript(
        tmp_path / "gitbook",
        None,
        {
            "book.json": '{"title": "GitBook 之书", "author": "王五", "language": "zh-hans"}',
            "SUMMARY.md": "# 目录\n\n* [简介](README.md)\n* [第一章](chapter1/README.md)\n",
            "README.md": "# 简介\n\n文字。\n",
            "chapter1/README.md": "# 第一章\n\n文字。\n",
        },
    )
    result = adopt(gitbook)
    assert list(result.files)[1:] == ["readme.md", "chapter1-readme.md"]
    assert '"GitBook 之书"' in result.files["book.yaml"] and "王五" in result.files["book.yaml"]

    docusaurus = write_manuscript(
        tmp_path / "docs-site",
        None,
        {
            "docs/b.md": "---\nsidebar_position: 1\ntitle: 开始\n---\n\n正文一。\n",
            "docs/a.md": "---\nsidebar_position: 2\n---\n\n# 其次\n\n正文二。\n",
        },
    )
    result = adopt(docusaurus)
    assert [n for n in result.files if n != "book.yaml"] == ["docs-b.md", "docs-a.md"]

    # Folders by their _category_.json position, pages inside by sidebar_position.
    write_manuscript(
        docusaurus,
        None,
        {
            "docs/z-first/_category_.json": '{"label": "先", "position": 0}',
            "docs/z-first/p.md": "---\nsidebar_position: 2\n---\n\n# 二\n",
            "docs/z-first/q.md": "---\nsidebar_position: 1\n---\n\n# 一\n",
        },
    )
    names = [n for n in adopt(docusaurus).files if n != "book.yaml"]
    assert names == ["docs-z-first-q.md", "docs-z-first-p.md", "docs-b.md", "docs-a.md"]
    assert 'title: "开始"' in result.files["docs-b.md"]


def test_adopt_never_writes_into_a_folder_with_files(tmp_path):
    source = write_manuscript(tmp_path / "s", None, MDBOOK)
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "keep.txt").write_text("mine")
    result = CliRunner().invoke(main, ["adopt", str(source), "-o", str(tmp_path / "m")])
    assert result.exit_code == 3 and "O002" in result.output
    assert (tmp_path / "m" / "keep.txt").read_text() == "mine"


@pytest.mark.slow
def test_an_adopted_book_passes_epubcheck(tmp_path):
    source = write_manuscript(tmp_path / "s", None, MDBOOK)
    CliRunner().invoke(main, ["adopt", str(source), "-o", str(tmp_path / "m")])
    fill(tmp_path / "m")
    build_epub(tmp_path / "m", tmp_path / "b.epub")
    assert_epubcheck_clean(tmp_path / "b.epub")


def test_adopt_reads_nothing_outside_the_source_folder(tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("# 机密\n\n不该出现。\n", "utf-8")
    (tmp_path / "secret.png").write_bytes(png())
    source = write_manuscript(
        tmp_path / "book",
        None,
        {
            "book.toml": '[book]\ntitle = "书"\n',
            "src/SUMMARY.md": "# Summary\n\n- [一](one.md)\n- [外](../../secret.md)\n",
            "src/one.md": (
                "# 一\n\n{{#include ../../secret.md}}\n\n![图](../../secret.png)\n\n"
                '<img src="../../secret.png" alt="图"/>\n'
            ),
        },
    )
    (source / "src" / "link").symlink_to(tmp_path, target_is_directory=True)
    result = adopt(source)
    text = "".join(v for v in result.files.values() if isinstance(v, str))
    assert "不该出现" not in text and "机密" not in text
    assert not any(name.startswith("images/") for name in result.files)
    report = "\n".join(what for _, _, what in result.report)
    assert "'../../secret.md' is outside the book folder: left out" in report
    assert "included file '../../secret.md' is not in the book" in report
    assert report.count("image '../../secret.png' is not in the book: left out") == 2

    hugo = write_manuscript(
        tmp_path / "site", None, {"hugo.toml": 'title = "站"\ncontentDir = "../"\n'}
    )
    with pytest.raises(EbookError):
        adopt(hugo)


def test_details_become_a_titled_box_and_comments_stay_unseen(tmp_path):
    source = write_manuscript(
        tmp_path / "book",
        None,
        {
            "book.toml": '[book]\ntitle = "书"\n',
            "src/SUMMARY.md": "# Summary\n\n- [一](one.md)\n",
            "src/one.md": (
                "# 一\n\n<!-- 英文原文：The original. -->\n\n正文。\n\n"
                "<details>\n<summary>答案</summary>\n\n这是**答案**。\n\n</details>\n"
            ),
        },
    )
    manuscript = tmp_path / "m"
    result = CliRunner().invoke(main, ["adopt", str(source), "-o", str(manuscript)])
    assert "one.md:7: <details> becomes a box titled by its <summary>" in result.output
    fill(manuscript)
    build_epub(manuscript, tmp_path / "b.epub")
    doc = open_epub(tmp_path / "b.epub").doc("one.xhtml")
    box = doc.find(".//h:div[@role='note']", NS)
    assert box.findtext("h:p[@class='alert-label']", namespaces=NS) == "答案"
    assert box.find("h:p/h:strong", NS).text == "答案"
    assert "The original" not in "".join(doc.find(".//h:section", NS).itertext())


def test_code_is_copied_as_it_is_links_and_site_syntax_in_it_untouched(tmp_path):
    """`handlers[0](event);` in code is no link (it became `handlers0;`), and a Liquid tag
    shown in code is an example, not the site's: code, fenced or inline, is copied as it is."""
    page = (
        "# 第一章 代码\n\n调用`handlers[0](event)`，见[第二章](two.md)。\n\n"
        "```js\nhandlers[0](event);\n{% raw %}\n```\n\n~~~\n![x](missing.png)\n~~~\n"
    )
    files = {
        "book.toml": '[book]\ntitle = "书"\nauthors = ["张三"]\nlanguage = "zh-CN"\n',
        "src/SUMMARY.md": "# Summary\n\n- [一](one.md)\n- [二](two.md)\n",
        "src/one.md": page,
        "src/two.md": "# 第二章\n\n文。\n",
    }
    source = write_manuscript(tmp_path / "site", None, files)
    result = adopt(source)
    text = result.files["one.md"]
    assert "调用`handlers[0](event)`，见[第二章](two.md)。" in text
    assert "```js\nhandlers[0](event);\n{% raw %}\n```" in text
    assert "~~~\n![x](missing.png)\n~~~" in text
    assert not any("missing.png" in what or "Liquid" in what for _, _, what in result.report)


def test_a_jekyll_sites_config_gives_the_title_author_and_language(tmp_path):
    """Jekyll's `_config.yml` (once misnamed `read_config.yml` in the code, so never read);
    one that is an alias bomb is refused and reported, not expanded."""
    from hostile.test_hostile_adopt import BOMB

    page = "# 第一章\n\n文。\n"
    files = {"_config.yml": "title: 网站之书\nauthor: 李四\nlang: zh-CN\n", "a.md": page}
    result = adopt(write_manuscript(tmp_path / "site", None, files))
    config = result.files["book.yaml"]
    assert 'title: "网站之书"' in config and "李四" in config and 'language: "zh-CN"' in config
    bombed = adopt(write_manuscript(tmp_path / "bomb", None, {"_config.yml": BOMB, "a.md": page}))
    assert ("_config.yml", 1, "not a valid settings file: its settings are not used") in [
        (str(where), line, str(what)) for where, line, what in bombed.report
    ]


def test_what_the_site_does_not_say_is_a_todo_that_never_builds(tmp_path):
    """A site without a title or an author: book.yaml says TODO, and `check` reports each as
    an error where it stands (a book titled TODO by TODO once reached the OPF and the CIP)."""
    source = write_manuscript(tmp_path / "site", None, {"a.md": "# 第一章\n\n文。\n"})
    manuscript = tmp_path / "m"
    CliRunner().invoke(main, ["adopt", str(source), "-o", str(manuscript)])
    fill(manuscript, names=False)
    result = CliRunner().invoke(main, ["check", str(manuscript)])
    assert result.exit_code == 1
    assert "error B003 'title' is still TODO" in result.output
    assert "error B003 'contributors.0.name' is still TODO" in result.output


MKDOCS = {
    "mkdocs.yml": (
        "site_name: 算法竞赛讲义\nsite_author: 王五\nsite_description: 一本写给初学者的讲义\n"
        "theme:\n  name: material\n  language: zh\n"
        "markdown_extensions:\n  - admonition\n  - footnotes\n  - pymdownx.details\n"
        "  - pymdownx.superfences\n  - pymdownx.tabbed:\n      alternate_style: true\n"
        "  - pymdownx.arithmatex:\n      generic: true\n  - pymdownx.snippets\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "nav:\n  - 前言: index.md\n  - 基础:\n      - 数论: math/number-theory.md\n"
        "      - 进阶:\n          - 图论: graph.md\n  - 外链: https://example.com/\n"
        "  - 附录: appendix.md\n"
    ),
    "docs/index.md": "# 前言\n\n本书的前言。\n",
    "docs/math/number-theory.md": (
        "数论研究整数。\n\n"
        '!!! note "定义"\n    若 $a$ 整除 $b$，记作 $a \\mid b$。\n\n    第二段[^1]。\n\n'
        "    !!! warning\n        嵌套的警告。\n\n"
        '??? tip "提示"\n    折叠的提示。\n\n'
        '=== "C++"\n    ```cpp\n    int main() {}\n    ```\n\n'
        "```text\n!!! note 这是代码里的示例\n```\n\n"
        '--8<-- "snippets/abbr.md"\n\n[^1]: 一条注释，足够长的文字。\n'
    ),
    "docs/graph.md": "# 图论\n\n图由顶点和边组成。\n",
    "docs/appendix.md": "# 附录\n\n附录文字。\n",
    "docs/unlisted.md": "# 不在导航中\n\n文。\n",
    "snippets/abbr.md": "缩写：GCD 表示最大公约数。\n",
}


def test_an_mkdocs_site_keeps_its_nav_name_and_its_pages_boxes(tmp_path):
    """MkDocs: the book's title, author, description and language from mkdocs.yml (a
    `!!python/name:` tag does not make it unreadable), the chapters in the nav's order with
    its titles and sections as parts, and Python-Markdown's admonitions, pymdown's details and
    tabs as boxes (nested ones too), a snippet in its place; code stays as it is."""
    source = write_manuscript(tmp_path / "site", None, MKDOCS)
    result = adopt(source)
    config = result.files["book.yaml"]
    for line in (
        'title: "算法竞赛讲义"',
        'language: "zh"',
        '"王五"',
        'description: "一本写给初学者的讲义"',
    ):
        assert line in config
    chapters = config.split("chapters:\n")[1].split()
    assert chapters == [
        "-",
        "index.md",
        "-",
        "part-1.md",
        "-",
        "math-number-theory.md",
        "-",
        "graph.md",
        "-",
        "appendix.md",
    ]
    page = result.files["math-number-theory.md"]
    assert 'title: "数论"' in page  # the nav's title: the page has no heading of its own
    assert (
        ":::: note 定义\n若 $a$ 整除 $b$，记作 $a \\mid b$。\n\n第二段[^1]。\n\n::: warning Warning\n嵌套的警告。\n:::\n::::"
        in page
    )
    assert "::: tip 提示\n折叠的提示。\n:::" in page
    assert "::: note C++\n```cpp\nint main() {}\n```\n:::" in page
    assert "```text\n!!! note 这是代码里的示例\n```" in page
    assert "缩写：GCD 表示最大公约数。" in page
    report = [(where, line, str(what)) for where, line, what in result.report]
    assert ("math/number-theory.md", 3, "an admonition becomes a box") in report
    assert (
        "math/number-theory.md",
        11,
        "a collapsible block becomes a box (an e-reader does not fold it)",
    ) in report
    assert (
        "mkdocs.yml",
        0,
        "nav link 'https://example.com/' leads out of the site: left out",
    ) in report
    assert ("unlisted.md", 0, "not in the site's nav: left out") in report
    # Each page rendered as the site renders it (Python-Markdown with these extensions) has
    # the chapter's text blocks: no block reads otherwise.
    assert not [line for line in report if "«" in line[2] or "otherwise" in line[2]], report
    manuscript = tmp_path / "m"
    CliRunner().invoke(main, ["adopt", str(source), "-o", str(manuscript)])
    fill(manuscript)
    build_epub(manuscript, tmp_path / "b.epub")
    epub = open_epub(tmp_path / "b.epub")
    doc = epub.doc("math-number-theory.xhtml")
    boxes = doc.findall(".//h:div[@role='note']", NS)
    labels = [b.findtext("h:p[@class='alert-label']", namespaces=NS) for b in boxes]
    assert labels == ["定义", "Warning", "提示", "C++"]
    assert boxes[1].getparent() is boxes[0]  # the warning stays inside the note
    assert doc.find(".//h:math", {"h": "http://www.w3.org/1998/Math/MathML"}) is not None
    toc = epub.doc("nav.xhtml").find(".//h:nav[@epub:type='toc']/h:ol", NS)
    assert [li.findtext("h:a", namespaces=NS) for li in toc.findall("h:li", NS)] == [
        "前言",
        "基础",
        "附录",
    ]


def test_a_docsify_site_keeps_its_name_home_page_and_sidebar(tmp_path):
    """docsify: the name in index.html's window.$docsify, the home page (README.md) first,
    then _sidebar.md's order with its groups as parts and its extensionless links."""
    files = {
        "docs/index.html": (
            "<script>window.$docsify = { name: '数据结构教程', loadSidebar: true }</script>\n"
        ),
        "docs/README.md": "# 欢迎\n\n首页。\n",
        "docs/_sidebar.md": (
            "- 基础\n  - [线性表](basic/list)\n  - [栈](basic/stack.md)\n"
            "- 进阶\n  - [树](/advanced/)\n"
        ),
        "docs/basic/list.md": "# 线性表\n\n见[栈](stack.md)。\n",
        "docs/basic/stack.md": "# 栈\n\n后进先出。\n",
        "docs/advanced/README.md": "# 树\n\n树是图。\n",
    }
    result = adopt(write_manuscript(tmp_path / "site", None, files))
    config = result.files["book.yaml"]
    assert 'title: "数据结构教程"' in config
    chapters = [line[4:] for line in config.split("chapters:\n")[1].splitlines() if line]
    assert chapters == [
        "readme.md",
        "part-1.md",
        "basic-list.md",
        "basic-stack.md",
        "part-2.md",
        "advanced-readme.md",
    ]
    assert result.files["part-1.md"].endswith("# 基础\n")
    assert "见[栈](basic-stack.md)。" in result.files["basic-list.md"]
    # Without a name in index.html, the cover page's heading is the title.
    files["docs/index.html"] = "<script>window.$docsify = { coverpage: true }</script>\n"
    files["docs/_coverpage.md"] = "# 数据结构 <small>第2版</small>\n\n> 一本教程\n"
    again = adopt(write_manuscript(tmp_path / "covered", None, files))
    assert 'title: "数据结构"' in again.files["book.yaml"]


VITEPRESS = {
    "docs/.vitepress/config.mts": (
        "import { defineConfig, type DefaultTheme } from 'vitepress'\n"
        "import { plugin } from './plugin'\n\n"
        "export default defineConfig({\n  lang: 'zh-CN',\n  title: 'Vue.js',\n"
        "  description: `渐进式 JavaScript 框架`,\n  srcDir: 'src',\n  base: '/vue/',\n"
        "  markdown: { config(md) { md.use(plugin) } },\n"
        "  themeConfig: {\n    nav,\n    sidebar: {\n      '/guide/': sidebarGuide(),\n"
        "      '/api/': [{ text: 'API 参考', items: [{ text: '应用实例', link: '/api/application' }] }],\n"
        "    },\n    footer: { copyright: `© ${new Date().getFullYear()}` },\n  },\n})\n\n"
        "function sidebarGuide(): DefaultTheme.SidebarItem[] {\n  return [\n"
        "    {\n      text: '开始', // the first group\n      items: [\n"
        "        { text: '简介', link: '/guide/introduction' },\n"
        "        { text: '快速上手', link: '/guide/quick-start.html' },\n      ],\n    },\n"
        "    { text: '外部', link: 'https://github.com/vuejs' },\n  ]\n}\n"
    ),
    "docs/src/index.md": "---\nlayout: home\n---\n",
    "docs/src/guide/introduction.md": "# 简介\n\n见[快速上手](/guide/quick-start#安装)。\n\n## 安装\n\n文。\n",
    "docs/src/guide/quick-start.md": "# 快速上手\n\n## 安装\n\n文。\n",
    "docs/src/api/application.md": "# 应用实例\n\n回到[简介](/vue/guide/introduction)。\n",
    "README.md": "# 仓库说明\n\n这不是书的一页。\n",
}


def test_a_vitepress_site_keeps_its_title_srcdir_and_sidebar(tmp_path):
    """VitePress: the config read without running it (a `defineConfig` call, a sidebar a
    function of the file returns, computed values left alone), pages under `srcDir`, the
    sidebar's order and groups, site links by its rules; the repository's README is no page."""
    result = adopt(write_manuscript(tmp_path / "site", None, VITEPRESS))
    config = result.files["book.yaml"]
    assert 'title: "Vue.js"' in config and 'language: "zh-CN"' in config
    assert 'description: "渐进式 JavaScript 框架"' in config
    chapters = [line[4:] for line in config.split("chapters:\n")[1].splitlines() if line]
    assert chapters == [
        "part-1.md",
        "guide-introduction.md",
        "guide-quick-start.md",
        "part-2.md",
        "api-application.md",
    ]
    assert result.files["part-1.md"].endswith("# 开始\n")
    assert "见[快速上手](guide-quick-start.md#" in result.files["guide-introduction.md"]
    assert "回到[简介](guide-introduction.md)。" in result.files["api-application.md"]
    report = [(where, str(what)) for where, _, what in result.report]
    assert (
        "docs/.vitepress/config.mts",
        "nav link 'https://github.com/vuejs' leads out of the site: left out",
    ) in report
    assert ("index.md", "not in the site's nav: left out") in report


def test_a_docusaurus_site_keeps_its_title_and_sidebars(tmp_path):
    files = {
        "docusaurus.config.js": (
            "module.exports = {\n  title: '教程',\n  tagline: '一本书',\n"
            "  i18n: { defaultLocale: 'zh-Hans', locales: ['zh-Hans'] },\n  presets: [],\n};\n"
        ),
        "sidebars.js": (
            "module.exports = {\n  tutorialSidebar: [\n    'intro',\n"
            "    { type: 'category', label: '基础', items: ['basics/setup', { type: 'doc', id: 'basics/use', label: '使用' }] },\n"
            "    { type: 'link', label: 'GitHub', href: 'https://github.com' },\n  ],\n};\n"
        ),
        "docs/intro.md": "# 介绍\n\n文。\n",
        "docs/01-basics/01-setup.md": "# 安装\n\n文。\n",
        "docs/01-basics/use.mdx": "---\nid: use\n---\n\n# 使用\n\n文。\n",
    }
    result = adopt(write_manuscript(tmp_path / "site", None, files))
    config = result.files["book.yaml"]
    assert 'title: "教程"' in config and 'language: "zh-Hans"' in config
    chapters = [line[4:] for line in config.split("chapters:\n")[1].splitlines() if line]
    assert chapters == ["intro.md", "part-1.md", "c-01-basics-01-setup.md", "c-01-basics-use.md"]


def test_the_sites_machinery_goes_and_its_text_stays(tmp_path):
    """Vue/MDX components and scripts go, code groups and custom containers leave their
    text (a tab's label over its code), a JSX image becomes an image, and the `图 6-1 …` line
    after an image its caption."""
    page = (
        "# 第六章 组件\n\n<script setup>\nimport Demo from './Demo.vue'\n</script>\n\n"
        "::: code-group\n\n```js [a.js]\nlet a = 1\n```\n\n:::\n\n"
        ":::center\n居中的文字。\n:::\n\n::: tip 提示\n保留的提示。\n:::\n\n"
        "<Demo />\n\n"
        '<img src={require("./figs/arch.png").default} alt="架构" />\n\n'
        "![](figs/flow.png)\n图 6-1 办事流程\n\n"
        '<center><img src="figs/arch.png" width="300"></center>\n'
        "<center>图 6-2 <i>中心</i>架构</center>\n\n"
        '<div align=center>\n<img src="figs/flow.png"/>\n</div>\n'
        "<div align=center>图 6-3 `代码`在题注里</div>\n\n正文。\n"
    )
    files = {
        "book.toml": '[book]\ntitle = "书"\nauthors = ["张三"]\n',
        "src/SUMMARY.md": "# Summary\n\n- [组件](ch6.md)\n",
        "src/ch6.md": page,
        "src/figs/arch.png": png(),
        "src/figs/flow.png": png(),
    }
    result = adopt(write_manuscript(tmp_path / "site", None, files))
    text = result.files["ch6.md"]
    assert "<script" not in text and "import Demo" not in text and "<Demo" not in text
    # Each tab of a code group under its label, in bold (a book shows every tab).
    assert "code-group" not in text and "**a.js**\n```js\nlet a = 1\n```" in text
    assert ":::center" not in text and "居中的文字。" in text
    assert "::: tip 提示\n保留的提示。\n:::" in text
    assert "![架构](images/figs/arch.png)" in text
    assert '![图 6-1 办事流程](images/figs/flow.png "图 6-1 办事流程")' in text
    assert "\n图 6-1 办事流程\n" not in text
    # A centred <img> and the centred caption after it: a figure, the caption as plain text.
    assert '![图 6-2 中心架构](images/figs/arch.png "图 6-2 中心架构")' in text
    assert "<center>" not in text
    # A caption holding code stays as written (a figure's title is plain text).
    assert "<div align=center>图 6-3 `代码`在题注里</div>" in text
    manuscript = tmp_path / "m"
    CliRunner().invoke(main, ["adopt", str(tmp_path / "site"), "-o", str(manuscript)])
    fill(manuscript)
    build_epub(manuscript, tmp_path / "b.epub")
    doc = open_epub(tmp_path / "b.epub").doc("ch6.xhtml")
    captions = [c.text for c in doc.iterfind(".//h:figure/h:figcaption", NS)]
    assert captions == ["图 6-1 办事流程", "图 6-2 中心架构"]


def test_a_block_that_reads_otherwise_than_on_the_site_is_reported(tmp_path):
    """pymdownx.keys shows `++ctrl+alt+del++` as Ctrl+Alt+Del; adopt does not convert it, and
    the comparison with the site's own rendering says so, by page, with the total."""
    files = {
        "mkdocs.yml": "site_name: 书\nmarkdown_extensions:\n  - pymdownx.keys\n  - unknown.extension\n",
        "docs/index.md": "# 快捷键\n\n按 ++ctrl+alt+del++ 重启。\n\n其余相同。\n",
    }
    result = adopt(write_manuscript(tmp_path / "site", None, files))
    report = [(where, str(what)) for where, _, what in result.report]
    assert ("index.md", "the site shows «按 Ctrl+Alt+Del 重启。», the book does not") in report
    assert ("index.md", "the book has «按 ++ctrl+alt+del++ 重启。», the site does not") in report
    assert ("index.md", "2 blocks read otherwise than on the site") in report
    assert (
        "mkdocs.yml",
        "markdown extension 'unknown.extension' cannot be loaded here: what it does is not compared",
    ) in report


def test_each_site_is_read_in_its_own_dialect_when_compared(tmp_path):
    """The comparison reads a VitePress page as markdown-it does (strict CommonMark: `**`
    after a full-width bracket and before a Chinese character does not close, and the site
    shows the asterisks, where the manuscript's CJK rule makes bold), a docsify page as marked
    does (bold there too: no difference), an mdBook page after its includes and hidden lines
    (its `$` is no formula there), a VitePress container and code group with their titles and
    labels."""
    emphasis = "**重点（注）**之后。\n"
    vitepress = {
        ".vitepress/config.mts": "export default { title: '书' }\n",
        "index.md": "# 一\n\n" + emphasis + "\n::: tip 注意\n内容。\n:::\n\n"
        "::: code-group\n\n```sh [npm]\nnpm i\n```\n\n```sh [pnpm]\npnpm i\n```\n:::\n",
    }
    result = adopt(write_manuscript(tmp_path / "vp", None, vitepress))
    report = [str(what) for _, _, what in result.report]
    assert "the site shows «**重点（注）**之后。», the book does not" in report
    assert "the book has «重点（注）之后。», the site does not" in report
    assert "2 blocks read otherwise than on the site" in report
    docsify = {
        "index.html": "<script>window.$docsify = { name: '书' }</script>\n",
        "README.md": "# 一\n\n" + emphasis,
    }
    result = adopt(write_manuscript(tmp_path / "ds", None, docsify))
    assert not [w for _, _, w in result.report if "otherwise than on the site" in str(w)]
    mdbook = {
        "book.toml": '[book]\ntitle = "书"\n',
        "src/SUMMARY.md": "- [一](a.md)\n",
        "src/a.md": "# 一\n\n花费 $5 或 $6。\n\n> ```console\n> $ cargo run\n> ```\n\n"
        "```rust\n{{#include x.rs}}\n```\n",
        "src/x.rs": "# fn hidden() {}\nfn main() {}\n",
    }
    result = adopt(write_manuscript(tmp_path / "mb", None, mdbook))
    assert not [w for _, _, w in result.report if "otherwise than on the site" in str(w)]
    chapter = result.files["a.md"]
    assert "fn hidden" not in chapter and "fn main() {}" in chapter
    # mdBook typesets no `$…$`: the dollars stay dollars (escaped, not in code).
    assert "花费 \\$5 或 \\$6。" in chapter and "> $ cargo run" in chapter


def test_what_the_vue_guide_holds_reads_as_its_site_shows_it(tmp_path):
    """Found by comparing the whole Vue.js guide (121 pages) with its adopted chapters: a link
    written `(<…_(LRU)>)`, a component inside a `<div>` (taking its lines out must not end the
    HTML block: the indented text after would be code), an image from VitePress's `public/`
    folder. Each reads as on the site: no block differs."""
    files = {
        ".vitepress/config.mts": "export default { title: '书', srcDir: 'src' }\n",
        "src/index.md": "# 一\n\n见 [LRU 缓存](<https://en.wikipedia.org/wiki/C#Least_(LRU)>)。\n\n"
        '<div>\n  <VueSchoolLink href="https://vueschool.io/x" title="课">\n'
        "    在 Vue School 上观看免费的视频课程\n  </VueSchoolLink>\n</div>\n\n"
        '<img src="/images/logo.png" alt="标志">\n',
        "src/public/images/logo.png": png(),
    }
    result = adopt(write_manuscript(tmp_path / "site", None, files))
    text = result.files["index.md"]
    assert "[LRU 缓存](<https://en.wikipedia.org/wiki/C#Least_(LRU)>)" in text
    assert "VueSchoolLink" not in text and "<!-- -->\n    在 Vue School" in text
    assert 'src="images/public/images/logo.png"' in text
    assert "images/public/images/logo.png" in result.files
    assert not [w for _, _, w in result.report if "otherwise than on the site" in str(w)]
    manuscript = tmp_path / "m"
    CliRunner().invoke(main, ["adopt", str(tmp_path / "site"), "-o", str(manuscript)])
    fill(manuscript)
    build_epub(manuscript, tmp_path / "b.epub")
    doc = open_epub(tmp_path / "b.epub").doc("index.xhtml")
    assert doc.find(".//h:pre", NS) is None  # no text turned into code
    (link,) = [a for a in doc.iterfind(".//h:a", NS) if "".join(a.itertext()) == "LRU 缓存"]
    assert link.get("href") == "https://en.wikipedia.org/wiki/C#Least_(LRU)"


@pytest.mark.parametrize("sidebar", ["", "themeConfig: { sidebar: 'auto' }"])
def test_a_site_without_a_sidebar_list_is_read_by_its_folders(sidebar, tmp_path):
    """No sidebar, or VuePress's `sidebar: 'auto'` (a page's own headings): the pages come in
    the order of their folders, each folder's index page first with its pages under it."""
    files = {
        ".vitepress/config.mts": f"export default {{ title: '书', {sidebar} }}\n",
        "index.md": "# 首页\n\n文。\n",
        "guide/b.md": "# 乙\n\n文。\n",
        "guide/a.md": "# 甲\n\n文。\n",
        "guide/index.md": "# 指南\n\n文。\n",
        "api/index.md": "# 接口\n\n文。\n",
    }
    result = adopt(write_manuscript(tmp_path / "site", None, files))
    chapters = re.findall(r"(?m)^  - (\S+)$", result.files["book.yaml"])
    assert chapters == ["index.md", "api-index.md", "guide-index.md", "guide-a.md", "guide-b.md"]
    assert "kind: section" in result.files["guide-a.md"]
    auto = [str(w) for _, _, w in result.report if "sidebar 'auto'" in str(w)]
    assert auto == (["sidebar 'auto': the pages in the order of their folders"] if sidebar else [])
    assert not [w for _, _, w in result.report if "does not exist" in str(w)]


def test_a_vuepress_sidebar_of_paths_and_pairs(tmp_path):
    """VuePress 1: `module.exports`, sidebar items as paths, `[path, title]` pairs and groups
    with `children`; `/guide/` is the folder's README.md."""
    files = {
        "docs/.vuepress/config.js": (
            "module.exports = {\n  title: '指南书',\n  themeConfig: {\n    sidebar: [\n"
            "      '/',\n      ['/guide/', '指南'],\n"
            "      { title: '进阶', children: ['/advanced/a', ['/advanced/b.html', '乙']] },\n"
            "    ],\n  },\n}\n"
        ),
        "docs/README.md": "# 首页\n\n文。\n",
        "docs/guide/README.md": "# 指南\n\n文。\n",
        "docs/advanced/a.md": "# 甲\n\n文。\n",
        "docs/advanced/b.md": "# 乙\n\n文。\n",
    }
    result = adopt(write_manuscript(tmp_path / "site", None, files))
    config = result.files["book.yaml"]
    assert 'title: "指南书"' in config
    chapters = [line[4:] for line in config.split("chapters:\n")[1].splitlines() if line]
    assert chapters == [
        "readme.md",
        "guide-readme.md",
        "part-1.md",
        "advanced-a.md",
        "advanced-b.md",
    ]
