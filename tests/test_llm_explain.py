"""Grounded explanations: the checker rejects invented years, names and genres, dislikes and
markup; a rejected stream is replaced by the template sentence; the real model never gets an
ungrounded sentence through."""

from __future__ import annotations

import pytest

from bot.llm_explain import LLMExplainer, check_explanation, grounding_for
from bot.ranking import Recommendation
from bot.state import DialogueState
from retrieval import Item

GENRES = {"horror", "comedy", "science fiction", "drama", "thriller", "romance", "western"}
ALIEN = Item(id="m1", domain="movie", title="Alien", year=1979,
             creators=("Ridley Scott", "Sigourney Weaver"), tags=("science fiction", "thriller"),
             description="The crew of a spaceship meets a deadly creature.")


def state(likes=("science fiction",), dislikes=("horror",)) -> DialogueState:
    s = DialogueState()
    for like in likes:
        s.add_like(like)
    for dislike in dislikes:
        s.add_dislike(dislike)
    return s


@pytest.fixture
def grounding():
    return grounding_for(ALIEN, state(), GENRES)


@pytest.mark.parametrize("text", [
    "A tense science fiction thriller from 1979 with Sigourney Weaver, as you asked for science fiction.",
    "Ridley Scott's spaceship thriller fits your taste for science fiction.",
    "It is a science fiction classic about a deadly creature on a spaceship.",
])
def test_grounded_sentences_pass(text, grounding):
    assert check_explanation(text, grounding) == []


@pytest.mark.parametrize("text, reason", [
    ("A science fiction thriller from 1982 that you will love for its suspense.", "year 1982"),
    ("Directed by James Cameron, this science fiction film is a classic for you.", "name 'James'"),
    ("A science fiction comedy about a crew in space, just what you asked.", "genre 'comedy'"),
    ("A science fiction horror film about a creature, made for you.", "dislikes"),
    ("A science fiction thriller <script>alert(1)</script> for you to watch.", "markup"),
    ("See https://evil.example for this great science fiction thriller.", "markup"),
    ("Great.", "words"),
])
def test_ungrounded_sentences_are_rejected(text, reason, grounding):
    problems = check_explanation(text, grounding)
    assert any(reason in p for p in problems), problems


def test_user_facets_and_constraint_years_count_as_grounded():
    s = state(likes=("space",), dislikes=())
    s.constraints.year_min = 1970
    g = grounding_for(ALIEN, s, GENRES)
    assert check_explanation("Set in space and made after 1970, as you wanted, with Ridley Scott.", g) == []


class ScriptedExplainer(LLMExplainer):
    """The real explainer's checking and fallback, with the model's tokens replaced by a script."""

    def __init__(self, script: list[str]):
        self.genres, self.titles, self.max_new_tokens = GENRES, {}, 48
        from bot.llm_explain import ExplainStats

        self.stats = ExplainStats()
        self.script = script

    def prompt(self, item, state):
        return ""

    def _generate(self, prompt):
        text = ""
        for piece in self.script:
            text += piece
            yield text


def test_a_stream_that_invents_a_name_switches_to_the_template_at_once():
    rec = Recommendation(ALIEN, 1.0, "A science fiction, thriller film from 1979 with Ridley Scott.")
    pieces = ["A gripping", " science fiction", " film", " starring", " Tom", " Cruise", " and more", "."]
    shown = list(ScriptedExplainer(pieces)(rec, state()))
    assert shown[-1] == rec.explanation
    assert not any("Cruise" in s for s in shown)  # abandoned as soon as the name was complete
    assert len(shown) < len(pieces)


def test_a_grounded_stream_is_shown_as_it_grows():
    rec = Recommendation(ALIEN, 1.0, "template")
    pieces = ["A tense", " science fiction", " thriller", " from 1979", " with Sigourney Weaver", "."]
    explainer = ScriptedExplainer(pieces)
    shown = list(explainer(rec, state()))
    assert shown[-1] == "A tense science fiction thriller from 1979 with Sigourney Weaver."
    assert len(shown) >= 3 and explainer.stats.rejected == 0


@pytest.mark.slow
def test_the_real_model_never_shows_an_ungrounded_final_sentence(ctx):
    from bot.manager import step

    genres = {t.lower() for i in ctx.catalog.items.values() for t in i.tags}
    titles = {i.id: i.title for i in ctx.catalog.items.values()}
    explainer = LLMExplainer.from_pretrained("packaged-small", genres, titles)
    result = step(DialogueState(), "a scary movie but no gore", ctx)
    for rec in result.recommendations[:2]:
        final = list(explainer(rec, result.state))[-1]
        g = grounding_for(rec.item, result.state, explainer.genres)
        assert final == rec.explanation or check_explanation(final, g) == []
        assert "<" not in final and "http" not in final
