"""Reading the notebook's code: masking magics, parsing (tolerantly when a cell does not parse), each cell's facts, the catalog and the program."""
