"""Writing the Excel tables an office hands in: the monthly report (export, sheet, stats_sheet,
styles, text, save) and the sheet each unit fills in (unit_sheet, unit_sheet_writer)."""
