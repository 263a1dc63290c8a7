"""Reports: a result as data (``Result.to_dict``), as text, and as the printable case report (HTML and
PDF, with its 大写 amounts and chart).  Imports the law layer and below."""
