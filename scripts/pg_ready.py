"""Exit 0 when the PostgreSQL server at the given URL answers, 1 otherwise."""

import sys

import psycopg

try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:  # any failure means "not available"
    print(f"PostgreSQL not reachable: {exc}".strip(), file=sys.stderr)
    sys.exit(1)
