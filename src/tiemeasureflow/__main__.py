"""`python -m tiemeasureflow` runs the tmf command."""

from .launcher import main

main()
