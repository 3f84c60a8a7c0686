"""Needs in a member's own words meet the offers of the people attending."""

from tablee.tables.topics import align_needs_to_offers


def _person(pid, *, offers=(), needs=()):
    return {"id": pid, "offers": list(offers), "needs": list(needs)}


def test_a_need_in_other_words_takes_the_wording_of_the_matching_offer():
    people = [
        _person(1, needs=["Trouver du financement", "un comptable de confiance"]),
        _person(2, offers=["financement de démarrage"]),
        _person(3, offers=["comptabilité pour PME"]),
    ]
    aligned = align_needs_to_offers(people)
    assert aligned[0]["needs"] == ["financement de démarrage", "comptabilité pour PME"]
    assert aligned[0]["needs_as_written"] == {"financement de démarrage": "Trouver du financement",
                                              "comptabilité pour PME": "un comptable de confiance"}


def test_an_english_need_meets_a_french_offer():
    people = [_person(1, needs=["startup funding"]), _person(2, offers=["financement de démarrage"])]
    assert align_needs_to_offers(people)[0]["needs"] == ["financement de démarrage"]


def test_a_need_nobody_offers_is_kept_as_written():
    people = [_person(1, needs=["un local commercial à Québec"]), _person(2, offers=["financement de démarrage"])]
    assert align_needs_to_offers(people)[0]["needs"] == ["un local commercial à Québec"]


def test_a_loose_resemblance_is_not_a_match():
    # « développeur » alone is half of the need but a third of the offer: not clearly the same thing.
    people = [_person(1, needs=["recruter un développeur"]),
              _person(2, offers=["développement d'applications web"])]
    assert align_needs_to_offers(people)[0]["needs"] == ["recruter un développeur"]


def test_my_own_offer_never_answers_my_need():
    people = [_person(1, offers=["financement de démarrage"], needs=["trouver du financement"])]
    assert align_needs_to_offers(people)[0]["needs"] == ["trouver du financement"]


def test_the_engine_finds_more_need_offer_matches_once_aligned():
    from tablee.engine.model import parse_problem, score_matrices

    people = [
        {**_person(1, needs=["trouver du financement"]), "languages": ["fr"]},
        {**_person(2, offers=["financement de démarrage"]), "languages": ["fr"]},
    ]

    def matches(ps):
        problem = parse_problem({"people": ps, "rounds": 1, "table_size": {"min": 2, "target": 2, "max": 2}})
        return int(score_matrices(problem).matches.sum())

    assert matches(people) == 0
    assert matches(align_needs_to_offers(people)) == 1


# First run on the frozen set, 2026-12-01: 7 pairs aligned, 6 rightly (one false match: « mentorat en
# vente » with « vente de meubles »), 6 of the 12 true matches missed. Precision 6/7, recall 6/12.
PRECISION, RECALL = 6 / 7, 6 / 12


def _aligned(need: str, offer: str) -> bool:
    people = [_person(1, needs=[need]), _person(2, offers=[offer])]
    return align_needs_to_offers(people, semantic=False)[0]["needs"] == [offer]


def test_a_frozen_held_out_set_reports_precision_and_recall(capsys):
    """`data/topic_alignment_heldout.json`: written after THRESHOLD was set, never used to tune it.

    The aligner is deterministic: the bars are the figures seen on its first run (2026-12-01).
    """
    import json
    from pathlib import Path

    pairs = json.loads((Path(__file__).parent / "data" / "topic_alignment_heldout.json")
                       .read_text(encoding="utf-8"))["pairs"]
    said = [_aligned(p["need"], p["offer"]) for p in pairs]
    true_pos = sum(s and p["match"] for s, p in zip(said, pairs, strict=True))
    precision = true_pos / max(1, sum(said))
    recall = true_pos / sum(p["match"] for p in pairs)
    with capsys.disabled():
        print(f"\ntopic alignment, held-out (20 pairs): precision {precision:.0%}, recall {recall:.0%}, "
              f"{sum(said)} aligned, misses: {[p['need'] for s, p in zip(said, pairs, strict=True) if s != p['match']]}")
    assert precision >= PRECISION - 0.005
    assert recall >= RECALL - 0.005
def test_a_need_and_an_offer_meet_by_meaning_without_a_shared_word():
    people = [_person(1, needs=["mentorat"]), _person(2, offers=["coaching de gestionnaires"])]
    assert align_needs_to_offers(people)[0]["needs"] == ["coaching de gestionnaires"]


def test_funds_are_not_cross_country_skiing():
    people = [_person(1, needs=["trouver des fonds"]), _person(2, offers=["ski de fond"])]
    assert align_needs_to_offers(people)[0]["needs"] == ["trouver des fonds"]
    # The control: words alone (the fallback) do take the homonym; the meaning is what refused it.
    assert align_needs_to_offers(people, semantic=False)[0]["needs"] == ["ski de fond"]


def test_the_need_offer_matrix_comes_from_the_same_vectors():
    from tablee.tables.topics import need_offer_similarity

    people = [_person(1, needs=["startup funding"]), _person(2, offers=["financement de démarrage"]),
              _person(3, offers=["ski de fond"])]
    m = need_offer_similarity(people)
    assert m.shape == (3, 3) and m.dtype.name == "float32"
    assert m[0, 1] > 0.55 and m[0, 2] == 0 and m[1, 0] == 0 and m[0, 0] == 0


def test_a_need_also_written_word_for_word_is_quoted_as_written():
    people = [_person(1, needs=["coaching de négociation", "mentorat"]), _person(2, offers=["mentorat"])]

    aligned = align_needs_to_offers(people)[0]

    assert aligned["needs"] == ["mentorat"] and aligned["needs_as_written"] == {}
