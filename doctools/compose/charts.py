"""Flowcharts composed from the disclosure catalog and the standard flows.

Per catalog item (or per 一级事项, as the package chooses), a chart built from
its fields:

* lanes: its 公开主体 — "县民政局、乡镇政府（街道办事处）" gives two lanes;
* the ``item_steps`` of the 主动公开 flow (``flows/proactive.yaml``: 保密审查,
  可否主动公开, 依申请公开或不予公开) in the first lane, then a publishing step
  in every subject's lane carrying the item's own 公开时限 and 公开依据;
* a 公示 step of its own (in the last lane) where the 公开时限 names one;
* its chosen channels (■) as the end nodes;
* an item open 依申请 is joined to the 依申请公开 flow: its chart is that flow,
  with the item's subjects in the flow's ``subject_lane`` (承办单位).

The flows the catalog names (by default 主动公开, and 依申请公开 when an item is
open on request) are charts too; a package's own ``flows/`` may replace a
standard one or add its own, and name it there.
"""
from __future__ import annotations

from typing import Dict, List, Optional

from ..errors import Diagnostics, Pos
from ..i18n import N_
from ..names import file_stem
from ..model import PUBLICITY, Catalog, CatalogItem, Chart, Document, Flow, FlowchartRef, FlowEdge, FlowNode



def stem(text: str) -> str:
    return file_stem(text)[:80] or "chart"


def publish_limit(time_limit: str) -> str:
    """The time limit of publishing, without its 公示 part."""
    return PUBLICITY.sub("", time_limit).strip(" ，,；;、")


MAX_LANES = 4
OTHERS = "其他公开主体"


ITEM_STEPS = ("review", "ok", "other")    # the item chart's review, its decision, and the 否 branch's end


def item_steps(flows: Dict[str, Flow], diags: Diagnostics) -> Optional[Dict[str, FlowNode]]:
    """The 主动公开 flow's steps an item's chart starts with (a package's own
    ``flows/proactive.yaml`` reaches every item's chart); None, reported, when it lacks one."""
    proactive = flows.get("proactive")
    steps = {n.id: n for n in (proactive.item_steps or proactive.nodes)} if proactive else {}
    missing = [s for s in ITEM_STEPS if s not in steps]
    if missing:
        diags.error(Pos(proactive.source if proactive else "flows"), N_("flow 'proactive' has no step '{step}', "
                                                                           "which every catalog item's chart starts with"),
                    N_("give it in item_steps"), step=missing[0])
        return None
    return steps


def item_flow(items: List[CatalogItem], flow_id: str, title: str, steps: Dict[str, FlowNode]) -> Flow:
    first = items[0]
    lanes: List[str] = []
    for item in items:
        lanes += [s for s in item.subjects if s not in lanes]
    if len(lanes) > MAX_LANES:
        # a chart of a whole 一级事项: the most frequent subjects keep lanes, the rest share one
        count = {lane: sum(lane in i.subjects for i in items) for lane in lanes}
        keep = sorted(lanes, key=lambda lane: (-count[lane], lanes.index(lane)))[:MAX_LANES - 1]
        lanes = [lane for lane in lanes if lane in keep] + [OTHERS]
    lanes = lanes or ["公开主体"]
    members = [i.level2 or i.level1 for i in items]
    listed = "、".join(members[:3]) + (f"等{len(members)}项" if len(members) > 3 else "")
    names = first.name if len(items) == 1 else f"{first.level1}（{listed}）"
    nodes = [
        FlowNode("start", "start", f"形成或获取信息：{names}", lanes[0]),
        *(FlowNode(s, kind, steps[s].label, lanes[0], basis=steps[s].basis)
          for s, kind in zip(ITEM_STEPS, ("step", "decision", "end"))),
    ]
    edges = [FlowEdge("start", "review"), FlowEdge("review", "ok"), FlowEdge("ok", "other", "否")]
    days = next((PUBLICITY.search(i.time_limit) for i in items if PUBLICITY.search(i.time_limit)), None)
    after_ok = "ok"
    if days:
        nodes.append(FlowNode("publicity", "step", f"公示{days.group(1)}个{days.group(2)}", lanes[-1],
                              limit=f"公示期{days.group(1)}个{days.group(2)}"))
        edges.append(FlowEdge("ok", "publicity", "是"))
        after_ok = "publicity"
    limits = {publish_limit(i.time_limit) for i in items if i.time_limit}
    bases = {i.basis for i in items if i.basis}
    for n, lane in enumerate(lanes):
        node_id = f"publish{n}"
        nodes.append(FlowNode(node_id, "step", f"{lane}发布", lane, limit="；".join(sorted(limits)) or None,
                              basis="；".join(sorted(bases)) or None))
        edges.append(FlowEdge(after_ok, node_id, "是" if after_ok == "ok" else None))
    channels: List[str] = []
    for item in items:
        channels += [c for c in item.channels if c not in channels]
    if not channels:                       # no ■ channel: the chart ends at publishing and names none
        for node in nodes:
            if node.id.startswith("publish"):
                node.kind = "end"
    for n, channel in enumerate(channels):
        nodes.append(FlowNode(f"channel{n}", "end", channel, lanes[0]))
        for k in range(len(lanes)):
            edges.append(FlowEdge(f"publish{k}", f"channel{n}"))
    if any(i.on_request for i in items):
        nodes.append(FlowNode("apply", "end", "也可依申请公开（见依申请公开工作流程图）", lanes[0]))
        edges.append(FlowEdge("ok", "apply", "依申请"))
    return Flow(id=flow_id, title=title, lanes=lanes, nodes=nodes, edges=edges, source=first.pos.file)


def on_request_flow(item: CatalogItem, standard: Flow, title: str) -> Flow:
    """The 依申请公开 flow with the item's subjects in its subject lane (承办单位)."""
    own = standard.subject_lane
    subject = "、".join(item.subjects) or own
    lanes = [subject if lane == own else lane for lane in standard.lanes]
    nodes = [FlowNode(n.id, n.kind, n.label, subject if n.lane == own else n.lane, n.limit, n.basis) for n in standard.nodes]
    return Flow(id=standard.id, title=title, lanes=lanes, nodes=nodes, edges=list(standard.edges),
                source=standard.source)


def compose_charts(catalog: Catalog, flows: Dict[str, Flow], diags: Diagnostics) -> List[Chart]:
    """Charts named by their items, not their positions: deleting a row removes
    its chart and leaves the others' files (and their hashes) as they were."""
    charts: List[Chart] = []
    taken: Dict[str, int] = {}
    steps = item_steps(flows, diags)
    if steps is None:
        return charts

    def unique(name: str) -> str:
        return unique_stem(name, taken)

    if catalog.charts_per == "level1":
        groups: Dict[str, List[CatalogItem]] = {}
        for item in catalog.items:
            groups.setdefault(item.level1, []).append(item)
        for n, (level1, items) in enumerate(groups.items(), start=1):
            title = f"{level1}政务公开工作流程图"
            charts.append(Chart(stem=unique(stem(level1)), title=title, flow=item_flow(items, f"g{n}", title, steps)))
    else:
        for n, item in enumerate(catalog.items, start=1):
            title = f"{item.name}公开流程图"
            only_on_request = item.on_request and not item.proactive and "apply" in flows
            flow = on_request_flow(item, flows["apply"], title) if only_on_request else item_flow([item], "item", title, steps)
            charts.append(Chart(stem=unique(stem(item.name)), title=title, flow=flow))
    wanted = catalog.flows or ["proactive"] + (["apply"] if any(i.on_request for i in catalog.items) else [])
    for flow_id in wanted:
        if flow_id in flows:
            charts.append(flow_chart(flows[flow_id], taken))
    return charts


def unique_stem(name: str, taken: Dict[str, int]) -> str:
    """*name*, or *name*-2, -3 … when a chart already has it."""
    taken[name] = taken.get(name, 0) + 1
    return name if taken[name] == 1 else f"{name}-{taken[name]}"


def flow_chart(flow: Flow, taken: Dict[str, int], catalog: bool = True) -> Chart:
    """A flow of flows/ drawn as itself, named 流程-<title>."""
    return Chart(stem=unique_stem(f"流程-{stem(flow.title)}", taken), title=flow.title, flow=flow, flow_id=flow.id,
                 catalog=catalog)


def shown_flows(document: Document) -> List[str]:
    """The flows the document shows by id, in order: attachments' ``flowcharts: [...]`` and ``flowchart:`` figures."""
    found: List[str] = []

    def blocks(items) -> None:
        found.extend(b.flow_id for b in items if isinstance(b, FlowchartRef))

    def sections(items) -> None:
        for s in items:
            blocks(s.blocks)
            sections(s.children)

    sections(document.sections)
    for a in document.attachments:
        blocks(a.blocks)
        sections(a.sections)
        found.extend(a.flows)
        blocks(a.after)
    return list(dict.fromkeys(found))


def own_flow_charts(document: Document, flows: Dict[str, Flow], charts: List[Chart]) -> List[Chart]:
    """Charts of the flows the document shows that the catalog does not already draw: a plan's own process
    needs no catalog (and so writes no empty 目录 workbook)."""
    drawn = {c.flow_id for c in charts if c.flow_id}
    taken: Dict[str, int] = {}
    for c in charts:
        taken[c.stem] = 1
    return [flow_chart(flows[i], taken, catalog=False) for i in shown_flows(document) if i not in drawn and i in flows]
