"""Questions: the YAML banks, definitions and scales, the catalogue, sets, themes."""
