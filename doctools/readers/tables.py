"""The ``tables:`` key: how the 任务分工表, 进度安排 and 各单位任务清单 are laid out.

A 任务分工表 column is named as it is printed.  The names of
``templates/tables.yaml`` (序号, 工作任务, 牵头单位 …) are known by their
field; any other name is declared with the field it shows, because real plans
head their columns as they like (工作要求, 配合/责任单位)::

    tables:
      tasks:
        columns: [序号, {name: 工作要求, field: text}, {name: 配合/责任单位, field: support}, 完成时限]
        group: {column: 类别}        # the groups in a first column, merged down beside their rows

``group: section`` keeps the group rows (一、…) that span the table.
"""
from __future__ import annotations

from typing import Dict

from ..errors import Pos, suggest
from ..i18n import N_, _
from ..resources import COLUMN_FIELDS
from .schema import Fields, kind_of
from .yamlsrc import Map, Seq

TASK_FIELDS = tuple(dict.fromkeys(COLUMN_FIELDS.values()))      # index, text, responsible, lead, support, deadline, note


def read_table_specs(reader, data, pos: Pos) -> None:
    """Fill *reader*'s task_spec, schedule_spec and docx flags from ``tables:``."""
    reader.task_spec.pos = pos
    if data is None:
        return
    f = Fields(data, pos, "tables", reader.diags)
    if f.has("tasks"):
        g = Fields(f.raw("tasks"), f.at("tasks"), "tables.tasks", reader.diags)
        spec = reader.task_spec
        spec.title = g.text("title", default=spec.title)
        read_columns(reader, g, spec)
        read_group(reader, g, spec)
        spec.order = reader.choice(g, "order", ("body", "deadline"), spec.order)
        spec.unit_sep = g.text("unit_sep")
        spec.source = g.text("source")
        spec.include = g.texts("include")
        reader.tables_docx = g.flag("docx", False)
        g.done()
    if f.has("schedule"):
        g = Fields(f.raw("schedule"), f.at("schedule"), "tables.schedule", reader.diags)
        reader.schedule_spec.title = g.text("title", default=reader.schedule_spec.title)
        reader.schedule_spec.gantt = reader.choice(g, "gantt", ("auto", "phases", "tasks", "both", "none"), "auto")
        g.done()
    if f.has("unit_lists"):
        g = Fields(f.raw("unit_lists"), f.at("unit_lists"), "tables.unit_lists", reader.diags)
        reader.unit_lists_docx = g.flag("docx", False)
        g.done()
    f.done()


def read_columns(reader, g: Fields, spec) -> None:
    """``columns``: a known name, or ``{name: …, field: …}`` for a name of the package's own."""
    diags = reader.diags
    spec.columns, spec.fields = [], {}
    for item, where in g.items("columns"):
        if isinstance(item, Map):
            c = Fields(item, where, "a column of tables.tasks", diags)
            name = c.text("name", required=True)
            field = c.text("field", required=True)
            c.done()
            if name is None or field is None:
                continue
            if field not in TASK_FIELDS:
                diags.error(c.at("field"), N_("column '{name}' of tables.tasks shows the field '{field}'; the fields are "
                                              "{fields}"), suggest(field, TASK_FIELDS), name=name, field=field,
                            fields=", ".join(TASK_FIELDS))
                continue
            spec.fields[name] = field
        elif item is None or isinstance(item, Seq):
            diags.error(where, N_("a column of tables.tasks must be a name or {{name: …, field: …}}, not {kind}"),
                        kind=kind_of(item))
            continue
        else:
            name = str(item).strip()
            if name not in COLUMN_FIELDS:
                own = _("or declare a name of your own with the field it shows: {{name: {name}, field: text}}").format(name=name)
                close = suggest(name, COLUMN_FIELDS)
                diags.error(where, N_("tables.tasks: unknown column '{name}'"), f"{close} {own}" if close else own, name=name)
                continue
        if name in spec.columns:
            diags.error(where, N_("tables.tasks: the column '{name}' is named twice"), name=name)
            continue
        spec.columns.append(name)


def read_group(reader, g: Fields, spec) -> None:
    """``group``: none | section (group rows) | ``{column: 类别}`` (a first column merged down)."""
    value = g.raw("group")
    if not isinstance(value, Map):
        spec.group = reader.choice(g, "group", ("none", "section"), spec.group)
        return
    c = Fields(value, g.at("group"), "tables.tasks.group", reader.diags)
    spec.group_column = c.text("column", required=True)
    c.done()
    if spec.group_column is None:
        return
    if spec.group_column in spec.columns:
        reader.diags.error(c.at("column"), N_("tables.tasks: the group column '{name}' is also one of the columns"),
                           N_("the group column comes first by itself; leave it out of 'columns'"), name=spec.group_column)
        spec.group_column = None
        return
    spec.group = "column"


def header_fields(spec) -> Dict[str, str]:
    """Printed name -> field, for reading an edited workbook's header: the standard names and the package's own."""
    return {**COLUMN_FIELDS, **spec.fields}
