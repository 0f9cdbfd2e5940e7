"""The room split (assembly.grouping.domain): hard rules for random rooms, soft goals against
the naive round-robin split, late arrivals and locked people."""

import itertools
import math
import random
import sys
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assembly.grouping.domain import (
    Person,
    Placement,
    Settings,
    SplitResult,
    TablePlan,
    TableSeat,
    naive_split,
    people_of,
    person_rows,
    place_late_arrival,
    quality,
    split,
    split_rows,
    table_seats,
)
from tests.support.work import lines_run

SPLIT_MODULES = [
    sys.modules[f"assembly.grouping.domain.{name}"] for name in ("split", "data", "quality")
]

SEXES = ["F", "M", "X", None]
AGES = ["18-28", "29-40", "41-59", "60+", None]
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def make_room(
    n,
    themes,
    *,
    seed=0,
    skew=1.0,
    no_pref=0.15,
    huge=0.1,
    no_org=0.3,
    leaders=0.08,
    municipalities=30,
    first_id=1,
):
    """A random room: preferences skewed towards the first themes (weight skew**-i), one
    organisation holding a `huge` share, many small ones, Zipf-like municipalities."""
    rng = random.Random(seed)
    theme_weights = [skew**-i for i in range(len(themes))]
    orgs = [f"org{i}" for i in range(max(1, n // 8))]
    org_weights = [1 / (i + 1) for i in range(len(orgs))]
    munis = [f"{5001 + i}" for i in range(municipalities)]
    muni_weights = [1 / (i + 1) for i in range(municipalities)]
    people = []
    for i in range(n):
        r = rng.random()
        if r < huge:
            org = "huge"
        elif r < huge + no_org:
            org = None
        else:
            org = rng.choices(orgs, org_weights)[0]
        people.append(
            Person(
                id=first_id + i,
                preferred_theme=(
                    None if rng.random() < no_pref else rng.choices(themes, theme_weights)[0]
                ),
                organization=org,
                sex=rng.choices(SEXES, [55, 42, 2, 1])[0],
                age_range=rng.choice(AGES),
                municipality=rng.choices(munis, muni_weights)[0],
                leader_candidate=rng.random() < leaders,
            )
        )
    return people


def assert_hard_rules(people, conf: Settings, result: SplitResult):
    """Everyone seated once, no table over capacity, mesas within one table's slack, and the
    shape promised by the module docstring."""
    c = conf.table_size
    seated = [pid for t in result.tables for pid in t.members]
    assert sorted(seated) == sorted(p.id for p in people)
    assert all(len(t.members) <= c for t in result.tables)
    mesa_size = {theme: 0 for theme in conf.theme_ids}
    for t in result.tables:
        mesa_size[t.theme_id] += len(t.members)
    assert max(mesa_size.values()) - min(mesa_size.values()) <= c
    order = [(conf.theme_ids.index(t.theme_id), t.number) for t in result.tables]
    assert order == sorted(order)
    by_id = {p.id: p for p in people}
    for theme in conf.theme_ids:
        sizes = [len(t.members) for t in result.tables if t.theme_id == theme]
        numbers = [t.number for t in result.tables if t.theme_id == theme]
        assert numbers == list(range(1, len(sizes) + 1))
        assert len(sizes) == math.ceil(mesa_size[theme] / c)
        assert not sizes or max(sizes) - min(sizes) <= 1
    for t in result.tables:
        assert t.members == sorted(t.members)
        has_candidate = any(by_id[pid].leader_candidate for pid in t.members)
        if t.leader is None:
            assert not has_candidate
        else:
            assert t.leader in t.members and by_id[t.leader].leader_candidate
    assert result.quality.people == len(people)
    assert result.quality.tables_count == len(result.tables)


@st.composite
def rooms(draw, min_people=0, max_people=5000):
    """A room (people, settings) drawn from the shapes the issue asks for."""
    n = draw(st.integers(min_people, max_people))
    themes = tuple(range(10, 10 + draw(st.integers(1, 8))))
    conf = Settings(themes, draw(st.integers(5, 30)), seed=draw(st.integers(0, 2**32)))
    people = make_room(
        n,
        themes,
        seed=draw(st.integers(0, 2**32)),
        skew=draw(st.sampled_from([1.0, 1.5, 3.0, 100.0])),  # 100: nearly all want one theme
        no_pref=draw(st.sampled_from([0.0, 0.15, 1.0])),
        huge=draw(st.sampled_from([0.0, 0.2, 0.6, 0.95])),
        leaders=draw(st.sampled_from([0.0, 0.02, 0.1, 0.5])),
    )
    return people, conf


# --- hard rules -------------------------------------------------------------------------------


@FAST
@given(rooms())
def test_hard_rules_hold_for_random_rooms(room):
    people, conf = room
    assert_hard_rules(people, conf, split(people, conf))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rooms(min_people=2500))
def test_hard_rules_hold_for_random_big_rooms(room):
    # Hypothesis favours small values; this makes sure thousands of people are tried too.
    people, conf = room
    assert_hard_rules(people, conf, split(people, conf))


@settings(max_examples=15, deadline=None)
@given(rooms(max_people=400), st.randoms(use_true_random=False))
def test_split_is_deterministic_and_ignores_input_order(room, rnd):
    people, conf = room
    shuffled = list(people)
    rnd.shuffle(shuffled)
    first, second = split(people, conf), split(shuffled, conf)
    assert first.tables == second.tables
    assert first.quality == second.quality


@settings(max_examples=15, deadline=None)
@given(rooms(max_people=400))
def test_the_people_as_plain_rows_come_back_the_same_and_split_the_same(room):
    # the form the split crosses to its worker process in (assembly/core/offload.py)
    people, conf = room
    rows = person_rows(people)
    assert all(type(row) is tuple for row in rows)
    assert people_of(rows) == list(people)
    locked = {people[0].id: (conf.theme_ids[0], 1)} if people else {}
    assert split_rows(rows, conf, locked) == split(people, conf, locked)


def test_another_seed_gives_another_split_with_the_same_rules():
    people = make_room(300, (1, 2, 3), seed=4)
    a = split(people, Settings((1, 2, 3), 20, seed=1))
    b = split(people, Settings((1, 2, 3), 20, seed=2))
    assert a.assignment() != b.assignment()
    assert_hard_rules(people, Settings((1, 2, 3), 20, seed=2), b)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 3),
    st.integers(5, 12),
    st.lists(st.integers(0, 3), min_size=0, max_size=36),
)
def test_preferences_seat_as_many_as_any_split_within_the_slack(n_themes, c, wishes):
    """Brute force over every mesa-size vector within one table's slack: the split seats
    the most preferences possible (wish 0 = no preference)."""
    themes = tuple(range(1, n_themes + 1))
    people = [
        Person(i, preferred_theme=w if 0 < w <= n_themes else None) for i, w in enumerate(wishes)
    ]
    demand = Counter(p.preferred_theme for p in people if p.preferred_theme)
    n = len(people)
    best = max(
        sum(min(s, demand[t]) for s, t in zip(sizes, themes, strict=True))
        for sizes in itertools.product(range(n + 1), repeat=n_themes)
        if sum(sizes) == n and max(sizes) - min(sizes) <= c
    )
    result = split(people, Settings(themes, c))
    seated = result.assignment()
    assert sum(seated[p.id][0] == p.preferred_theme for p in people) == best


def _split_work(n: int, themes=(1, 2, 3, 4, 5)) -> tuple[int, list, Settings, SplitResult]:
    """Lines of the split's own modules run for a room of ``n`` (tests/support/work.py)."""
    people = make_room(n, themes, seed=7, skew=1.5, huge=0.1)
    conf = Settings(themes, 20, seed=7)
    lines, result = lines_run(lambda: split(people, conf), *SPLIT_MODULES)
    return lines, people, conf, result


def test_five_thousand_people_in_well_under_a_second_each_rule_kept():
    """Counted, not timed: the work per person may grow only slowly with the room (a quadratic
    step would make 5,000 people cost ten times per person what 500 cost), and stays within a
    fixed budget of lines per person (about 280 today; well under a second untraced)."""
    small, *_ = _split_work(500)
    lines, people, conf, result = _split_work(5000)
    assert (lines / 5000) / (small / 500) < 3.0
    assert lines / 5000 < 400
    assert_hard_rules(people, conf, result)
    q, naive = result.quality, naive_split(people, conf).quality
    assert q.preference_pct > naive.preference_pct + 30
    assert q.org_excess < naive.org_excess / 10
    assert q.leaders_found == q.leaders_possible


def test_empty_room_and_room_smaller_than_the_themes():
    conf = Settings((1, 2, 3, 4, 5, 6, 7, 8), 20)
    assert split([], conf).tables == []
    assert split([], conf).quality.preference_pct == 100.0
    people = [Person(i, preferred_theme=1) for i in range(3)]
    result = split(people, conf)
    assert_hard_rules(people, conf, result)
    assert [(t.theme_id, len(t.members)) for t in result.tables] == [(1, 3)]


def test_mesa_sizes_stay_within_one_tables_slack_when_everybody_wants_one_theme():
    themes = (1, 2, 3, 4, 5)
    people = [Person(i, preferred_theme=1) for i in range(500)]
    result = split(people, Settings(themes, 20))
    sizes = Counter(theme for theme, _ in result.assignment().values())
    assert sizes == {1: 116, 2: 96, 3: 96, 4: 96, 5: 96}
    assert result.quality.preference_pct == pytest.approx(116 / 5)


# --- soft goals against the naive split ---------------------------------------------------------


def both(people, themes=(1, 2, 3, 4, 5), table_size=20):
    conf = Settings(themes, table_size, seed=3)
    return split(people, conf).quality, naive_split(people, conf).quality


def test_preferences_beat_naive():
    ours, naive = both(make_room(500, (1, 2, 3, 4, 5), seed=1, skew=1.3))
    assert ours.preference_pct > 75 > 35 > naive.preference_pct


def test_organisations_spread_where_avoidable():
    # Nobody states a preference, so every organisation can be spread to its cap.
    people = make_room(600, (1, 2, 3, 4, 5), seed=2, no_pref=1.0, huge=0.3, no_org=0.1)
    ours, naive = both(people)
    assert ours.org_excess == 0 < naive.org_excess
    assert ours.max_org_share < naive.max_org_share


def test_organisations_spread_even_with_skewed_preferences():
    people = make_room(1000, (1, 2, 3, 4, 5), seed=5, skew=2.0, huge=0.25)
    ours, naive = both(people)
    assert ours.org_excess < naive.org_excess / 5


def test_sex_and_age_balance_beat_naive():
    rng = random.Random(8)
    people = [Person(i, sex=rng.choice("FFFM"), age_range=rng.choice(AGES[:4])) for i in range(600)]
    ours, naive = both(people)
    assert ours.sex_deviation < naive.sex_deviation / 2
    assert ours.age_deviation < naive.age_deviation / 2
    result = split(people, Settings((1, 2, 3, 4, 5), 20))
    for table in result.tables:  # within one of the room's 3:1 proportion
        women = sum(people[pid].sex == "F" for pid in table.members)
        assert abs(women - 0.75 * len(table.members)) <= 1.5


def test_municipalities_mix_better_than_naive():
    rng = random.Random(9)
    people = [Person(i, municipality=rng.choice(["05001", "05088", "05266"])) for i in range(400)]
    ours, naive = both(people)
    assert ours.municipality_deviation < naive.municipality_deviation / 2


def test_one_leader_per_table_when_candidates_are_just_enough():
    # 500 people, 25 tables, exactly 25 candidates scattered through the list.
    candidates = set(random.Random(10).sample(range(500), 25))
    people = [Person(i, leader_candidate=i in candidates) for i in range(500)]
    ours, naive = both(people)
    assert ours.leaders_found == ours.tables_count == 25
    assert naive.leaders_found < 25
    assert ours.leaders_pct == 100.0


def test_spare_leader_candidates_leave_an_over_subscribed_theme_first():
    # Theme 1 can seat 116 of its 225 fans: the 109 who move cost the same preference
    # percentage whoever they are, so they are first the candidates theme 1 does not need.
    people = [Person(i, preferred_theme=1, leader_candidate=i < 25) for i in range(225)]
    people += [Person(i) for i in range(225, 500)]
    ours, _ = both(people)
    assert ours.preference_pct == pytest.approx(100 * 116 / 225)
    assert ours.leaders_found == ours.leaders_possible == 25


def test_quality_figures_for_a_hand_made_split():
    people = [
        Person(1, preferred_theme=1, organization="a", sex="F", leader_candidate=True),
        Person(2, preferred_theme=2, organization="a", sex="M"),
        Person(3, organization="a", sex="F"),
        Person(4, sex="M"),
    ]
    tables = [TablePlan(1, 1, [1, 2, 3], leader=1), TablePlan(2, 1, [4], leader=None)]
    q = quality(people, tables, Settings((1, 2), 3))
    assert q.preference_pct == 50.0
    assert q.max_org_share == 1.0
    assert q.org_excess == 1  # org a: 3 people, 2 tables → cap 2, one above
    assert (q.leaders_found, q.leaders_possible, q.leaders_pct) == (1, 1, 50.0)
    assert q.sex_deviation == pytest.approx((1 / 6 + 1 / 2) / 2)


# --- late arrivals -------------------------------------------------------------------------------


def seats(*tables, capacity=None, locked=()):
    return [
        TableSeat(theme, number, tuple(members), capacity, (theme, number) in locked)
        for theme, number, members in tables
    ]


CONF = Settings((1, 2), 3)


def test_late_arrival_goes_to_the_preferred_theme_when_it_has_room():
    tables = seats((1, 1, [Person(1), Person(2)]), (2, 1, [Person(3)]))
    assert place_late_arrival(Person(9, preferred_theme=1), tables, CONF) == Placement(1, 1)


def test_late_arrival_avoids_own_organisation_and_a_second_leader():
    tables = seats(
        (1, 1, [Person(1, organization="x")]),
        (1, 2, [Person(2, organization="y", leader_candidate=True)]),
        (1, 3, [Person(3, organization="z")]),
    )
    late = Person(9, preferred_theme=1, organization="x", leader_candidate=True)
    assert place_late_arrival(late, tables, Settings((1,), 3)).number == 3


def test_late_arrival_skips_full_and_locked_tables_and_falls_back_to_another_theme():
    full = [Person(1), Person(2), Person(3)]
    tables = seats((1, 1, full), (1, 2, [Person(4)]), (2, 1, [Person(5)]), locked={(1, 2)})
    assert place_late_arrival(Person(9, preferred_theme=1), tables, CONF) == Placement(2, 1)


def test_late_arrival_opens_a_new_table_when_every_table_is_full():
    full = [Person(i) for i in range(3)]
    other = [Person(i) for i in range(10, 13)]
    tables = seats((1, 1, full), (2, 1, other))
    placement = place_late_arrival(Person(9, preferred_theme=2), tables, CONF)
    assert placement == Placement(2, 2, new_table=True)


def test_new_table_goes_to_the_smallest_mesa_when_the_preferred_one_would_break_the_slack():
    big = [(1, n, [Person(10 * n + i) for i in range(3)]) for n in (1, 2)]
    tables = seats(*big, (2, 1, [Person(90 + i) for i in range(3)]))
    placement = place_late_arrival(Person(9, preferred_theme=1), tables, CONF)
    assert placement == Placement(2, 2, new_table=True)


def test_late_arrival_refuses_someone_already_seated():
    with pytest.raises(ValueError, match="already seated"):
        place_late_arrival(Person(1), seats((1, 1, [Person(1)])), CONF)


@settings(max_examples=15, deadline=None)
@given(rooms(max_people=300), st.integers(1, 60), st.randoms(use_true_random=False))
def test_late_arrivals_never_overflow_nor_move_anyone(room, late_count, rnd):
    people, conf = room
    result = split(people, conf)
    tables = table_seats(result, people)
    locked = {(t.theme_id, t.number) for t in tables if rnd.random() < 0.2}
    tables = [
        TableSeat(t.theme_id, t.number, t.members, None, (t.theme_id, t.number) in locked)
        for t in tables
    ]
    before = {(t.theme_id, t.number): t.members for t in tables}
    for late in make_room(late_count, conf.theme_ids, seed=rnd.randint(0, 99), first_id=10**6):
        open_in_pref = any(
            t.theme_id == late.preferred_theme and not t.locked and len(t.members) < conf.table_size
            for t in tables
        )
        placement = place_late_arrival(late, tables, conf)
        key = (placement.theme_id, placement.number)
        if open_in_pref:
            assert placement.theme_id == late.preferred_theme
        if placement.new_table:
            assert all(t.locked or len(t.members) >= conf.table_size for t in tables)
            assert key not in {(t.theme_id, t.number) for t in tables}
            tables.append(TableSeat(*key, (late,)))
        else:
            i = next(i for i, t in enumerate(tables) if (t.theme_id, t.number) == key)
            assert not tables[i].locked and len(tables[i].members) < conf.table_size
            tables[i] = TableSeat(*key, (*tables[i].members, late), None, tables[i].locked)
    for t in tables:
        assert len(t.members) <= conf.table_size
        assert t.members[: len(before.get((t.theme_id, t.number), ()))] == before.get(
            (t.theme_id, t.number), ()
        )


# --- locked people (re-split) and bad input -----------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(rooms(max_people=600), st.integers(0, 200), st.randoms(use_true_random=False))
def test_resplit_keeps_locked_people_where_they_are(room, newcomers, rnd):
    people, conf = room
    first = split(people, conf).assignment()
    locked = {pid: seat for pid, seat in first.items() if rnd.random() < 0.5}
    everyone = people + make_room(newcomers, conf.theme_ids, seed=newcomers, first_id=10**6)
    again = split(everyone, conf, locked=locked)
    seated = again.assignment()
    assert sorted(seated) == sorted(p.id for p in everyone)
    assert all(len(t.members) <= conf.table_size for t in again.tables)
    assert all(seated[pid] == seat for pid, seat in locked.items())


def test_resplit_with_no_change_keeps_everyone():
    people = make_room(200, (1, 2, 3), seed=11)
    conf = Settings((1, 2, 3), 15)
    first = split(people, conf)
    again = split(people, conf, locked=first.assignment())
    assert again.assignment() == first.assignment()
    assert_hard_rules(people, conf, again)


@pytest.mark.parametrize(
    ("people", "locked", "message"),
    [
        ([Person(1), Person(1)], None, "unique"),
        ([Person(1)], {2: (1, 1)}, "not in the room"),
        ([Person(1)], {1: (7, 1)}, "no such table"),
        ([Person(i) for i in range(4)], {i: (1, 1) for i in range(4)}, "above capacity"),
    ],
)
def test_bad_input_is_refused(people, locked, message):
    with pytest.raises(ValueError, match=message):
        split(people, Settings((1, 2), 3), locked=locked)


@pytest.mark.parametrize(
    ("themes", "size", "message"), [((), 20, "theme"), ((1, 1), 20, "unique"), ((1,), 0, "size")]
)
def test_bad_settings_are_refused(themes, size, message):
    with pytest.raises(ValueError, match=message):
        Settings(themes, size)
