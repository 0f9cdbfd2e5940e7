"""After the day: the work plan's commitments followed up by their responsibles and staff."""
