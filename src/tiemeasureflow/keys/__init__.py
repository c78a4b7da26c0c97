"""Integration and stand keys, managed by administrators."""
