"""Pooled analysis in plain Python: statistics, funnel-plot limits and disclosure control.

Nothing in this package imports Django (a unit test proves it), so every figure can be checked
against hand-computed values on plain data and reused by the web layer, downloads and the
benchmark alike. Modules:

- ``distributions``: Student's t, the normal and the binomial distribution, to full double
  precision, without SciPy.
- ``describe``: medians and quartiles, rates, ranked counts, age bands and shares.
- ``change``: paired before/after statistics for one outcome instrument.
- ``funnel``: funnel-plot control limits for a proportion (Spiegelhalter 2005).
- ``disclosure``: the NHS Digital disclosure rule and ``protect_table`` with secondary
  suppression; ``audit`` is the attacker model used to check it.
- ``families``: the same protection across releases that add up (the nations and the UK; an
  area inside them), and summaries withheld across them.
"""
