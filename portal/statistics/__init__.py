"""Statistics for the board and the unit: counts and aggregates only, drawn as accessible SVG with a table beside."""
