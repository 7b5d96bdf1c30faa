"""The parts of the call import (console.services.import_service is its public face).

survey: one read of a file before importing; validate: rows to call values or rejects
(cells: the datetime converter and what converters share); write: the upsert into the
call table; locations: addresses to block-level keys.
"""
