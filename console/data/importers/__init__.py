"""Reading CAD and records-system exports (CSV, XLSX) into call fields.

`fields` names what a call can carry and how a file's columns map onto it (the
contract shared by the readers, the suggester, the import service and the wizard);
`readers` open a file as a header and rows; `values` turns cells into typed values;
`suggest` proposes a mapping from a header and the values seen.
"""
