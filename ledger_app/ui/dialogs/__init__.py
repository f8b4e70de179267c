"""The main window's dialogs: new task, inspection rounds, unit directory, settings, trash."""
