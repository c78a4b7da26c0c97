"""Building blocks shared by the domains; imports nothing from the package but `config`."""
