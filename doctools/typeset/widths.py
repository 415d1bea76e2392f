"""How a table's free width is shared among its text columns: from their content.

A share by fixed weights gave kazuo's 任务分工表 a 责任单位 column as wide as
half its 工作任务 column, so a 300-character task stood in a narrow column and
one row filled a page.  Here the width goes, a character at a time, where it
saves the most printed lines over all rows (a row is as tall as its tallest
cell); when no single character saves a line, it goes to the column with the
most text for its width.  No column gets more than its longest cell needs.
Both writers use it: Word in twips, Excel in its width units, each converting
characters its own way.
"""
from __future__ import annotations

import math
from typing import List, Sequence

SAMPLE = 400          # rows looked at: a longer table is judged by every n-th row (deterministic)


def _lines(length: float, width: float) -> int:
    return max(1, math.ceil(length / max(width, 0.5))) if length else 1


def share(lengths: Sequence[Sequence[float]], least: Sequence[float], most: Sequence[float], room: float,
          fixed_lines: Sequence[int] = ()) -> List[float]:
    """Characters of width per column, summing to *room* (when the columns' least widths fit in it).

    *lengths[i][j]*: display width of column i's cell in row j; *least* and *most*: each column's bounds;
    *fixed_lines[j]*: lines row j takes in the columns not shared here (at least 1)."""
    columns = len(lengths)
    if not columns:
        return []
    if sum(least) >= room:
        scale = room / sum(least) if sum(least) else 0
        return [w * scale for w in least]
    rows = len(lengths[0])
    step = max(1, rows // SAMPLE)
    picked = range(0, rows, step)
    cells = [[lengths[i][j] for j in picked] for i in range(columns)]
    floor = [fixed_lines[j] if fixed_lines else 1 for j in picked]
    widths = [float(w) for w in least]
    most = [max(m, w) for m, w in zip(most, widths)]
    lines = [[_lines(c, widths[i]) for c in cells[i]] for i in range(columns)]
    left = room - sum(widths)
    while left >= 1:
        # each row's tallest and second-tallest cell, so a trial widening of one column is cheap to judge
        top, second, owner = [], [], []
        for k in range(len(floor)):
            ranked = sorted(((lines[i][k], i) for i in range(columns)), reverse=True) + [(floor[k], -1)]
            first = max(ranked)
            top.append(first[0])
            owner.append(first[1])
            second.append(max([floor[k]] + [n for n, i in ranked if i != first[1] and i >= 0]))
        best, best_saved, best_lines = None, 0, None
        for i in range(columns):
            if widths[i] + 1 > most[i]:
                continue
            trial = [_lines(c, widths[i] + 1) for c in cells[i]]
            saved = sum(top[k] - max(trial[k], second[k] if owner[k] == i else top[k]) for k in range(len(floor)))
            if saved > best_saved:
                best, best_saved, best_lines = i, saved, trial
        if best is None:     # no one character saves a line: the column with the most text for its width
            open_ = [i for i in range(columns) if widths[i] + 1 <= most[i]]
            if not open_:
                break
            best = max(open_, key=lambda i: (sum(cells[i]) / widths[i] ** 2 if widths[i] else math.inf, -i))
            best_lines = [_lines(c, widths[best] + 1) for c in cells[best]]
        widths[best] += 1
        lines[best] = best_lines
        left -= 1
    # what is left (a fraction, or room no column needs) goes to the columns in proportion to their width
    spare = room - sum(widths)
    if spare > 0:
        grow = [i for i in range(columns) if widths[i] < most[i]] or list(range(columns))
        base = sum(widths[i] for i in grow) or 1
        for i in grow:
            widths[i] += spare * widths[i] / base
    return widths
