"""First article inspection (AS9102 Rev C): records, scope, Forms 1-3 as PDF and XLSX."""
