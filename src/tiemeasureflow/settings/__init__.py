"""System settings and the company logo."""
