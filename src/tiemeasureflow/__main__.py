"""`python -m tiemeasureflow` runs the tmf command."""

from .cli import main

main()
