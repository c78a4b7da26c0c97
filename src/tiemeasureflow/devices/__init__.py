"""Stands signing in with the OAuth 2.0 device authorization grant (RFC 8628), as HardPy's sc-login does."""
