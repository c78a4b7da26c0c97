"""Authentication: passwords, API keys, the current principal and role guards."""
