"""Synthetic packages for the benchmarks, deterministic from a seed number.

    python benchmarks/generate.py SIZE SEED FOLDER

SIZE is one of
  small   a county plan about the size of a seed document: 15 tasks, no catalog
  seed    the same with 6 catalog rows (a chart each) and the catalog as an attachment
  county  26 domains x 50 catalog rows (1,300) and 300 tasks; one chart per domain
  city    10 such counties: 13,000 catalog rows and 3,000 tasks; one chart per domain
The same SIZE and SEED always give the same files.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

WORDS = ("政务公开 标准目录 事项清单 办事指南 公开内容 公开时限 公开主体 公开渠道 动态调整 保密审查 政策解读 回应关切 "
         "公众参与 信息发布 平台建设 制度规范 工作流程 监督考核 基层政府 便民服务 村务公开 社会救助 养老服务 义务教育").split()
DOMAINS = ["城乡规划", "重大建设项目", "公共资源交易", "财政预决算", "安全生产", "税收管理", "征地补偿", "国有土地上房屋征收",
           "保障性住房", "农村危房改造", "环境保护", "公共文化服务", "公共法律服务", "扶贫", "救灾", "食品药品监管", "城市综合执法",
           "就业", "社会保险", "社会救助", "养老服务", "户籍管理", "涉农补贴", "义务教育", "医疗卫生", "市政服务"]
UNITS = ["县政府办公室", "县发改局", "县教体局", "县公安局", "县民政局", "县司法局", "县财政局", "县人社局", "县自然资源局",
         "县生态环境局", "县住建局", "县农业农村局", "县文广旅游局", "县卫健局", "县应急局", "县市场监管局", "县扶贫办",
         "县城管执法局", "县税务局", "县交通局", "县水利局", "县林业局", "县统计局", "县审计局", "县医保局", "各乡镇人民政府"]
CHANNELS = ["政府网站", "政府公报", "两微一端", "发布会/听证会", "广播电视", "纸质媒体", "公开查阅点", "政务服务中心", "便民服务站"]
SIZES = {"small": (1, 0, 15), "seed": (1, 6, 15), "county": (1, 50, 300), "city": (10, 50, 300)}   # counties, rows per domain, tasks per county


def sentence(rng: random.Random, n: int) -> str:
    return "，".join("".join(rng.choice(WORDS) for _ in range(rng.randint(2, 4))) for _ in range(n)) + "。"


def package(size: str, seed: int) -> dict:
    rng = random.Random(f"{size}-{seed}")
    counties, rows_per_domain, tasks_per_county = SIZES[size]
    domains = DOMAINS[:2] if size in ("seed", "small") else DOMAINS
    tasks, sections, items = [], [], []
    for county in range(counties):
        prefix = f"第{county + 1}县" if counties > 1 else ""
        for t in range(tasks_per_county):
            year, month = rng.choice((2021, 2022)), rng.randint(1, 12)
            tasks.append({"id": f"t{county}-{t}", "text": prefix + sentence(rng, rng.randint(2, 5)),
                          "responsible": rng.sample(UNITS, rng.randint(1, 3)),
                          "deadline": rng.choice((f"{year}年{month}月底前", f"{year}年{month}月", "持续推进"))})
        per_section = max(1, tasks_per_county // 10)
        for s in range(0, tasks_per_county, per_section):
            sections.append({"title": f"{prefix}{rng.choice(WORDS)}{rng.choice(WORDS)}",
                             "text": [{"task": f"t{county}-{t}"} for t in range(s, min(s + per_section, tasks_per_county))]})
        for _d, domain in enumerate(domains):
            for r in range(rows_per_domain):
                items.append({"level1": f"{domain}领域" if counties == 1 else f"{domain}领域",
                              "level2": f"{prefix}{rng.choice(WORDS)}{r + 1}",
                              "content": sentence(rng, 2), "basis": "《中华人民共和国政府信息公开条例》",
                              "time_limit": rng.choice(("信息形成或者变更之日起20个工作日内", "制定或获取信息之日起10个工作日内",
                                                        "制定或获取信息之日起10个工作日内，公示7个工作日")),
                              "subjects": "、".join(rng.sample(UNITS[:-1], rng.randint(1, 2)) + ["各乡镇人民政府"][: rng.randint(0, 1)]),
                              "channels": " ".join(("■" if rng.random() < 0.4 else "□") + c for c in CHANNELS),
                              "audience": "全社会", "mode": "主动", "level": "县级"})
    attachments = [{"title": "任务分工和进度安排", "table": "tasks"}, {"title": "政务公开工作流程图", "flowcharts": True}]
    if size == "seed":
        attachments.insert(1, {"title": "政务公开事项标准目录", "table": "catalog"})
    if size == "small":
        attachments = attachments[:1]
    used = {u for t in tasks for u in t["responsible"]}
    result = {
        "document": {"title": f"合成测试县政务公开工作实施方案（{size}-{seed}）", "office": "合成测试县人民政府办公室",
                     "date": "2021年3月5日", "preamble": "为推进基层政务公开标准化规范化工作，制定本实施方案。",
                     "imprint": {"cc": ["县委办公室", "县人大常委会办公室", "县政协办公室"]}},
        "units": [u for u in UNITS if u in used],
        "tasks": tasks,
        "schedule": [{"title": "部署阶段", "period": "2021年1月-2021年3月", "text": sentence(rng, 2)},
                     {"title": "实施阶段", "period": "2021年4月-2022年10月", "text": sentence(rng, 2)},
                     {"title": "总结阶段", "period": "2022年11月-2022年12月", "text": sentence(rng, 2)}],
        "body": [{"title": "工作任务", "sections": sections[:99]} if len(sections) <= 99 else
                 {"title": "工作任务", "sections": [{"title": f"第{i // 99 + 1}部分", "sections": sections[i:i + 99]}
                                                    for i in range(0, len(sections), 99)]},
                 {"title": "进度安排", "schedule": True}],
        "attachments": attachments,
        "tables": {"tasks": {"columns": ["序号", "工作任务", "责任单位", "完成时限"]}},
        "catalog": {"title": "政务公开事项标准目录", "charts": "item" if size == "seed" else "level1", "items": items},
    }
    if size == "small":
        del result["catalog"]
    return result


def write(size: str, seed: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(package(size, seed), allow_unicode=True, sort_keys=False, width=1000)
    (folder / "package.yaml").write_text(text, encoding="utf-8")
    return folder


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in SIZES:
        sys.exit(__doc__)
    print(write(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])))
