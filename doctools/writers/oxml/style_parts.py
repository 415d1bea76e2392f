"""The parts of the default Word template as WordprocessingML: named styles,
page-number footers, page setup and settings (see :mod:`doctools.writers.default_templates`).

Paragraph properties of a style are given as ``w:pPr`` children and put in
schema order (:data:`doctools.writers.oxml.CHILD_ORDER`) when assembled.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from ...typeset import gbt9704 as G
from ..ziparchive import write_zip
from . import CHILD_ORDER

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# (style id, visible name, based on, run font, size pt, paragraph properties xml, extra run xml, outline level)
PARAGRAPH_STYLES = [
    ("DocTitle", "公文标题", "Normal", G.FONT_TITLE, G.TITLE_PT, '<w:snapToGrid w:val="0"/><w:jc w:val="center"/><w:ind w:firstLine="0"/>', "", 0),
    ("Heading1", "heading 1", "Normal", G.FONT_HEI, G.BODY_PT, '<w:keepNext/>', "", 1),
    ("Heading2", "heading 2", "Normal", G.FONT_KAI, G.BODY_PT, '<w:keepNext/>', "", 2),
    ("Heading3", "heading 3", "Normal", G.FONT_BODY, G.BODY_PT, '<w:keepNext/>', "", 3),
    ("Heading4", "heading 4", "Normal", G.FONT_BODY, G.BODY_PT, '<w:keepNext/>', "", 4),
    ("HeaderMark", "发文机关标志", "Normal", G.FONT_TITLE, 30, '<w:snapToGrid w:val="0"/><w:jc w:val="center"/><w:ind w:firstLine="0"/>', f'<w:color w:val="{G.RED}"/>', None),
    ("DocNumber", "发文字号", "Normal", G.FONT_BODY, G.BODY_PT, '<w:jc w:val="center"/><w:ind w:firstLine="0"/>', "", None),
    ("Recipients", "主送机关", "Normal", G.FONT_BODY, G.BODY_PT, '<w:ind w:firstLine="0"/><w:jc w:val="both"/>', "", None),
    ("SignatureLine", "署名", "Normal", G.FONT_BODY, G.BODY_PT, '<w:ind w:firstLine="0"/><w:jc w:val="right"/>', "", None),
    ("AttachmentNote", "附件说明", "Normal", G.FONT_BODY, G.BODY_PT, '', "", None),
    ("AttachmentLabel", "附件标识", "Normal", G.FONT_HEI, G.BODY_PT, '<w:ind w:firstLine="0"/><w:jc w:val="left"/>', "", None),
    ("AttachmentTitle", "附件标题", "Normal", G.FONT_TITLE, G.TITLE_PT, '<w:snapToGrid w:val="0"/><w:jc w:val="center"/><w:ind w:firstLine="0"/>', "", 0),
    ("Imprint", "版记", "Normal", G.FONT_BODY, G.IMPRINT_PT, f'<w:snapToGrid w:val="0"/><w:ind w:left="{G.IMPRINT_PT * 20}" w:right="{G.IMPRINT_PT * 20}" w:firstLine="0"/><w:jc w:val="left"/>', "", None),
    ("Figure", "图片", "Normal", G.FONT_BODY, G.BODY_PT, '<w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="center"/>', "", None),
    ("FigureCaption", "图题", "Normal", G.FONT_BODY, G.BODY_PT, '<w:ind w:firstLine="0"/><w:jc w:val="center"/>', "", None),
    ("TableText", "表格文字", "Normal", G.FONT_BODY, G.TABLE_PT, '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="left"/>', "", None),
    ("TableHeading", "表头文字", "TableText", G.FONT_HEI, G.TABLE_PT, '<w:jc w:val="center"/>', "", None),
    ("Footer", "footer", None, G.FONT_SONG, G.IMPRINT_PT, '<w:widowControl w:val="0"/><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>', "", None),
    ("PageNumberOdd", "页码（奇数页）", "Footer", G.FONT_SONG, G.IMPRINT_PT, f'<w:ind w:right="{G.IMPRINT_PT * 20}"/><w:jc w:val="right"/>', "", None),
    ("PageNumberEven", "页码（偶数页）", "Footer", G.FONT_SONG, G.IMPRINT_PT, f'<w:ind w:left="{G.IMPRINT_PT * 20}"/><w:jc w:val="left"/>', "", None),
]

CHARACTER_STYLES = [
    ("Heading1Char", "一级标题字符", G.FONT_HEI),
    ("Heading2Char", "二级标题字符", G.FONT_KAI),
    ("Heading3Char", "三级标题字符", G.FONT_BODY),
    ("Heading4Char", "四级标题字符", G.FONT_BODY),
]


def _fonts(name: str) -> str:
    return (f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}" w:hint="eastAsia"/>')


def _spacing(ppr: str) -> str:
    """Styles that leave the character grid keep their natural glyph advance."""
    return '<w:spacing w:val="0"/>' if 'snapToGrid w:val="0"' in ppr else ""


def _size(pt: float) -> str:
    return f'<w:sz w:val="{round(pt * 2)}"/><w:szCs w:val="{round(pt * 2)}"/>'


_PPR_ORDER = [tag[2:] for tag in CHILD_ORDER["w:pPr"]]


def _ppr(fragment: str, outline) -> str:
    import re
    parts = re.findall(r"<w:(\w+)[^>]*/>", fragment)
    pieces = dict(zip(parts, re.findall(r"<w:\w+[^>]*/>", fragment)))
    if outline is not None:
        pieces["outlineLvl"] = f'<w:outlineLvl w:val="{outline}"/>'
    return "<w:pPr>" + "".join(pieces[k] for k in _PPR_ORDER if k in pieces) + "</w:pPr>"


def styles_xml() -> str:
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W_NS}">']
    out.append(
        "<w:docDefaults><w:rPrDefault><w:rPr>" + _fonts(G.FONT_BODY) + _size(G.BODY_PT)
        + '<w:kern w:val="2"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:spacing w:before="0" w:after="0"/></w:pPr></w:pPrDefault></w:docDefaults>')
    out.append(
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:widowControl w:val="0"/><w:overflowPunct w:val="1"/><w:spacing w:before="0" w:after="0" w:line="{G.LINE_PITCH}" w:lineRule="exact"/>'
        f'<w:ind w:firstLine="{2 * G.CHAR}"/><w:jc w:val="both"/></w:pPr>'
        f'<w:rPr>{_fonts(G.FONT_BODY)}<w:spacing w:val="{G.BODY_CONDENSE}"/>{_size(G.BODY_PT)}</w:rPr></w:style>')
    out.append('<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>')
    out.append('<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/>'
               '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
               '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>')
    out.append('<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>'
               '<w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
               '<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
               '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders></w:tblPr></w:style>')
    for sid, name, based, font, size, ppr, rpr_extra, outline in PARAGRAPH_STYLES:
        based_xml = f'<w:basedOn w:val="{based}"/>' if based else ""
        out.append(f'<w:style w:type="paragraph" w:customStyle="{0 if name.startswith(("heading", "footer")) else 1}" w:styleId="{sid}">'
                   f'<w:name w:val="{escape(name)}"/>{based_xml}<w:qFormat/>{_ppr(ppr, outline)}'
                   f'<w:rPr>{_fonts(font)}{rpr_extra}{_spacing(ppr)}{_size(size)}</w:rPr></w:style>')
    for sid, name, font in CHARACTER_STYLES:
        out.append(f'<w:style w:type="character" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{name}"/>'
                   f'<w:basedOn w:val="DefaultParagraphFont"/><w:rPr>{_fonts(font)}</w:rPr></w:style>')
    out.append("</w:styles>")
    return "".join(out)


def _footer_xml(style: str) -> str:
    run = lambda inner: f'<w:r>{inner}</w:r>'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
            + run('<w:t xml:space="preserve">— </w:t>')
            + run('<w:fldChar w:fldCharType="begin"/>') + run('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
            + run('<w:fldChar w:fldCharType="separate"/>') + run('<w:t>1</w:t>') + run('<w:fldChar w:fldCharType="end"/>')
            + run('<w:t xml:space="preserve"> —</w:t>') + '</w:p></w:ftr>')


def section_xml() -> str:
    return (f'<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/>'
            f'<w:footerReference w:type="even" r:id="rIdFooterEven"/>'
            f'<w:pgSz w:w="{G.PAGE_WIDTH}" w:h="{G.PAGE_HEIGHT}"/>'
            f'<w:pgMar w:top="{G.MARGIN_TOP}" w:right="{G.MARGIN_RIGHT}" w:bottom="{G.MARGIN_BOTTOM}" w:left="{G.MARGIN_LEFT}" '
            f'w:header="{G.HEADER_DISTANCE}" w:footer="{G.FOOTER_DISTANCE}" w:gutter="0"/>'
            f'<w:cols w:space="425"/>'
            f'<w:docGrid w:type="lines" w:linePitch="{G.LINE_PITCH}"/></w:sectPr>')


_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"""

_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"""

_DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/></Relationships>"""

_SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/><w:evenAndOddHeaders/><w:defaultTabStop w:val="{G.CHAR * 2}"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>"""

_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>实施方案模板</dc:title><dc:creator>doctools</dc:creator><cp:lastModifiedBy>doctools</cp:lastModifiedBy><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">2020-01-01T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2020-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>"""

_APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>doctools</Application></Properties>"""


def template_bytes() -> bytes:
    """The default plan template as .docx bytes (deterministic)."""
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
                f'<w:body><w:p/>{section_xml()}</w:body></w:document>')
    parts = [
        ("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS),
        ("word/document.xml", document), ("word/_rels/document.xml.rels", _DOC_RELS),
        ("word/styles.xml", styles_xml()), ("word/settings.xml", _SETTINGS),
        ("word/footer1.xml", _footer_xml("PageNumberOdd")), ("word/footer2.xml", _footer_xml("PageNumberEven")),
        ("docProps/core.xml", _CORE), ("docProps/app.xml", _APP),
    ]
    return write_zip((name, text.encode("utf-8")) for name, text in parts)
