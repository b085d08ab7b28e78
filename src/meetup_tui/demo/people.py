"""Who is in the demo book: the customers, neighbours and partners of Spoke & Chain Cycles.

Each `Sketch` says who a person is and how things stand with them today (`status`);
the builder turns that into a Person and a believable log.  `status` is one of:
"ok" (talked recently), "due" (overdue on their cadence), "new" (introduced, never
talked yet) or "snoozed" (overdue, but put off until a later date).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

HOME = "Millbrook"
SHOP = "Spoke & Chain Cycles"


@dataclass(frozen=True)
class Sketch:
    name: str
    org: str = ""
    role: str = ""
    area: str = HOME
    tags: tuple[str, ...] = ()
    influence: int = 0
    stage: str = "customer"
    cadence: str = ""  # words for parse_cadence; "" = the segment's or the default
    channel: str = ""
    owner: str = "alex"  # alex | sam | jo
    intro: str = ""  # the name of whoever introduced them
    email: str = ""
    status: str = "ok"
    step: str = ""  # the next step agreed at the last talk
    step_due: bool = False  # whether that step's follow-up date has come
    challenges: str = ""
    wants: str = ""
    needs: str = ""
    notes: str = ""
    birthday: str | None = None


@dataclass(frozen=True)
class Group:
    """A segment: its rule names an owner by short name, its lists name people."""

    name: str
    description: str
    rule: dict[str, Any]
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    cadence: str = ""  # words for parse_cadence


# fmt: off
PEOPLE: tuple[Sketch, ...] = (
    # -- the racing club -----------------------------------------------------------------------
    Sketch("Maya Okafor", "Millbrook Wheelers", "club captain", tags=("racing", "club"), influence=5,
           stage="advocate", cadence="every 2 weeks", channel="coffee", email="maya.okafor@example.com",
           status="due", step="send the winter price list for club servicing", step_due=True,
           challenges="Half the club rides worn drivetrains into winter and blames the weather.",
           wants="A club night in the shop with a mechanic on hand.",
           needs="A fair group rate on winter servicing for members.",
           notes="Leads the Sunday 8am ride; the club listens to her on kit.", birthday="--04-18"),
    Sketch("Dan Whitfield", "Millbrook Wheelers", "club treasurer", tags=("racing",), influence=3,
           owner="jo", intro="Maya Okafor", status="due", email="dan.whitfield@example.com",
           challenges="Club membership dropped by a fifth this year.",
           wants="A members' discount code he can put in the newsletter."),
    Sketch("Lena Fischer", "Millbrook Wheelers", "time-trial rider", "Riverside", ("racing",), 2,
           owner="jo", intro="Maya Okafor", step="fit the new power meter when it arrives",
           wants="A power meter fitted before the spring time-trial series."),
    Sketch("Marcus Reid", "Millbrook Wheelers", "road racer", tags=("racing", "gravel"), influence=1,
           intro="Maya Okafor", wants="To try a gravel bike for a weekend before buying one."),
    Sketch("Sofia Marquez", "Millbrook Wheelers", "crit racer", "Hillcrest", ("racing",), 2, "advocate",
           channel="message", intro="Maya Okafor",
           challenges="Works hospital shifts, so she can only ride early in the morning."),
    Sketch("Jonny Park", "Millbrook Wheelers", "new member", tags=("racing",), stage="lead",
           intro="Maya Okafor",
           needs="A properly fitted first road bike; he is on a hybrid two sizes too big."),
    Sketch("Aisha Khan", "Millbrook Wheelers", "youth coach", tags=("racing", "youth"), influence=3,
           stage="advocate", owner="sam", email="aisha.khan@example.com",
           challenges="Kids turn up to coaching with brakes that barely work.",
           wants="A quick safety check before each youth session."),
    Sketch("Chris Doyle", "Hillcrest Trail Crew", "trail builder", "Hillcrest", ("racing", "mtb"), 3,
           owner="jo", status="due", needs="Cheap brake pads in bulk for the volunteer dig days."),
    # -- neighbourhood businesses ----------------------------------------------------------------
    Sketch("Tom Brennan", "The Daily Grind", "cafe owner", tags=("business",), influence=5,
           stage="advocate", cadence="weekly", channel="visit", email="tom@dailygrind.example",
           status="due", challenges="Rent went up in the spring and weekday mornings are quiet.",
           wants="More riders stopping for coffee after the Sunday ride.",
           notes="Two doors down. Knows every business on the high street."),
    Sketch("Nadia Haddad", "Haddad's Bakery", "owner", tags=("business", "cargo"), influence=3,
           owner="sam", intro="Tom Brennan", email="nadia@haddadsbakery.example",
           wants="A cargo bike for bread deliveries to the cafes.",
           needs="Servicing that does not take the cargo bike off the road for a week."),
    Sketch("Owen Price", "Price & Son Hardware", "owner", tags=("business",), influence=2,
           intro="Tom Brennan", challenges="Losing trade to the retail park on the ring road."),
    Sketch("Grace Liu", "Millbrook Physio", "physiotherapist", tags=("business",), influence=3,
           stage="lead", channel="coffee", intro="Tom Brennan", email="grace@millbrookphysio.example",
           step="send two bike-fit vouchers for her clinic raffle", step_due=True,
           needs="Somewhere to send patients for a proper bike fit after knee injuries."),
    Sketch("Ben Carter", "The Millbrook Arms", "landlord", tags=("business",), influence=3,
           intro="Tom Brennan", status="snoozed", wants="A monthly ride that finishes at the pub.",
           notes="Closed until the new year while the kitchen is refitted."),
    Sketch("Fatima Ali", "Petal & Stem", "florist", tags=("business", "cargo"), influence=1,
           stage="prospect", intro="Tom Brennan", wants="A trike for local flower deliveries."),
    Sketch("Ian McBride", "McBride Lettings", "letting agent", tags=("business",), influence=2,
           stage="prospect", status="due", email="ian@mcbridelettings.example",
           challenges="New tenants keep asking where they can lock a bike safely."),
    Sketch("Kemi Balogun", "Flow Yoga Studio", "owner", "Riverside", ("business",), 2, "lead",
           intro="Grace Liu", step="plan a bike-to-yoga morning for the spring",
           wants="Bike parking outside the studio for the Saturday class."),
    Sketch("Tony Russo", "Russo's Barbers", "barber", tags=("business", "regular"), influence=2,
           intro="George Haworth", challenges="Customers cannot park on the high street any more."),
    # -- voices of the neighbourhood -------------------------------------------------------------
    Sketch("Priya Shah", "Millbrook Messenger", "local journalist", tags=("press", "community"),
           influence=4, stage="lead", cadence="monthly", channel="coffee", email="priya@messenger.example",
           status="due", challenges="Short of local stories that are not about potholes.",
           wants="A story for the spring cycling issue."),
    Sketch("Gareth Lloyd", "Millbrook ward", "councillor", tags=("council", "community"), influence=4,
           stage="prospect", cadence="every 6 weeks", channel="lunch", status="due",
           needs="Evidence that residents want a protected cycle lane on Station Road."),
    Sketch("Ruth Adeyemi", "Millbrook Community Centre", "centre manager", tags=("community",),
           influence=4, stage="advocate", channel="visit", email="ruth@millbrookcc.example",
           wants="Bike maintenance classes for the over-60s group.", birthday="1968-07-02"),
    Sketch("Leo Santos", "Ride Millbrook", "cycling videomaker", "Riverside", ("press", "gravel"), 4,
           "prospect", cadence="monthly", channel="message",
           wants="A shop to feature in his winter gravel video."),
    # -- families and schools --------------------------------------------------------------------
    Sketch("Helen Marsh", "Millbrook Primary PTA", "PTA chair", tags=("family", "school"), influence=5,
           cadence="every 3 weeks", channel="visit", email="helen.marsh@example.com",
           step="bring learn-to-ride flyers for the PTA newsletter", step_due=True,
           challenges="Struggles to find safe routes for kids to school.",
           wants="A learn-to-ride morning for Year 2."),
    Sketch("Laura Bennett", role="parent", tags=("family",), influence=1, intro="Helen Marsh",
           status="due", needs="A child seat fitted before her son starts nursery."),
    Sketch("Kwame Mensah", role="parent", tags=("family", "cargo"), influence=1, intro="Helen Marsh",
           email="kwame.mensah@example.com",
           wants="A cargo bike for the school run instead of a second car."),
    Sketch("Sarah O'Neill", role="parent", tags=("family",), influence=2, stage="lead", intro="Helen Marsh",
           challenges="Her daughter has outgrown three bikes in four years."),
    Sketch("David Kim", "1st Millbrook Scouts", "scout leader", tags=("family", "youth", "community"),
           influence=3, channel="call", wants="A cycling badge afternoon for the troop."),
    Sketch("Nicola Ward", role="parent", area="Hillcrest", tags=("family",), stage="prospect",
           intro="Sarah O'Neill", wants="A second-hand bike for her eldest."),
    Sketch("Ahmed Siddiqui", role="parent", area="Riverside", tags=("family",), influence=1,
           birthday="--11-30", notes="Two boys on balance bikes; a regular on Saturdays."),
    Sketch("Beth Collins", "Little Acorns Nursery", "nursery manager", tags=("family",), influence=2,
           stage="prospect", needs="Somewhere to store balance bikes for the pre-school group."),
    Sketch("Callum Fraser", "Millbrook High", "PE teacher", tags=("school", "youth"), influence=3,
           stage="lead", owner="jo", wants="Bike maintenance as an after-school club."),
    # -- commuters -------------------------------------------------------------------------------
    Sketch("Sanjay Patel", "Northgate Hospital", "nurse", tags=("commuter", "ebike"), influence=1,
           cadence="bimonthly", status="due",
           challenges="Night shifts mean the shop is shut when his bike breaks."),
    Sketch("Emma Rhodes", "Halden & Co", "solicitor", "Old Town", ("commuter",), 2, channel="message",
           email="emma.rhodes@example.com", wants="A lighter bike she can carry up three flights of stairs."),
    Sketch("Luke Hargreaves", role="software developer", area="Riverside", tags=("commuter", "gravel"),
           influence=1, owner="jo", wants="Mudguards that actually fit his gravel bike."),
    Sketch("Zoe Chambers", "Millbrook High", "English teacher", tags=("commuter", "school"), influence=2,
           challenges="No secure bike parking for staff at the school."),
    Sketch("Hamid Rahimi", role="delivery rider", tags=("commuter", "ebike"), influence=2,
           cadence="every 2 weeks", channel="visit",
           challenges="Loses a day's pay every time the e-bike is in for repair.",
           needs="Same-day repairs or a loan bike."),
    Sketch("Claire Dunn", "Station Road Surgery", "practice manager", tags=("commuter",), influence=2,
           stage="lead", email="claire.dunn@example.com", wants="A cycle-to-work scheme for twelve staff."),
    Sketch("Pete Novak", role="railway signaller", area="Old Town", tags=("commuter",), owner="sam"),
    Sketch("Olivia Brandt", role="architect", tags=("commuter", "ebike"), influence=1, stage="prospect",
           status="snoozed", notes="Moving house this month; back in touch after the move."),
    Sketch("Michael Osei", role="civil servant", tags=("commuter",), influence=1, channel="call",
           wants="A winter service before the clocks change."),
    Sketch("Noah Fielding", role="new to the area", tags=("commuter",), stage="stranger",
           intro="Tom Brennan", status="new",
           notes="Just moved to Millbrook from Leeds; Tom says he wants a commuter bike."),
    Sketch("Ava Lindqvist", role="student", tags=("commuter",), stage="stranger", owner="sam",
           challenges="Had her lock cut at the station bike racks."),
    # -- partners and suppliers ------------------------------------------------------------------
    Sketch("Steve Hollis", "Pennine Cycle Supply", "area rep", "Eastgate", ("supplier",), 1,
           cadence="monthly", channel="call", owner="sam", email="steve.hollis@penninecycle.example",
           status="due", step="confirm the spring order before the January price rise", step_due=True),
    Sketch("Karen Holt", "Holt Tyres & Tubes", "sales manager", "Eastgate", ("supplier",),
           cadence="quarterly", owner="sam", email="karen@holttyres.example"),
    Sketch("Anna Kowalski", "Kowalski Wheels", "wheelbuilder", "Old Town", ("partner",), 2, "advocate",
           owner="jo", wants="More hand-built wheel orders through the shop."),
    Sketch("Matt Rowe", "Rowe Bike Fit", "bike-fit specialist", "Riverside", ("partner",), 2, "advocate",
           owner="jo", challenges="Fit clients often need parts he does not stock."),
    Sketch("Deb Fairley", "Millbrook Cargo Bike Library", "coordinator",
           tags=("partner", "cargo", "community"), influence=3, stage="advocate", cadence="monthly",
           email="deb@cargolibrary.example",
           step="agree the servicing rota for the library's cargo bikes"),
    Sketch("Yusuf Demir", "Swift Couriers", "fleet manager", "Eastgate", ("fleet",), 2, "lead", owner="sam",
           step="send a quote for servicing the courier fleet", step_due=True,
           needs="Twenty e-cargo bikes kept on the road through winter."),
    Sketch("Raj Mehta", "Mehta Accounts", "the shop's accountant", tags=("partner",), influence=1,
           notes="Year end is March; send receipts monthly, not in a shoebox."),
    # -- regulars --------------------------------------------------------------------------------
    Sketch("George Haworth", role="retired engineer", tags=("regular",), influence=3, stage="advocate",
           cadence="every 2 weeks", channel="visit", birthday="--09-02",
           notes="Comes in most Saturdays for a chat and a chain lube."),
    Sketch("Martha Quinn", role="retired", tags=("regular", "ebike"), influence=1, intro="George Haworth",
           status="due", wants="An e-bike that is not too heavy to get into the shed."),
    Sketch("Ellie Shaw", role="student", tags=("regular",), influence=1, channel="message"),
    Sketch("Pat Gallagher", role="retired postman", tags=("regular", "community"), influence=1,
           cadence="every 2 months", intro="Ruth Adeyemi", birthday="--01-23"),
    Sketch("Sunita Rao", role="GP", area="Hillcrest", tags=("regular",), influence=2,
           email="sunita.rao@example.com", wants="A women's beginner ride on weekday evenings."),
    Sketch("Will Ashworth", role="sixth-former", tags=("regular", "mtb", "youth"), intro="Aisha Khan",
           needs="A Saturday job, and a cheaper way to keep his mountain bike running."),
    Sketch("Hannah Frost", role="dog walker", tags=("regular",), influence=1, status="due",
           challenges="Her bike lives outside and rusts every winter."),
    Sketch("Joe Mullins", "Mullins Plumbing", "plumber", tags=("cargo",), stage="prospect",
           wants="A trailer that can carry his tools to jobs in the village."),
    Sketch("Rosa Delgado", "Riverside Allotments", "chair", "Riverside", ("community",), 3, "prospect",
           channel="coffee", intro="Ruth Adeyemi", wants="Bike racks at the allotment gates."),
    Sketch("Jade Whitmore", "Hillcrest Runners", "club captain", "Hillcrest", ("community",), 3, "prospect",
           channel="event", wants="Cross-training rides for injured runners."),
    Sketch("Irene Blake", role="over-60s group", tags=("community",), stage="stranger", intro="Ruth Adeyemi",
           status="new", wants="To get back on a bike after twenty years."),
    Sketch("Kofi Asante", role="market trader", tags=("cargo",), stage="stranger", owner="jo",
           intro="Deb Fairley", status="new", wants="To borrow a cargo bike for his Saturday market stall."),
)

SEGMENTS: tuple[Group, ...] = (
    Group("Regulars", "Local customers who come back: keep them feeling at home.",
          {"stage": "customer", "area": HOME}, include=("George Haworth", "Sunita Rao"), cadence="monthly"),
    Group("Racing club", "Millbrook Wheelers and friends: one captain moves the whole club.",
          {"tags": ["racing"]}, include=("Matt Rowe",), cadence="every 2 weeks"),
    Group("Neighbourhood businesses", "The high street: referrals, shared events, cafes.",
          {"tags": ["business"], "area": HOME}, include=("Beth Collins",), cadence="monthly"),
    Group("Commuters", "Ride to work all year; winter servicing and lights.",
          {"tags": ["commuter"]}, exclude=("Zoe Chambers",)),
    Group("Families & kids", "Parents, schools and scouts: first bikes and safe routes.",
          {"tags": ["family"]}, include=("Callum Fraser", "Zoe Chambers"), cadence="every 6 weeks"),
    Group("Partners & suppliers", "Who keeps the shop stocked, paid and busy.",
          {"tags": ["supplier"], "owner": "sam"}, cadence="quarterly",
          include=("Anna Kowalski", "Matt Rowe", "Deb Fairley", "Yusuf Demir", "Raj Mehta")),
    Group("Local voices", "People whose word moves the neighbourhood.",
          {"min_influence": 4}, cadence="every 3 weeks"),
)
# fmt: on
