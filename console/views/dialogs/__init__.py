"""Dialogs: signing in, locking, conflicts, the audit trail."""
