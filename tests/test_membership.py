"""domain/membership.py: join and leave change a segment's manual lists so the person is
(or is not) a member whatever the rule says, and return the same object when nothing changes."""

from __future__ import annotations

from dataclasses import replace

from meetup_tui.domain.book import is_member
from meetup_tui.domain.membership import join, leave
from meetup_tui.domain.records import Person, Segment

ANA = Person(name="Ana Ruiz", tags=["vip"])
BO = Person(name="Bo Lee")
CY = Person(name="Cy Moss", tags=["vip"])


def test_join_includes_a_person_and_leaves_the_segment_given_alone() -> None:
    segment = Segment(name="club", include=[BO.id])
    joined = join(segment, ANA)
    assert joined.include == [BO.id, ANA.id]
    assert joined.exclude == []
    assert is_member(joined, ANA) and is_member(joined, BO)
    assert segment.include == [BO.id]  # not changed in place
    assert (joined.id, joined.name) == (segment.id, segment.name)


def test_join_of_an_excluded_person_takes_them_off_exclude() -> None:
    segment = Segment(name="VIPs", rule={"tags": ["vip"]}, exclude=[CY.id, ANA.id])
    assert not is_member(segment, ANA)
    joined = join(segment, ANA)
    assert ANA.id not in joined.exclude
    assert joined.exclude == [CY.id]  # the others stay excluded
    assert is_member(joined, ANA)
    assert not is_member(joined, CY)


def test_join_of_someone_both_included_and_excluded_makes_them_a_member() -> None:
    segment = Segment(name="club", include=[ANA.id], exclude=[ANA.id])
    assert not is_member(segment, ANA)
    joined = join(segment, ANA)
    assert (joined.include, joined.exclude) == ([ANA.id], [])
    assert is_member(joined, ANA)


def test_join_returns_the_same_object_when_already_included() -> None:
    segment = Segment(name="club", include=[ANA.id])
    assert join(segment, ANA) is segment


def test_join_of_a_rule_member_puts_them_on_include() -> None:
    segment = Segment(name="VIPs", rule={"tags": ["vip"]})
    joined = join(segment, ANA)
    assert joined.include == [ANA.id]
    assert is_member(joined, replace(ANA, tags=[]))  # stays a member when the tag goes


def test_leave_of_a_rule_only_member_puts_them_on_exclude() -> None:
    segment = Segment(name="VIPs", rule={"tags": ["vip"]}, include=[BO.id])
    assert is_member(segment, ANA)
    left = leave(segment, ANA)
    assert left.exclude == [ANA.id]
    assert left.include == [BO.id]
    assert not is_member(left, ANA)
    assert is_member(left, CY) and is_member(left, BO)  # the rule and include still work for others
    assert segment.exclude == []  # not changed in place


def test_leave_of_a_manual_member_without_a_rule_only_takes_them_off_include() -> None:
    segment = Segment(name="club", include=[ANA.id, BO.id])
    left = leave(segment, ANA)
    assert (left.include, left.exclude) == ([BO.id], [])
    assert not is_member(left, ANA)


def test_leave_of_a_manual_member_the_rule_also_matches_excludes_them() -> None:
    segment = Segment(name="VIPs", rule={"tags": ["vip"]}, include=[ANA.id])
    left = leave(segment, ANA)
    assert (left.include, left.exclude) == ([], [ANA.id])
    assert not is_member(left, ANA)


def test_leave_returns_the_same_object_when_nothing_changes() -> None:
    not_a_member = Segment(name="club", include=[BO.id])
    assert leave(not_a_member, ANA) is not_a_member
    already_out = Segment(name="VIPs", rule={"tags": ["vip"]}, exclude=[ANA.id])
    assert leave(already_out, ANA) is already_out
    rule_misses = Segment(name="VIPs", rule={"tags": ["vip"]})
    assert leave(rule_misses, BO) is rule_misses


def test_leave_then_join_makes_a_member_again_and_join_then_leave_a_non_member() -> None:
    segment = Segment(name="VIPs", rule={"tags": ["vip"]})
    back = join(leave(segment, ANA), ANA)
    assert is_member(back, ANA) and back.exclude == []
    gone = leave(join(segment, BO), BO)
    assert not is_member(gone, BO)
    assert (gone.include, gone.exclude) == ([], [])


def test_regroup_joins_leaves_and_makes_new_segments() -> None:
    from meetup_tui.domain.membership import regroup

    ann = Person(name="Ann", tags=["runner"])
    runners = Segment(name="Runners", rule={"tags": ["runner"]})
    riders = Segment(name="Riders", include=[])
    quiet = Segment(name="Quiet", include=[ann.id])
    changed = regroup([runners, riders, quiet], ann, ["riders", "Night  owls", "Runners"])
    by_name = {s.name: s for s in changed}
    assert set(by_name) == {"Riders", "Quiet", "Night owls"}, "Runners already holds her by its rule"
    assert by_name["Riders"].include == [ann.id]
    assert by_name["Quiet"].include == [] and ann.id not in by_name["Quiet"].exclude
    assert by_name["Night owls"].include == [ann.id] and by_name["Night owls"].id not in {
        s.id for s in (runners, riders, quiet)
    }
    left = regroup([runners], ann, [])
    assert left[0].exclude == [ann.id], "out of a rule's segment: excluded by hand"
    assert regroup([runners, riders], ann, ["Runners"]) == []
