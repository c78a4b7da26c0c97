"""Inspection runs."""
