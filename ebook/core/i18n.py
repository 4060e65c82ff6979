"""The language the tool speaks to its user: English, or Chinese by `--lang zh` or a Chinese
locale (LANG=zh_CN.UTF-8). Messages are gettext message ids in English; the Chinese catalogue
is `locale/zh_CN/LC_MESSAGES/ebook.po`, compiled to the `.mo` next to it (a test keeps the
two equal and checks that every message of the tool has its translation).

Findings keep their English template and arguments, and are put into words when shown, so
a finding replayed from the cache speaks the language of the run that shows it.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "ebook"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("en", "zh")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def choose_language(requested: str | None = None) -> str:
    """`requested` (en, zh, zh-CN…), else the locale of the environment, else English."""
    if not requested:
        for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
            if os.environ.get(name):
                requested = os.environ[name]
                break
    return "zh" if (requested or "").lower().startswith("zh") else "en"


def set_language(requested: str | None = None) -> str:
    """Speak `requested` (or the locale's language) from now on; return which it is."""
    global _translations, _language
    _language = choose_language(requested)
    if _language == "zh":
        _translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"])
    else:
        _translations = gettext.NullTranslations()
    return _language


def language() -> str:
    return _language


def _(message: str) -> str:
    """`message` in the user's language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translations.ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark a message for translation where it is defined; `_` translates it where shown."""
    return message


def words(template: str, arguments: dict) -> str:
    """A template in the user's language, filled in. Arguments that are themselves messages
    of the tool ("a list", "text") are translated too; any other text has no entry in the
    catalogue and stays as it is."""
    text = _(template)
    return text.format(**{k: _(v) if isinstance(v, str) else v for k, v in arguments.items()})


def say(template: str, **arguments: object) -> str:
    """An English template, filled in and put into the user's language now (for reports made
    and shown in one run, like the import report)."""
    return words(template, arguments)


def click_speaks(language: str) -> None:
    """Click's own words (`Usage:`, `Error:`, `Aborted!`, --help's headings) in `language`, from
    the tool's catalogue of them (`locale/zh_CN/LC_MESSAGES/click.po`). Click asks gettext's
    global domain, which finds its catalogue by the LANGUAGE variable: for the command line
    only, never for the library."""
    gettext.bindtextdomain("click", str(LOCALE_DIR))
    gettext.textdomain("click")
    os.environ["LANGUAGE"] = "zh_CN" if language == "zh" else "en"
