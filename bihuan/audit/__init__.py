"""The hash-chained audit log (安全审计): who did what, when, from where, and its verification."""
