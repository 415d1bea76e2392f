"""Every limit doctools puts on its input, in one place.

A package comes from a colleague, a download or a sync folder, so doctools
treats it as untrusted: no input may make a build hang, eat the machine's
memory, crash the interpreter or write outside its output folder.  Each limit
below is far above what a real plan needs (the city benchmark has 13,000
catalog rows and 3,000 tasks) and far below what would hurt.  Going over one is
an input error naming the file and place, exit status 2.

The README's "Reliability" section quotes these numbers; a test keeps the two
equal.
"""
from __future__ import annotations

# YAML
MAX_YAML_BYTES = 10_000_000          # a package's YAML files together, in bytes (the city benchmark's: 8.3 MB)
MAX_YAML_NODES = 500_000             # keys, values, lists and mappings in them together (the city's: 315,000)
MAX_YAML_DEPTH = 40                  # mappings and lists nested inside each other
MAX_YAML_ALIAS_NODES = 10_000        # values produced by expanding aliases (*name), per file
MAX_YAML_PROBLEMS = 1_000            # problems reported in one YAML file before reading it stops

# tables and text
MAX_TABLE_ROWS = 50_000              # rows of one table (given rows plus blank_rows)
MAX_BLANK_ROWS = 1_000               # blank_rows of a table left to fill in by hand
MAX_TABLE_COLUMNS = 50               # columns of a table given cell by cell
MAX_TITLE_CHARS = 200                # the document's title and the office name, in characters

# workbooks read back (任务分工表.xlsx, a catalog's .xlsx)
MAX_WORKBOOK_BYTES = 200_000_000     # all parts of the workbook uncompressed, as its zip directory states
MAX_WORKBOOK_RATIO = 200             # uncompressed size of one part over its compressed size
MAX_WORKBOOK_ROWS = 100_000          # rows of the sheet read
MAX_WORKBOOK_CELLS = 2_000_000       # rows times columns of the sheet read

# a house template (--template)
MAX_TEMPLATE_BYTES = 50_000_000      # all parts of the .docx uncompressed
MAX_TEMPLATE_SECONDS = 5             # rendering its Jinja fields
MAX_TEMPLATE_MEMORY = 512_000_000    # bytes of memory the rendering may add
MAX_TEMPLATE_OUTPUT = 5_000_000      # bytes of one rendered template part

# flowcharts
MAX_CHART_SECONDS = 120              # Graphviz drawing one chart

# output files
MAX_FILENAME_BYTES = 180             # an output file name's stem in UTF-8 (longer titles are shortened)

# values read from a Word file's XML (import, audit): one out of range is read as the attribute's default
MAX_STYLE_CHAIN = 50                 # styles followed through w:basedOn (a cycle ends there too)
MAX_LIST_NUMBER = 32_767             # a list's w:start, as Word allows; counters go no higher
MAX_GRID_SPAN = 63                   # columns one table cell spans (Word's most columns)


def whole_number(text, default=None, low: int = 0, high: int = 2 ** 31 - 1):
    """An integer attribute of an untrusted XML file, or *default* when it is absent, not ASCII digits (``x``,
    ``²``, ``21.5``), longer than ten digits (4,301 digits would make ``int()`` refuse) or outside
    [*low*, *high*]."""
    if text is None:
        return default
    text = str(text).strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or len(digits) > 10 or not (digits.isascii() and digits.isdigit()):
        return default
    value = int(text)
    return value if low <= value <= high else default


def decimal_number(text, default=None, low: float = 0, high: float = 1e6):
    """A number attribute that may have a fraction (``21.5``), by the rules of :func:`whole_number`."""
    if text is None:
        return default
    whole, _dot, fraction = str(text).strip().partition(".")
    if whole_number(whole or "0", None, 0, 10 ** 10) is None or (fraction and whole_number(fraction) is None):
        return default
    value = float(str(text).strip())
    return value if low <= value <= high else default


def on_off(text, default=None):
    """A Word ON/OFF attribute (``w:b``): absent is on; ``0``/``false``/``off`` is off; anything else
    (``maybe``) is *default*."""
    if text is None:
        return True
    return {"1": True, "true": True, "on": True, "0": False, "false": False, "off": False}.get(str(text).strip().lower(),
                                                                                             default)
