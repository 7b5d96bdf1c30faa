"""Which code decisions of a mapping may be kept in a profile (and so in the audit trail).

A value seen once or twice in a code column is as likely a slip (a person's name typed
into the call-source field) as a code: the import uses whatever the mapping says, but
such a value is kept in a saved profile only when a person decided it, in the wizard or
in the profile or mapping file the import started from. Values seen more often are
codes the export really uses, and are kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from console.data.importers.fields import Mapping, code_key
from console.data.importers.values import as_text
from console.services.importing.survey import Survey

# A code value seen at most this many times in the file is rare.
RARE_COUNT = 2


def savable_mapping(mapping: Mapping, survey: Survey,
                    confirmed: Mapping | None = None) -> Mapping:
    """`mapping` without the code values seen at most RARE_COUNT times in the surveyed
    file, unless `confirmed` (what a person decided: the profile or mapping file the
    import started from, and the values chosen in the wizard) has a decision for them.

    Counts come from the survey's distinct values; for a column with too many values to
    keep, from its sample (which can only count fewer: the value is then left out).
    """
    result = mapping
    for code_map in mapping.import_kind.code_maps:  # each of the kind's code maps
        decided: dict[str, Any] = mapping.code_map(code_map.name)
        if not decided or code_map.keep_rare:
            continue
        sure = {code_key(k) for k in confirmed.code_map(code_map.name)} if confirmed else set()
        seen = _counts(survey, [mapping.columns[f] for f in code_map.fields
                                if f in mapping.columns])
        result = result.with_code_map(code_map.name, {
            value: choice for value, choice in decided.items()
            if code_key(value) in sure or seen[code_key(value)] > RARE_COUNT})
    return result


def _counts(survey: Survey, columns: Iterable[str]) -> Counter[str]:
    """How often each value (by `code_key`) occurs in these columns of the file."""
    counts: Counter[str] = Counter()
    for column in columns:
        distinct = survey.distinct.get(column)
        if distinct is not None:
            for value, n in distinct.items():
                counts[code_key(value)] += n
            continue
        if column not in survey.header:
            continue
        index = survey.header.index(column)
        for _, cells in survey.sample:
            text = as_text(cells[index]) if index < len(cells) else None
            if text:
                counts[code_key(text)] += 1
    return counts
