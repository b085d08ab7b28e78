"""The sample business behind `meetup-tui demo`: Spoke & Chain Cycles and a year of its log.

`build_demo` is pure and deterministic: the same (today, seed) gives the same records,
ids included, and every date is counted back from `today`, never read from the clock.
Each person's last real talk is placed against their cadence (see `people.Sketch.status`),
so the morning's outreach list always has overdue people, follow-ups that have come,
a few new introductions, and plenty of people who were talked to lately.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from meetup_tui.demo import log
from meetup_tui.demo.people import PEOPLE, SEGMENTS, Sketch
from meetup_tui.domain.book import Book
from meetup_tui.domain.cadence import cadence_days, parse_cadence
from meetup_tui.domain.outreach import DEFAULT_CADENCE, cadence_of
from meetup_tui.domain.records import Interaction, Person, Post, Segment
from meetup_tui.store.database import Database

DEMO_USER = "alex@spoke-and-chain"
STAFF = {"sam": "sam@spoke-and-chain", "jo": "jo@spoke-and-chain"}
YEAR = 364  # the log reaches back this many days

__all__ = ["DEMO_USER", "build_demo", "write_demo"]


def build_demo(today: date, *, user: str = DEMO_USER, seed: int = 7) -> Book:
    """The demo book as it stands on `today`; whoever runs the demo takes Alex's place."""
    return _Builder(today, user, seed).build()


def write_demo(path: Path, today: date, user: str = DEMO_USER) -> Database:
    """Create a database at `path` (which should not exist yet) holding the demo book."""
    book = build_demo(today, user=user)
    db = Database.open(path, user=user, create=True)
    db.journal.enabled = False  # a sample, made anew each time: nothing of it for the journal to keep
    db.apply(*book.records())
    db.save()
    db.journal.enabled = True  # what the newcomer changes in it is kept like anything else
    return db


def _utc(moment: datetime) -> str:
    """The format of records.utc_now_iso, for a given moment."""
    aware = moment.replace(tzinfo=timezone.utc)
    return aware.isoformat(timespec="microseconds").replace("+00:00", "Z")


def _topic(sketch: Sketch, table: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    for tag in sketch.tags:
        if tag in table:
            return table[tag]
    return table.get("regular", ())


class _Builder:
    def __init__(self, today: date, user: str, seed: int) -> None:
        self.today = today
        self.rng = random.Random(seed)
        self.user = user
        self.owners = {"alex": user, **STAFF}
        self.book = Book()
        self.ids: dict[str, str] = {}  # name -> person id
        self.sketches: dict[str, Sketch] = {}  # person id -> sketch
        self.last: dict[str, int] = {}  # person id -> days since the last real talk
        self.since: dict[str, int] = {}  # person id -> days since they were first met

    def build(self) -> Book:
        self.add_people()
        self.add_segments()
        self.plan_last_talks()
        for pid in self.ids.values():
            self.add_history(pid)
        self.add_gatherings()
        self.add_posts()
        return self.book

    # -- helpers ---------------------------------------------------------------------------

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def moment(self, days_ago: int, hour: int) -> datetime:
        minute = self.rng.choice((0, 5, 10, 15, 20, 30, 40, 45, 50))
        return datetime.combine(self.today - timedelta(days=days_ago), time(hour, minute))

    def staff_for(self, pid: str) -> str:
        person = self.book.people[pid]
        if self.rng.random() < 0.8:
            return person.owner
        return self.rng.choice(sorted(self.owners.values()))

    # -- people and segments -----------------------------------------------------------------

    def add_people(self) -> None:
        numbers = self.rng.sample(range(100, 1000), len(PEOPLE))
        for sketch, number in zip(PEOPLE, numbers, strict=True):
            pid = self.new_id()
            self.ids[sketch.name] = pid
            self.sketches[pid] = sketch
            if sketch.status == "new":
                since = self.rng.randint(2, 12)
            elif sketch.stage in ("customer", "advocate"):
                since = self.rng.randint(200, YEAR)
            else:
                since = self.rng.randint(60, 240)
            self.since[pid] = since
            created = _utc(self.moment(since, 7))
            snoozed = None
            if sketch.status == "snoozed":
                snoozed = (self.today + timedelta(days=self.rng.randint(6, 40))).isoformat()
            owner = self.owners[sketch.owner]
            self.book.put(
                Person(
                    id=pid,
                    created_at=created,
                    updated_by=owner,
                    name=sketch.name,
                    org=sketch.org,
                    role=sketch.role,
                    phones=[f"07700 900{number:03d}"],
                    emails=[sketch.email] if sketch.email else [],
                    area=sketch.area,
                    tags=list(sketch.tags),
                    influence=sketch.influence,
                    stage=sketch.stage,
                    cadence=parse_cadence(sketch.cadence) if sketch.cadence else "",
                    channel=sketch.channel,
                    owner=owner,
                    notes=sketch.notes,
                    challenges=sketch.challenges,
                    wants=sketch.wants,
                    needs=sketch.needs,
                    snoozed_until=snoozed,
                    birthday=sketch.birthday,
                )
            )
        for pid, sketch in self.sketches.items():
            if sketch.intro:
                self.book.people[pid].introduced_by = self.ids[sketch.intro]

    def add_segments(self) -> None:
        created = _utc(self.moment(YEAR, 8))
        for group in SEGMENTS:
            rule = dict(group.rule)
            if "owner" in rule:
                rule["owner"] = self.owners[rule["owner"]]
            self.book.put(
                Segment(
                    id=self.new_id(),
                    created_at=created,
                    updated_by=self.user,
                    name=group.name,
                    description=group.description,
                    rule=rule,
                    include=[self.ids[name] for name in group.include],
                    exclude=[self.ids[name] for name in group.exclude],
                    cadence=parse_cadence(group.cadence) if group.cadence else "",
                )
            )

    def plan_last_talks(self) -> None:
        """Place each last real talk well inside, or well past, the person's cadence."""
        for pid, sketch in self.sketches.items():
            if sketch.status == "new":
                continue
            days = cadence_days(cadence_of(self.book, self.book.people[pid], DEFAULT_CADENCE))
            if sketch.status == "ok":
                ratio = self.rng.uniform(0.15, 0.75)
            else:  # "due", or "snoozed" (they were due, so they were put off)
                ratio = self.rng.uniform(1.2, 2.2)
            last = max(3 if sketch.step_due else 1, round(ratio * days))
            self.last[pid] = last
            self.since[pid] = max(self.since[pid], last + 7)

    # -- the log ---------------------------------------------------------------------------

    def interaction(
        self, days_ago: int, people: list[str], kind: str, *, hour: int | None = None, **fields: object
    ) -> Interaction:
        first, final = log.HOURS[kind]
        at = self.moment(days_ago, self.rng.randint(first, final) if hour is None else hour)
        logged = at + timedelta(minutes=self.rng.randint(2, 90))
        logged_by = str(fields.pop("logged_by", "")) or self.staff_for(people[0])
        item = Interaction(
            id=self.new_id(),
            created_at=_utc(logged),
            updated_by=logged_by,
            at=at.isoformat(timespec="minutes"),
            people=people,
            kind=kind,
            logged_by=logged_by,
            **fields,  # type: ignore[arg-type]
        )
        self.book.put(item)
        return item

    def attempt(self, days_ago: int, pid: str) -> None:
        kind = self.rng.choice(("call", "call", "message"))
        note = self.rng.choice(log.ATTEMPTS[kind])
        self.interaction(days_ago, [pid], kind, outcome="attempt", note=note)

    def talk_kind(self, sketch: Sketch) -> str:
        if sketch.channel and self.rng.random() < 0.6:
            return sketch.channel
        return self.rng.choice(_topic(sketch, log.KINDS_BY_TOPIC))

    def learned(self, sketch: Sketch) -> str:
        own = [sketch.challenges] if sketch.challenges else []
        own += [
            f"{verb} {text[:1].lower()}{text[1:]}"
            for verb, text in (("Wants", sketch.wants), ("Needs", sketch.needs))
            if text
        ]
        return self.rng.choice(own or list(_topic(sketch, log.LEARNED)) or [""])

    def add_history(self, pid: str) -> None:
        """The last real talk, the talks before it back to when they were met, and some attempts."""
        sketch = self.sketches[pid]
        if pid not in self.last:  # a new introduction: at most a missed call
            if self.rng.random() < 0.5:
                self.attempt(self.rng.randint(1, self.since[pid] - 1), pid)
            return
        last, since = self.last[pid], self.since[pid]
        days = cadence_days(cadence_of(self.book, self.book.people[pid], DEFAULT_CADENCE))
        talks = [last]
        while True:
            gap = round(days * self.rng.uniform(1.3, 2.3)) + self.rng.randint(10, 30)
            if talks[-1] + gap > since:
                break
            talks.append(talks[-1] + gap)
        changed = self.rng.randrange(1, len(talks)) if len(talks) > 1 else None
        for index, days_ago in enumerate(talks):
            fields: dict[str, object] = {"note": self.rng.choice(_topic(sketch, log.TOPICS))}
            kind = self.talk_kind(sketch)
            fields["where"] = self.rng.choice(log.PLACES.get(kind, ("",)))
            if index == 0:
                fields["learned"] = self.learned(sketch)
                if sketch.step:
                    fields["next_step"] = sketch.step
                    fields["follow_up"] = self.follow_up(days_ago, sketch.step_due).isoformat()
            else:
                if self.rng.random() < 0.35:
                    fields["learned"] = self.learned(sketch)
                room = days_ago - talks[index - 1]
                if self.rng.random() < 0.15 and room > 3:
                    fields["next_step"] = self.rng.choice(log.HISTORY_STEPS)
                    met = self.today - timedelta(days=days_ago - self.rng.randint(2, min(10, room - 1)))
                    fields["follow_up"] = met.isoformat()
                    fields["done"] = met.isoformat()  # an old step, done when it was due
            if index == changed and sketch.stage in ("lead", "customer", "advocate"):
                fields["stage_change"] = sketch.stage
            self.interaction(days_ago, [pid], kind, **fields)
            if self.rng.random() < 0.15 and days_ago + 3 <= since:
                self.attempt(days_ago + self.rng.randint(1, 3), pid)
        if sketch.status == "due" and last > 2 and self.rng.random() < 0.5:
            self.attempt(self.rng.randint(1, min(last - 1, 6)), pid)  # tried lately, no luck

    def follow_up(self, days_ago: int, due: bool) -> date:
        """A follow-up date that has come (on or before today) or is still ahead."""
        if due:
            return self.today - timedelta(days=self.rng.randint(0, min(days_ago - 1, 6)))
        return self.today + timedelta(days=self.rng.randint(3, 20))

    def add_gatherings(self) -> None:
        """Group events; each counts as a talk with everyone there, so none falls after anyone's last talk."""
        for event in log.GATHERINGS:
            for _ in range(event.times):
                drawn = self.rng.randint(14, YEAR - 7)
                days_ago = drawn + ((self.today - timedelta(days=drawn)).weekday() - event.weekday) % 7
                eligible = [
                    pid
                    for pid, sketch in self.sketches.items()
                    if pid in self.last
                    and set(sketch.tags) & set(event.tags)
                    and self.last[pid] <= days_ago <= self.since[pid]
                ]
                if len(eligible) < 2:
                    continue
                people = self.rng.sample(eligible, min(len(eligible), self.rng.randint(3, 7)))
                learned = event.learned if self.rng.random() < 0.6 else ""
                where = event.where
                self.interaction(
                    days_ago, people, "event", hour=event.hour, note=event.note, where=where, learned=learned
                )

    def add_posts(self) -> None:
        for week in range(8):
            days_ago = 7 * week + self.rng.randint(1, 6)
            platform = self.rng.choice(log.POST_PLATFORMS)
            likes = self.rng.randint(25, 140) if platform == "Instagram" else self.rng.randint(6, 45)
            at = self.moment(days_ago, self.rng.randint(12, 20))
            self.book.put(
                Post(
                    id=self.new_id(),
                    created_at=_utc(at),
                    updated_by=self.user,
                    platform=platform,
                    at=at.isoformat(timespec="minutes"),
                    likes=likes,
                    comments=self.rng.randint(0, max(1, likes // 10)),
                )
            )
