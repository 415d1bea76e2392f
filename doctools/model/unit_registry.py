"""Looking units up in a package's registry (责任单位 by name, id, short name or alias).

Used where tasks name their units: the package reader (``tasks.yaml``) and the
edits of a task workbook (:mod:`doctools.compose.edits`), so both word an
unknown unit the same way.
"""
from __future__ import annotations

from typing import Dict, List, Sequence

from ..errors import Diagnostics, Pos, suggest
from ..i18n import N_, _
from . import Unit


def unit_keys(unit: Unit) -> set:
    return {unit.id, unit.name, unit.short, *unit.aliases} - {None}


def registry_index(units: Sequence[Unit]) -> Dict[str, Unit]:
    """Every name a unit is known by -> the unit (the first one, where two share a name)."""
    index: Dict[str, Unit] = {}
    for unit in units:
        for key in unit_keys(unit):
            index.setdefault(key, unit)
    return index


JOINERS = "，、,;；"


def joined_units(name: str, index: Dict[str, Unit]) -> List[str]:
    """The registered names *name* is made of when it joins two or more with "，" or "、" (or "," ";" "；"), else []."""
    import re

    parts = [p.strip() for p in re.split(f"[{JOINERS}]", name)]
    if len(parts) < 2 or not all(p in index for p in parts):
        return []
    return parts


def resolve_units(names: List[str], index: Dict[str, Unit], units: Sequence[Unit], pos: Pos, what: str,
                  diags: Diagnostics) -> List[Unit]:
    """The units *names* stand for, each marked as named (for the warning about
    units no task names, which counts a task dropped later too)."""
    out = []
    for name in names:
        unit = index.get(name)
        joined = joined_units(name, index) if unit is None else None
        if joined:
            # [县融媒体中心，各乡镇人民政府]: a Chinese comma or 、 is no list separator in YAML
            sep = next(c for c in name if c in JOINERS)
            diags.error(pos, N_("{what}: '{unit}' is {count} registered units joined by '{sep}', which does not "
                                "separate the items of a YAML list"),
                        _("write the list with half-width commas: {example}").format(example="[" + ", ".join(joined) + "]"),
                        what=what, unit=name, count=len(joined), sep=sep)
            for part in joined:
                index[part].named = True
                out.append(index[part])
        elif unit is None:
            registry = sorted({u.name for u in units} | {a for u in units for a in u.aliases})
            hint = suggest(name, registry) or (N_("the package has no 'units' registry") if not units else None)
            diags.error(pos, N_("{what}: unit '{unit}' is not in the unit registry"), hint, what=what, unit=name)
        else:
            unit.named = True
            out.append(unit)
    return out
