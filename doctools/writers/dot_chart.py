"""A :class:`~doctools.model.Chart` as Graphviz DOT text.

Lanes are clusters in a fixed order with equal heights: every lane holds an
invisible head and tail node; the heads are chained left to right on one
rank and the tails share the last rank, with every node between its lane's
head and tail.  Rounded boxes start and end, boxes are steps, diamonds are
decisions, note shapes are written notices; branch words are ``xlabel`` (the
orthogonal router cannot place edge labels).  Labels are wrapped by display
width at the places Chinese typesetting allows, since Graphviz does not wrap.  Every text is escaped into a quoted DOT
string, so quotes, backslashes (and Graphviz's own escapes such as \\N),
"<…>", "{" and "|" stay literal and never become HTML or record labels.
"""
from __future__ import annotations

from typing import List

from ..typeset import gbt9704 as G
from ..typeset.linebreak import lines
from ..model import Chart, FlowNode

FONT = G.FONT_HEI          # resolves to the stand-in CJK font when rendering (doctools.convert.fonts)
NODE_PT = 10.5             # 五号
TITLE_PT = 16
PORTRAIT_SIZE = "6.1,8.8"  # inches: the 156 × 225 mm 版心
LANDSCAPE_SIZE = "8.8,6.1"
SHAPES = {
    "start": 'shape=box, style="rounded,filled", fillcolor="#ffffff"',
    "end": 'shape=box, style="rounded,filled,bold", fillcolor="#ffffff"',
    "step": 'shape=box, style="filled", fillcolor="#ffffff"',
    "decision": 'shape=diamond, style="filled", fillcolor="#ffffff"',
    "notice": 'shape=note, style="filled", fillcolor="#ffffff"',
}


def quote(text: str) -> str:
    """A DOT quoted string holding *text* literally; a newline becomes DOT's centred line break."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return f'"{escaped}"'


def wrap(text: str, width: float) -> List[str]:
    """Lines of at most *width* display characters (a CJK character is 1, Latin ½), broken after punctuation
    or between words, never before closing punctuation nor inside 第二十九条 (:mod:`doctools.typeset.linebreak`)."""
    return lines(text, width)


def node_label(node: FlowNode, width: float) -> str:
    parts = wrap(node.label, width)
    if node.limit:
        parts += wrap(f"（{node.limit}）", width)
    if node.basis:
        parts += wrap(f"依据：{node.basis}", width)
    return "\n".join(parts)


def chart_dot(chart: Chart) -> str:
    flow = chart.flow
    landscape = len(flow.lanes) > 3
    width = 9 if len(flow.lanes) <= 2 else 7
    out = [f"digraph {quote(chart.stem)} {{",
           f'  graph [charset="UTF-8", newrank=true, rankdir=TB, splines=ortho, forcelabels=true, nodesep=0.35, ranksep=0.35,'
           f' size="{LANDSCAPE_SIZE if landscape else PORTRAIT_SIZE}", fontname={quote(FONT)}, fontsize={TITLE_PT},'
           f" labelloc=b, label={quote(chart.title)}];",
           f"  node [fontname={quote(FONT)}, fontsize={NODE_PT}, margin=\"0.12,0.06\"];",
           f"  edge [fontname={quote(FONT)}, fontsize=9, arrowsize=0.7];"]
    index = {n.id: i for i, n in enumerate(flow.nodes)}
    name = lambda node_id: f"n{index[node_id]}"
    for li, lane in enumerate(flow.lanes):
        out.append(f"  subgraph cluster_{li} {{")
        out.append(f'    label={quote(lane)}; labelloc=t; fontsize=12; style="filled,rounded"; fillcolor="#f5f5f5"; color="#888888"; margin=10;')
        out.append(f"    h{li} [shape=point, style=invis, width=0, height=0];")
        for n in flow.nodes:
            if n.lane == lane:
                limit = width - 2 if n.kind == "decision" else width
                out.append(f"    {name(n.id)} [{SHAPES.get(n.kind, SHAPES['step'])}, label={quote(node_label(n, limit))}];")
        out.append(f"    t{li} [shape=point, style=invis, width=0, height=0];")
        out.append("  }")
    lanes = range(len(flow.lanes))
    out.append("  { rank=same; " + " -> ".join(f"h{li}" for li in lanes) + " [style=invis]; }" if len(flow.lanes) > 1 else "  { rank=same; h0; }")
    out.append("  { rank=same; " + "; ".join(f"t{li}" for li in lanes) + "; }")
    lane_of = {lane: li for li, lane in enumerate(flow.lanes)}
    for n in flow.nodes:
        li = lane_of.get(n.lane, 0)
        out.append(f"  h{li} -> {name(n.id)} -> t{li} [style=invis];")
    for e in flow.edges:
        attrs = []
        if e.label:
            attrs.append(f"xlabel={quote(e.label)}")
        if e.back:
            attrs.append("constraint=false, style=dashed")
        out.append(f"  {name(e.source)} -> {name(e.target)}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    out.append("}")
    return "\n".join(out) + "\n"
