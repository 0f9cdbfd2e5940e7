"""k-anonymity of the pseudonymised export (reports/domain/anonymity.py)."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from assembly.reports.domain import anonymity
from assembly.reports.domain.anonymity import SUPPRESSED, WITHHELD, Quasi, plan, smallest_group

AGES = list(anonymity.COARSE_AGE)
quasi = st.builds(
    Quasi,
    age=st.sampled_from([*AGES, None]),
    sex=st.sampled_from(["Mujer", "Hombre", "Intersexual", None]),
    department=st.sampled_from(["Arauca", "Casanare"]),
    municipality=st.sampled_from(["Arauca", "Saravena", "Tame", "Yopal", "Cravo Norte"]),
    organization_kind=st.sampled_from(["Economía solidaria", "Comunitaria", "Otra", None]),
    group=st.sampled_from(["Mesa 1", "Mesa 2", "Mesa 3"]),
    table=st.sampled_from(["1.1", "1.2", "2.1", "3.4", None]),
)


@given(st.lists(quasi, min_size=0, max_size=120), st.integers(min_value=1, max_value=12))
def test_every_printed_combination_is_shared_by_k_people(people, k):
    printed = plan(dict(enumerate(people)), k)
    assert set(printed) == set(range(len(people)))
    if len(people) >= k:
        assert smallest_group(printed) >= k
    else:  # fewer people than k: nothing that could single one out is printed
        assert set(printed.values()) <= {SUPPRESSED}


@given(st.lists(quasi, min_size=1, max_size=80))
def test_generalising_never_invents_a_value(people):
    printed = plan(dict(enumerate(people)), 5)
    for pid, shown in printed.items():
        original = people[pid]
        assert shown.municipality in (original.municipality, WITHHELD)
        assert shown.sex in (original.sex, WITHHELD)
        assert shown.group in (original.group, WITHHELD)
        assert shown.age in (original.age, anonymity.COARSE_AGE.get(original.age or ""), WITHHELD)


def test_a_large_homogeneous_room_keeps_its_detail():
    people = {n: Quasi("18 a 28 años", "Mujer", "Arauca", "Arauca", "Comunitaria", "Mesa 1", "1.1")
              for n in range(10)}  # fmt: skip
    assert plan(people, 5) == people


def test_the_only_person_of_a_small_organisation_type_is_not_singled_out():
    """The case from the issue: one victim in a five-person association of Cravo Norte."""
    people = {
        n: Quasi("29 a 40 años", "Hombre", "Arauca", "Arauca", "Economía solidaria", "Mesa 1", "1.1")
        for n in range(40)
    }  # fmt: skip
    people[99] = Quasi("60 años o más", "Mujer", "Arauca", "Cravo Norte", "Otra", "Mesa 1", "1.1")
    printed = plan(people, 5)
    assert smallest_group(printed) >= 5
    assert printed[99].municipality == WITHHELD and printed[99].sex == WITHHELD
    sizes = Counter(q.key() for q in printed.values())
    assert sizes[printed[99].key()] >= 5
    # four others are withheld with them, not the whole room
    assert sum(q == SUPPRESSED for q in printed.values()) == 5
