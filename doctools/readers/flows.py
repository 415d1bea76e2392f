"""Process definitions (flows/*.yaml) into :class:`~doctools.model.Flow`.

``flows/`` at the top of the project holds the standard processes (依申请公开,
主动公开, 政策解读, 政务舆情回应) with their statutory time limits and the
articles they come from.  A package may add its own or override one, by id,
with files in its own ``flows/`` folder.

A flow file::

    flow:
      id: apply
      title: 依申请公开工作流程
      lanes: [申请人, 政务公开工作机构, 第三方]        # left to right
      nodes:
        - {id: start, kind: start, lane: 申请人, label: 提出申请, basis: 第二十九条}
        - {id: complete, kind: decision, lane: 政务公开工作机构, label: 是否需要补正}
        - {id: correct, kind: notice, lane: 政务公开工作机构, label: 一次性告知补正, limit: 7个工作日内}
      edges:
        - [start, complete]                  # from, to
        - [complete, correct, 需补正]          # from, to, branch word
        - {from: correct, to: start, label: 补正后重新提交, back: true}
      subject_lane: 第三方                   # optional: the lane a catalog item's 公开主体 take

and, in the 主动公开 flow, ``item_steps``: the steps (by node id, worded
shortly) a catalog item's own chart starts with (:mod:`doctools.compose.charts`).

Checked: lanes and ids exist and are unique; a step nobody can reach; a step
from which no end can be reached (a path that never ends); a decision with
fewer than two branches.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional

from ..errors import Diagnostics, Pos, suggest
from ..i18n import N_, _
from ..model import Flow, FlowEdge, FlowNode
from .schema import Fields, kind_of
from .yamlsrc import EMPTY_FILE, LINK_OUTSIDE, Budget, Map, Seq, load_yaml
from ..resources import flows_folder

STANDARD_FLOWS = flows_folder()
NODE_KINDS = ("start", "end", "step", "decision", "notice")


def read_flows(folders: List[Path], diags: Diagnostics, display, budget: Optional[Budget] = None) -> Dict[str, Flow]:
    """Flows from each folder in turn; a later folder's flow replaces one with the same id.  Their YAML counts
    against *budget*, the package's (:class:`~doctools.readers.yamlsrc.Budget`)."""
    flows: Dict[str, Flow] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            if not path.resolve().is_relative_to(folder.resolve()):
                diags.error(Pos(display(path)), LINK_OUTSIDE)
                continue
            flow = read_flow(path, display(path), diags, budget)
            if flow is not None:
                flows[flow.id] = flow
    return flows


def read_flow(path: Path, shown: str, diags: Diagnostics, budget: Optional[Budget] = None) -> Optional[Flow]:
    errors = len(diags.errors)
    data = load_yaml(path, shown, diags, budget=budget)
    if data is None:
        if len(diags.errors) == errors:
            diags.error(Pos(shown), EMPTY_FILE)
        return None
    top = Fields(data, Pos(shown), _("the flow file"), diags)
    f = Fields(top.raw("flow", required=True), top.at("flow"), _("flow"), diags)
    top.done()
    if not f.ok:
        return None
    flow = Flow(id=f.text("id", required=True) or path.stem, title=f.text("title", required=True) or "",
                lanes=f.texts("lanes", required=True), nodes=[], edges=[], source=shown)
    flow.subject_lane = f.text("subject_lane")
    if flow.subject_lane and flow.subject_lane not in flow.lanes:
        diags.error(f.at("subject_lane"), N_("flow '{flow}': subject_lane '{lane}' is not in lanes"),
                    suggest(flow.subject_lane, flow.lanes), flow=flow.id, lane=flow.subject_lane)
    positions: Dict[str, Pos] = {}
    for item, pos in f.items("nodes", required=True):
        g = Fields(item, pos, _("a flow node"), diags)
        if not g.ok:
            continue
        node = FlowNode(id=g.text("id", required=True) or "", kind=g.text("kind", default="step"),
                        label=g.text("label", required=True) or "", lane=g.text("lane", required=True) or "",
                        limit=g.text("limit"), basis=g.text("basis"))
        g.done()
        if node.kind not in NODE_KINDS:
            diags.error(g.at("kind"), N_("flow '{flow}': node '{node}' has kind '{kind}'; kinds are {kinds}"),
                        suggest(node.kind, NODE_KINDS), flow=flow.id, node=node.id, kind=node.kind, kinds=_(", ").join(NODE_KINDS))
        if node.lane and node.lane not in flow.lanes:
            diags.error(g.at("lane"), N_("flow '{flow}': node '{node}' is in lane '{lane}', which is not in lanes"),
                        suggest(node.lane, flow.lanes), flow=flow.id, node=node.id, lane=node.lane)
        if node.id in positions:
            diags.error(pos, N_("flow '{flow}': node id '{node}' is used twice (first at line {line})"),
                        flow=flow.id, node=node.id, line=positions[node.id].line)
            continue
        positions[node.id] = pos
        flow.nodes.append(node)
    for item, pos in f.items("edges", required=True):
        edge = _edge(item, pos, flow, diags)
        if edge is None:
            continue
        for end in (edge.source, edge.target):
            if end not in positions:
                diags.error(pos, N_("flow '{flow}': edge names node '{node}', which does not exist"),
                            suggest(end, positions), flow=flow.id, node=end)
                edge = None
                break
        if edge is not None:
            flow.edges.append(edge)
    for item, pos in f.items("item_steps"):
        g = Fields(item, pos, _("an item step"), diags)
        step = g.text("id", required=True) or ""
        node = next((n for n in flow.nodes if n.id == step), None)
        if node is None:
            diags.error(g.at("id"), N_("flow '{flow}': item step '{step}' is not a node of the flow"),
                        suggest(step, positions), flow=flow.id, step=step)
        else:
            flow.item_steps.append(FlowNode(step, node.kind, g.text("label", default=node.label), node.lane,
                                            basis=g.text("basis", default=node.basis)))
        g.done()
    f.done()
    check_flow(flow, positions, diags)
    return flow


def _edge(item, pos: Pos, flow: Flow, diags: Diagnostics) -> Optional[FlowEdge]:
    if isinstance(item, Seq) and len(item) in (2, 3) and all(not isinstance(x, (Map, Seq)) and x is not None for x in item):
        return FlowEdge(str(item[0]), str(item[1]), str(item[2]) if len(item) == 3 else None)
    if isinstance(item, Map):
        g = Fields(item, pos, _("a flow edge"), diags)
        edge = FlowEdge(g.text("from", required=True) or "", g.text("to", required=True) or "", g.text("label"), g.flag("back", False))
        g.done()
        return edge
    diags.error(pos, N_("flow '{flow}': an edge is [from, to] or [from, to, label] or a mapping, not {kind}"),
                flow=flow.id, kind=kind_of(item))
    return None


def check_flow(flow: Flow, positions: Dict[str, Pos], diags: Diagnostics) -> None:
    """Unreachable steps, paths that never end, decisions with one branch."""
    if not flow.nodes:
        return
    out: Dict[str, List[FlowEdge]] = {n.id: [] for n in flow.nodes}
    into: Dict[str, List[str]] = {n.id: [] for n in flow.nodes}
    for e in flow.edges:
        out[e.source].append(e)
        into[e.target].append(e.source)
    starts = [n.id for n in flow.nodes if n.kind == "start"]
    ends = {n.id for n in flow.nodes if n.kind == "end"}
    if not starts:
        diags.error(Pos(flow.source), N_("flow '{flow}' has no start node (kind: start)"), flow=flow.id)
    if not ends:
        diags.error(Pos(flow.source), N_("flow '{flow}' has no end node (kind: end)"), flow=flow.id)
    reached = set(starts)
    todo = list(starts)
    while todo:
        for e in out[todo.pop()]:
            if e.target not in reached:
                reached.add(e.target)
                todo.append(e.target)
    finishing = set(ends)
    todo = list(ends)
    while todo:
        for source in into[todo.pop()]:
            if source not in finishing:
                finishing.add(source)
                todo.append(source)
    for node in flow.nodes:
        where = positions[node.id]
        if starts and node.id not in reached:
            diags.error(where, N_("flow '{flow}': step '{node}' ({label}) cannot be reached from the start"),
                        flow=flow.id, node=node.id, label=node.label)
        elif ends and node.id not in finishing:
            diags.error(where, N_("flow '{flow}': from step '{node}' ({label}) no path leads to an end"),
                        flow=flow.id, node=node.id, label=node.label)
        targets = {e.target for e in out[node.id]}
        if node.kind == "decision" and len(targets) < 2:
            diags.error(where, N_("flow '{flow}': decision '{node}' ({label}) leads to {count} step(s); "
                                  "a decision needs two or more branches to different steps"),
                        flow=flow.id, node=node.id, label=node.label, count=len(targets))
        if node.kind == "end" and out[node.id]:
            diags.error(where, N_("flow '{flow}': end node '{node}' has edges going out of it"), flow=flow.id,
                        node=node.id)


def flow_ids(reader, items) -> List[str]:
    """The ids of flows a package shows as charts (an attachment's ``flowcharts: [...]``, a ``flowchart:``
    figure), each checked against the standard flows and the package's own ``flows/``."""
    out = []
    for item, pos in items:
        name = str(item).strip() if item is not None and not isinstance(item, (Map, Seq)) else ""
        if not name:
            reader.diags.error(pos, N_("a flow is named by its id (its file name in flows/ without .yaml), not {kind}"),
                               kind=kind_of(item))
        elif name not in reader.flows:
            reader.diags.error(pos, N_("there is no flow '{name}' in flows/ or the package's own flows/ folder"),
                               suggest(name, sorted(reader.flows)), name=name)
        elif name not in out:
            out.append(name)
    return out
