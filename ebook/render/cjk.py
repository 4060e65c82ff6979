"""CommonMark made friendly to Chinese (and Japanese and Korean) text.

Two rules, each where CommonMark was written for languages that put spaces between words:

- Emphasis next to full-width punctuation (`这是**“重点”**内容`): the flanking rules of the
  CommonMark CJK-friendly amendments (github.com/tats-u/markdown-cjk-friendly,
  specification.md): a CJK character beside a delimiter run counts like punctuation where
  that lets the run open or close, and a CJK punctuation mark no longer blocks it. Text
  without CJK characters is read exactly as CommonMark reads it.
- A soft line break: CSS Text Level 3 (4.1.3, segment break transformation) removes it when
  the characters on both sides are East Asian wide, full-width or half-width and neither is
  Hangul; otherwise it is a space. The source's line break inside a Chinese sentence then
  adds no visible space in a reader.

markdown-it-py's own emphasis rule is replaced through its public ruler (`ruler.at`): the rule
below is the same tokenizer with the amended flanking test.
"""

from __future__ import annotations

import unicodedata

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Delimiter, StateInline

_WIDE = frozenset("WFH")
# Hangul is CJK for emphasis (the amendments) but keeps its spaces at line breaks (CSS Text).
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF))
# Emoji are wide but not CJK text (the amendments leave out emoji-presentation characters).
_EMOJI = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2300, 0x23FF), (0x2B00, 0x2BFF))


def _within(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def is_hangul(char: str) -> bool:
    return bool(char) and _within(ord(char), _HANGUL)


def is_cjk(char: str) -> bool:
    """A CJK character as the amendments define it: East Asian Width W, F or H and not an
    emoji, or Hangul."""
    if not char:
        return False
    code = ord(char)
    if code < 0x1100:
        return False  # fast path: Latin, Greek, Cyrillic… are never CJK
    if is_hangul(char):
        return True
    return unicodedata.east_asian_width(char) in _WIDE and not _within(code, _EMOJI)


def _is_punctuation(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def flanking(before: str, after: str) -> tuple[bool, bool]:
    """(left-flanking, right-flanking) of a delimiter run between `before` and `after` (a
    space at the start or end of the text), by the CJK-friendly amendments."""
    before_space, after_space = isWhiteSpace(ord(before)), isWhiteSpace(ord(after))
    before_cjk, after_cjk = is_cjk(before), is_cjk(after)
    # Only punctuation that is not CJK blocks a run (2a); CJK text on the far side lets a run
    # next to punctuation open or close (2b).
    after_blocks = _is_punctuation(after) and not after_cjk
    before_blocks = _is_punctuation(before) and not before_cjk
    left = not after_space and (
        not after_blocks or before_space or _is_punctuation(before) or before_cjk
    )
    right = not before_space and (
        not before_blocks or after_space or _is_punctuation(after) or after_cjk
    )
    return left, right


def _emphasis(state: StateInline, silent: bool) -> bool:
    """markdown-it's emphasis tokenizer (each marker a text token and a delimiter), with the
    amended flanking test."""
    start = state.pos
    marker = state.src[start]
    if silent or marker not in ("_", "*"):
        return False
    end = start
    while end < state.posMax and state.src[end] == marker:
        end += 1
    before = state.src[start - 1] if start > 0 else " "
    after = state.src[end] if end < state.posMax else " "
    left, right = flanking(before, after)
    if marker == "*":
        can_open, can_close = left, right
    else:
        # `_` does not open or close inside a word (CommonMark rules 2, 3, 6 and 7).
        can_open = left and (not right or _is_punctuation(before))
        can_close = right and (not left or _is_punctuation(after))
    length = end - start
    for _ in range(length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(
            Delimiter(
                marker=ord(marker),
                length=length,
                token=len(state.tokens) - 1,
                end=-1,
                open=can_open,
                close=can_close,
            )
        )
    state.pos = end
    return True


def joins_without_space(before: str, after: str) -> bool:
    """Whether a line break between these characters disappears (CSS Text 3, 4.1.3)."""
    return (
        is_cjk(before)
        and is_cjk(after)
        and not is_hangul(before)
        and not is_hangul(after)
        and unicodedata.east_asian_width(before) in _WIDE
        and unicodedata.east_asian_width(after) in _WIDE
    )


def cjk_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.at("emphasis", _emphasis)
