"""Measuring stations and the recipes assigned to them."""
