"""Settings: `server` for the API server and its tools, `client` for the station client, `shared` what both read.

Nothing is imported here, so the station client loads its settings without the server's (nor SQLAlchemy).
"""
