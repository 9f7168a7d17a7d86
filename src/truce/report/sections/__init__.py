"""The report's sections, one module per group: each function takes result objects and returns a
:class:`~truce.report.markup.Section` (a plain-language reading, then figures and tables)."""
