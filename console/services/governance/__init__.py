"""Program governance: who owns, funds and answers for the program, and to whom
(records, edits, flags, the chart's layout and the owner_missing weekly reading)."""
