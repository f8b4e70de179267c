"""Reading office workbooks: safety checks first (safety, extent, cfb), then python-calamine
(reader), the header and its columns (header), the rows classified (row_kinds) and gathered into task
drafts (drafts), the drafts assembled into tasks (tasks, with task_units, task_state, status, units,
measures, progress) into an ImportPlan (workbook); also the units' monthly replies (unit_reply)."""
