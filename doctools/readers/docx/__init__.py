"""Recognise a plan (实施方案) in a .docx someone typed, as package data.

The second stage of ``doctools import``.  :mod:`doctools.readers.docx_source` gives the body as numbered
paragraphs and tables; the rules here read them the way a reader of the printed page does, laid out as
markdown-it-py lays out its block rules: an ordered table of small rules (:data:`.ruler.RULES`), each in a
module of its own, each working over one :class:`.state.State`:

* :mod:`.frame` — 版头 (发文机关标志, 发文字号 〔YYYY〕N号, 签发人), the title, 主送, and the frame said once;
* :mod:`.notice` — a 印发通知 before the plan (its title, 主送, text and 署名);
* :mod:`.signoff` — at the end 附件说明, contact lines, 署名 and 成文日期 (sealed or not), 附注, the 版记;
* :mod:`.headings` — numbers as people type them (一、（一）1.（1）), Word's list numbering or heading
  styles; run-in headings;
* :mod:`.paragraphs` — running text, numbered lists, lead-ins, and tasks: text with its duty wording;
* :mod:`.duties` — 责任单位/牵头单位/配合单位/完成时限 on a line, in parentheses or as verbs (…牵头，…配合);
* :mod:`.deadlines` — dates in the wording, milestones;
* :mod:`.schedule` — 进度安排 phases with their periods;
* :mod:`.tables` — a task table becomes tasks; any other table is kept as a fixed table;
* :mod:`.attachments` — each 附件 page.

What fits none of these is kept as a plain paragraph in its place: nothing is dropped.  The result is
:class:`Draft`, the package as plain data plus a :class:`Note` for every recognition (its confidence, its
rule and its source paragraphs) for the summary; writing it is :mod:`doctools.writers.yaml_package`'s job.
"""
from .duties import EXTRA_ROLES, UNIT_ROLES
from .ruler import RULES, account, recognise, summary
from .state import Draft, Note, State
from .tables import workbook_rows
from .text import flat_units

__all__ = ["account", "Draft", "EXTRA_ROLES", "Note", "RULES", "State", "UNIT_ROLES", "flat_units", "recognise", "summary",
           "workbook_rows"]
