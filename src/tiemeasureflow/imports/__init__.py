"""Files from measuring machines (QIF 3.0, AQDEF/DFQ) in and out: parsing apart from storing."""
