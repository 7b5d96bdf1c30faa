"""Referrals and the provider network: warm handoffs that can be proven (DESIGN.md)."""
