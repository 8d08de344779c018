"""The worker's own copies of public pages: a byte budget, least recently used out first,
and nothing served past its expiry."""

from cradle.core.page_store import LocalCopies


def test_the_least_recently_used_page_goes_first_when_over_budget():
    copies = LocalCopies(budget_bytes=100)
    copies.put("a", "page a", 40, expires=10)
    copies.put("b", "page b", 40, expires=10)
    assert copies.get("a", now=1) == "page a"  # a is now the more recently used
    copies.put("c", "page c", 40, expires=10)
    assert copies.get("b", now=1) is None
    assert copies.get("a", now=1) == "page a" and copies.get("c", now=1) == "page c"
    assert copies.used == 80


def test_a_page_is_never_served_after_its_expiry():
    copies = LocalCopies(budget_bytes=100)
    copies.put("a", "page a", 10, expires=5)
    assert copies.get("a", now=4.9) == "page a"
    assert copies.get("a", now=5) is None and copies.used == 0


def test_a_page_larger_than_the_budget_is_not_kept_and_a_replacement_is_counted_once():
    copies = LocalCopies(budget_bytes=100)
    copies.put("huge", "page", 101, expires=10)
    assert copies.get("huge", now=1) is None
    copies.put("a", "old", 30, expires=10)
    copies.put("a", "new", 50, expires=10)
    assert copies.get("a", now=1) == "new" and copies.used == 50
