"""Outside programs that turn written files into others: Graphviz (DOT to SVG, PDF, PNG), LibreOffice
(.docx and .xlsx to PDF), and the fonts they render with."""
