"""jkenergy: Japan–Korea electricity and hydrogen optimiser."""
