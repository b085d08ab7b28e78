"""A team on one file (issue 12, parts 1, 2 and 4): my list (mine + unowned) by default,
the whole team's or a colleague's on request; a new person is whoever added them's; who
logged each entry and who last talked to a person; settings stay per user."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from cli_support import cli, isolate_env
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.records import Interaction, Person, Segment
from meetup_tui.domain.settings import Settings
from meetup_tui.domain.team import next_whose, short_user, whose_words
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp
from meetup_tui.ui.widgets.log_pane import LogPane
from sync_support import poll_fast, wait_until

TODAY = date(2026, 11, 26)
DAY = TODAY.isoformat()
SIZE = (120, 40)
SAM, KIM = "sam@shop", "kim@shop"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_env(monkeypatch, tmp_path, SAM)
    poll_fast(monkeypatch)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """Ana is Sam's, Bo is Kim's, Cy is no one's (everyone's); none talked to yet."""
    path = tmp_path / "shop.json"
    db = Database.open(path, user=SAM, create=True)
    ana = Person(name="Ana Ruiz", phones=["0100"], owner=SAM, influence=3)
    bo = Person(name="Bo Lee", phones=["0101"], owner=KIM, influence=2)
    cy = Person(name="Cy Diaz", phones=["0102"], influence=1)
    talk = Interaction(at="2026-10-01T10:00", people=[bo.id], kind="coffee", logged_by=KIM)
    db.commit(*(db.stamp(r) for r in (ana, bo, cy, talk, Segment(name="Riders", include=[ana.id, cy.id]))))
    return path


def names(out: str) -> list[str]:
    return [item["name"] for item in json.loads(out)]


# -- the words and the cycle ----------------------------------------------------------------


def test_whose_list_in_words_and_the_cycle_of_o() -> None:
    assert short_user("sam@shop-pc") == "sam" and short_user("kim") == "kim"
    assert [whose_words(w, SAM) for w in (SAM, None, KIM)] == [
        "mine + unowned",
        "whole team",
        "kim's + unowned",
    ]
    owners = [KIM, SAM, "zoe@shop"]
    assert next_whose(SAM, SAM, owners) is None
    assert next_whose(None, SAM, owners) == KIM
    assert next_whose(KIM, SAM, owners) == "zoe@shop"
    assert next_whose("zoe@shop", SAM, owners) == SAM
    assert next_whose("gone@shop", SAM, owners) == SAM, "an owner no longer in the book: back to mine"


# -- the shell ------------------------------------------------------------------------------


def test_today_is_mine_and_unowned_by_default_and_says_so(capsys, shop: Path) -> None:
    day = ("--db", str(shop), "--today", DAY)
    code, out, _ = cli(capsys, *day, "today", "--json")
    assert code == 0 and names(out) == ["Ana Ruiz", "Cy Diaz"]
    code, out, _ = cli(capsys, *day, "today")
    assert out.splitlines()[0].endswith("(mine + unowned; 1 more due for the rest of the team: --all)")
    code, out, _ = cli(capsys, *day, "today", "--json", "--all")
    assert sorted(names(out)) == ["Ana Ruiz", "Bo Lee", "Cy Diaz"]
    code, out, _ = cli(capsys, *day, "today", "--json", "--owner", "kim")  # the login part is enough
    assert names(out) == ["Bo Lee", "Cy Diaz"]
    code, out, _ = cli(capsys, *day, "--user", KIM, "today", "--json")
    assert names(out) == ["Bo Lee", "Cy Diaz"]


def test_today_json_carries_the_owner_and_who_last_talked(capsys, shop: Path) -> None:
    code, out, _ = cli(capsys, "--db", str(shop), "--today", DAY, "today", "--json", "--all")
    docs = {d["name"]: d for d in json.loads(out)}
    assert (docs["Bo Lee"]["owner"], docs["Bo Lee"]["last_contact_by"]) == (KIM, KIM)
    assert (docs["Cy Diaz"]["owner"], docs["Cy Diaz"]["last_contact_by"]) == ("", None)


def test_an_owner_nobody_has_is_one_sentence_and_all_and_owner_exclude_each_other(capsys, shop: Path) -> None:
    code, _, err = cli(capsys, "--db", str(shop), "today", "--owner", "zoe")
    assert code == 1 and "No one in the book is looked after by 'zoe' (owners: kim@shop, sam@shop)." in err
    code, _, err = cli(capsys, "--db", str(shop), "today", "--all", "--owner", "kim")
    assert code == 2 and "not allowed with argument" in err


def test_export_takes_the_owner_as_today_does(capsys, shop: Path, tmp_path: Path) -> None:
    """One owner rule for every command: the login part is enough, and an owner nobody has is
    refused with the owners there are, not written as an empty calendar."""
    feed = tmp_path / "kim.ics"
    code, _, err = cli(
        capsys, "--db", str(shop), "export", "--format", "ics", "--owner", "kim", "--out", str(feed)
    )
    assert code == 0 and feed.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR"), err
    nobody = tmp_path / "nobody.ics"
    code, out, err = cli(capsys, "--db", str(shop), "export", "--owner", "nobody", "--out", str(nobody))
    assert (code, out) == (
        1,
        "",
    ) and "No one in the book is looked after by 'nobody' (owners: kim@shop, sam@shop)." in err
    assert not nobody.exists()


def test_instead_picks_from_my_list(capsys, shop: Path) -> None:
    code, out, _ = cli(capsys, "--db", str(shop), "--today", DAY, "--user", KIM, "instead", "--json")
    assert code == 0 and json.loads(out)["name"] == "Bo Lee"


def test_add_makes_the_new_person_mine_unless_told(capsys, shop: Path) -> None:
    assert cli(capsys, "--db", str(shop), "--user", KIM, "add", "Dee Park")[0] == 0
    assert cli(capsys, "--db", str(shop), "--user", KIM, "add", "Eve Stone", "--owner", "")[0] == 0
    people = {p.name: p for p in Database.open(shop, user="reader").book.live_people()}
    assert (people["Dee Park"].owner, people["Eve Stone"].owner) == (KIM, "")


def test_a_book_without_a_team_says_nothing_about_whose_list(capsys, tmp_path: Path) -> None:
    path = tmp_path / "solo.json"
    assert cli(capsys, "--db", str(path), "add", "Ana Ruiz")[0] == 0  # hers, but no one else's
    code, out, _ = cli(capsys, "--db", str(path), "--today", DAY, "today")
    assert code == 0 and "unowned" not in out and "Ana Ruiz" in out


# -- the app ---------------------------------------------------------------------------------


def app_as(path: Path, user: str, settings: Settings | None = None) -> MeetupApp:
    return MeetupApp(Database.open(path, user=user), Clock(TODAY), settings)


def listed(app: MeetupApp) -> list[str]:
    return [s.person.name for s in app.suggestions]


def title(app: MeetupApp) -> str:
    return str(app.query_one("#outreach-box").border_title)


async def test_two_people_on_one_file_each_see_their_own_list_and_each_others_log(shop: Path) -> None:
    sam, kim = app_as(shop, SAM), app_as(shop, KIM)
    async with sam.run_test(size=SIZE) as sam_pilot, kim.run_test(size=SIZE) as kim_pilot:
        await sam_pilot.pause()
        await kim_pilot.pause()
        assert listed(sam) == ["Ana Ruiz", "Cy Diaz"] and listed(kim) == ["Bo Lee", "Cy Diaz"]
        assert title(sam) == "Today's outreach — mine + unowned (2 due)"
        await kim_pilot.press("c", *"about the spring ride", "enter")  # Kim calls Bo, her top one
        await kim_pilot.pause()
        await kim.workers.wait_for_complete()
        log = sam.query_one(LogPane)
        await wait_until(sam_pilot, lambda: "about the spring ride" in str(log.get_row_at(0)[4]))
        assert str(log.get_row_at(0)[3]) == "kim", "Sam sees who logged it"
        sam.select_person(next(p.id for p in sam.db.book.live_people() if p.name == "Bo Lee"))
        assert "Last talked today by kim" in str(sam.query_one("#facts").render())
    on_disk = Database.open(shop, user="reader").book
    (entry,) = [i for i in on_disk.live_interactions() if i.note == "about the spring ride"]
    assert entry.logged_by == KIM


async def test_o_cycles_whose_list_and_the_header_says_which(shop: Path) -> None:
    app = app_as(shop, SAM)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")
        assert sorted(listed(app)) == ["Ana Ruiz", "Bo Lee", "Cy Diaz"]
        assert title(app) == "Today's outreach — whole team (3 due)"
        await pilot.press("o")
        assert (
            listed(app) == ["Bo Lee", "Cy Diaz"]
            and title(app) == "Today's outreach — kim's + unowned (2 due)"
        )
        await pilot.press("o")
        assert listed(app) == ["Ana Ruiz", "Cy Diaz"], "round again to mine"


async def test_O_gives_the_selected_person_to_a_colleague_and_a_new_person_is_mine(shop: Path) -> None:
    app = app_as(shop, SAM)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.selected_person().name == "Ana Ruiz"
        await pilot.press("O", *"kim", "right", "enter")  # the suggestion completes kim@shop
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert listed(app) == ["Cy Diaz"], "Ana is Kim's now: off Sam's list"
        await pilot.press("a", *"Dee Park", "ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
    people = {p.name: p for p in Database.open(shop, user="reader").book.live_people()}
    assert people["Ana Ruiz"].owner == KIM
    assert people["Dee Park"].owner == SAM, "whoever adds a person looks after them"


async def test_in_a_segment_o_gives_its_unowned_members_to_a_colleague(shop: Path) -> None:
    app = app_as(shop, SAM)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.query_one("#segments").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "SegmentMembersScreen"
        await pilot.press("o", *KIM, "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
    people = {p.name: p for p in Database.open(shop, user="reader").book.live_people()}
    assert people["Cy Diaz"].owner == KIM, "Cy had no owner"
    assert people["Ana Ruiz"].owner == SAM, "Ana was looked after already: left as she is"


async def test_my_settings_stay_mine_the_shared_file_holds_none_of_them(
    shop: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = json.loads(shop.read_text(encoding="utf-8"))
    mine = Settings(daily_cap=1, dayfirst=True)
    app = app_as(shop, SAM, mine)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a", *"Dee Park", "ctrl+s")  # a change saved by an app with Sam's settings
        await pilot.pause()
        await app.workers.wait_for_complete()
    after = json.loads(shop.read_text(encoding="utf-8"))
    assert set(after) == set(before), "no new table"
    text = shop.read_text(encoding="utf-8")
    assert "daily_cap" not in text and "dayfirst" not in text
    # Settings come from each user's own file (here: a file with Sam's weights, or none).
    sams = tmp_path / "sam-settings.toml"
    sams.write_text("[weights]\ninfluence = 0.0\n", encoding="utf-8")
    day = ("--db", str(shop), "--today", DAY, "--user", SAM, "today", "--json")

    def anas_score() -> float:
        return next(d["score"] for d in json.loads(cli(capsys, *day)[1]) if d["name"] == "Ana Ruiz")

    monkeypatch.setenv("MEETUP_TUI_SETTINGS", str(sams))
    with_his = anas_score()
    monkeypatch.setenv("MEETUP_TUI_SETTINGS", str(tmp_path / "kim-settings.toml"))  # none: defaults
    assert anas_score() - with_his == 3 * Settings().weights.influence, "influence 3 counts without his"
    assert "daily_cap" not in shop.read_text(encoding="utf-8") and "weights" not in shop.read_text(
        encoding="utf-8"
    )
