"""Idempotency keys: a repeated creating request answers the first answer and stores nothing."""
