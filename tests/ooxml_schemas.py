"""The ISO/IEC 29500 transitional schemas (vendored in tests/schemas/, see its NOTICE), loaded with lxml.

The schemas name the XML namespace (xml:space) without saying where its schema is, and sml.xsd uses it without
importing it; each driver below imports tests/schemas/xml.xsd first, then the part's own namespace, so the files
stay as published."""
from __future__ import annotations

import functools
import re
import tempfile
from pathlib import Path
from typing import List

from lxml import etree

FOLDER = Path(__file__).parent / "schemas"
TRANSITIONAL = FOLDER / "ooxml-transitional"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NAMESPACES = {
    "w": ("http://schemas.openxmlformats.org/wordprocessingml/2006/main", "wml.xsd"),
    "x": ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "sml.xsd"),
}


# sml.xsd as published does not load: it uses xml:space without importing its namespace, gives numFmtId of
# CT_PivotField (a number) the default "true" and readingOrder of CT_CellAlignment (a number) "false".  The
# stitched copy fixes these, nothing else.
SML_FIXES = [('<xsd:import', f'<xsd:import namespace="{XML_NS}"/>\n  <xsd:import'),
             ('name="numFmtId" type="ST_NumFmtId" use="optional" default="true"', 'name="numFmtId" type="ST_NumFmtId" use="optional"'),
             ('name="readingOrder" type="xsd:unsignedInt" use="optional" default="false"', 'name="readingOrder" type="xsd:unsignedInt" use="optional" default="0"')]


def _stitched_sml(folder: Path) -> Path:
    text = (TRANSITIONAL / "sml.xsd").read_text(encoding="utf-8")
    for old, new in SML_FIXES:
        assert old in text
        text = text.replace(old, new, 1)
    text = re.sub(r'schemaLocation="([^"/]+\.xsd)"', lambda m: f'schemaLocation="{(TRANSITIONAL / m.group(1)).as_uri()}"', text)
    path = folder / "sml-stitched.xsd"
    path.write_text(text, encoding="utf-8")
    return path


@functools.lru_cache(maxsize=None)
def schema(prefix: str) -> etree.XMLSchema:
    namespace, name = NAMESPACES[prefix]
    location = TRANSITIONAL / name if prefix != "x" else _stitched_sml(Path(tempfile.mkdtemp(prefix="sml-")))
    driver = (f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
              f'<xsd:import namespace="{XML_NS}" schemaLocation="{(FOLDER / "xml.xsd").as_uri()}"/>'
              f'<xsd:import namespace="{namespace}" schemaLocation="{location.as_uri()}"/></xsd:schema>')
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.fromstring(driver.encode("utf-8"), parser, base_url=(TRANSITIONAL / "driver.xsd").as_uri()))


MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def compatible(root: etree._Element) -> etree._Element:
    """*root* as a consumer that understands only ISO/IEC 29500 reads it (Markup Compatibility, ISO/IEC 29500-3):
    mc:Ignorable namespaces' elements and attributes dropped, mc:AlternateContent replaced by its Fallback."""
    ignorable = set()
    for el in root.iter():
        value = el.get(f"{{{MC_NS}}}Ignorable")
        if value:
            ignorable |= {el.nsmap.get(p) for p in value.split()} - {None}
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if etree.QName(el).namespace == MC_NS and etree.QName(el).localname == "AlternateContent":
            fallback = el.find(f"{{{MC_NS}}}Fallback")
            parent = el.getparent()
            index = parent.index(el)
            for child in (list(fallback) if fallback is not None else [])[::-1]:
                parent.insert(index, child)
            parent.remove(el)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if etree.QName(el).namespace in ignorable and el.getparent() is not None:
            el.getparent().remove(el)
            continue
        for attr in list(el.attrib):
            if etree.QName(attr).namespace in ignorable | {MC_NS}:
                del el.attrib[attr]
    return root


def errors(part: bytes) -> List[str]:
    """The schema errors of one XML part in a main namespace (WordprocessingML or SpreadsheetML); [] for a part of
    another namespace (relationships, content types, properties, drawings), which these tests do not judge."""
    root = compatible(etree.fromstring(part))
    for prefix, (namespace, _) in NAMESPACES.items():
        if etree.QName(root).namespace == namespace:
            s = schema(prefix)
            s.validate(etree.ElementTree(root))
            # xml:space is allowed on every element (XML 1.0, 2.10); the schemas forget it on SpreadsheetML's <t>
            return [f"{e.line}: {e.message}" for e in s.error_log
                    if f"attribute '{{{XML_NS}}}space' is not allowed" not in e.message]
    return []
