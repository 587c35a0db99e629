"""
People in copy: full names found in runs of capitalised words ("Russian President Vladimir
Putin" → "Vladimir Putin"), never places, organisations, programmes or weekdays; the role the
copy gives them ("Kremlin spokesperson"); and every later mention by full name or alias.
"""

import re
from dataclasses import dataclass

from ingest.sentences import Token, joined, tokens
from ingest.vocabulary import (
    ABBREVIATIONS,
    FEMININE_WORDS,
    FUNCTION_WORDS,
    MASCULINE_WORDS,
    NAME_MODIFIER_NOUNS,
    NOT_NAME_WORDS,
    ORGANISATION_WORDS,
    PORTFOLIO_WORDS,
    ROLE_MODIFIERS,
    ROLE_NOUNS,
    SENTENCE_OPENERS,
    SPEECH_VERBS,
    TEMPORAL_WORDS,
    TITLE_WORDS,
    VERB_WORDS,
)

PARTICLES = frozenset("von van der den de da di du del della le la bin ibn al el ter ten dos das".split())
SUFFIXES = frozenset("Jr Sr II III IV".split())
HONORIFICS = frozenset("Mr Mrs Ms Miss Mx Dr Sir Dame Mr. Mrs. Ms. Dr.".split())
POSTNOMINALS = frozenset("QC KC MP MBE OBE CBE PhD MD".split())
DETERMINERS_BEFORE = frozenset("a an the his her its their our my your this that".split())
# A name before one of these is a place or a group's label: "Fairfield Glade firefighters", "Lame Deer town".
GROUP_NOUNS = NAME_MODIFIER_NOUNS | frozenset(
    "town city village county community area region district firefighters residents police magazine "
    "newspaper paper website band show programme podcast film company firm club".split()
)
_AGE_WORD = re.compile(r"^[\w-]+-year-old$", re.IGNORECASE)
# A name right after one of these is usually a place: "in Buenos Aires", "near Santa Fe".
LOCATIVES = frozenset("in at near outside inside across into throughout around within towards toward".split())
MAX_ROLE_TOKENS = 8
ROLE_LOOK_BEHIND = 160  # characters; a role of MAX_ROLE_TOKENS words fits
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass(frozen=True)
class NameRun:
    """Capitalised words in a row, as a candidate name with the title words before it."""

    start: int  # where the name proper starts (after any title words)
    end: int
    name: str
    possessive: bool
    lead: str = ""  # the title words, age or organisation before the name ("Judge", "AFP Commissioner")


def _is_name_token(token: Token, position: int, count: int) -> bool:
    if token.text in PARTICLES or _is_prefixed_surname(token):
        return 0 < position < count - 1 or _is_prefixed_surname(token)
    word = _POSSESSIVE.sub("", token.text)
    if not word or not word[0].isupper() or any(char.isdigit() for char in word) or "." in word:
        return False
    if len(word) == 1:
        return position < count - 1  # an initial: "George W. Bush"
    if word.isupper():
        # Initials open a name ("JD Vance"); an acronym ("NATO", "NBC") is not a name.
        return position == 0 and len(word) <= 3 and count > 1
    return True


def name_runs(text: str, start: int, end: int) -> list[NameRun]:
    """Candidate full names between ``start`` and ``end`` (titles and sentence openers removed)."""
    runs = []
    current: list[Token] = []

    def flush():
        if current:
            # "Said Foster:" opening a sentence is an inverted attribution, not a man called Said.
            opens = not re.search(r"\w", text[start : current[0].start])
            if opens and len(current) > 2 and current[0].lower in SPEECH_VERBS:
                current.pop(0)
            run = _name_from_run(text, list(current))
            if run:
                runs.append(run)
            current.clear()

    for token in tokens(text, start, end):
        joins = False
        if current:
            gap = text[current[-1].end : token.start]
            previous = current[-1]
            joins = (gap == " " or (gap == ". " and len(previous.text) == 1)) and not _POSSESSIVE.search(
                previous.text
            )
        if token.is_capitalized or (current and token.text in PARTICLES) or _is_prefixed_surname(token):
            if not joins:
                flush()
            current.append(token)
        else:
            flush()
    flush()
    return runs


def _is_prefixed_surname(token: Token) -> bool:
    """al-Assad, el-Sisi: a lower-case particle joined to a capitalised name."""
    head, _, tail = token.text.partition("-")
    return head in PARTICLES and tail[:1].isupper()


def _name_from_run(text: str, run: list[Token]) -> NameRun | None:
    while run and run[-1].text in PARTICLES:
        run.pop()
    while run and run[0].text in SENTENCE_OPENERS:
        run.pop(0)
    while len(run) > 2 and run[-1].text in POSTNOMINALS:
        run.pop()  # "Alan Wilson QC"
    # Title words, qualifiers, ages and organisations before the name belong to the role.
    last_title = -1
    for index, token in enumerate(run[:-1]):
        word = token.text.rstrip(".")
        if (
            word in TITLE_WORDS
            or word in ROLE_MODIFIERS
            or word in ORGANISATION_WORDS
            or word in PORTFOLIO_WORDS
            or "." in token.text
            or _AGE_WORD.match(word)
        ):
            last_title = index
        elif word.lower() in ROLE_NOUNS and index < len(run) - 2:
            last_title = index  # "Owner Susan Pike", but "Dean Smith" keeps his first name
    name_tokens = run[last_title + 1 :]
    if not name_tokens:
        return None
    possessive = bool(_POSSESSIVE.search(name_tokens[-1].text))
    start = name_tokens[0].start
    end = name_tokens[-1].end - (2 if possessive else 0)
    name = text[start:end]
    if start == 0 and name_tokens[0].text.isupper() and len(name_tokens) > 1:
        # Capitals opening the copy ("KEIR Starmer") are a first name, not an acronym.
        name = name_tokens[0].text.capitalize() + name[len(name_tokens[0].text) :]
    lead = text[run[0].start : start].strip() if last_title >= 0 else ""
    return NameRun(start, end, name, possessive, lead)


def is_full_name(text: str, run: NameRun) -> bool:
    """
    Two to four name words, none of them a place, organisation, weekday or number word, written
    where a person's name can stand (not "the Chalky Fire", "Director of Public Prosecutions").
    """
    run_tokens = tokens(text, run.start, run.end)
    if run.start == 0 and run.name != text[run.start : run.end]:
        run_tokens = tokens(run.name)  # capitals opening the copy: "KEIR Starmer"
    if not all(_is_name_token(token, index, len(run_tokens)) for index, token in enumerate(run_tokens)):
        return False
    proper = [token.text for token in run_tokens if token.text not in PARTICLES]
    if not 2 <= len(proper) <= 4:
        return False
    if any(word in NOT_NAME_WORDS or word in SENTENCE_OPENERS for word in proper):
        return False
    lead = run.lead.split()
    if lead and lead[-1] in ORGANISATION_WORDS and lead[-1] not in TITLE_WORDS | ROLE_MODIFIERS:
        return False  # "Hospital Consumer Assessment": an organisation's name goes on
    if proper[-1] in TITLE_WORDS and (proper[0].isupper() or proper[0].rstrip("s") in TITLE_WORDS):
        return False  # "AFP Commissioner", "Attorneys General": a title alone
    lead_start = run.start - len(run.lead) - (1 if run.lead else 0)
    before = re.findall(r"[\w.'’]+", text[max(0, lead_start - 40) : lead_start])[-2:]
    if before and (before[-1] in LOCATIVES or before[-1].isdigit()) and not run.possessive:
        return False  # "in Buenos Aires", "145 Hiram Industrial Dr"
    if before and before[-1].lower() in DETERMINERS_BEFORE and not run.lead:
        return False  # "the De Xin Hai", "his Small Town Murder podcast"
    if (
        len(before) == 2
        and before[1] == "of"
        and not run.lead
        and (before[0][0].isupper() or before[0] in GROUP_NOUNS)
    ):
        return False  # "Director of Public Prosecutions", "the town of Lame Deer"
    after = text[run.end : run.end + 40]
    if re.match(r"(?:['’]s?)?\s+[A-Z]", after) and (run.possessive or after[:1] in "'’"):
        return False  # "Jaguar Financial's Vic Alboini", "Backstreet Boys’ Brian Littrell"
    following = re.match(r"\s+([a-z]+)", after)
    return not (following and following.group(1) in GROUP_NOUNS)


def surname(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[-1].rstrip(".,") in SUFFIXES:
        words.pop()
    for index, word in enumerate(words[1:], start=1):
        if word in PARTICLES:
            return " ".join(words[index:])
    return words[-1]


# -- roles ------------------------------------------------------------------------------------------


def _is_role_head(word: str) -> bool:
    bare = word.rstrip(".")
    return (bare.lower() in ROLE_NOUNS or bare in TITLE_WORDS) and word not in HONORIFICS


def _is_agent_noun(word: str) -> bool:
    """A job named by its suffix ("boat builder", "local hiker"): trusted only with a word before it."""
    return word.isalpha() and word.islower() and len(word) > 4 and word.endswith(_AGENT_SUFFIXES)


def role_before(text: str, position: int, floor: int) -> tuple[int, str]:
    """
    The role written right before ``position`` ("Kremlin spokesperson", "Secretary of State"),
    not reaching back past ``floor``; returns (where it starts, the role), or (position, "").
    """
    before = tokens(text, max(floor, position - ROLE_LOOK_BEHIND), position)
    collected: list[Token] = []
    pending_of: Token | None = None
    cursor = position
    for token in reversed(before):
        gap = text[token.end : cursor]
        abbreviated = "." in token.text or token.text.lower() in ABBREVIATIONS  # "U.S.", "Sen."
        if not joined(text, token, cursor) and not (gap.strip() == "." and abbreviated):
            break
        word = token.text
        lower = word.lower()
        if not collected:
            if not (_is_role_head(word) or _is_agent_noun(word)) or lower in FUNCTION_WORDS | VERB_WORDS:
                break
        elif lower in ("of", "for") and pending_of is None:
            pending_of = token
            cursor = token.start
            continue
        elif lower in FUNCTION_WORDS or lower in VERB_WORDS or lower in SPEECH_VERBS:
            break
        elif word[0].islower() and (lower.endswith("ed") or not word.isalpha()) and "-" not in word:
            break
        elif word[0].isupper() and (word in SENTENCE_OPENERS or word in TEMPORAL_WORDS):
            break  # "However", "On Monday": the sentence, not the role
        if pending_of is not None:
            if not _is_role_head(word):
                break
            collected.append(pending_of)
            pending_of = None
        collected.append(token)
        cursor = token.start
        if len(collected) >= MAX_ROLE_TOKENS:
            break
    if not collected or (len(collected) == 1 and not _is_role_head(collected[0].text)):
        return position, ""
    start = collected[-1].start
    role = text[start : collected[0].end]
    if collected[0].end < position and text[collected[0].end] == ".":
        role += "."  # an abbreviated title keeps its full stop: "Gen."
    words = role.split()
    while words and words[0].rstrip(".") in HONORIFICS:
        words.pop(0)
    return start, " ".join(words)


_APPOSITIVE = re.compile(r",\s*(?P<phrase>[^,;:()\"“”‘]+?)\s*(?:,|(?=[.;]?\s*$))")
_FORMER = re.compile(
    r"^who\s+(?:resigned|stepped\s+down|retired|left|quit|served)\b.*?\bas\s+(?:the\s+|a\s+|an\s+)?(?P<role>.+)$"
)
_CURRENT = re.compile(
    r"^who\s+(?:is|serves\s+as|works\s+as|was\s+named|was\s+appointed|was\s+elected)\s+"
    r"(?:the\s+|a\s+|an\s+)?(?P<role>.+)$"
)
# "Lena Ostrova, who chairs the finance committee," → "Chair of the finance committee".
_LEADS = re.compile(r"^who\s+(?P<verb>chairs|heads|leads|runs|directs|coaches|owns|founded)\s+(?P<rest>.+)$")
_LEADER = {"chairs": "chair", "heads": "head", "leads": "head", "runs": "head", "directs": "director"}
_LEADER |= {"coaches": "coach", "owns": "owner", "founded": "founder"}
_AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent")
_RELATIVE_CLAUSE = re.compile(r"\s+(?:who|whom|whose|which|that)\s+")
_ARTICLE_ROLE = re.compile(r"^(?:the|a|an)\s+(?P<role>.+)$")


def appositive_after(text: str, position: int, ceiling: int) -> tuple[int, str]:
    """
    A phrase set off by commas after a name ("Bridget Brink, who resigned … as the U.S.
    ambassador to Ukraine, said"): returns (where it ends, the role it gives) or (position, "").
    """
    match = _APPOSITIVE.match(text[position : min(ceiling, position + 200)])
    if not match:
        return position, ""
    phrase = match.group("phrase").strip()
    end = position + match.end()
    words = phrase.split()
    if not words or len(words) > 14:
        return position, ""
    for pattern, former in ((_FORMER, True), (_CURRENT, False), (_ARTICLE_ROLE, False)):
        found = pattern.match(phrase)
        if found and any(_is_role_head(word.strip(".,")) for word in found.group("role").split()):
            # "a science teacher who has worked at the school since 2009" → "science teacher"
            role = _RELATIVE_CLAUSE.split(found.group("role"), maxsplit=1)[0].strip()
            return end, ("Former " + role) if former else role
    if leads := _LEADS.match(phrase):
        return end, f"{_LEADER[leads['verb']]} of {_RELATIVE_CLAUSE.split(leads['rest'], maxsplit=1)[0]}"
    if words[0].lower() in ("who", "whose") or words[0].isdigit():
        return end, ""  # an appositive that is not a role ("who was in Rome", an age)
    if (
        words[0].lower() in ("a", "an")
        and len(words) <= 6
        and not any(w.lower() in VERB_WORDS for w in words)
    ):
        return end, phrase.split(maxsplit=1)[1] if _is_agent_noun(words[-1]) else ""  # "a local hiker"
    if _is_role_head(words[0]) or (words[0][0].isupper() and any(_is_role_head(word) for word in words)):
        if not any(word.lower() in SPEECH_VERBS or word.lower() in VERB_WORDS for word in words):
            return end, phrase
    return position, ""


def role_before_comma(text: str, position: int, floor: int) -> tuple[int, str]:
    """The role in "Trump's envoy, Steve Witkoff": a role phrase, a comma, then the name."""
    floor = max(floor, position - ROLE_LOOK_BEHIND)
    match = re.search(r",\s*$", text[floor:position])
    if not match:
        return position, ""
    comma = floor + match.start()
    start, role = role_before(text, comma, floor)
    if not role:
        return position, ""
    # Only an appositive: the phrase must begin the clause, not end a list ("Rome, Italy, …").
    lead = text[floor:start].rstrip()
    if lead and not lead.endswith((",", ";", ":")) and lead.split()[-1].lower() not in FUNCTION_WORDS:
        return position, ""
    return start, role


def capitalize_role(role: str) -> str:
    return role[:1].upper() + role[1:] if role else role


def words_before(text: str, position: int, count: int = 2) -> list[str]:
    """The last few words before ``position`` ("her son, Mark Pike" → ["her", "son"])."""
    return re.findall(r"[\w'’]+", text[max(0, position - 40) : position])[-count:]


def gender_from_words(words: list[str]) -> str | None:
    lowered = {word.lower().rstrip(".") for word in words}
    if lowered & FEMININE_WORDS - {"her", "she"}:
        return "she"
    if lowered & MASCULINE_WORDS - {"his", "he"}:
        return "he"
    return None
