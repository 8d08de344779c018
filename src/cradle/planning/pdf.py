"""HTML to PDF with WeasyPrint (needs the pango libraries: see the Makefile's `browser` target)."""

from __future__ import annotations

from django.contrib.staticfiles import finders

PRINT_CSS = "planning/print.css"


def html_to_pdf(html: str, base_url: str) -> bytes:
    from weasyprint import CSS, HTML

    stylesheet = finders.find(PRINT_CSS)
    return HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=[CSS(filename=stylesheet)] if stylesheet else [])
