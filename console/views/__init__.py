"""Qt widgets: the main window shell, one page per area, table models, dialogs, workers."""
