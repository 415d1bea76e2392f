"""Official-writing lint: problems in the text itself, as warnings.

Pure functions over one text.  The reader runs them on every text it reads
and turns each :class:`Finding` into a positioned warning; a finding with a
``replacement`` is a safe fix ``doctools check --fix`` can apply.

* half-width punctuation in Chinese text: , : ; ( ) ! ? → ，：；（）！？
  (a colon in a web address stays);
* doubled punctuation: "，，" "。。" "、、" …;
* unbalanced pairs: 《》 （） “” ‘’ 〔〕 【】;
* a placeholder ``【待填写…】`` that ``doctools new`` wrote and nobody has replaced yet.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import List, Optional

from ..i18n import N_, _

HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}
PAIRS = [("《", "》"), ("（", "）"), ("“", "”"), ("‘", "’"), ("〔", "〕"), ("【", "】")]
_DOUBLED = re.compile(r"([，。、；：！？])\1+")
PLACEHOLDER = "【待填写】"
_PLACEHOLDER = re.compile(r"【待填写[^】]*】")
_URL = re.compile(r"(https?|ftp)://\S*|[\w.-]+@[\w.-]+|www\.\S*")


@dataclass(frozen=True)
class Finding:
    index: int                       # where in the text
    text: str                        # the characters found
    message: str                     # in the active language, or a message id marked with N_ (looked up when reported)
    replacement: Optional[str] = None


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _chinese_context(text: str, i: int) -> bool:
    before = text[:i].rstrip()
    after = text[i + 1:].lstrip()
    return bool((before and is_wide(before[-1])) or (after and is_wide(after[0])))


def lint_text(text: str) -> List[Finding]:
    findings: List[Finding] = []
    protected = [range(m.start(), m.end()) for m in _URL.finditer(text)]
    for i, ch in enumerate(text):
        if ch in HALF_TO_FULL and not any(i in r for r in protected) and _chinese_context(text, i):
            findings.append(Finding(i, ch, _("half-width '{char}' in Chinese text").format(char=ch), HALF_TO_FULL[ch]))
    for m in _DOUBLED.finditer(text):
        findings.append(Finding(m.start(), m.group(), _("doubled punctuation '{marks}'").format(marks=m.group()), m.group(1)))
    for opening, closing in PAIRS:
        depth, first_open = 0, None
        for i, ch in enumerate(text):
            if ch == opening:
                depth += 1
                first_open = i if depth == 1 else first_open
            elif ch == closing:
                if depth == 0:
                    findings.append(Finding(i, ch, _("'{closing}' without its '{opening}'").format(closing=closing, opening=opening)))
                    break
                depth -= 1
        else:
            if depth > 0:
                findings.append(Finding(first_open, opening, _("'{opening}' is never closed by '{closing}'").format(opening=opening, closing=closing)))
    for m in _PLACEHOLDER.finditer(text):
        findings.append(Finding(m.start(), m.group(), N_("placeholder still to be filled in: replace it with the text")))
    return sorted(findings, key=lambda f: f.index)


def heading_stops(titles: List[str]) -> List[int]:
    """Indexes of sibling headings whose final full stop differs from the rest."""
    if len(titles) < 2:
        return []
    with_stop = [i for i, t in enumerate(titles) if t.endswith("。")]
    if not with_stop or len(with_stop) == len(titles):
        return []
    if len(with_stop) <= len(titles) / 2:
        return with_stop
    return [i for i in range(len(titles)) if i not in with_stop]
