"""nbrefactor: replace helper functions pasted into notebooks with imports from a package."""
