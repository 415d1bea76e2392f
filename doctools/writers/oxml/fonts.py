"""The last pass over a produced .docx: its font table, its settings in schema order, and ``style.fonts``.

A stock Chinese Windows has 仿宋, 楷体, 黑体 and 宋体, but not 仿宋_GB2312, 楷体_GB2312 or 方正小标宋简体, the names
GB/T 9704 offices use.  Without a font table Word or WPS substitutes by its own guess, often 宋体, and the page no
longer looks official.  ``word/fontTable.xml`` names, for every font the document uses, its alternate name
(``w:altName``: 仿宋_GB2312 -> 仿宋) and its family hints (``w:panose1``, ``w:charset`` 86 = GB2312, ``w:family``,
``w:pitch``), which lead Word to the nearest installed face.

``style.fonts: windows`` (for an office whose machines lack the GB2312 fonts) writes the Windows names themselves:
仿宋, 楷体, 黑体 and 宋体 for the title (方正小标宋简体 is a commercial font).
"""
from __future__ import annotations

import re
import zipfile
from io import BytesIO
from typing import Dict, List, Tuple

from ..ziparchive import write_zip

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FONT_TABLE_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
FONT_TABLE_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"

# name -> (alternate name, panose1, family, pitch); all charset 86 (GB2312)
FONTS: Dict[str, Tuple[str, str, str, str]] = {
    "仿宋_GB2312": ("仿宋", "02010609030101010101", "modern", "fixed"),
    "楷体_GB2312": ("楷体", "02010609030101010101", "modern", "fixed"),
    "方正小标宋简体": ("宋体", "02000000000000000000", "script", "variable"),
    "黑体": ("SimHei", "02010609060101010101", "modern", "fixed"),
    "宋体": ("SimSun", "02010600030101010101", "auto", "variable"),
    "仿宋": ("FangSong", "02010609060101010101", "modern", "fixed"),
    "楷体": ("KaiTi", "02010609060101010101", "modern", "fixed"),
}
# style.fonts: windows -- the names a stock Chinese Windows has
WINDOWS = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}
FONT_CHOICES = ("official", "windows")

# CT_Settings: the children doctools or a template may write, in the schema's order (ISO/IEC 29500-1 17.15.1.78)
SETTINGS_ORDER = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime", "doNotDisplayPageBoundaries",
    "displayBackgroundShape", "printPostScriptOverText", "printFractionalCharacterWidth", "printFormsData",
    "embedTrueTypeFonts", "embedSystemFonts", "saveSubsetFonts", "saveFormsData", "mirrorMargins",
    "alignBordersAndEdges", "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop",
    "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle", "proofState", "formsDesign",
    "attachedTemplate", "linkStyles", "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge",
    "revisionView", "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting", "documentProtection",
    "autoFormatOverride", "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation",
    "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope", "summaryLength",
    "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting",
    "bookFoldPrintingSheets", "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery", "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin", "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
    "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter",
    "noLineBreaksBefore", "savePreviewPicture", "doNotValidateAgainstSchema", "saveInvalidXml",
    "ignoreMixedContent", "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml", "saveXmlDataOnly",
    "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags", "alwaysMergeEmptyNamespace", "updateFields",
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
    "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
    "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)


def font_table_xml(names: List[str]) -> str:
    """word/fontTable.xml for the fonts *names*, each with its alternate and family hints where known."""
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="{W_NS}">']
    for name in names:
        alt, panose, family, pitch = FONTS.get(name, (None, None, "auto", "variable"))
        out.append(f'<w:font w:name="{name}">' + (f'<w:altName w:val="{alt}"/>' if alt else "")
                   + (f'<w:panose1 w:val="{panose}"/>' if panose else "")
                   + f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>')
    out.append("</w:fonts>")
    return "".join(out)


_RFONTS = re.compile(r"<w:rFonts\b[^>]*>")
_FONT_ATTR = re.compile(r'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"')
_SETTING = re.compile(r"<w:(\w+)\b(?:[^<>]*/>|[^<>]*>.*?</w:\1>)", re.S)


def ordered_settings(xml: str) -> str:
    """settings.xml with its children in CT_Settings order (w:evenAndOddHeaders after w:defaultTabStop)."""
    m = re.search(r"(<w:settings\b[^>]*>)(.*)(</w:settings>)", xml, re.S)
    if not m:
        return xml
    children = [(c.group(1), c.group(0)) for c in _SETTING.finditer(m.group(2))]
    if "".join(text for _, text in children) != m.group(2).strip():
        return xml                     # something this pass does not understand: leave it
    rank = {name: i for i, name in enumerate(SETTINGS_ORDER)}
    children.sort(key=lambda c: rank.get(c[0], len(rank)))
    return xml[:m.start(2)] + "".join(text for _, text in children) + xml[m.end(2):]


def finish_docx(data: bytes, fonts: str = "official") -> bytes:
    """The .docx *data* with a font table for every font it names, its settings in schema order and, with
    *fonts* "windows", the Windows names of the official fonts."""
    source = zipfile.ZipFile(BytesIO(data))
    parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    if fonts == "windows":
        for name in parts:
            if name.startswith("word/") and name.endswith(".xml"):
                text = parts[name].decode("utf-8")
                for official, windows in WINDOWS.items():
                    text = text.replace(f'"{official}"', f'"{windows}"')
                parts[name] = text.encode("utf-8")
    used = sorted({f for name, blob in parts.items() if name.startswith("word/") and name.endswith(".xml")
                   and name != "word/fontTable.xml" for tag in _RFONTS.findall(blob.decode("utf-8"))
                   for f in _FONT_ATTR.findall(tag)})
    parts["word/fontTable.xml"] = font_table_xml(used).encode("utf-8")
    if "word/settings.xml" in parts:
        parts["word/settings.xml"] = ordered_settings(parts["word/settings.xml"].decode("utf-8")).encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    if "/word/fontTable.xml" not in types:
        types = types.replace("</Types>", f'<Override PartName="/word/fontTable.xml" ContentType="{FONT_TABLE_CONTENT}"/></Types>')
        parts["[Content_Types].xml"] = types.encode("utf-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    if FONT_TABLE_TYPE not in rels:
        rels = rels.replace("</Relationships>", f'<Relationship Id="rIdFontTable" Type="{FONT_TABLE_TYPE}" '
                                                'Target="fontTable.xml"/></Relationships>')
        parts["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    return write_zip(parts.items())
