"""Pooled analysis of the outcomes records: what teams achieve together, published safely."""
