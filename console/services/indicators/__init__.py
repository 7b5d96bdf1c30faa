"""Early warnings of quiet erosion: weekly series, baselines, detection rules, alerts.

An indicator is one declaration in `catalog.py` (id, title, why, how its weekly series
is read, which rule judges it). `engine.evaluate` turns the declarations into
`Evaluation`s; `alerts_service` keeps thresholds and acknowledgements.
"""
