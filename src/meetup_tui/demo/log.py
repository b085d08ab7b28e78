"""The words of the demo's meeting log: what was talked about, learned, and where.

Topics are keyed by a person's first tag that has an entry here; the builder picks
from them with its seeded random generator, so the same seed writes the same log.
"""

from __future__ import annotations

from dataclasses import dataclass

from meetup_tui.demo.people import SHOP

# fmt: off
TOPICS: dict[str, tuple[str, ...]] = {
    "racing": (
        "Talked through the spring race calendar.", "Went over the club's kit order.",
        "Caught up after the club hill-climb.", "Chatted about tyres for the winter league.",
        "Talked about the club's new beginners' group.", "Went over gearing for the sportive in June.",
    ),
    "business": (
        "Talked about footfall on the high street.", "Swapped notes on the Christmas late-night opening.",
        "Chatted about the Station Road roadworks hitting trade.", "Talked about a shared loyalty card.",
        "Talked about putting each other's flyers on the counter.",
    ),
    "press": (
        "Talked about a piece on winter cycling.", "Gave a few quotes on the new cycle lane plans.",
        "Talked about the shop's fifth birthday as a story.",
    ),
    "council": (
        "Talked about the Station Road cycle lane consultation.",
        "Raised the lack of bike parking by the station.",
        "Talked about the school streets trial.",
    ),
    "community": (
        "Talked about the community centre's spring programme.", "Chatted about a Dr Bike stall at the fair.",
        "Talked about bike racks for the allotments and the centre.", "Caught up on neighbourhood news.",
    ),
    "family": (
        "Talked about bikes for kids who have outgrown theirs.",
        "Chatted at the school gate about the bike-bus.",
        "Talked about balance bikes versus stabilisers.", "Talked about a child seat versus a trailer.",
    ),
    "school": (
        "Talked about cycling proficiency at the school.", "Talked about secure bike parking for staff.",
    ),
    "commuter": (
        "Talked about winter commuting and lights.", "Checked how the new panniers are holding up.",
        "Chatted about the Station Road lane closures.", "Talked through a cycle-to-work quote.",
        "Talked about puncture-proof tyres for the commute.",
    ),
    "supplier": (
        "Went through the stock order.", "Talked about lead times on spring bikes.",
        "Sorted a warranty claim on a cracked frame.", "Went over next year's prices.",
    ),
    "partner": (
        "Talked about sending customers each other's way.", "Went over the jobs we share.",
        "Caught up on how the season went.",
    ),
    "fleet": ("Talked about keeping the courier fleet running.", "Went over the fleet's repair log."),
    "cargo": ("Talked about cargo bikes for work.", "Showed the cargo bikes in the back of the shop."),
    "regular": (
        "Popped in for a chat and a chain lube.", "Talked about the Saturday loop.",
        "Caught up over the counter.",
        "Came in for new brake pads and stayed for a chat.",
    ),
}

LEARNED: dict[str, tuple[str, ...]] = {
    "racing": ("Wants a winter service package.", "Thinking about a new wheelset in the spring."),
    "business": ("Trade is slow on weekday mornings.", "Open to a joint event in the spring."),
    "commuter": ("Wants a winter service package.", "Would pay for a same-day repair."),
    "family": ("Worried about the traffic on Station Road.", "Looking at a bike for a birthday."),
    "supplier": ("Prices go up in January.", "Spring stock is already short."),
    "regular": ("Would come to a maintenance evening.", "Wants a winter service package."),
}

ATTEMPTS: dict[str, tuple[str, ...]] = {
    "call": (
        "Voicemail; left a message.", "No answer, will try again after work.", "Rang twice, no answer.",
        "Went straight to voicemail.", "Engaged all morning.",
    ),
    "message": (
        "Texted, no reply yet.", "Sent a message about popping in; no reply.", "Left a message on WhatsApp.",
    ),
}

HISTORY_STEPS: tuple[str, ...] = (
    "send a quote", "order the part in", "book the bike in for a service", "send photos of the new stock",
    "drop round some flyers", "check stock of the right size",
)

PLACES: dict[str, tuple[str, ...]] = {
    "coffee": ("The Daily Grind", "Haddad's Bakery"),
    "lunch": ("The Millbrook Arms", "The Daily Grind"),
    "visit": ("In the shop",),
    "chance": (
        "Saturday market", "Station Road", "Millbrook Park", "The school gate", "The station bike racks",
    ),
    "event": (SHOP,),
}

KINDS_BY_TOPIC: dict[str, tuple[str, ...]] = {  # how people of each kind are usually reached
    "racing": ("call", "chance", "visit", "message", "coffee"),
    "business": ("visit", "visit", "coffee", "chance", "lunch"),
    "press": ("coffee", "call", "message"), "council": ("call", "lunch", "coffee"),
    "community": ("visit", "coffee", "call", "chance"), "family": ("visit", "chance", "call", "message"),
    "school": ("visit", "call"), "commuter": ("visit", "visit", "call", "message"),
    "supplier": ("call", "call", "visit", "lunch"), "partner": ("call", "coffee", "visit", "lunch"),
    "fleet": ("call", "visit"),
    "cargo": ("visit", "call"), "regular": ("visit", "visit", "chance", "call"),
}

HOURS: dict[str, tuple[int, int]] = {  # (first, last) hour a kind of contact plausibly starts
    "call": (9, 17), "coffee": (8, 11), "lunch": (12, 13), "visit": (9, 17),
    "event": (18, 19), "chance": (8, 17), "message": (8, 19),
}
# fmt: on


@dataclass(frozen=True)
class Gathering:
    """A group event: several people, one log entry."""

    note: str
    where: str
    tags: tuple[str, ...]
    learned: str
    weekday: int  # 0 = Monday, as date.weekday()
    hour: int
    times: int = 1


MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

GATHERINGS: tuple[Gathering, ...] = (
    Gathering(
        "Sunday club ride from the shop, the reservoir loop.",
        SHOP,
        ("racing",),
        "Several riders asked about tubeless conversions.",
        SUN,
        8,
        times=5,
    ),
    Gathering(
        "Winter maintenance evening: punctures, brakes and lights.",
        SHOP,
        ("commuter", "regular"),
        "Most people had never adjusted their own brakes.",
        THU,
        18,
        times=2,
    ),
    Gathering(
        "Millbrook business breakfast.",
        "The Daily Grind",
        ("business",),
        "The high street wants a joint Christmas late-night opening.",
        TUE,
        7,
        times=2,
    ),
    Gathering(
        "Bike-bus trial ride to Millbrook Primary.",
        "Millbrook Primary",
        ("family", "school"),
        "Parents would ride if there was a marshal at the Station Road crossing.",
        FRI,
        8,
        times=2,
    ),
    Gathering(
        "Dr Bike stall at the Saturday market.",
        "Saturday market",
        ("regular", "community", "commuter"),
        "Three people asked about e-bike conversions.",
        SAT,
        10,
    ),
    Gathering(
        "Youth coaching session; safety checks on every bike.",
        "Millbrook Park",
        ("youth",),
        "Half the bikes needed brake adjustments.",
        SAT,
        10,
    ),
    Gathering(
        "Cargo bike library open day.",
        "Millbrook Community Centre",
        ("cargo", "partner", "family"),
        "People want to try a cargo bike for a week before buying.",
        SAT,
        11,
    ),
    Gathering(
        "Summer party for the shop's fifth birthday.",
        SHOP,
        ("regular", "racing", "business", "community"),
        "Regulars would come to a monthly social ride.",
        FRI,
        18,
    ),
)

POST_PLATFORMS: tuple[str, ...] = ("Instagram", "Facebook", "Instagram", "Instagram", "Facebook")
