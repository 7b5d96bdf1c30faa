"""The schedule area: roster rules, coverage against demand, roster import."""
