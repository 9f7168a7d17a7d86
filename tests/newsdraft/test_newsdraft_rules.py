"""The drafter's rules on small hand-worked texts: each expected answer is read off the text by hand."""

from __future__ import annotations

import pytest

from truce.errors import InputError
from truce.newsdraft import read_text


def found(text: str):
    reading = read_text(text)
    stances = {(a.actor, a.issue, a.kind, a.option) for a in reading.attributions}
    return reading.roles, stances, reading


def test_demand_refusal_and_mediator_by_phrase():
    roles, stances, reading = found(
        "Talks between Riverland and Hillmark, facilitated by Norway, resumed on Monday. "
        "Riverland demands the lifting of the blockade. Hillmark rejected any withdrawal of its troops."
    )
    # Riverland and Hillmark are not in the gazetteer, and are not organisation names: the rules cannot see them.
    assert roles == {"norway": "mediator"}
    roles, stances, reading = found(
        "Talks between Ethiopia and Egypt, facilitated by the African Union, resumed on Monday. "
        "Egypt demands guaranteed water flows from the dam. Ethiopia rejected any binding limit on the filling of the dam."
    )
    assert roles == {"ethiopia": "party", "egypt": "party", "african-union": "mediator"}
    assert stances == {("egypt", "water", "demand", "guaranteed"), ("ethiopia", "water", "refusal", "unchanged")}
    assert reading.is_ceasefire is False


def test_passive_voice_names_the_actor_after_by():
    roles, stances, _ = found("The lifting of the blockade was demanded by Hamas. Israel refused to ease it.")
    assert ("hamas", "blockade", "demand", "lifted") in stances
    assert roles["hamas"] == "party"


def test_a_position_after_its_words_is_read_back_from_the_end_of_the_sentence():
    _, stances, _ = found("Rocket fire must stop, Israel insisted.")
    assert stances == {("israel", "hostilities", "demand", "complete")}


def test_stance_words_choose_the_option():
    _, stances, _ = found("Hamas demanded an easing of the blockade. Israel sought a partial withdrawal.")
    assert ("hamas", "blockade", "demand", "eased") in stances
    assert ("israel", "withdrawal", "demand", "partial") in stances


def test_a_pronoun_takes_the_last_subject_and_a_plural_every_actor_of_the_sentence():
    roles, stances, _ = found(
        "Sudan and the Rapid Support Forces met in Jeddah. It demanded the withdrawal of fighters from cities. "
        "Saudi Arabia and the United States hosted the talks. They called for humanitarian access."
    )
    assert ("sudan", "withdrawal", "demand", "full") in stances
    assert ("saudi-arabia", "humanitarian", "demand", "unimpeded") in stances
    assert ("united-states", "humanitarian", "demand", "unimpeded") in stances
    assert roles["saudi-arabia"] == roles["united-states"] == "mediator"


def test_organisations_by_name_acronym_and_description():
    roles, stances, reading = found(
        "Talks between the Halden Port Workers Union (HPWU) and Northsea Terminals Company resumed, "
        "hosted by the Labour Mediation Board. The union demands a 9% pay rise. "
        "Northsea Terminals Company rejected the pay claim. The HPWU said it would hold out for better working conditions."
    )
    assert roles == {"halden-port-workers-union": "party", "northsea-terminals-company": "party", "labour-mediation-board": "mediator"}
    assert stances == {
        ("halden-port-workers-union", "pay", "demand", "full"),
        ("northsea-terminals-company", "pay", "refusal", "unchanged"),
    }
    assert [actor.name for actor in reading.actors][0] == "Halden Port Workers Union"


def test_apposition_and_noun_cues():
    roles, stances, _ = found(
        "Qatar, another key mediator, met both delegations. The demand by the Taliban for the release of prisoners stalled the talks. "
        "The United States' delegation insisted on an amnesty."
    )
    assert roles["qatar"] == "mediator"
    assert ("taliban", "prisoners", "demand", "full") in stances


def test_places_and_demonyms_alone_are_not_actors():
    roles, _, _ = found("Palestinian detainees were moved from Gaza to the West Bank after Israeli airstrikes.")
    assert roles == {}


def test_clauses_keep_each_demand_with_its_maker():
    _, stances, _ = found("Hamas demands the lifting of the blockade, while Israel insists on an end to rocket fire.")
    assert stances == {("hamas", "blockade", "demand", "lifted"), ("israel", "hostilities", "demand", "complete")}


@pytest.mark.parametrize("text", ["", "   \n", "1234 5678", "\x00abc"])
def test_texts_without_words_or_with_nul_are_refused(text):
    with pytest.raises(InputError, match="text"):
        read_text(text)


def test_the_same_rules_for_every_party():
    """Neutral: swapping the two parties' names in a text swaps their drafts, and nothing else changes."""
    text = (
        "Ceasefire talks between {a} and {b}, mediated by Qatar, stalled on Sunday. {a} demanded the release of prisoners "
        "and an end to the blockade. {b} rejected the demand and called for international monitors. "
        "{a} refused to disarm, while {b} sought guarantees."
    )
    first = read_text(text.format(a="Hamas", b="Israel"))
    second = read_text(text.format(a="Israel", b="Hamas"))
    swap = {"hamas": "israel", "israel": "hamas"}
    assert {swap.get(k, k): v for k, v in first.roles.items()} == second.roles
    one = {(swap.get(a.actor, a.actor), a.issue, a.kind, a.option) for a in first.attributions}
    assert one == {(a.actor, a.issue, a.kind, a.option) for a in second.attributions}
    assert len(one) >= 5


def test_a_trained_pipeline_adds_the_names_the_gazetteer_lacks(monkeypatch):
    """The --pipeline path, with a stand-in for a trained pipeline: its 'ner' marks Riverland and Hillmark as places
    that act (GPE), as a trained model's entity recogniser would; the rules then read them like any actor."""
    import spacy

    from truce.newsdraft.pipeline import pipeline

    def fake_load(name):
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        recogniser = nlp.add_pipe("entity_ruler", name="ner")
        recogniser.add_patterns([{"label": "GPE", "pattern": "Riverland"}, {"label": "GPE", "pattern": "Hillmark"}])
        return nlp

    monkeypatch.setattr(spacy.util, "is_package", lambda name: name == "stand_in_trained_pipeline")
    monkeypatch.setattr(spacy, "load", fake_load)
    pipeline.cache_clear()
    try:
        reading = read_text(
            "Talks between Riverland and Hillmark, facilitated by Norway, resumed. Riverland demands the lifting of the blockade.",
            pipeline="stand_in_trained_pipeline",
        )
    finally:
        pipeline.cache_clear()
    assert reading.roles == {"riverland": "party", "hillmark": "party", "norway": "mediator"}
    assert {(a.actor, a.issue, a.kind) for a in reading.attributions} == {("riverland", "blockade", "demand")}
