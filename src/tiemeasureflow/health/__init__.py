"""Liveness and readiness: the health probe and the slow-work lanes' state."""
