"""Named persons, organisations, places and offices in Hindi and English text.

A small spaCy pipeline (blank ``hi`` tokenizer + tok2vec + NER, trained by ``nlp.train_entities`` on IL-NER) finds
PERSON, ORG and PLACE in Devanagari text; an office matcher placed before the NER marks offices (उपायुक्त/DC,
मुख्यमंत्री/CM, एसपी, तहसीलदार, BDO, SDM…) as OFFICE, and the NER then labels the names around them ("उपायुक्त [अजय कुमार]").

Only the first ``MAX_NER_CHARS`` characters of a text are read: the statistical NER is the slowest tagger, and a
news story names its main people, offices and places in the headline and lead (see benchmarks/nlp.py).

The statistical NER reads only Devanagari texts longer than ``NER_MIN_CHARS`` (its 400-character window: news
stories, press notes, long posts). Short posts get the office rules alone, applied by one regex without spaCy
(``OfficeRules``), and ``EntitiesComponent`` adds the places the district tagger found in them. Why: the
NER costs ~20 µs per token (~0.7 ms for a 35-token post), twice the whole per-post budget of the issue's
3,000 posts/s target, and it was trained on IL-NER news and encyclopaedic sentences, not on social posts, where
its recall is lower anyway (MODEL_CARD.md).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from janmat.core.mention import Entity, Mention
from nlp.tagger import BatchModelTagger, MissingModelError, register_tagger

log = logging.getLogger(__name__)

MODELS_DIR = Path(__file__).resolve().parent / "models"
ENTITY_MODEL_DIR = MODELS_DIR / "entities"
MAX_NER_CHARS = 400
NER_MIN_CHARS = MAX_NER_CHARS
"""Texts no longer than the NER's reading window (tweets, most Facebook and Telegram posts) get the office rules
without the statistical NER; longer texts (stories, press notes, long posts) get the NER over their head."""
_BATCH_SIZE = 128
_LAST_SPACE = re.compile(r"\s\S*$")
_DEVANAGARI = re.compile("[\u0900-\u097f]")
_LATIN = re.compile("[A-Za-z]")

# Offices written in Devanagari (matched as whole tokens), in English (case-insensitive) and as acronyms
# (case-sensitive, so that "cm" the unit or "dc" in a URL never match).
OFFICES_HI = (
    "उपायुक्त", "जिला उपायुक्त", "डीसी", "अतिरिक्त उपायुक्त", "एडीसी", "मुख्यमंत्री", "उपमुख्यमंत्री", "प्रधानमंत्री",
    "पुलिस अधीक्षक", "एसपी", "पुलिस उपाधीक्षक", "डीएसपी", "पुलिस महानिदेशक", "डीजीपी", "पुलिस आयुक्त",
    "तहसीलदार", "नायब तहसीलदार", "खंड विकास एवं पंचायत अधिकारी", "बीडीपीओ", "बीडीओ", "उपमंडल अधिकारी",
    "एसडीएम", "एसडीओ", "सिविल सर्जन", "सीएमओ", "थाना प्रभारी", "एसएचओ", "जिला शिक्षा अधिकारी", "डीईओ",
    "नगर आयुक्त", "निगम आयुक्त", "महापौर", "मेयर", "सरपंच", "विधायक", "सांसद", "राज्यपाल", "मुख्य सचिव",
    "पटवारी", "कैबिनेट मंत्री", "राज्य मंत्री", "गृह मंत्री", "शिक्षा मंत्री", "कृषि मंत्री", "स्वास्थ्य मंत्री",
)
OFFICES_EN = (
    "deputy commissioner", "additional deputy commissioner", "chief minister", "deputy chief minister",
    "prime minister", "superintendent of police", "deputy superintendent of police", "director general of police",
    "commissioner of police", "police commissioner", "tehsildar", "naib tehsildar", "block development officer",
    "sub-divisional magistrate", "sub divisional magistrate", "civil surgeon", "chief medical officer",
    "station house officer", "district education officer", "municipal commissioner", "mayor", "sarpanch",
    "governor", "chief secretary", "patwari", "district magistrate", "collector", "home minister",
)
OFFICE_ACRONYMS = ("DC", "ADC", "CM", "SP", "DSP", "DGP", "SDM", "BDO", "BDPO", "SHO", "CMO", "DEO", "DM", "MLA", "MP")


_WORD_CHAR = "0-9A-Za-z_\u00c0-\u024f\u0900-\u0963\u0966-\u097f"
_WORD_CHAR_RE = re.compile(f"[{_WORD_CHAR}]")


class OfficeRules:
    """The office titles of ``OfficeMatcher`` found by one regex over raw text, for texts the NER does not read.

    Same titles, same case rules and whole-word boundaries as the token matcher, without the cost of spaCy's
    tokenizer (which alone takes most of the per-post budget).
    """

    def __init__(self) -> None:
        def alternatives(titles: tuple[str, ...]) -> str:
            ordered = sorted(set(titles), key=len, reverse=True)  # the longest title at a position wins
            return "|".join(r"\s+".join(map(re.escape, title.split())) for title in ordered)

        # No look-behind in the patterns: it would be tried at every position, while a pattern that starts with
        # literals is only tried where one of them starts. Word starts are checked on the few matches instead.
        after = f"(?![{_WORD_CHAR}])"
        self._exact = re.compile(rf"(?:{alternatives((*OFFICES_HI, *OFFICE_ACRONYMS))}){after}")
        self._english = re.compile(rf"(?:{alternatives(OFFICES_EN)}){after}", re.IGNORECASE)
        # A case-insensitive alternation is slow in Python's re and most texts hold no English title, so those
        # are only searched for when the lower-cased text contains one of their first words.
        starts = sorted({title.split()[0].split("-")[0] for title in OFFICES_EN})
        self._english_hint = re.compile("|".join(map(re.escape, starts)))

    def find(self, text: str) -> list[Entity]:
        """OFFICE entities of one text, with offsets into it (the longest title wins where two overlap)."""
        return [Entity(text=match.group(0), label="OFFICE", start=match.start(), end=match.end())
                for match in self.matches(text)]

    def matches(self, text: str) -> list[re.Match[str]]:
        """The matches of ``find``'s entities, in text order."""
        found = list(self._exact.finditer(text))
        if self._english_hint.search(text.lower()):
            found.extend(self._english.finditer(text))
            found.sort(key=lambda match: (match.start(), -match.end()))
        kept: list[re.Match[str]] = []
        for match in found:
            start = match.start()
            if (start and _WORD_CHAR_RE.match(text, start - 1)) or (kept and start < kept[-1].end()):
                continue
            kept.append(match)
        return kept


class OfficeMatcher:
    """spaCy component: the ``OfficeRules`` matches that fall on token boundaries become OFFICE entities, placed
    before the NER so that it labels the names around them ("उपायुक्त [अजय कुमार]")."""

    def __init__(self, nlp: spacy.Language) -> None:
        self.rules = OfficeRules()

    def __call__(self, doc: Doc) -> Doc:
        return self.mark(doc, doc.text)

    def mark(self, doc: Doc, text: str) -> Doc:
        """The component's work on a doc whose text is ``text`` (given, as ``doc.text`` rebuilds it token by
        token)."""
        spans = [doc.char_span(m.start(), m.end(), label="OFFICE") for m in self.rules.matches(text)]
        spans = [span for span in spans if span is not None]  # a title glued to other letters is no title
        if spans:
            doc.set_ents(spans, default="unmodified")
        return doc


OFFICE_PIPE = "janmat_offices"


@Language.factory(OFFICE_PIPE)
def make_office_matcher(nlp: spacy.Language, name: str) -> OfficeMatcher:
    """spaCy factory for the office matcher (placed before the NER, which then labels the names around it)."""
    return OfficeMatcher(nlp)


def _head(text: str) -> str:
    """The first ``MAX_NER_CHARS`` characters, cut back to a word boundary."""
    if len(text) <= MAX_NER_CHARS:
        return text
    head = text[:MAX_NER_CHARS]
    return _LAST_SPACE.sub("", head) or head


class EntityTagger:
    """Finds PERSON, ORG, PLACE and OFFICE spans; offsets index into the texts as given."""

    def __init__(self, nlp: spacy.Language) -> None:
        self.nlp = nlp
        self.office_rules = OfficeRules()

    def tag(self, texts: Sequence[str]) -> list[list[Entity]]:
        """Entities of each text (only its first ``MAX_NER_CHARS`` characters are read).

        The NER was trained on Devanagari Hindi only, so Latin-script texts (English, Hinglish) get the office
        rules alone: a Hindi model's guesses on English would be noise. Short texts get the rules alone too
        (``uses_ner``).
        """
        return self.tag_read(texts)[0]

    def tag_read(self, texts: Sequence[str]) -> tuple[list[list[Entity]], list[bool]]:
        """``tag``, and for each text whether the NER read it (``uses_ner``)."""
        heads = [_head(text or "") for text in texts]
        read = [_reads(text or "", head) for text, head in zip(texts, heads, strict=True)]
        found: list[list[Entity] | None] = [None] * len(heads)
        at = [i for i, ner in enumerate(read) if ner]
        for i, doc in zip(at, self._pipe([heads[i] for i in at]), strict=True):
            found[i] = _entities(doc)
        return [entities if entities is not None else self.office_rules.find(heads[i])
                for i, entities in enumerate(found)], read

    def _pipe(self, texts: list[str]) -> Iterator[Doc]:
        """``self.nlp.pipe(texts)``. The office matcher is given each text with its doc, before the other
        components (none of which reads entities before the NER), instead of rebuilding it from the doc."""
        if OFFICE_PIPE not in self.nlp.pipe_names:
            return self.nlp.pipe(texts, batch_size=_BATCH_SIZE)
        office = self.nlp.get_pipe(OFFICE_PIPE)
        docs = [office.mark(self.nlp.make_doc(text), text) for text in texts]
        return self.nlp.pipe(docs, batch_size=_BATCH_SIZE, disable=[OFFICE_PIPE])


def uses_ner(text: str) -> bool:
    """Whether the statistical NER reads a text: Devanagari and longer than its reading window (``NER_MIN_CHARS``)."""
    return _reads(text, _head(text))


def _reads(text: str, head: str) -> bool:
    """``uses_ner`` for a text whose head (``_head``) is already cut."""
    return len(text) > NER_MIN_CHARS and _is_devanagari(head)


def _is_devanagari(text: str) -> bool:
    return len(_DEVANAGARI.findall(text)) >= len(_LATIN.findall(text)) and bool(text.strip())


def _entities(doc: Doc) -> list[Entity]:
    return [
        Entity(text=ent.text, label=ent.label_, start=ent.start_char, end=ent.end_char)
        for ent in doc.ents
        if ent.label_ in ("PERSON", "ORG", "PLACE", "OFFICE")
    ]


class EntityModelMissingError(MissingModelError):
    """The trained entity model is not where Janmat looks for it."""


@lru_cache(maxsize=2)
def load_entity_tagger(path: Path | str | None = None) -> EntityTagger:
    """The committed NER pipeline (``nlp/models/entities``) plus office rules, loaded once per process."""
    target = Path(path) if path is not None else ENTITY_MODEL_DIR
    if not (target / "config.cfg").exists():
        raise EntityModelMissingError(
            f"entity model not found at {target}; rebuild it with `python -m nlp.train_entities --data SHARED_DATA` "
            f"(नाम पहचान मॉडल नहीं मिला)"
        )
    nlp = spacy.load(target)
    nlp.add_pipe(OFFICE_PIPE, before="ner")
    log.debug("loaded entity model from %s", target)
    return EntityTagger(nlp)


@register_tagger("entities")
class EntitiesComponent(BatchModelTagger):
    """Sets ``entities`` once per batch; reads ``districts``: a text the NER does not read (a short post) also gets
    a PLACE for each district found in it, so a post still names its places."""

    assigns: ClassVar[tuple[str, ...]] = ("entities",)
    requires: ClassVar[tuple[str, ...]] = ("districts",)

    def __init__(self, model: str | None = None) -> None:
        """``model``: a spaCy model folder instead of the committed one."""
        self.tagger = load_entity_tagger(model)

    def predict(self, mentions: list[Mention]) -> list[list[Entity]]:
        """The entities of each mention's text."""
        found, read = self.tagger.tag_read([m.text for m in mentions])
        for i, (mention, ner) in enumerate(zip(mentions, read, strict=True)):
            if mention.districts and not ner:
                found[i] = _with_places(found[i], mention)
        return found

    @staticmethod
    def columns(mention: Mention) -> dict[str, Any]:
        """None: entities are not part of a ``janmat tag`` row."""
        return {}


def _with_places(entities: list[Entity], mention: Mention) -> list[Entity]:
    """``entities`` plus a PLACE for each district evidence span in the text that no entity overlaps."""
    spans = [(e.start, e.end) for e in entities]
    places = []
    for tag in mention.districts:
        for evidence in tag.evidence:
            if evidence.field == "text" and all(evidence.end <= s or evidence.start >= e for s, e in spans):
                places.append(Entity(text=evidence.text, label="PLACE", start=evidence.start, end=evidence.end))
                spans.append((evidence.start, evidence.end))
    return sorted([*entities, *places], key=lambda entity: entity.start) if places else entities


__all__ = [
    "NER_MIN_CHARS", "EntitiesComponent", "EntityModelMissingError", "EntityTagger", "OfficeMatcher",
    "OfficeRules", "load_entity_tagger", "uses_ner",
]
