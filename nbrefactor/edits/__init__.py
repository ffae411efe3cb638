"""Turning the rules' decisions into new cell sources: text edits, the layout of removed statements, import text, diffs."""
