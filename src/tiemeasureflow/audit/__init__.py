"""The audit trail: recording, listing and verifying the hash chain."""
