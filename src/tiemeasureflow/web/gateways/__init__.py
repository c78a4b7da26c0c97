"""The station client's calls of the API, one module per area: typed arguments in, typed results out.

Pages call these functions and never write an /api path; every route is declared in `routes.py`'s
registry, which a test checks against the server's OpenAPI document.
"""
