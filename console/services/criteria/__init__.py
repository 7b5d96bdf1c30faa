"""Versioned activation criteria: which call types are the unit's, from which day.

versions.py keeps the versions (drafts, then applied and immutable); timeline.py says
which version was in force on a day and classifies call types by it (the importer asks
it too); reclassify.py previews and applies a version to the calls from its date on;
propose.py lists the call types the criteria do not decide yet.
"""
