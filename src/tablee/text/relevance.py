"""Which people of my circle a pasted text is for: a bilingual (French/English) relevance scorer.

Plain Python, no Django, no downloaded model. A text and each contact become bags of terms:
normalised (casefold, accents stripped), stop words dropped, lightly stemmed, and mapped through a
small bilingual table of the domains our members work in, so « financement » and "funding" meet.
Contacts are scored with BM25 over weighted fields (what they need counts most, then their
interests, my notes about them, their organization and sector), plus a little character-trigram
similarity so spelling variants and words the tables do not know still count.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import numpy as np

FIELD_WEIGHTS = {"needs": 3.0, "interests": 2.0, "notes": 1.5, "organization": 1.0, "sector": 1.0}
K1 = 1.2
B = 0.5
TRIGRAM_WEIGHT = 2.0

_STOP_WORDS = """
a au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les leur leurs lui ma
mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi
ton tu un une vos votre vous c d j l m n s t y ete etre avoir ai as avons avez ont est sont etait sera
fait faire plus moins tres tout tous toute toutes aussi comme donc ici la-bas cela ca ceci celle celui
ceux si sans sous entre vers chez depuis pendant avant apres alors encore deja bien peu beaucoup autre
autres quel quelle quels quelles dont lorsque quand comment pourquoi ainsi car puis selon voici voila
nouveau nouvelle nouveaux nouvelles cherche cherchent recherche besoin veut voudrait aimerait
lire article lien texte voir ici partage
the of and or to in on for with by at from as is are was were be been being it its this that these
those an not no but if then so than too very can could will would should may might must do does did has
have had having he she they them their his her our we you your i me my who whom which what when where
why how all any some such only own same other more most new about into over after before between out up
down off again further once here there both each few many much just also via per looking look seeks
seeking needs need wants want read article link text see share
quebec canada montreal entreprise entreprises business businesses company companies
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

# Each row is one idea; any word on a row is read as the row's first word. Words are written
# normalised (no accents) and are stemmed when the table is loaded, like the texts.
# General words of our members' domains only. The 63 rows once added while reading the ranking
# fixtures (each linking a test text to its expected contact) were taken out (issue 15): they live in
# tests/app/journey/data/ranking_fitted_synonyms.txt, where the tests report the in-sample figure.
SYNONYMS = """
financement funding financing fund funds financer finance capital investisseur investisseurs investor investors investissement investment pret loan bailleur
subvention subventions grant grants subsidy subsidies
comptabilite accounting comptable accountant bookkeeping tenue livres
fiscalite tax taxes impot impots fiscal fiscale
recrutement hiring recruit recruiting recruitment embauche embaucher talent talents personnel staffing
mentorat mentoring mentor mentore coaching coach accompagnement
exportation export exports exporting international
marketing mercatique publicite advertising promotion
cybersecurite cybersecurity securite security piratage hacking rancongiciel ransomware
intelligence ai ia artificielle artificial apprentissage machine learning
donnees data analytics analytique
logiciel software application applications app apps
infonuagique cloud nuage
sante health medical medicale clinique clinic soins care
mental mentale psychologique wellbeing bien-etre stress epuisement burnout
immobilier real estate property proprietes locatif
juridique legal avocat lawyer droit law contrat contracts contract
construction chantier batiment batiments building buildings renovation renover renovate renovates
energie energy energetique solaire solar renewable renouvelable carbone carbon climat climate
durable sustainable sustainability environnement environment vert green
education ecole school enseignement teaching formation training cours course
design graphisme graphic identite branding brand marque
video film cinema production
photographie photography photo photos
evenement event events evenements conference congres festival
benevolat volunteer volunteering benevole communautaire community nonprofit osbl
agriculture agricole farm farming ferme agroalimentaire food alimentaire
restaurant restauration cuisine cooking chef gastronomie
velo cycling bike bicycle
randonnee hiking hike plein air outdoor
jazz musique music concert
lecture reading livres books roman
hockey sport sports
vente ventes sales vendre selling
leadership gestion management gestionnaire manager direction
transfert succession releve repreneur
demarrage startup startups jeune pousse entrepreneur entrepreneuriat entrepreneurship
tourisme tourism voyage travel
manufacturier manufacturing usine factory industriel industrial production
commerce retail boutique detail ecommerce
efficacite efficiency efficace efficient
commercial commerciaux commerciale commerciales
""".strip().splitlines()

# Longest first. Several pairs fold French and English cognates together: -ité/-ity,
# -ie/-y, -ique/-ic, -iser/-ize, -isme/-ism, -iste/-ist.
_SUFFIXES = tuple(sorted({
    "issements", "issement", "ements", "ement", "ations", "ation", "itions", "ition", "ions", "ion",
    "iques", "ique", "ical", "ics", "ic", "ites", "ite", "ities", "ity", "ismes", "isme", "isms", "ism",
    "istes", "iste", "ists", "ist", "iser", "ise", "ises", "izes", "ize", "ings", "ing", "ers", "eurs",
    "euses", "euse", "eur", "ors", "or", "ives", "ive", "ifs", "if", "ness", "ment", "ent", "ies", "ie",
    "ied", "ed", "es", "er", "e", "s", "y",
}, key=len, reverse=True))


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", plain.replace("'", " ").replace("’", " ")).strip()


def stem(word: str) -> str:
    """A light French/English stemmer: strip one common suffix, keep at least four letters."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@cache
def _synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    for row in SYNONYMS:
        words = row.split()
        head = stem(words[0])
        for word in words:
            table.setdefault(stem(word), head)
    return table


def terms(text: str) -> list[str]:
    """The text as a list of canonical terms (stop words dropped, stemmed, synonyms folded)."""
    table = _synonyms()
    out = []
    for word in normalise(text).split():
        if word in STOP_WORDS or len(word) < 2 or word.isdigit():
            continue
        root = stem(word)
        out.append(table.get(root, root))
    return out


def _trigrams(text: str) -> Counter:
    grams: Counter = Counter()
    for word in normalise(text).split():
        if word in STOP_WORDS or len(word) < 3:
            continue
        padded = f" {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


@dataclass
class Candidate:
    """One person of the circle as the scorer sees them. ``fields`` maps a field name to its text."""

    id: int
    name: str
    fields: dict[str, str]
    _weighted: Counter = field(default_factory=Counter, repr=False)
    _origin: dict[str, str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Suggestion:
    id: int
    name: str
    score: float
    # What matched, by field: {"needs": ["financement"], "notes": ["export"]} with the contact's words.
    matched: dict[str, list[str]]


def _prepare(candidate: Candidate) -> None:
    weighted: Counter = Counter()
    origin: dict[str, str] = {}
    for name, text in candidate.fields.items():
        weight = FIELD_WEIGHTS.get(name, 1.0)
        # Needs and interests are short phrases separated by ";": the phrase is what a person reads.
        items = [i.strip() for i in text.split(";")] if name in ("needs", "interests") else [text]
        for item in items:
            for original in re.findall(r"\w+", item):
                word = normalise(original)
                if word in STOP_WORDS or len(word) < 2 or " " in word:
                    continue
                term = terms(word)
                if not term:
                    continue
                weighted[term[0]] += weight
                # Remember the field of highest weight a term came from, and the contact's own words.
                if term[0] not in origin or FIELD_WEIGHTS.get(origin[term[0]].split(":")[0], 1.0) < weight:
                    shown = item if name in ("needs", "interests") else original
                    origin[term[0]] = f"{name}:{shown}"
    candidate._weighted = weighted
    candidate._origin = origin


class LexicalIndex:
    """The candidates prepared once (terms, weights, document frequencies, postings), so that a text is
    scored by touching only the candidates that share a term with it. A member's circle keeps one in
    its cache (`tablee.circle.matrix`); ``rank`` builds one for a single call."""

    def __init__(self, candidates: list[Candidate]) -> None:
        for candidate in candidates:
            _prepare(candidate)
        self.candidates = candidates
        self.lengths = [sum(c._weighted.values()) for c in candidates]
        self.average = (sum(self.lengths) / len(candidates) if candidates else 0.0) or 1.0
        self.postings: dict[str, list[int]] = {}
        for k, candidate in enumerate(candidates):
            for term in candidate._weighted:
                self.postings.setdefault(term, []).append(k)
        # Every candidate's trigrams as one sparse matrix (row k: gram ids and counts), so that the
        # trigram cosines of the matched candidates are a few numpy operations, exact in integers.
        self.gram_ids: dict[str, int] = {}
        ids: list[int] = []
        counts: list[int] = []
        self.indptr = np.zeros(len(candidates) + 1, dtype=np.int64)
        for k, candidate in enumerate(candidates):
            for gram, n in _trigrams(" ".join(candidate.fields.values())).items():
                ids.append(self.gram_ids.setdefault(gram, len(self.gram_ids)))
                counts.append(n)
            self.indptr[k + 1] = len(ids)
        self.ids = np.array(ids, dtype=np.int64)
        self.counts = np.array(counts, dtype=np.float64)
        owner = np.repeat(np.arange(len(candidates)), np.diff(self.indptr))
        self.norms = np.sqrt(np.bincount(owner, weights=self.counts**2, minlength=len(candidates)))

    def trigram_cosines(self, text: str, rows: np.ndarray) -> np.ndarray:
        """The character-trigram cosine between ``text`` and each candidate of ``rows``."""
        grams = _trigrams(text)
        out = np.zeros(len(rows))
        known = {self.gram_ids[g]: n for g, n in grams.items() if g in self.gram_ids}
        query_norm = math.sqrt(sum(n * n for n in grams.values()))
        if not known or not len(rows):
            return out
        dense = np.zeros(len(self.gram_ids))
        dense[list(known)] = list(known.values())
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lengths = ends - starts
        keep = (lengths > 0) & (self.norms[rows] > 0) if query_norm else np.zeros(len(rows), dtype=bool)
        if not keep.any():
            return out
        flat = np.repeat(starts[keep] - np.cumsum(lengths[keep]) + lengths[keep], lengths[keep]) + np.arange(
            lengths[keep].sum())
        segment = np.repeat(np.arange(int(keep.sum())), lengths[keep])
        dots = np.bincount(segment, weights=self.counts[flat] * dense[self.ids[flat]], minlength=int(keep.sum()))
        out[keep] = dots / (query_norm * self.norms[rows[keep]])
        return out

    def rank(self, text: str, *, limit: int = 3) -> list[Suggestion]:
        """The ``limit`` candidates the text is most relevant to, best first; those with no match left out."""
        query = Counter(terms(text))
        if not query or not self.candidates:
            return []
        count = len(self.candidates)
        totals: dict[int, float] = {}
        matched: dict[int, dict[str, list[str]]] = {}
        for term, query_count in query.items():
            found = self.postings.get(term, [])
            if not found:
                continue
            idf = math.log(1 + (count - len(found) + 0.5) / (len(found) + 0.5))
            for k in found:
                candidate = self.candidates[k]
                tf = candidate._weighted[term]
                saturation = tf * (K1 + 1) / (tf + K1 * (1 - B + B * self.lengths[k] / self.average))
                totals[k] = totals.get(k, 0.0) + idf * saturation * (1 + math.log(query_count))
                name, word = candidate._origin[term].split(":", 1)
                matched.setdefault(k, {}).setdefault(name, []).append(word)
        rows = np.array([k for k, score in totals.items() if score], dtype=np.int64)
        cosines = self.trigram_cosines(text, rows)
        scored = []
        for k, cosine in zip(rows.tolist(), cosines.tolist(), strict=True):
            candidate = self.candidates[k]
            score = totals[k] + TRIGRAM_WEIGHT * cosine
            scored.append(Suggestion(id=candidate.id, name=candidate.name, score=round(score, 3), matched=matched[k]))
        scored.sort(key=lambda s: (-s.score, s.name, s.id))
        return scored[:limit]


def rank(text: str, candidates: list[Candidate], *, limit: int = 3) -> list[Suggestion]:
    """The ``limit`` candidates the text is most relevant to, best first; those with no match left out."""
    if not candidates:
        return []
    return LexicalIndex(candidates).rank(text, limit=limit)
