"""Word files written by hand, XML part by XML part, for the hostile-input tests: what Word would never save but
a file from anywhere may hold (a style based on itself, a list starting at 999,999,999, w:b="maybe")."""
from __future__ import annotations

import io
import zipfile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

BASE_STYLES = ('<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
               '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
               '<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>')

BODY = ('<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:sz w:val="44"/></w:rPr>'
        '<w:t>某县政务公开工作实施方案</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>为贯彻落实上级要求，结合我县实际，制定本方案。</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>一、工作目标</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>全面推进政务公开标准化规范化工作。</w:t></w:r></w:p>')


def docx_bytes(body: str = BODY, styles: str = "", numbering: str = "", extra_parts: dict = None) -> bytes:
    """A .docx whose body is *body* (the XML inside w:body), with *styles* after the two base styles and the
    *numbering* definitions (the XML inside w:numbering)."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" '
        'ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="'
        'application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/'
        'numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
        '</Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/_rels/document.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdN" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>{body}'
                             '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>',
        "word/styles.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:styles {NS}>{BASE_STYLES}{styles}</w:styles>',
        "word/numbering.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:numbering {NS}>{numbering}</w:numbering>',
        **(extra_parts or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text.encode("utf-8") if isinstance(text, str) else text)
    return out.getvalue()


def numbered(fmt: str = "decimal", start: str = "1", ilvl: str = "0", para_ilvl: str = "0", num_id: str = "1",
             text: str = "%1.", override: str = "") -> dict:
    """Arguments of :func:`docx_bytes` for three list paragraphs under one list definition."""
    numbering = (f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/>'
                 f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'
                 f'<w:num w:numId="1"><w:abstractNumId w:val="0"/>{override}</w:num>')
    items = "".join(f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{para_ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
                    f'<w:r><w:t>第{i}项工作。</w:t></w:r></w:p>' for i in range(3))
    return {"body": BODY + items, "numbering": numbering}


def attribute(run_props: str = "", para_props: str = "", style_props: str = "") -> dict:
    """Arguments of :func:`docx_bytes` for a paragraph with these run and paragraph properties, in a style with
    these run properties."""
    style = f'<w:style w:type="paragraph" w:styleId="Odd"><w:name w:val="Odd"/><w:basedOn w:val="Normal"/>{style_props}</w:style>'
    para = (f'<w:p><w:pPr><w:pStyle w:val="Odd"/>{para_props}</w:pPr><w:r><w:rPr>{run_props}</w:rPr>'
            '<w:t>二、主要任务</w:t></w:r></w:p>')
    return {"body": BODY + para, "styles": style}


def table(rows: str) -> dict:
    return {"body": BODY + f'<w:tbl><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>{rows}</w:tbl>'
                           '<w:p/>'}


CELL = '<w:tc>{props}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>'


def cell(text: str, props: str = "") -> str:
    return CELL.format(props=f"<w:tcPr>{props}</w:tcPr>" if props else "", text=text)


#: the malformed attribute values of issue 26 (items 6 and 11): name -> arguments of docx_bytes
VARIANTS = {
    "numbering-ilvl-20": numbered(para_ilvl="20"),
    "numbering-ilvl-text": numbered(para_ilvl="x"),
    "numbering-level-ilvl-20": numbered(ilvl="20", para_ilvl="20"),
    "numbering-level-ilvl-text": numbered(ilvl="x"),
    "numbering-numid-text": numbered(num_id="x"),
    "numbering-start-text": numbered(start="x"),
    "numbering-start-4301-digits": numbered(start="9" * 4301),
    "numbering-start-10e40": numbered(start=str(10 ** 40)),
    "numbering-start-negative": numbered(start="-5"),
    "numbering-lower-roman-999999999": numbered(fmt="lowerRoman", start="999999999"),
    "numbering-chinese-999999999": numbered(fmt="chineseCounting", start="999999999"),
    "numbering-level-text-percent-0": numbered(text="%0.%9."),
    "numbering-override-text": numbered(override='<w:lvlOverride w:ilvl="x"><w:startOverride w:val="y"/></w:lvlOverride>'),
    "bold-maybe": attribute(run_props='<w:b w:val="maybe"/>', style_props='<w:rPr><w:b w:val="maybe"/></w:rPr>'),
    "size-superscript-two": attribute(run_props='<w:sz w:val="²"/>', style_props='<w:rPr><w:sz w:val="²"/></w:rPr>'),
    "size-abc": attribute(run_props='<w:sz w:val="abc"/>', style_props='<w:rPr><w:sz w:val="abc"/></w:rPr>'),
    "size-21.5": attribute(run_props='<w:sz w:val="21.5"/>', style_props='<w:rPr><w:sz w:val="21.5"/></w:rPr>'),
    "outline-level-text": attribute(para_props='<w:outlineLvl w:val="x"/>',
                                    style_props='<w:pPr><w:outlineLvl w:val="x"/></w:pPr>'),
    "indent-superscript": attribute(para_props='<w:ind w:right="²" w:left="x"/>'),
    "grid-span-text": table("<w:tr>" + cell("甲", '<w:gridSpan w:val="x"/>') + cell("乙") + "</w:tr>"),
    "grid-span-huge": table("<w:tr>" + cell("甲", '<w:gridSpan w:val="99999999"/>') + "</w:tr>"),
    "vmerge-in-first-row": table("<w:tr>" + cell("甲", "<w:vMerge/>") + cell("乙") + "</w:tr>"
                                 "<w:tr>" + cell("丙", "<w:vMerge/>") + cell("丁") + "</w:tr>"),
    "grid-width-text": {"body": BODY + '<w:tbl><w:tblGrid><w:gridCol w:w="²"/></w:tblGrid><w:tr><w:trPr>'
                                       '<w:trHeight w:val="x"/></w:trPr>' + cell("甲") + '</w:tr></w:tbl><w:p/>'},
    "style-based-on-itself": {"body": BODY + '<w:p><w:pPr><w:pStyle w:val="Loop"/></w:pPr><w:r><w:t>二、任务</w:t></w:r></w:p>',
                              "styles": '<w:style w:type="paragraph" w:styleId="Loop"><w:name w:val="Loop"/>'
                                        '<w:basedOn w:val="Loop"/></w:style>'},
    "style-based-on-cycle": {"body": BODY + '<w:p><w:pPr><w:pStyle w:val="A"/></w:pPr><w:r><w:t>二、任务</w:t></w:r></w:p>',
                             "styles": '<w:style w:type="paragraph" w:styleId="A"><w:name w:val="A"/><w:basedOn w:val="B"/>'
                                       '</w:style><w:style w:type="paragraph" w:styleId="B"><w:name w:val="B"/>'
                                       '<w:basedOn w:val="A"/></w:style>'},
}
