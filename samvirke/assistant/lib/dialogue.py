"""The turns of a chat that are not questions: greetings, thanks, asking for a person, and gibberish.

They are recognised before retrieval, so none of them is answered with a guide or stored as an unanswered
question. The rules work on the words of the (already length-bounded) text — stems from text.stem, small fixed
word lists and bounded comparisons — with no regular expression of their own, so their cost is linear in the
text. The word lists were chosen on tests/data/assistant/dialogue-dev.csv and checked against every example
and development question (none of which may be taken for a turn of dialogue); never on the held-out files.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from enum import StrEnum

from samvirke.assistant.lib.engine import AssistantEngine, Decision
from samvirke.assistant.lib.text import STOPWORDS, fold, stem, words


class Intent(StrEnum):
    GREETING = "greeting"
    THANKS = "thanks"
    HUMAN = "human"  # asks for a person: a chat with an agent, or to be called
    GIBBERISH = "gibberish"


def _set(text: str) -> frozenset[str]:
    """A word list written as text (reads better than a list of quoted words)."""
    return frozenset(text.split())


def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(word) for word in text.split())


# --- asking for a person --------------------------------------------------------------------------------------
# The people a citizen may ask for (stems). "en af jer", "nogen" are handled as phrases below.
PERSON_STEMS = _stems(
    "menneske medarbejder person sagsbehandler rådgiver operatør kundeservice kundeservicemedarbejder supporter kollega"
)
TALK_STEMS = _stems("tale snakke snak chatte chat skrive sludre")
CALL_STEMS = _stems("ringe ring")
ROBOT_STEMS = _stems("robot robotter bot chatbot maskine computer automat")
# Words a request for a person is made of besides the person itself: function words, verbs of asking,
# qualifiers ("rigtig", "levende"), the hotline's names and a little frustration. A message with a person in it
# and any other word ("kan en person med handicap få et parkeringskort") is a question, not a request.
REQUEST_STEMS = (
    _stems(
        "kan kunne må jeg vi du i mig os få faa have gerne vil ville gider godt bare lige nu tak please plz "
        "en et den det af med til fra om på i at og eller så hvordan hvor hvem hvad er der nogen jer dig "
        "rigtig rigtige ægte levende menneskelig virkelig fysisk anden andre ny nyt "
        "forbind forbinde stil stille videre give giv ønske ønsker ønsker bede beder sende send skaffe "
        "kontakt kontakte kontakten tale snakke snak chatte chat skrive sludre kommer komme lov lave "
        "hjælp hjælpe hjælper "
        "hotline hotlinen borgerservice kommunen kommune rådhuset support telefonen røret "
        "forstår forstår ikke ikk ej dum dumme irriterende ubrugelig elendig håbløs latterlig træt "
        "robot robotter bot chatbot maskine computer hej hallo goddag stedet for end hellere fat ja nej ok okay"
    )
    | PERSON_STEMS
)
NEGATIONS = frozenset({"ikke", "ikk", "ej", "gider", "stedet", "hellere"})
_STOPWORD_STEMS = frozenset(stem(word) for word in STOPWORDS)


def _one_typo_apart(a: str, b: str) -> bool:
    """True when a and b differ by one inserted, deleted or changed letter, or two neighbours swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i in range(len(a)) if a[i] != b[i]]
        if len(differ) == 1:
            return True
        first = differ[0]
        return len(differ) == 2 and differ[1] == first + 1 and a[first] == b[first + 1] and a[first + 1] == b[first]
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(shorter) and shorter[i] == longer[i]:
        i += 1
    return shorter[i:] == longer[i + 1 :]


def _is_person(word_stem: str) -> bool:
    if word_stem in PERSON_STEMS:
        return True
    # A typo in the one word that matters ("medarbjeder", "menneke"): one letter off (or two swapped) a long one.
    return len(word_stem) >= 6 and any(
        len(person) >= 6 and _one_typo_apart(word_stem, person) for person in PERSON_STEMS
    )


_CALLERS = frozenset({"i", "jer", "nogen", "du", "man"})
_ASKING = frozenset({"kan", "i", "jer", "nogen", "du", "venligst", "gerne", "må", "vil", "bare", "lige", "så"})
MAX_OTHER_WORDS = 2  # "tale med en medarbejder om min boligstøtte" asks for a person; a long question does not


def _asks_to_be_called(tokens: Sequence[str]) -> bool:
    """ "ring mig op", "ring op til mig", "kan I ringe tilbage", "vil gerne ringes op", "kan jeg blive ringet op",
    "ring til mig" — but not "han ringer til mig hver dag" or "jeg blev ringet op af en svindler"."""
    for index, word in enumerate(tokens):
        after = tokens[index + 1 : index + 4]
        before = tokens[max(0, index - 3) : index]
        if word in ("ring", "ringe"):
            if after[:2] == ["mig", "op"] or after == ["op", "til", "mig"] or after[:3] == ["tilbage", "til", "mig"]:
                return True
            if after[:1] == ["tilbage"] and _CALLERS & set(before):
                return True
            if after[:2] == ["til", "mig"] and (index == 0 or tokens[index - 1] in _ASKING):
                return True
        if word == "ringes" and after[:1] in (["op"], ["tilbage"]):
            return True
        if word == "ringet" and index > 0 and tokens[index - 1] == "blive" and after[:1] in (["op"], ["tilbage"]):
            return True
    if "opringning" in tokens or "callback" in tokens:
        return True
    return "opkald" in tokens and ("jer" in tokens or "mig" in tokens) and "af" not in tokens


def _asks_for_a_person(tokens: Sequence[str], stems: Sequence[str]) -> bool:
    if _asks_to_be_called(tokens):
        return True
    other_words = sum(1 for s in stems if s not in REQUEST_STEMS and s not in _STOPWORD_STEMS and not _is_person(s))
    # "tale med et menneske", "snakke med nogen", "chatte med en fra hotlinen", "tale med en af jer"
    if other_words <= MAX_OTHER_WORDS:
        for index, word_stem in enumerate(stems):
            if word_stem in TALK_STEMS and index + 1 < len(tokens) and tokens[index + 1] == "med":
                window = tokens[index + 2 : index + 6]
                if any(_is_person(s) for s in stems[index + 2 : index + 6]) or "nogen" in window:
                    return True
                if window[:1] == ["en"] and (window[1:2] in (["af"], ["fra"]) or window[1:3] == ["rigtig", "person"]):
                    return True
    people = [s for s in stems if _is_person(s)]
    robots = [s for s in stems if s in ROBOT_STEMS]
    if not people and not (robots and NEGATIONS & set(tokens)):
        return False
    # A person (or "not a robot") and nothing else: "kan jeg få en medarbejder", "rigtig person tak", "menneske".
    return all(s in REQUEST_STEMS or _is_person(s) for s in stems)


# --- greetings and thanks ------------------------------------------------------------------------------------
# Written as Danes spell them; matched after folding (æ → ae) and squeezing repeated letters ("hejjj" → "hej").
GREETINGS = _set(
    "hej hejsa hejhej hejs hey hi hello hallo halloj halløj halløjsa goddag goddaw godmorgen godaften "
    "godeftermiddag godformiddag dav davs daws mojn moin morn yo hola"
)
GREETING_FILLER = _set(
    "med dig jer der er nogen du i assistent assistenten chatbot bot robot kære alle sammen og igen hvordan "
    "går det there everyone"
)
_GOOD_TIMES = {"morgen", "aften", "eftermiddag", "formiddag", "dag", "nat"}
THANKS = _set("tak takk takker tak' thanks thank thx ty tusind tusinde mange")
ACKNOWLEDGEMENTS = _set("ok okay okey oki fint super perfekt dejligt godt fedt flot nice great")
THANKS_FILLER = (
    _set(
        "for det de du dig jer i skal have hjælpen hjælp svaret svarene hjalp hjælper meget så var jeg "
        "skulle bruge lige hvad nej ja you so much a lot alt sammen den der er vil en helt rigtig"
    )
    | ACKNOWLEDGEMENTS
    | GREETINGS
)


def _squeeze(word: str) -> str:
    """Folded (æ → ae, å → aa), then repeated letters to one: "hejjj" → "hej", "går" and "gaar" → "gar"."""
    word = fold(word)
    return "".join(letter for i, letter in enumerate(word) if i == 0 or letter != word[i - 1])


def _joined_times(tokens: Sequence[str]) -> list[str]:
    """ "god morgen" → "godmorgen", so a two-word greeting is one token."""
    joined: list[str] = []
    for token in tokens:
        if joined and joined[-1] == "god" and token in _GOOD_TIMES:
            joined[-1] = "god" + token
        else:
            joined.append(token)
    return joined


_SQUEEZED_GREETINGS = frozenset(_squeeze(word) for word in GREETINGS)
_SQUEEZED_THANKS = frozenset(_squeeze(word) for word in THANKS)
_SQUEEZED_ACK = frozenset(_squeeze(word) for word in ACKNOWLEDGEMENTS)
_SQUEEZED_GREETING_FILLER = frozenset(_squeeze(word) for word in GREETING_FILLER)
_SQUEEZED_THANKS_FILLER = frozenset(_squeeze(word) for word in THANKS_FILLER)


def _is_greeting(squeezed: Sequence[str]) -> bool:
    return any(t in _SQUEEZED_GREETINGS for t in squeezed) and all(
        t in _SQUEEZED_GREETINGS or t in _SQUEEZED_GREETING_FILLER for t in squeezed
    )


def _is_thanks(squeezed: Sequence[str]) -> bool:
    if not all(t in _SQUEEZED_THANKS or t in _SQUEEZED_THANKS_FILLER for t in squeezed):
        return False
    # "tak", "tusind tak for hjælpen", "det var det jeg skulle bruge tak" — or only "ok", "fint", "super" — or
    # a closing without the word: "det hjalp", "det var lige hvad jeg skulle bruge" (not "hvad skal jeg bruge").
    if any(t in _SQUEEZED_THANKS for t in squeezed) or all(t in _SQUEEZED_ACK for t in squeezed):
        return True
    return "hjalp" in squeezed or ("skule" in squeezed and "bruge" in squeezed)


# --- gibberish -----------------------------------------------------------------------------------------------
VOWELS = frozenset("aeiouyæøåäöüé")
KEYBOARD_ROWS = (
    "qwertyuiopå", "asdfghjklæø", "zxcvbnm",  # Danish
    "qwertzuiopü", "asdfghjklöä", "yxcvbnm",  # German (phones set to German)
    "azertyuiop", "qsdfghjklm", "wxcvbn",  # French
)  # fmt: skip
NONSENSE_WORDS = _set("xyz bla blabla blablabla lol lorem ipsum asdf qwerty abc abcd hm hmm mm øh øhm")
GIBBERISH_FILLER = STOPWORDS | _set("hjælp hjælpe help plz please pls mig nu ok okay ja nej tak hej hallo")


def _keyboard_walk(word: str) -> bool:
    return len(word) >= 4 and any(word in row or word in row[::-1] for row in KEYBOARD_ROWS)


def _repeated_unit(word: str) -> bool:
    """ "blabla", "dfgdfg", "asdasdasd", "fjfjfj": one short unit typed again and again."""
    for size in (2, 3, 4):
        times = len(word) // size
        if len(word) % size == 0 and times >= (3 if size == 2 else 2) and word[:size] * times == word:
            return True
    return False


def is_nonsense_word(word: str) -> bool:
    """A token no Danish (or English) writer means as a word: keyboard mashing, one letter held down, no vowel."""
    if word in NONSENSE_WORDS:
        return True
    if word.isdigit() or len(word) < 2:
        return False
    if len(set(word)) == 1 or any(word[i] == word[i + 1] == word[i + 2] for i in range(len(word) - 2)):
        return True
    letters = [letter for letter in word if not letter.isdigit()]
    if len(letters) >= 3 and not VOWELS & set(letters):
        return True
    if len(word) >= 3 and set(word) <= VOWELS:
        return True
    return _keyboard_walk(word) or _repeated_unit(word)


def _is_gibberish(tokens: Sequence[str], known_stems: Collection[str]) -> bool:
    nonsense = unknown = 0
    for token in tokens:
        if token in GIBBERISH_FILLER:
            continue
        if token in NONSENSE_WORDS:  # before the knowledge base's words: "bla" is also "blå" typed without å
            nonsense += 1
            continue
        if stem(token) in known_stems:
            return False  # a word the knowledge base uses: a question, however badly typed
        if is_nonsense_word(token):
            nonsense += 1
        elif not token.isdigit():
            unknown += 1
    return nonsense > 0 and nonsense >= unknown


# --- the layer -----------------------------------------------------------------------------------------------


def recognise(text: str, known_stems: Collection[str] = frozenset()) -> Intent | None:
    """The turn's intent, or None for a question (retrieval's job).

    `known_stems`: the folded stems the knowledge base uses (the engine's vocabulary); a word among them is never
    taken for gibberish. Empty text is not a turn (None): the caller asks for a question.
    """
    if not text.strip():
        return None
    tokens = words(text)
    if not tokens:
        # Only punctuation, symbols or emoji ("???", "…", "🙈"): nothing to answer.
        return Intent.GIBBERISH
    stems = [stem(token) for token in tokens]
    if _asks_for_a_person(tokens, stems):
        return Intent.HUMAN
    squeezed = [_squeeze(token) for token in _joined_times(tokens)]
    if _is_thanks(squeezed):
        return Intent.THANKS
    if _is_greeting(squeezed):
        return Intent.GREETING
    if _is_gibberish(tokens, known_stems):
        return Intent.GIBBERISH
    return None


def decide(question: str, engine: AssistantEngine | None) -> Decision:
    """The whole decision for a citizen's turn: a turn of dialogue (its intent is the Decision's kind), else the
    engine's answer, clarification or "don't know". What the chat does and what assistant-eval measures."""
    known: Collection[str] = getattr(engine, "known", frozenset()) if engine is not None else frozenset()
    intent = recognise(question, known)
    if intent is not None:
        return Decision(intent.value, None, 0.0, [])
    if engine is None:
        return Decision("handoff", None, 0.0, [])
    return engine.decide(question)


# --- quick replies -------------------------------------------------------------------------------------------


def most_asked(counts: Mapping[str, int], available: Collection[str], fallback: Sequence[str], limit: int) -> list[str]:
    """The topics to offer as quick replies: the most asked (by count, then id for a stable order) among the
    available ones, filled up from `fallback` when the data is thin (a new installation, a quiet week)."""
    asked = (topic for topic, n in counts.items() if n > 0 and topic in available)
    ranked = sorted(asked, key=lambda topic: (-counts[topic], topic))
    chosen = ranked[:limit]
    for topic in fallback:
        if len(chosen) >= limit:
            break
        if topic in available and topic not in chosen:
            chosen.append(topic)
    return chosen
