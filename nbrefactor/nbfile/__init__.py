"""The notebook file: its bytes and JSON, cell-by-cell scanning, splicing new sources in, the schema, temporary files."""
