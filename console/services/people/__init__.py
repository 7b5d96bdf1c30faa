"""Staffing over time, the leadership bench and the intern pipeline (no Qt here)."""
