"""The column form of the keyed hash gives exactly the one-value form's keys."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from data_pipeline.pseudonym import pseudonymise, pseudonymiser
from data_pipeline.vocab import fold


@settings(deadline=None, max_examples=100)
@given(key=st.binary(min_size=1, max_size=130), names=st.lists(st.text(max_size=20), max_size=5))
@example(key=bytes(range(32)), names=["Sam Practitioner", "SAM  practitioner", "100201"])
def test_pseudonymiser_matches_pseudonymise(key, names):
    keyed = pseudonymiser(key, "S")
    assert [keyed(fold(name)) for name in names] == [pseudonymise(name, key, "S") for name in names]
