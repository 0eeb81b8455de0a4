"""Look-alike names: the half-key shortcut for typos gives exactly what the edit blocks give."""

from __future__ import annotations

import random
from collections.abc import Collection

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.identify import lookalikes
from compiler.identify.lookalikes import ONE_LETTER, find_lookalikes, one_edit_apart


def one_edit_apart_letter_by_letter(a: str, b: str) -> bool:
    """one_edit_apart as it was first written."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


@settings(max_examples=500)
@given(st.text("abc", max_size=7), st.text("abc", max_size=7))
def test_one_edit_apart_as_letter_by_letter(a: str, b: str) -> None:
    assert one_edit_apart(a, b) == one_edit_apart_letter_by_letter(a, b)


def blocks_only(keys: list[set[str]], max_group: int) -> set[tuple[int, int]]:
    """The confirmed typo pairs the edit blocks alone give."""
    shared = lookalikes._shared_blocks(enumerate(map(lookalikes._edit_blocks, keys)))
    pairs = [pair for members in shared.values() for pair in lookalikes._pairs(members, max_group)]
    return {(a, b) for a, b in pairs if lookalikes._confirm(ONE_LETTER, keys[a], keys[b])}


def through_halves(keys: list[set[str]], max_group: int) -> set[tuple[int, int]] | None:
    candidates = lookalikes._halves_candidates(keys, max_group)
    if candidates is None:
        return None
    return {(a, b) for a, b in candidates if lookalikes._confirm(ONE_LETTER, keys[a], keys[b])}


# Names made of few letters, so that typos, swaps, shared halves and big groups are common.
near_names = st.text("ab ", min_size=0, max_size=9)
known_names = st.sampled_from(
    ["amara okonkwo", "amara okonkwa", "amra okonkwo", "amaar okonkwo", "kemi obi", "kemi obi x"]
)
people_keys = st.lists(
    st.lists(st.one_of(near_names, known_names), max_size=3).map(lambda ks: set(filter(None, ks))),
    max_size=30,
)


@settings(max_examples=400)
@given(people_keys, st.integers(1, 30))
def test_halves_confirm_what_the_edit_blocks_confirm(keys: list[set[str]], max_group: int) -> None:
    quick = through_halves(keys, max_group)
    if quick is not None:
        assert quick == blocks_only(keys, max_group)


def syllable_class(seed: int, size: int) -> list[set[str]]:
    """A class of made-up names, many one letter from another, some sharing surnames."""
    rng = random.Random(seed)
    syllables = ["ka", "mo", "ra", "li", "ne", "so", "ta", "bu"]

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))

    people: list[set[str]] = []
    for _ in range(size):
        if people and rng.random() < 0.2:  # someone else's name, a letter changed
            (name,) = rng.choice(people)
            i = rng.randrange(len(name))
            name = name[:i] + rng.choice("aeiouz") + name[i + 1 :]
        else:
            name = f"{word()} {word()} test"
        people.append({name})
    return people


@pytest.mark.parametrize(
    ("seed", "size", "max_group"), [(1, 300, 25), (2, 300, 10), (3, 300, 25), (5, 300, 16)]
)
def test_halves_in_a_big_class_of_near_names(seed: int, size: int, max_group: int) -> None:
    keys = syllable_class(seed, size)
    quick = through_halves(keys, max_group)
    assert quick is not None  # the shortcut vouches for these, with groups over max_group / 2
    assert quick == blocks_only(keys, max_group)
    assert quick  # and there are typos to find


def test_find_lookalikes_is_the_same_with_or_without_the_shortcut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    others = [{"amara okonkwo"}, {"amara okonkwa"}, {"okonkwo amara"}, {"amara okonkwo test"}]
    keys = [*syllable_class(1, 300), *others]
    assert through_halves(keys, 25) is not None
    quick = find_lookalikes(keys)
    monkeypatch.setattr(lookalikes, "_halves_candidates", lambda keys, max_group: None)
    assert find_lookalikes(keys) == quick


def test_a_person_with_a_short_and_a_long_key_leaves_it_to_the_blocks() -> None:
    # `li`/`lu` is too short for edit blocks but confirms a pair the blocks find otherwise.
    keys = [{"li", "abcdefgh"}, {"lu", "bcdefgha"}]
    assert through_halves(keys, 25) is None
    assert find_lookalikes(keys) == [(0, 1, ONE_LETTER)]


def test_a_block_too_big_for_every_pair_leaves_it_to_the_blocks() -> None:
    keys = [{"kemi obi test"}] * 30 + [{"kemi obi tesx"}]
    assert through_halves(keys, 25) is None
    pairs = find_lookalikes(keys)
    assert (29, 30, ONE_LETTER) in pairs  # neighbours in the chained block
    assert (0, 30, ONE_LETTER) not in pairs  # not every pair of a block of 31


def test_the_holders_of_one_block_are_counted_before_all_are_paired() -> None:
    # 22 keys that all become `abcdefghij` by losing a letter: one edit block of 22 people,
    # chained (not all paired) when max_group is smaller. In shuffled order the chain misses
    # typo pairs the shortcut would pair, unless it counts the block's holders first.
    keys = [{"abcdefghij"[:i] + c + "abcdefghij"[i:]} for i in range(11) for c in "xy"]
    random.Random(1).shuffle(keys)
    for max_group in range(2, 40):
        quick = through_halves(keys, max_group)
        if quick is not None:
            assert quick == blocks_only(keys, max_group), max_group
    assert through_halves(keys, 21) is None
    assert through_halves(keys, 30) is not None


@given(st.text(alphabet="ab c", max_size=14))
def test_all_halves_are_the_halves_as_itself_and_as_the_longer(text: str) -> None:
    expected = (*lookalikes._halves(text), *lookalikes._halves(text, longer=True))
    assert lookalikes._all_halves(text) == expected


@pytest.mark.parametrize(
    "person_keys", [["li", "abcdefgh"], ["abcdefgh", "li"], ["abcdefgh", "li", "bcdefghi"]]
)
def test_keys_in_and_out_of_range_leave_it_to_the_blocks_in_any_order(
    person_keys: list[str],
) -> None:
    # A list, unlike a set, fixes the order the keys are filed in.
    keys: list[Collection[str]] = [{"bcdefgha"}]
    filed = lookalikes._filed_by_halves([*keys, person_keys])
    assert filed is None


def test_a_person_with_only_short_keys_is_left_out_of_the_halves() -> None:
    filed = lookalikes._filed_by_halves([{"li", "lu"}, {"abcdefgh"}])
    assert filed is not None
    assert {person for held in filed.values() for person, _ in held} == {1}


@given(st.lists(st.text(alphabet="ab c", min_size=5, max_size=14), min_size=1, max_size=6))
def test_other_halves_are_the_halves_of_the_other_parts(texts: list[str]) -> None:
    for text in texts:
        for kind, n, _ in lookalikes._all_halves(text):
            one_by_one = lookalikes._halves(lookalikes._other_part(kind, n, text), len(text) > n)
            assert lookalikes._other_halves(kind, n, [(7, text)]) == [(7, one_by_one)]
