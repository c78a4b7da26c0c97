"""Reports: PDF and spreadsheet documents built from the domains' answers."""
