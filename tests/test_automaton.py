"""Window-by-window Aho-Corasick matching gives exactly the matches of one pass over the whole text."""

from __future__ import annotations

import ahocorasick
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.automaton import iter_matches

_LETTERS = st.sampled_from(list("अबक ab"))


@settings(max_examples=300, deadline=None)
@given(keys=st.lists(st.text(_LETTERS, min_size=1, max_size=6), min_size=1, max_size=8),
       text=st.text(_LETTERS, max_size=200), window=st.integers(min_value=1, max_value=40))
def test_windows_find_what_one_pass_finds_in_the_same_order(keys: list[str], text: str, window: int) -> None:
    automaton = ahocorasick.Automaton()
    for key in keys:
        automaton.add_word(key, key)
    automaton.make_automaton()
    assert list(iter_matches(automaton, text, window)) == list(automaton.iter(text))


def test_a_key_across_a_window_edge_is_found_once() -> None:
    automaton = ahocorasick.Automaton()
    automaton.add_word("रोहतक", "rohtak")
    automaton.make_automaton()
    text = "x" * 8 + "रोहतक" + "y" * 8  # the key spans the edge between the windows at 10 and 20
    assert list(iter_matches(automaton, text, window=10)) == [(12, "rohtak")]
