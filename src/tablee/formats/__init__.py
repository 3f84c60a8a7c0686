"""Tablée's date formats per language (``FORMAT_MODULE_PATH``), read by ``|date:"DATE_FORMAT"`` and
``date_format(value, "MONTH_DAY_FORMAT")``. French keeps Django's fr_CA formats (« 12 novembre 2026 »);
English writes its months in full, as the emails always have (“November 12, 2026”), never “Nov. 12”
or “12 November”. Templates and code name these formats rather than spelling a pattern out, so one
language never shows two styles."""
