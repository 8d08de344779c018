"""Outcomes portal: minimised case records and outcome measures."""
