"""Plain-language texts for profiles, flags and match reasons, in the chosen language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .i18n import translator
from .questions import QuestionBank

if TYPE_CHECKING:
    from .scoring import Reason


def number(value: float, lang: str, decimals: int | None = None) -> str:
    """3.5 in English, 3,5 in Norwegian and Danish; with ``decimals``, always that many."""
    text = f"{value:g}" if decimals is None else f"{value:.{decimals}f}"
    return text.replace(".", ",") if lang in ("nb", "da") else text


def flag_text(flag: str, lang: str, ranked_on: tuple[bool, bool] | None = None) -> str:
    """The sentence for a flag. ``ranked_on`` (traits, education) is given for a profile
    without variation in its interests that is still ranked on those parts
    (:func:`rules.ranks_without_interests`): the student is told what the list rests on."""
    tr = translator(lang)
    if flag == "no_variation" and ranked_on is not None:
        traits, education = ranked_on
        basis = (tr("This list comes only from how you like to work and what education you plan.") if education
                 else tr("This list comes only from how you like to work."))
        return " ".join((
            tr("You gave every activity the same answer, so your answers cannot show which kinds of work you like most."),
            basis,
            tr("Answer the activities again and use the whole scale (or \"not sure\"), and you will get a better list.")))
    texts = {
        "no_variation": tr("Your answers give all six interest types the same score, so they cannot tell which work suits you. No matches are shown; try again and use the whole scale."),
        "too_few_answers": tr("Too few interest questions were answered for a dependable profile; treat the results as a first hint."),
        "flat_profile": tr("Your interests are fairly even across all six types. That is fine, but the ranking of occupations is less certain."),
        "uncertain_code": tr("Some of your top interest types are nearly tied, so the letters of your Holland code, or their order, could easily change."),
        "many_unsure": tr("You answered \"not sure\" to many questions; the result rests on fewer answers."),
    }
    return texts.get(flag, flag)


def flag_short(flag: str, lang: str) -> str:
    """A flag in one line of a 60-column terminal, for the one-screen results; the whole
    profile view and reports give :func:`flag_text`."""
    tr = translator(lang)
    texts = {
        "no_variation": tr("Same answer to every activity: this list is less certain."),
        "too_few_answers": tr("Few interest answers: treat this as a first hint."),
        "flat_profile": tr("Even interests: the order of the list is less certain."),
        "uncertain_code": tr("Top types nearly tied: your code could change."),
        "many_unsure": tr("Many \"not sure\" answers: the list rests on fewer answers."),
    }
    return texts.get(flag, flag)


def certainty_text(level: str, firm: int, lang: str) -> str:
    """A plain word on how sure a top list is (see rules.certainty)."""
    tr = translator(lang)
    if level == "clear":
        return tr("How sure is this list? Fairly sure: the first {n} jobs are clearly ahead of the rest. "
                  "Jobs marked = are too close to tell apart.").format(n=firm)
    if level == "partly" and firm == 1:
        return tr("How sure is this list? Partly: the first job is clearly ahead; the others are close "
                  "together and could swap places if you took the quiz again.")
    if level == "partly":
        return tr("How sure is this list? Partly: the first {n} jobs are clearly ahead; the others are close "
                  "together and could swap places if you took the quiz again.").format(n=firm)
    return tr("How sure is this list? Not very: these jobs are close together, and many of them could "
              "change if you took the quiz again. See them as ideas to explore.")


def not_recommended_text(why: str, lang: str) -> str:
    """Why an occupation is left out of the match lists (it can still be looked up)."""
    tr = translator(lang)
    texts = {
        "elected_office": tr("This is an elected office, not a job you train for, so it is never in your match list. "
                             "People get there through politics and voluntary work, often next to another job."),
        "us_only": tr("This job is found mainly in the United States, so it is not in your match list."),
        "not_in_country": tr("This job hardly exists in the country you chose, so it is not in your match list there."),
        "not_a_career_start": tr("People reach this job after many years in other work, not by training for it, "
                                 "so it is not in your match list."),
    }
    return texts.get(why, why)


def confidence_text(confidence: str, lang: str) -> str:
    tr = translator(lang)
    return {
        "high": tr("high"), "medium": tr("medium"), "low": tr("low"), "none": tr("none"),
    }.get(confidence, confidence)


def value_label(value, scale: str, lang: str) -> str:
    tr = translator(lang)
    if value == "unsure":
        return tr("not sure")
    like = {1: tr("strongly dislike"), 2: tr("dislike"), 3: tr("neutral"), 4: tr("like"), 5: tr("strongly like")}
    # answers to "How well does this describe you?": they say how well, not whether you agree
    agree = {1: tr("not like me at all"), 2: tr("not much like me"), 3: tr("partly like me"), 4: tr("quite like me"),
             5: tr("very much like me")}
    return (like if scale == "like5" else agree).get(value, str(value))


def isced_name(isced: int, country: str | None, bank: QuestionBank, lang: str) -> str:
    """The national name of an ISCED level (e.g. 'Bachelorgrad (3 år)')."""
    q = bank.education("highest_level")
    if q is not None:
        options = [o for o in q.options_for(country or "other") if o.isced == isced]
        if not options:
            options = [o for o in q.options_for("other") if o.isced == isced]
        if options:
            return options[-1].text.get(lang) or options[-1].text["en"]
    return f"ISCED {isced}"


def _activity(qid: str, bank: QuestionBank, lang: str) -> str:
    """An interest item's activity as it reads inside a sentence ("… like to "repair a bicycle"")."""
    q = bank.questions.get(qid)
    text = q.text.get(lang, q.text["en"]) if q else qid
    return text[:1].lower() + text[1:]


def _item_type(qid: str, bank: QuestionBank, lang: str) -> str:
    """The name of an interest item's type ("Realistic"), for reasons that rest on the type."""
    q = bank.questions.get(qid)
    return _type_name(q.dimension, bank, lang) if q else ""


def _type_name(t: str, bank: QuestionBank, lang: str) -> str:
    return bank.types[t].name.get(lang, t) if t in bank.types else t


def _trait_name(trait_id: str, bank: QuestionBank, lang: str) -> str:
    trait = bank.traits.get(trait_id)
    return trait.name.get(lang) if trait else trait_id


def reason_text(reason: "Reason", lang: str, bank: QuestionBank, country: str | None) -> str:
    tr = translator(lang)
    d = reason.data
    if reason.kind in ("interest_fit", "interest_clash"):
        name = _type_name(d["type"], bank, lang)
        if reason.kind == "interest_fit":
            return tr("Your interest in {type} activities fits: they are central to this job.").format(type=name)
        if d.get("side") == "you":
            return tr("Your strongest interest, {type}, plays little part in this job.").format(type=name)
        return tr("This job is largely {type}, an interest you rated low.").format(type=name)
    if reason.kind in ("trait_fit", "trait_clash"):
        name = _trait_name(d["trait"], bank, lang)
        if reason.kind == "trait_fit":
            return tr("You said \"{trait}\" fits you, and it matters more in this job than in most.").format(trait=name)
        return tr("This job leans on \"{trait}\", which you said is less like you.").format(trait=name)
    if reason.kind.startswith("education"):
        level = isced_name(d["required"], country, bank, lang)
        if reason.kind == "education_ok":
            return tr("Education: the usual level ({level}) is within what you plan.").format(level=level)
        if reason.kind == "education_stretch":
            return tr("A stretch: the usual level for this job ({level}) is one step beyond what you plan.").format(level=level)
        return tr("Big gap: the usual level for this job ({level}) is well beyond what you plan.").format(level=level)
    if reason.kind == "activity":
        text = _activity(d["question"], bank, lang)
        if d.get("kind") == "dislike":
            return tr("You said you would rather not \"{question}\", and that is everyday work in this job.").format(question=text)
        return tr("You said you would like to \"{question}\": that is everyday work in this job.").format(question=text)
    if reason.kind == "answer":  # the job's type, not this activity: say so (the activity may not be done there)
        text, kind = _activity(d["question"], bank, lang), _item_type(d["question"], bank, lang)
        if d.get("kind") == "dislike":
            return tr("You said you would rather not \"{question}\". This job has little work of that type ({type}).").format(
                question=text, type=kind)
        return tr("You said you would like to \"{question}\". Work of that type ({type}) is a big part of this job.").format(
            question=text, type=kind)
    return reason.kind


def reason_short(reason: "Reason", lang: str, bank: QuestionBank, country: str | None) -> str:
    """A reason in a few words, for the one-line-per-job list (the full sentence is in the details)."""
    tr = translator(lang)
    d = reason.data
    if reason.kind in ("interest_fit", "interest_clash"):
        name = _type_name(d["type"], bank, lang)
        if reason.kind == "interest_fit":
            return tr("your interest: {type}").format(type=name)
        return tr("little of your interest: {type}").format(type=name) if d.get("side") == "you" else \
            tr("mostly {type}, which you rated low").format(type=name)
    if reason.kind in ("trait_fit", "trait_clash"):
        name = _trait_name(d["trait"], bank, lang)
        if reason.kind == "trait_fit":
            return tr("suits you: {trait}").format(trait=name)
        return tr("asks for: {trait}").format(trait=name)
    if reason.kind == "education_ok":
        return tr("education within your plan")
    if reason.kind == "education_stretch":
        return tr("one step more education than you plan")
    if reason.kind.startswith("education"):
        return tr("much more education than you plan")
    if reason.kind == "activity":
        text = _activity(d["question"], bank, lang)
        if d.get("kind") == "dislike":
            return tr("everyday work here, which you dislike: {activity}").format(activity=text)
        return tr("everyday work here: {activity}").format(activity=text)
    if reason.kind == "answer":
        text, kind = _activity(d["question"], bank, lang), _item_type(d["question"], bank, lang)
        if d.get("kind") == "dislike":
            return tr("{type}, little of: {activity}").format(type=kind, activity=text)
        return tr("{type}: you like to {activity}").format(type=kind, activity=text)
    return reason.kind


def completeness(values, form: str | None, bank) -> dict[str, int]:
    """How much of the quiz was answered: questions of the form answered, answered "not sure",
    and the form's size. Without a known form: the smallest form holding every answer."""
    from .questions import UNSURE

    if form == "adaptive":
        ids = list(values)
    else:
        if form not in bank.forms:
            forms = sorted(bank.forms, key=lambda name: len(bank.forms[name]))
            form = next((name for name in forms if set(values) <= {q.id for q in bank.form(name)}), forms[-1])
        ids = [q.id for q in bank.form(form)]
    given = [values[i] for i in ids if i in values]
    return {"answered": len(given), "unsure": sum(v == UNSURE for v in given), "questions": len(ids)}
