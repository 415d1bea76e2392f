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

# every .docx and .xlsx doctools opens (doctools.safeio.untrusted): import, audit, --tasks, workbooks, templates
MAX_ZIP_ENTRIES = 10_000             # parts in one zip package
MAX_ZIP_RATIO = 200                  # uncompressed size of one part (over 10 MB) over its compressed size

# a .docx imported or audited
MAX_DOCX_BYTES = 200_000_000         # all parts uncompressed, pictures included
MAX_DOCX_XML_BYTES = 30_000_000      # its XML parts uncompressed (a 500-page plan has 5 MB)
MAX_IMAGE_BYTES = 10_000_000         # one picture kept from an imported .docx (a bigger one becomes a placeholder)
MAX_STYLE_CHAIN = 50                 # styles followed through "based on" (a cycle stops earlier)

# workbooks read back (任务分工表.xlsx, a catalog's .xlsx, import --tasks)
MAX_WORKBOOK_BYTES = 200_000_000     # all parts of the workbook uncompressed, as its zip directory states
MAX_WORKBOOK_ROWS = 100_000          # rows of the sheet read
MAX_WORKBOOK_CELLS = 2_000_000       # rows times columns of the sheet read

# a house template (--template, ./templates/docx/plan.docx, ./templates/xlsx/tables.xlsx)
MAX_TEMPLATE_BYTES = 50_000_000      # all parts of the .docx or .xlsx uncompressed
MAX_TEMPLATE_SECONDS = 5             # rendering its Jinja fields
MAX_TEMPLATE_MEMORY = 512_000_000    # bytes of memory the rendering may add
MAX_TEMPLATE_OUTPUT = 5_000_000      # bytes of one rendered template part

# flowcharts
MAX_CHARTS = 500                     # flowcharts one build draws (a catalog's rows, or its 一级事项 with charts: level1)
MAX_CHART_SECONDS = 120              # Graphviz drawing one chart

# files of a package hashed to tell whether its outputs are current
MAX_INPUT_FILE_BYTES = 100_000_000   # bytes of one file hashed; a bigger one counts by its size and time

# output files
MAX_FILENAME_BYTES = 180             # an output file name's stem in UTF-8 (longer titles are shortened)

# values read from a Word file's XML (import, audit): one out of range is read as the attribute's default
MAX_LIST_NUMBER = 32_767             # a list's w:start, as Word allows; counters go no higher
MAX_GRID_SPAN = 63                   # columns one table cell spans (Word's most columns)
