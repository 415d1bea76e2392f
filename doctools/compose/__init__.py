"""Compose: the model as read → what gets printed.

Readers (:mod:`doctools.readers`) give a :class:`~doctools.model.Package`
whose body *refers* to tasks and the schedule; :func:`compose` applies an
edited task workbook (:mod:`.edits`), places every task in the body and
writes its duty wording (:mod:`.body`, :mod:`.wording`), makes the tables
(:mod:`.tables`) and the flowcharts (:mod:`.charts`).  Writers then only emit.
Problems found here (a task id the body names but no task has, an attachment
showing a table the package cannot make) go to the same
:class:`~doctools.errors.Diagnostics` as the reader's, before anything is written.
"""
from __future__ import annotations

from ..errors import Diagnostics
from ..model import Package
from .body import compose_body
from .checks import check_schedule, check_unreferenced
from .edits import apply_edits, fill_task_dates
from .standing import apply_standing, standing_rules
from .tables import compose_tables


def compose(package: Package, diags: Diagnostics) -> Package:
    standing = standing_rules(package)          # before the edits: "later" is the body's order as written
    apply_edits(package, diags, standing)
    apply_standing(package, standing)
    fill_task_dates(package)
    check_schedule(package, diags)
    compose_body(package, diags)
    from .charts import compose_charts, own_flow_charts
    if package.catalog is not None:
        package.charts = compose_charts(package.catalog, package.flows, diags)
    package.charts += own_flow_charts(package.document, package.flows, package.charts)
    compose_tables(package, diags)
    check_unreferenced(package, diags)
    return package
