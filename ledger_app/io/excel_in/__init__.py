"""Reading office workbooks: safety checks first (safety, extent, cfb), then python-calamine
(reader), the header and its columns (header), the rows (rows, status, units, measures, progress) into
an ImportPlan (workbook); also the units' monthly replies (unit_reply)."""
