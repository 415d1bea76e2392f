"""Make typed_direct.docx: a plan typed the way staff type one in Word or WPS.

No styles at all (every paragraph is 正文/Normal): the title is centred and
set large by hand, numbers 一、（一）1. are typed, paragraphs start with two
full-width spaces, headings are made bold by hand, the 署名 is pushed right
with alignment, and the 版记 is two typed lines.  Duty wording comes in the
three common forms: a 责任单位 line of its own, a block of 牵头单位 / 配合单位 /
完成时限 lines, and inline in parentheses.  Run: python tests/import/make_typed.py
"""
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
INDENT = "\u3000\u3000"


def para(doc, text="", bold=False, size=16, align=None, font="仿宋_GB2312", runs=None):
    p = doc.add_paragraph()
    for part, b in (runs or [(text, bold)]):
        r = p.add_run(part)
        r.bold = b
        r.font.size = Pt(size)
        r.font.name = font
    if align:
        p.alignment = align
    return p


def make(path: Path) -> None:
    doc = docx.Document()
    C, R = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    para(doc, "青山镇2024年政务公开工作", size=22, align=C, font="方正小标宋简体")
    para(doc, "实施方案", size=22, align=C, font="方正小标宋简体")
    para(doc)
    para(doc, INDENT + "为深入推进基层政务公开标准化规范化，提升政务服务水平，结合我镇实际，制定本方案。")
    para(doc, INDENT + "一、工作目标", font="黑体")
    para(doc, INDENT + "到2024年底，全镇政务公开事项目录全面建成，公开平台规范运行，群众满意度明显提升。")
    para(doc, INDENT + "二、主要任务", font="黑体")
    para(doc, INDENT + "（一）编制政务公开事项目录", font="楷体_GB2312")
    para(doc, INDENT + "对照上级标准指引，梳理本镇职责范围内的公开事项，逐项明确公开内容、公开时限和公开渠道。")
    para(doc, INDENT + "责任单位：镇党政办、镇财政所")
    para(doc, INDENT + "（二）规范政务公开平台", font="楷体_GB2312")
    para(doc, INDENT + "加强镇政府网站政务公开专栏建设，及时更新政策文件和办事指南，确保信息准确、完整、及时。"
               "（牵头单位：镇党政办；配合单位：各村（社区）；完成时限：2024年6月底前）")
    para(doc, INDENT + "（三）推进办事服务公开", font="楷体_GB2312")
    para(doc, INDENT + "在便民服务中心设立政务公开专区，提供政策查询、办事咨询等服务。")
    para(doc, INDENT + "牵头单位：镇便民服务中心")
    para(doc, INDENT + "配合单位：镇党政办")
    para(doc, INDENT + "完成时限：2024年9月底前")
    para(doc, INDENT + "（四）强化政策解读", font="楷体_GB2312")
    para(doc, runs=[(INDENT, False), ("一是落实解读责任。", True), ("按照“谁起草、谁解读”原则，同步做好政策解读。", False),
                    ("二是丰富解读形式。", True), ("运用图表、视频等方式，提高解读的可读性。", False)])
    para(doc, INDENT + "三、进度安排", font="黑体")
    para(doc, INDENT + "（一）动员部署阶段（2024年3月）。制定工作方案，明确责任分工。")
    para(doc, INDENT + "（二）组织实施阶段（2024年4月-2024年10月）。各单位按照职责分工推进各项任务。")
    para(doc, INDENT + "（三）总结提升阶段（2024年11月-2024年12月）。总结工作经验，形成工作报告。")
    para(doc, INDENT + "四、保障措施", font="黑体")
    para(doc, runs=[(INDENT, False), ("（一）加强组织领导。", True), ("镇政府成立政务公开工作领导小组，统筹推进各项工作。", False)])
    para(doc, runs=[(INDENT, False), ("（二）强化督查考核。", True), ("将政务公开工作纳入年度绩效考核，定期通报工作进展。", False)])
    para(doc)
    para(doc, INDENT + "附件：政务公开重点任务分工表")
    para(doc)
    para(doc, "青山镇人民政府", align=R)
    para(doc, "2024年3月1日", align=R)
    doc.add_page_break()
    para(doc, "附件", font="黑体")
    para(doc, "政务公开重点任务分工表", size=22, align=C, font="方正小标宋简体")
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]):
        cell.text = name
    rows = [("1", "更新镇政府信息公开指南和目录。", "镇党政办", "", "2024年4月底前"),
            ("2", "开展政务公开培训。", "镇党政办", "各村（社区）", "2024年5月底前")]
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = value
    para(doc)
    para(doc, "抄送：镇党委，镇人大主席团。", size=14)
    para(doc, "青山镇党政办公室　　　　　　　　2024年3月1日印发", size=14)
    doc.core_properties.author = "staff"
    doc.save(str(path))


if __name__ == "__main__":
    make(HERE / "typed_direct.docx")
