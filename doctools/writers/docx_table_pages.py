"""Tables as a .docx of their own, one table per page: the 各单位任务清单 to hand
each department its list, or the 任务分工表 and 进度安排 on request."""
from __future__ import annotations

import io
from pathlib import Path
from typing import List, Optional

from ..typeset import gbt9704 as G
from . import oxml
from .ziparchive import deterministic_zip
from ..model import Package, Table
from .docx_plan import PlanWriter
from .docx_tables import add_table, table_parts


class TablePagesWriter(PlanWriter):
    def __init__(self, package: Package, tables: List[Table], template: Optional[Path] = None):
        super().__init__(package, template)
        self.tables = tables

    def write(self) -> bytes:
        for i, table in enumerate(self.tables):
            turned = table.landscape != self.landscape
            if turned:
                self.orientation(table.landscape)
            # a long title breaks between words, as the plan's does
            self.title_lines(self.start("DocTitle", new_page=bool(i) and not turned), [table.title])
            self.blank(1)
            width = G.TEXT_HEIGHT if self.landscape else G.TEXT_WIDTH
            for n, part in enumerate(table_parts(table, width)):
                if n:
                    self.blank(1)                 # a month grid in parts: a line between them
                add_table(self.doc, self.styles, part, width)
        self.properties()
        out = io.BytesIO()
        self.doc.save(out)
        return deterministic_zip(out.getvalue())


def write_table_pages(package: Package, tables: List[Table], template: Optional[Path] = None) -> bytes:
    return TablePagesWriter(package, tables, template).write()
