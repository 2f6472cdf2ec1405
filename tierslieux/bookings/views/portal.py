"""Booking pages for the people who book: a place's calendar and the booking form with its
live free slots ("my bookings" is in `portal_mine`, the team's desk in `manage`).

Thin: load, ask `places.access`, validate with a form, call a service, render. A refused
slot answers 409 with the proposed alternatives; invalid input answers 422; nothing is written
by a view itself.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tierslieux.accounts.models import Person
from tierslieux.bookings import grid, labels, previews, queries, services
from tierslieux.bookings.availability import Window
from tierslieux.bookings.checks import BookingConflict
from tierslieux.bookings.forms import BookingForm
from tierslieux.bookings.models import Booking, rules_of
from tierslieux.core import clock, formatting
from tierslieux.core.forms import attach_error, form_status
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Place, Space

Status = Booking.Status


# --- Helpers shared with the other booking pages ------------------------------------------


def person_of(user: Any) -> Person | None:
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


def parse_day(value: str | None, tz: tzinfo) -> date:
    """The `date` query parameter, or today in the place's time zone (also for absurd years)."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2200:
        return clock.today(tz)
    return day


def local_iso(moment: datetime, tz: ZoneInfo) -> str:
    """A local wall-clock time for a URL (readable, and what the form's fields hold)."""
    return moment.astimezone(tz).strftime("%Y-%m-%dT%H:%M")


def parse_local(value: str | None, tz: ZoneInfo) -> datetime | None:
    """An ISO date-time from a URL; one without offset is the place's wall clock."""
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return None
    return moment.astimezone(tz) if moment.tzinfo else moment


def default_duration(space: Space) -> timedelta:
    """An hour, within the space's minimum and maximum."""
    rules = rules_of(space)
    return timedelta(minutes=min(max(60, rules.min_minutes), rules.max_minutes))


def book_url(place: Place, space: Space, start: datetime, end: datetime | None = None) -> str:
    tz = ZoneInfo(place.timezone)
    params = {"space": space.slug, "start": local_iso(start, tz)}
    if end is not None:
        params["end"] = local_iso(end, tz)
    return reverse("bookings:book", args=[place.slug]) + "?" + urlencode(params)


def slot_links(
    place: Place, space: Space, windows: list[Window], url: Any = None
) -> list[dict[str, Any]]:
    """Free slots as links that refill a form: `url(start, end)` builds the link (the booking
    form by default); the data-* values let the script fill the form in place."""
    tz = ZoneInfo(place.timezone)
    links = []
    for w in windows:
        start, end = w.start.astimezone(tz), w.end.astimezone(tz)
        links.append(
            {
                "start": start,
                "end": end,
                "space": space,
                "url": url(start, end) if url else book_url(place, space, start, end),
                "date": start.date().isoformat(),
                "start_time": start.strftime("%H:%M"),
                "end_time": end.strftime("%H:%M"),
            }
        )
    return links


def conflict_context(
    place: Place, space: Space, conflict: BookingConflict, start: datetime, end: datetime
) -> dict[str, Any]:
    return {
        "message": " ".join(conflict.messages),
        "alternatives": slot_links(place, space, conflict.alternatives),
        "similar": [
            {"space": s, "url": book_url(place, s, start, end)} for s in conflict.similar_spaces
        ],
    }


# --- Calendar -------------------------------------------------------------------------------


def _ceil(moment: datetime, tz: ZoneInfo, minutes: int) -> datetime:
    """The next start on the space's grid from the top of the local hour."""
    local = moment.astimezone(tz)
    hour = local.replace(minute=0, second=0, microsecond=0)
    step = timedelta(minutes=max(minutes, 1))
    steps = -((hour - local) // step)
    return hour + steps * step


def team_book_url(place: Place, space: Space, start: datetime, end: datetime) -> str:
    """The team's "book for someone" form, prefilled with a free slot."""
    tz = ZoneInfo(place.timezone)
    params = {"space": space.slug, "start": local_iso(start, tz), "end": local_iso(end, tz)}
    return reverse("bookings_manage:new", args=[place.slug]) + "?" + urlencode(params)


def _free_items(
    place: Place,
    space: Space,
    windows: list[Window],
    now: datetime,
    hourly: bool,
    team: bool = False,
) -> list[grid.Item]:
    """Free intervals as links to the prefilled form (the team's: "book for someone");
    `hourly` cuts them at each local hour (day view), so that one clicks the time one wants."""
    link = team_book_url if team else book_url
    rules = rules_of(space)
    tz = ZoneInfo(place.timezone)
    shortest = timedelta(minutes=rules.min_minutes)
    items = []
    for w in windows:
        start = w.start if w.start >= now else _ceil(now, tz, rules.granularity_minutes)
        while w.end - start >= shortest:  # else past, or too short to book
            hour = start.astimezone(tz).replace(minute=0, second=0, microsecond=0)
            cut = min(hour.astimezone(UTC) + timedelta(hours=1), w.end) if hourly else w.end
            end = min(start + default_duration(space), w.end)
            items.append(grid.Item("free", start, cut, "", link(place, space, start, end)))
            start = cut
    return items


def _booked_item(
    booking: Booking,
    team: bool,
    me: int | None,
    place: Place | None = None,
    by: int | None = None,
    public: tuple[str, str] | None = None,
) -> grid.Item | None:
    """What a booking shows: to the team, who it is for (person or organisation, and its
    title) with a link to act on it; to the booker (`me`, a person; `by`, the user who made
    an organisation's booking), their own; to anyone else only "Booked", never a name nor a
    title — unless the slot is the place's own and `public` (title, url) says what it holds
    (a public event's session)."""
    mine = (me is not None and booking.person_id == me) or (
        by is not None and booking.organisation_id is not None and booking.booked_by_id == by
    )
    if not (team or mine) and booking.status not in Booking.BLOCKING:
        return None
    url = ""
    if team or mine:
        holder = booking.person or (booking.organisation if team else None)
        who = str(holder) if holder else ""
        label = booking.title if mine or not who else who
        if team and who and booking.title and booking.title != who:
            label = f"{who} — {booking.title}"
        if booking.status == Status.REQUESTED:
            label = _("%(label)s (awaiting approval)") % {"label": label}
        elif booking.status == Status.NO_SHOW:
            label = _("%(label)s (no-show)") % {"label": label}
        label = label.strip() or _("Booked")
        if team and place is not None:
            target = booking.blocked_by_id or booking.pk
            url = reverse("bookings_manage:detail", args=[place.slug, target])
    elif public is not None:
        label, url = public
    else:
        label = _("Booked")
    if booking.status == Status.REQUESTED:
        kind = "requested"
    elif booking.status == Status.NO_SHOW:
        kind = "past"
    else:
        kind = "mine" if mine else "booked"
    return grid.Item(kind, booking.start, booking.end, label, url)


@login_required
def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """A place's day or week: spaces as rows, time as columns, free intervals to click."""
    place = get_object_or_404(Place, slug=slug)
    tz = ZoneInfo(place.timezone)
    week = request.GET.get("view") == "week"
    day = parse_day(request.GET.get("date"), tz)
    first = day - timedelta(days=day.weekday()) if week else day
    count = 7 if week else 1
    days = [first + timedelta(days=i) for i in range(count)]
    start, end = queries.local_range(place, first, count)
    now = clock.now()
    team = access.has_perm(request.user, place, Perm.MANAGE_BOOKINGS)
    me = person_of(request.user)

    spaces = list(
        Space.objects.open_for_booking()
        .filter(place=place)
        .select_related("booking_rules")
        .order_by("name")
    )
    free = queries.week_free_intervals(place, first, count)
    windows = queries.windows_by_place(Place.objects.filter(pk=place.pk), start, end)[place.pk]
    hours = grid.hour_span(windows, days, tz)
    booked: dict[int, list[grid.Item]] = {}
    shown = list(queries.bookings_of_place(place, start, end))
    held = [b.pk for b in shown if b.person_id is None and b.organisation_id is None]
    public = labels.public_labels(held) if not team else {}
    for booking in shown:
        item = _booked_item(
            booking,
            team,
            me.pk if me else None,
            place,
            by=request.user.pk if me else None,
            public=public.get(booking.pk),
        )
        if item is not None:
            booked.setdefault(booking.space_id, []).append(item)
    free_items = {
        s.pk: _free_items(place, s, free.get(s.pk, []), now, not week, team) for s in spaces
    }
    step = timedelta(days=count)
    return render(
        request,
        "bookings/calendar.html",
        {
            "place": place,
            "view": "week" if week else "day",
            "day": day,
            "days": days,
            "hours": list(range(*hours)),
            "rows": grid.rows(spaces, grid.columns(days, hours, tz), free_items, booked),
            "closed": not windows
            or not any(w.start.astimezone(tz).date() in days for w in windows),
            "previous": first - step,
            "next": first + step,
            "today": now.astimezone(tz).date(),
            "team": team,
        },
    )


# --- Booking form ---------------------------------------------------------------------------


def _initial(params: Any, place: Place, space: Space | None) -> dict[str, Any]:
    """Prefill from `?space=&start=&end=` (a free slot, an alternative) or `?date=`."""
    tz = ZoneInfo(place.timezone)
    initial: dict[str, Any] = {"units": 1, "on_conflict": "skip", "interval": 1}
    if space is not None:
        initial["space"] = space.slug
    start = parse_local(params.get("start"), tz)
    if start is not None:
        end = parse_local(params.get("end"), tz)
        if end is None or end <= start:
            end = start + (default_duration(space) if space else timedelta(hours=1))
        initial.update(date=start.date(), start_time=start.time(), end_time=end.time())
    elif params.get("date"):
        initial["date"] = parse_day(params.get("date"), tz)
    return initial


def _space(place: Place, slug: str | None) -> Space | None:
    if not slug:
        return None
    return (
        Space.objects.open_for_booking()
        .filter(place=place, slug=slug)
        .select_related("booking_rules", "place")
        .first()
    )


def _slots_context(
    place: Place, space: Space | None, day: date | None, minutes: int | None, units: int = 1
) -> dict[str, Any]:
    """The free slots of one space on one day, for the list under the form."""
    if space is None or day is None:
        return {"slot_space": None}
    duration = timedelta(minutes=minutes) if minutes else default_duration(space)
    windows = queries.space_slots(space, day, duration, clock.now(), max(1, units))
    return {
        "slot_space": space,
        "slot_day": day,
        "slot_minutes": int(duration.total_seconds() // 60),
        "slots": slot_links(place, space, windows),
    }


def _minutes(start: Any, end: Any) -> int | None:
    if not isinstance(start, time) or not isinstance(end, time):
        return None
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return minutes if minutes > 0 else None


def _int(value: Any, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _render_book(
    request: HttpRequest,
    place: Place,
    form: BookingForm,
    conflict: dict[str, Any] | None = None,
    status: int | None = None,
) -> HttpResponse:
    tz = ZoneInfo(place.timezone)
    if form.is_bound and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        space_slug = data["space"].slug
    else:
        data = {**form.initial, **(form.data.dict() if form.is_bound else {})}  # type: ignore[attr-defined]
        space_slug = data.get("space")
    day = data.get("date")
    if isinstance(day, str):
        day = parse_day(day, tz) if day else None
    start_t, end_t = data.get("start_time"), data.get("end_time")
    if isinstance(start_t, str) or isinstance(end_t, str):
        start_t, end_t = _clock(start_t), _clock(end_t)
    slot = {name: data.get(name) for name in ("date", "start_time", "end_time", "units")}
    holder = data.get("holder") or ""
    price = previews.answer(request.user, place, {**slot, "space": space_slug, "holder": holder})
    context = {
        "place": place,
        "form": form,
        "conflict": conflict,
        "price_text": price.body["text"] if price.status == 200 else "",
        **_slots_context(
            place,
            _space(place, str(space_slug) if space_slug else None),
            day,
            _minutes(start_t, end_t),
            _int(data.get("units"), 1) or 1,
        ),
    }
    if status is None:
        status = form_status(form)
    return render(request, "bookings/book.html", context, status=status)


def _clock(value: Any) -> time | None:
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        return None


@login_required
def book(request: HttpRequest, slug: str) -> HttpResponse:
    """Book a space once or on a recurrence; a taken slot answers 409 with alternatives."""
    place = get_object_or_404(Place, slug=slug)
    if request.method == "POST" and request.POST.get("action") != "slots":
        form = _form(request, place, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                return _create(request, place, data)
            except BookingConflict as conflict:
                context = conflict_context(
                    place, data["space"], conflict, data["start"], data["end"]
                )
                return _render_book(request, place, form, context, status=409)
            except ValidationError as error:
                attach_error(form, error)
        return _render_book(request, place, form)
    params = request.POST if request.method == "POST" else request.GET
    space = _space(place, params.get("space"))
    if request.method == "GET":
        initial = _initial(params, place, space)
    else:  # "Show free slots" without the script: the same form again, and the list
        initial = {**params.dict(), "weekdays": params.getlist("weekdays")}
    return _render_book(request, place, _form(request, place, initial=initial))


def _form(request: HttpRequest, place: Place, *args: Any, **kwargs: Any) -> BookingForm:
    """The booking form, with "Book for" when the person belongs to organisations of the
    place (theirs that hold a role there)."""
    mine = services.organisations_of(person_of(request.user), place.pk)
    return BookingForm(*args, place=place, organisations=mine, **kwargs)


def _create(request: HttpRequest, place: Place, data: dict[str, Any]) -> HttpResponse:
    tz = ZoneInfo(place.timezone)
    common = {
        "actor": request.user,
        "space": data["space"],
        "start": data["start"],
        "end": data["end"],
        "units": data["units"],
        "title": data["title"],
        "organisation": data["organisation"],
        "headcount": data["headcount"],
        "purpose": data["purpose"],
    }
    if data["recurrence"] is None:
        booking = services.create_booking(**common, note=data["note"])
        if booking.status == Status.REQUESTED:
            done = _("Your request is sent: the place's team will answer it.")
        else:
            done = _("Your booking is confirmed.")
        if booking.person_id is not None or booking.organisation_id is not None:
            cost = previews.describe(previews.of_booking(booking))
            done = f"{done} " + _("Price: %(cost)s.") % {"cost": cost}
        messages.success(request, done)
        url = reverse("bookings:calendar", args=[place.slug])
        return redirect(f"{url}?{urlencode({'date': data['start'].astimezone(tz).date()})}")
    outcome = services.create_series(
        **common, recurrence=data["recurrence"], skip_conflicts=data["on_conflict"] != "fail"
    )
    created = len(outcome.created)
    messages.success(
        request,
        ngettext(
            "%(count)d booking of the series is made.",
            "%(count)d bookings of the series are made.",
            created,
        )
        % {"count": created},
    )
    with timezone.override(tz):
        for when, why in outcome.skipped:
            messages.warning(
                request,
                _("Skipped %(date)s: %(reason)s")
                % {"date": formatting.moment(when), "reason": why},
            )
    return redirect("bookings:mine")


@login_required
def slots(request: HttpRequest, slug: str) -> HttpResponse:
    """The free-slot list as an HTML fragment, for the form's script (progressive)."""
    place = get_object_or_404(Place, slug=slug)
    tz = ZoneInfo(place.timezone)
    value = request.GET.get("date")
    minutes = _int(request.GET.get("duration"))
    if minutes is not None and not 5 <= minutes <= 24 * 60:
        minutes = None
    context = _slots_context(
        place,
        _space(place, request.GET.get("space")),
        parse_day(value, tz) if value else None,
        minutes,
        _int(request.GET.get("units"), 1) or 1,
    )
    return render(request, "bookings/_slots.html", {"place": place, **context})


def quote(request: HttpRequest, slug: str) -> HttpResponse:
    """The price of the slot being chosen, as JSON, for the form's script: 401 for a visitor
    (a script cannot follow the login page), 400 with a message for a bad slot, 403 for a
    space the user may not book."""
    place = get_object_or_404(Place, slug=slug)
    answer = previews.answer(request.user, place, request.GET)
    return JsonResponse(answer.body, status=answer.status)
