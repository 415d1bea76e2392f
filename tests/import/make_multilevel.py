"""Make multilevel.docx: a plan whose section numbers come from Word's multilevel list.

The headings carry no typed numbers: 一、（一）1. are list levels 0-2 of one
numbering definition (numbering.xml, chineseCounting and decimal), applied to
Heading 1-3, as Word does with 多级列表 linked to 标题 styles.  Duties are
inline in parentheses, with a 完成时限, and one 责任单位 line.
Run: python tests/import/make_multilevel.py
"""
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

HERE = Path(__file__).resolve().parent
LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."), ("decimal", "（%4）")]


def add_numbering(doc) -> str:
    numbering = doc.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/></w:lvl>' for i, (fmt, text) in enumerate(LEVELS))
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def heading(doc, text: str, level: int, num_id: str):
    p = doc.add_paragraph(text, style=f"Heading {level}")
    ppr = p._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level - 1}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return p


def make(path: Path) -> None:
    doc = docx.Document()
    num = add_numbering(doc)
    doc.add_paragraph("绿水县推进政务服务事项公开实施方案", style="Title")
    doc.add_paragraph("各乡镇人民政府，县政府各部门：")
    doc.add_paragraph("为进一步提升政务服务透明度，方便企业和群众办事，结合我县实际，制定本方案。")
    heading(doc, "总体要求", 1, num)
    doc.add_paragraph("坚持公开为常态、不公开为例外，全面公开政务服务事项，做到应公开尽公开。")
    heading(doc, "重点任务", 1, num)
    heading(doc, "公开政务服务事项清单", 2, num)
    doc.add_paragraph("全面梳理县级政务服务事项，编制并公布政务服务事项清单，实行动态调整。"
                      "（牵头单位：县政务服务中心；配合单位：县直各部门；完成时限：2024年6月底前）")
    heading(doc, "规范办事指南", 2, num)
    heading(doc, "统一要素", 3, num)
    doc.add_paragraph("办事指南应列明办理依据、受理条件、申请材料、办理时限、收费标准等要素。"
                      "（责任单位：县直各部门。完成时限：2024年8月底前）")
    heading(doc, "及时更新", 3, num)
    doc.add_paragraph("政策调整后五个工作日内更新办事指南，确保线上线下一致。")
    doc.add_paragraph("责任单位：县政务服务中心、县直各部门")
    heading(doc, "推进一网通办", 2, num)
    doc.add_paragraph("依托一体化在线政务服务平台，推动高频事项网上可办、掌上可办。"
                      "（牵头单位：县大数据中心；配合单位：县政务服务中心、县直各部门；完成时限：2024年12月底前）")
    heading(doc, "保障措施", 1, num)
    heading(doc, "加强组织领导", 2, num)
    doc.add_paragraph("各单位主要负责同志要亲自抓，明确专人负责，确保各项任务落到实处。")
    heading(doc, "强化监督考核", 2, num)
    doc.add_paragraph("县政府督查室定期督查，督查结果纳入年度考核。")
    doc.add_paragraph("")
    p = doc.add_paragraph("绿水县人民政府办公室")
    p.alignment = 2
    p = doc.add_paragraph("2024年2月20日")
    p.alignment = 2
    doc.add_paragraph("（此件公开发布）")
    doc.save(str(path))


if __name__ == "__main__":
    make(HERE / "multilevel.docx")
