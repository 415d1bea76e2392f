"""The recogniser of ``doctools import`` is a table of small rules over one state (doctools/readers/docx/):
no function in it grows past a cyclomatic complexity of 25, as measured by mccabe (the measure flake8 and ruff
use)."""
from __future__ import annotations

import ast
from pathlib import Path

import mccabe

RULES_DIR = Path(__file__).resolve().parent.parent / "doctools" / "readers" / "docx"
LIMIT = 25


def complexities():
    for path in sorted(RULES_DIR.glob("*.py")):
        visitor = mccabe.PathGraphingAstVisitor()
        visitor.preorder(ast.parse(path.read_text(encoding="utf-8"), str(path)), visitor)
        for graph in visitor.graphs.values():
            yield f"{path.name}:{graph.lineno} {graph.entity}", graph.complexity()


def test_no_function_of_the_recogniser_is_over_a_complexity_of_25():
    measured = dict(complexities())
    assert len(measured) > 100                     # the measure reads every rule module, functions and methods
    over = {name: c for name, c in measured.items() if c > LIMIT}
    assert not over, over


def test_the_measure_sees_a_complex_function():
    branches = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(30))
    visitor = mccabe.PathGraphingAstVisitor()
    visitor.preorder(ast.parse(f"def f(x):\n{branches}\n    return -1\n"), visitor)
    assert [g.complexity() for g in visitor.graphs.values()] == [31]


def test_the_rules_run_in_the_order_of_their_table():
    from doctools.readers.docx import RULES

    names = [name for name, _rule in RULES]
    assert names.index("imprint") < names.index("signoff") < names.index("frame") < names.index("notice") \
        < names.index("headings") < names.index("attachments", names.index("headings"))
