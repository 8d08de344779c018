"""Cradle: the open data platform for the UK's specialised parent-infant relationship teams."""
