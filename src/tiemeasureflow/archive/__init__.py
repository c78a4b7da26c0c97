"""Archive and restore of closed periods of measurements (`tmf archive`, `tmf restore`)."""
