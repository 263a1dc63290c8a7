"""Reports for people: the printable case report (HTML and PDF) and its parts (大写 amounts, chart)."""
