"""Numbers with their units, as the text gives them: "over two million residents", "since 2007", "300 trucks a day".

A figure is a number (digits, or number words such as "two million"),
an optional qualifier before it ("over", "about", "at least") and the
unit word after it ("residents", "trucks a day", "per cent"); a year is a
four-digit number from 1900 to 2099 with the word before it ("since 2007").
Each figure keeps the words it was read from, so that a person can check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
               "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
               "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
               "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1,
               "a dozen": 12, "dozens of": 24, "hundreds of": 200, "thousands of": 2000}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1e12}
QUALIFIERS = ("more than", "over", "about", "around", "nearly", "almost", "at least", "up to", "some", "roughly",
              "fewer than", "less than", "at most", "approximately", "an estimated", "as many as", "only")
MULTIWORD_UNITS = ("nautical miles", "cubic metres", "cubic meters", "billion cubic metres", "square kilometres",
                   "square kilometers", "per cent", "percentage points", "truckloads of aid", "trucks of aid")
RATES = ("a day", "per day", "each day", "daily", "a week", "per week", "a month", "per month", "a year", "per year",
         "an hour", "per hour")
MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"})
"""A number before a month is a date ("3 May"), not a quantity."""
NOT_UNITS = frozenset({"of", "the", "and", "or", "to", "in", "on", "at", "for", "by", "with", "from", "as", "is",
                       "are", "was", "were", "have", "has", "had", "will", "would", "a", "an", "that", "which", "who"})
YEAR_WORDS = ("since", "in", "from", "until", "till", "by", "before", "after", "of", "the", "early", "late", "mid")

_NUMBER_WORD = "|".join(sorted((re.escape(w) for w in UNITS_WORDS if w != "a"), key=len, reverse=True))
_SCALE = "|".join(SCALES)
_QUALIFIER = "|".join(re.escape(q) for q in QUALIFIERS)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = (
    rf"(?P<currency>US\$|\$|€|£)?(?P<number>{_DIGITS}|(?:{_NUMBER_WORD})(?:[- ](?:{_NUMBER_WORD}))?|a)"
    rf"(?:\s+(?P<scale>{_SCALE}))?(?P<percent>%)?"
)
FIGURE = re.compile(
    rf"(?<![\w$€£.,])(?:(?P<qualifier>{_QUALIFIER})\s+)?{_AMOUNT}(?![\w,]*\d)(?P<rest>(?:\s+[A-Za-z][\w'-]*){{0,4}})",
    re.IGNORECASE,
)
YEAR = re.compile(rf"\b(?P<word>{'|'.join(YEAR_WORDS)})\s+(?P<year>(?:19|20)\d\d)\b(?!\s*(?:%|per|million|people|troops))", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """A number the text gives, with its unit and the words it came from."""

    value: float
    unit: str
    qualifier: str
    words: str
    sentence: int

    def to_dict(self) -> dict:
        return {"value": self.value, "unit": self.unit, "qualifier": self.qualifier, "words": self.words}

    def in_words(self) -> str:
        if self.unit == "year":
            return f'{self.qualifier} {self.value:.0f} ("{self.words}")'.strip()
        value = f"{self.value:,.0f}" if float(self.value).is_integer() else f"{self.value:,g}"
        text = " ".join(part for part in (self.qualifier, value, self.unit) if part)
        return f'{text} ("{self.words}")'


def _number(text: str) -> float | None:
    text = text.lower().replace(",", "")
    try:
        return float(text)
    except ValueError:
        pass
    total = 0
    for part in re.split(r"[- ]", text):
        if part not in UNITS_WORDS:
            return None
        total += UNITS_WORDS[part]
    return float(total)


def _unit(rest: str, percent: bool) -> str:
    if percent:
        return "per cent"
    words = rest.split()
    lowered = " ".join(words).lower()
    for unit in MULTIWORD_UNITS:
        if lowered.startswith(unit):
            tail = lowered[len(unit):].strip()
            rate = next((r for r in RATES if tail.startswith(r)), "")
            return f"{unit} {rate}".strip()
    if not words or words[0].lower() in NOT_UNITS | MONTHS or not words[0].isalpha() and "-" not in words[0]:
        return ""
    unit = words[0].lower()
    tail = " ".join(words[1:]).lower()
    rate = next((r for r in RATES if tail.startswith(r)), "")
    if not rate and tail.startswith("of ") and len(words) > 2 and words[2].lower() not in NOT_UNITS:
        unit = f"{unit} of {words[2].lower()}"  # "trucks of aid"
        rate = next((r for r in RATES if " ".join(words[3:]).lower().startswith(r)), "")
    return f"{unit} {rate}".strip()


def figures(sentences: list[str]) -> list[Figure]:
    """Every figure in the sentences, in order, each tagged with its sentence's index."""
    found: list[Figure] = []
    for index, sentence in enumerate(sentences):
        years = []
        for match in YEAR.finditer(sentence):
            years.append(match.span("year"))
            qualifier = match["word"].lower() if match["word"].lower() in ("since", "until", "till", "before", "after", "from", "by") else "in"
            found.append(Figure(float(match["year"]), "year", qualifier, match.group(0), index))
        for match in FIGURE.finditer(sentence):
            if any(start <= match.start("number") < end for start, end in years) or match["number"].lower() == "a" and not match["scale"]:
                continue
            value = _number(match["number"])
            if value is None:
                continue
            if match["scale"]:
                value *= SCALES[match["scale"].lower()]
            unit = _unit(match["rest"], bool(match["percent"]))
            if match["currency"]:
                unit = f"{match['currency']} {unit}".strip()
            if not unit or (1900 <= value <= 2099 and not match["scale"] and unit in ("", "year")):
                continue
            words = match.group(0).strip()
            rest_words = match["rest"].split()
            used = 0 if match["percent"] else len(unit.split()) - (1 if match["currency"] else 0)
            words = sentence[match.start() : match.start("rest")] + " " + " ".join(rest_words[:used])
            found.append(Figure(value, unit, (match["qualifier"] or "").lower(), " ".join(words.split()), index))
    return found
