"""Every word the tool writes into a book or a report, in each language it writes.

One table per language with the same keys (a test keeps them equal): a book in any other
language gets the English words. Templates take their values by name. The CIP block and the
colophon are not here: GB/T 12451 prescribes them in Chinese whatever the book's language.
"""

from __future__ import annotations

import re

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        # Generated pages and the navigation document.
        "toc": "目录",
        "landmarks": "导览",
        "titlepage": "扉页",
        "copyright-page": "版权页",
        "bodymatter": "正文",
        "cover": "封面",
        "revisions": "修订说明",
        "notes": "注释",
        "page-list": "页码",
        "alert_note": "注意",
        "alert_tip": "提示",
        "alert_important": "重要",
        "alert_warning": "警告",
        "alert_caution": "小心",
        "revision_edition": "第{edition}版（{date}）",
        "earlier_addresses": "旧版地址",
        "earlier_place": "（前一版中的位置）",
        "note_place": "注释",
        "earlier_position": "原位置",
        "chapter_is_now": "本章现为：",
        "section_moved_to": "本节已移至：",
        # The accessibility summary of the package metadata.
        "a11y_text": "本书为可重排文本，正文以标题层级组织，附可导航的多级目录",
        "a11y_notes": "；共{count}条注释，以弹出式脚注链接，并可返回引用处",
        "a11y_alts": "；图片均有替代文字",
        "a11y_pages": "；标有纸书页码，可按页码跳转",
        "a11y_no_alts": "；含无替代文字的图片",
        "a11y_end": "。",
        "a11y_conforms": "本书符合 EPUB 无障碍 1.1 与 WCAG 2.1 AA 级要求（经制作工具的全部检查）。",
        "a11y_no_claim": "未声明符合无障碍标准。",
        # `ebook diff`.
        "metadata": "元数据",
        # The metadata `diff` compares, by the name of each field.
        "meta_title": "书名",
        "meta_identifier": "标识符",
        "meta_isbn": "ISBN",
        "meta_date": "出版日期",
        "meta_edition": "版本",
        "meta_cip_number": "CIP 数据核字号",
        "meta_cip_description": "CIP 著录",
        "meta_cip_data": "CIP 检索数据",
        "meta_printing": "版次与印次",
        "meta_publisher": "出版者",
        "meta_language": "语种",
        "meta_contributors": "责任者",
        "added": "新增",
        "removed": "删除",
        "renamed": "更名",
        "changed": "修改",
        "chapter": "章",
        "section_added": "新增小节",
        "section_removed": "删除小节",
        "section_renamed": "小节更名",
        "section_moved": "小节移动",
        "section_renumbered": "小节重新编号",
        "section_moved_in": "小节移入",
        "text_moved": "移动",
        "split": "由 {} 拆分而来",
        "merged": "并入 {}",
        "note_added": "新增注释",
        "note_removed": "删除注释",
        "note_changed": "修改注释",
        "note_moved_in": "注释移入",
        "text_changed": "修改",
        "text_added": "新增",
        "text_removed": "删除",
        "block_paragraph": "段落",
        "block_list item": "列表项",
        "block_table cell": "表格单元格",
        "block_caption": "图表题",
        "block_term": "术语",
        "block_definition": "释义",
        "block_quote": "引文",
        "block_code": "代码",
        "block_formula": "公式",
        "block_image": "图片",
        "vanished": "旧版锚点已不存在（读者书签会失效）",
        "no_changes": "两版内容相同",
        "draft": "第{}版修订说明（草稿）",
        "file_renamed": "文件改名",
        "source_moved": "稿件文件",
        # Numbered figures, tables, equations and listings; lists of them; the index.
        "number_fig": "图{}",
        "number_tbl": "表{}",
        "number_eq": "式（{}）",
        "number_lst": "代码{}",
        "equation_number": "（{}）",
        "caption_gap": "\u3000",
        "reference_join": "、",
        "list_of_figures": "图目录",
        "list_of_tables": "表目录",
        "loi": "图目录",
        "lot": "表目录",
        "index_see": "见",
        "index_see_also": "另见",
        "index_locators": "，",
        "index_xrefs": "；",
        "index_symbols": "符号与数字",
        "index_strokes": "{}画",
        "renumbered": "重新编号",
        # Citations (render/bibliography.py).
        "references": "参考文献",
        "ibid": "同上",
        "same_as": "同{}",
    },
    "en": {
        "toc": "Contents",
        "landmarks": "Landmarks",
        "titlepage": "Title Page",
        "copyright-page": "Copyright",
        "bodymatter": "Start of Content",
        "cover": "Cover",
        "revisions": "Revision History",
        "notes": "Notes",
        "page-list": "Pages",
        "alert_note": "Note",
        "alert_tip": "Tip",
        "alert_important": "Important",
        "alert_warning": "Warning",
        "alert_caution": "Caution",
        "revision_edition": "Edition {edition} ({date})",
        "earlier_addresses": "Earlier addresses",
        "earlier_place": " (where an earlier edition had it)",
        "note_place": "note",
        "earlier_position": "earlier position",
        "chapter_is_now": "This chapter is now: ",
        "section_moved_to": "This section has moved to: ",
        "a11y_text": (
            "Reflowable text structured by headings, with a navigable nested table of contents"
        ),
        "a11y_notes": "; its notes ({count}) are linked as popup footnotes with links back",
        "a11y_alts": "; all images have text alternatives",
        "a11y_pages": "; the print edition's page numbers are marked and can be gone to",
        "a11y_no_alts": "; some images lack text alternatives",
        "a11y_end": ".",
        "a11y_conforms": (
            " It meets EPUB Accessibility 1.1 and WCAG 2.1 Level AA, as far as every check of"
            " the tool that made it goes."
        ),
        "a11y_no_claim": " It does not claim conformance to an accessibility standard.",
        "metadata": "Metadata",
        "meta_title": "title",
        "meta_identifier": "identifier",
        "meta_isbn": "ISBN",
        "meta_date": "date",
        "meta_edition": "edition",
        "meta_cip_number": "CIP number",
        "meta_cip_description": "CIP description",
        "meta_cip_data": "CIP data",
        "meta_printing": "edition and printing",
        "meta_publisher": "publisher",
        "meta_language": "language",
        "meta_contributors": "contributors",
        "added": "added",
        "removed": "removed",
        "renamed": "renamed",
        "changed": "changed",
        "chapter": "chapter",
        "section_added": "section added",
        "section_removed": "section removed",
        "section_renamed": "section renamed",
        "section_moved": "section moved",
        "section_renumbered": "section renumbered",
        "section_moved_in": "section moved here",
        "text_moved": "moved",
        "split": "split from {}",
        "merged": "merged into {}",
        "note_added": "note added",
        "note_removed": "note removed",
        "note_changed": "note changed",
        "note_moved_in": "note moved here",
        "text_changed": "changed",
        "text_added": "added",
        "text_removed": "removed",
        "block_paragraph": "paragraph",
        "block_list item": "list item",
        "block_table cell": "table cell",
        "block_caption": "caption",
        "block_term": "term",
        "block_definition": "definition",
        "block_quote": "quotation",
        "block_code": "code",
        "block_formula": "formula",
        "block_image": "image",
        "vanished": "Anchors of the old edition that are gone (bookmarks would break)",
        "no_changes": "The editions have the same content",
        "draft": "Revisions for edition {} (draft)",
        "file_renamed": "file renamed",
        "source_moved": "manuscript file",
        "number_fig": "Figure {}",
        "number_tbl": "Table {}",
        "number_eq": "Equation ({})",
        "number_lst": "Listing {}",
        "equation_number": "({})",
        "caption_gap": " ",
        "reference_join": ", ",
        "list_of_figures": "List of Figures",
        "list_of_tables": "List of Tables",
        "loi": "List of Figures",
        "lot": "List of Tables",
        "index_see": "see",
        "index_see_also": "see also",
        "index_locators": ", ",
        "index_xrefs": "; ",
        "index_symbols": "Symbols and numbers",
        "index_strokes": "{} strokes",
        "renumbered": "renumbered",
        "references": "References",
        "ibid": "Ibid",
        "same_as": "See note {}",
    },
}


def is_chinese(language: str) -> bool:
    return language.split("-")[0].lower() == "zh"


def labels_for(language: str) -> dict[str, str]:
    """The words for a book (or report) in `language`: Chinese or, for any other, English."""
    return LABELS["zh" if is_chinese(language) else "en"]


def year_month(date: str) -> str:
    """'2017-02' as Chinese print writes it: '2017年2月'."""
    match = re.match(r"^(\d{4})(?:-(\d{2}))?", date)
    if not match:
        return date
    year, month = match.groups()
    return f"{year}年{int(month)}月" if month else f"{year}年"


def format_date(language: str, date: str) -> str:
    """A W3C date in the words of `language` (Chinese print's 年月; the date itself otherwise)."""
    return year_month(date) if is_chinese(language) else date
