"""Build Cradle's shipped reference data from the public source files (no Django imports)."""
