"""What a calendar may show everyone of a slot the place holds for its own use.

A member sees only "Booked" on others' bookings. A slot held for a public event is another
matter: its title and page are public. `bookings` sits below `events` and cannot ask it, so
the apps above register a labeller here (in `AppConfig.ready()`), as tabs are registered in
`core.nav`: given booking ids, it answers {booking id: (title, url)} for those it may show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Labeller = Callable[[list[int]], dict[int, tuple[str, str]]]

_labellers: list[Labeller] = []


def register(labeller: Labeller) -> None:
    if labeller not in _labellers:
        _labellers.append(labeller)


def public_labels(booking_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """One query per registered labeller, whatever the number of bookings."""
    ids = list(booking_ids)
    found: dict[int, tuple[str, str]] = {}
    if ids:
        for labeller in _labellers:
            found.update(labeller(ids))
    return found
