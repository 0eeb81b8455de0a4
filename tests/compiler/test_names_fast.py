"""The shortcuts in compiler.identify.names give what the general way gives, for any text."""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.identify import names
from compiler.identify.names import EmailCheck, display_name, display_name_counted

# Address-like text, with what makes addresses go wrong: dots, doubled @, marks, spaces,
# capitals, a non-ASCII letter, the "mailto:" prefix.
ADDRESS_CHARS = string.ascii_letters + string.digits + "._+-@ <>:;,'`\"()[]!#$%&*/=?^|~é\u200b"
address_parts = st.text(ADDRESS_CHARS, max_size=10)
addresses = st.one_of(
    st.builds(lambda a, b, c: f"{a}@{b}.{c}", address_parts, address_parts, address_parts),
    st.builds(
        lambda a, b, c: f"{a}@{b}.{c}",
        st.from_regex(r"[a-z0-9_+-]{1,6}(\.[a-z0-9_+-]{1,4})?", fullmatch=True),
        st.from_regex(r"[a-z0-9]([a-z0-9-]{0,4}[a-z0-9])?", fullmatch=True),
        st.from_regex(r"[a-z]{2,4}", fullmatch=True),
    ),
    st.text(ADDRESS_CHARS, max_size=20),
)


@settings(max_examples=400)
@given(addresses)
def test_a_plain_address_is_what_the_checks_and_repairs_make_of_it(text: str) -> None:
    as_typed = text.strip().lower()
    if names._PLAIN_ADDRESS.fullmatch(as_typed):
        assert names._check_typed_email(as_typed) == EmailCheck(as_typed)


def test_the_address_strategy_reaches_the_shortcut() -> None:
    assert names._PLAIN_ADDRESS.fullmatch("amara.okonkwo-test@school.example.org")
    assert names._check_typed_email("amara.okonkwo-test@school.example.org") == EmailCheck(
        "amara.okonkwo-test@school.example.org"
    )


NAME_CHARS = string.ascii_letters + string.digits + " .,;'`-_!?()\t\x00\x7f"
ascii_names = st.one_of(
    st.text(NAME_CHARS, max_size=30),
    st.sampled_from(["Dr. Amara  Okonkwo-Test", "O'Brien, Kemi", "MR BOLA ADE RN", "prof."]),
)


@given(ascii_names)
def test_ascii_name_keys_are_the_general_keys(raw: str) -> None:
    assert raw.translate(names._ASCII_KEY).split() == names._key_words(raw)


@given(st.text(NAME_CHARS, max_size=12))
def test_ascii_titles_are_compared_as_the_general_way_does(word: str) -> None:
    general = names._NOT_WORD.sub("", word.casefold())
    assert names.normalize_title(word) == general


@given(ascii_names)
def test_printable_ascii_spellings_need_no_translating(raw: str) -> None:
    if raw.isprintable() and "," not in raw and ";" not in raw:
        assert raw.split() == raw.translate(names._NOT_SHOWN).split()


@given(st.text(NAME_CHARS, max_size=12))
def test_careful_capitals_of_ascii_words_as_letter_by_letter(word: str) -> None:
    letters = [c for c in word if c.isalpha()]
    general = bool(letters) and letters[0].isupper() and any(c.islower() for c in letters)
    assert names._is_cased_with_care(word) == general


def display_name_one_by_one(spellings: Sequence[str]) -> str:
    """display_name as it was written before spellings were counted first."""
    cleaned = [c for c in map(names._clean_spelling, spellings) if c]
    if not cleaned:
        return ""
    folded = [c.casefold() for c in cleaned]
    counts = Counter(folded)
    chosen = max(counts, key=counts.__getitem__)
    variants = dict.fromkeys(c for c, f in zip(cleaned, folded, strict=True) if f == chosen)
    best = next(iter(variants))
    if len(variants) > 1:
        best = max(variants, key=lambda v: sum(names._is_cased_with_care(w) for w in v.split()))
    return " ".join(names._proper_case(word) for word in best.split())


spellings = st.lists(
    st.one_of(
        st.sampled_from(
            ["Amara Okonkwo", "amara okonkwo", "AMARA OKONKWO", "Dr. Amara Okonkwo", "McDonald"]
        ),
        st.text(NAME_CHARS + "é\u200d", max_size=12),
    ),
    max_size=8,
)


@given(spellings)
def test_counting_spellings_first_changes_no_name_shown(shown: list[str]) -> None:
    assert display_name(shown) == display_name_one_by_one(shown)
    assert display_name_counted(Counter(shown)) == display_name_one_by_one(shown)


title_like = st.sampled_from(
    ["Dr.", "(Mrs)", "D-r", "PROF", "prof.", "Rev'd", "Engr", "Sir", "Ms", "Mx.", "Zürich"]
)
names_with_titles = st.lists(
    st.one_of(title_like, st.text(NAME_CHARS + "éÉßİ\u200d", min_size=1, max_size=8)),
    max_size=5,
).map(" ".join)


@settings(max_examples=400)
@given(names_with_titles)
def test_names_whose_ends_cannot_be_titles_skip_the_title_checks(raw: str) -> None:
    words = raw.translate(names._NOT_SHOWN).split()
    words = [word for word in words if word.strip(names._JOINERS)]
    assert names._shown_words(raw) == names._without_titles(words, names.normalize_title)


def test_no_title_starts_with_a_letter_said_to_start_none() -> None:
    starts = {names.normalize_title(title)[0] for title in names.TITLES}
    assert starts.isdisjoint({c.lower() for c in names._NO_TITLE_STARTS})
    assert names._shown_words("Dr. Zeweus Lumoby-Test") == ["Zeweus", "Lumoby-Test"]
    assert names._shown_words("Zeweus Lumoby-Test PROF") == ["Zeweus", "Lumoby-Test"]


@given(spellings)
def test_a_name_spelt_one_way_is_shown_as_display_name_shows_it(spelling: list[str]) -> None:
    for shown in spelling:
        assert names.shown_spelling(shown) == display_name_one_by_one([shown])


@given(st.text(NAME_CHARS + "éÉßİǅ", max_size=20))
def test_careful_words_are_counted_as_word_by_word(cleaned: str) -> None:
    by_word = sum(names._is_cased_with_care(word) for word in cleaned.split())
    assert names._words_cased_with_care(cleaned) == by_word
