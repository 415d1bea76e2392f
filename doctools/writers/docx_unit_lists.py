"""各单位任务清单 as a .docx: one page per unit, to hand each department its list."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Optional

from .. import gbt9704 as G
from .. import oxml
from ..model import Package, Run
from .docx_plan import PlanWriter
from .docx_tables import add_table


class UnitListWriter(PlanWriter):
    def write(self) -> bytes:
        for i, table in enumerate(self.package.unit_tables):
            if i:
                self.new_page_paragraph("DocTitle", [Run(table.title)])
            else:
                self.para("DocTitle", [Run(table.title)])
            self.blank(1)
            add_table(self.doc, self.styles, table, G.TEXT_WIDTH)
        self.properties()
        out = io.BytesIO()
        self.doc.save(out)
        return oxml.deterministic_zip(out.getvalue())


def write_unit_lists(package: Package, template: Optional[Path] = None) -> bytes:
    return UnitListWriter(package, template).write()
