"""Name normalisation shared by search and entity matching.

Two keys are derived from every name:

- ``name_key``: the name as a reader would compare it: case, Latin diacritics, hamza and ayn
  marks, punctuation, Arabic short vowels and letter variants, and the article al-/el- folded.
- ``name_skeleton``: a looser key for transliterations of Arabic: vowels dropped after a word's
  first letter, ``q``→``k``, ``ou``→``u``, ``ph``→``f``, doubled letters folded, so that Bait, Beit
  and Bayt, or Hezbollah and Hizballah, share one skeleton.
"""

import re
import unicodedata

_MARKS = re.compile(r"[ʾʿʼʻ'’‘`´]")
_ARABIC_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه"}
)
_NON_WORD = re.compile(r"[^\w]+")
_ARTICLES = {"al", "el", "ul", "il", "ad", "ar", "as", "at", "az", "an", "ash", "ath", "the"}
_ARABIC_ARTICLE = re.compile(r"^(?:و?[اٱ]ل)(?=\w{2,})")
_VOWELS = re.compile(r"[aeiouy]")
_DOUBLED = re.compile(r"(.)\1+")
_FINAL_H = re.compile(r"(?<=[aeiou])h$")


def _unmarked(text: str) -> str:
    """Marks and short vowels gone, letters composed: ready to be split into words."""
    return unicodedata.normalize("NFC", _ARABIC_DIACRITICS.sub("", _MARKS.sub("", text)))


def _folded(token: str) -> str:
    token = token.translate(_ARABIC_LETTERS)
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_tokens(name: str) -> list[str]:
    """The words of a name, folded, without articles (``al-``, ``el-``, ``ال``).

    The Arabic article is taken off before the hamza is folded: it is written with a bare alif,
    so the alif-lam of ``ألوية`` (alwiya, brigades) is a word's own and stays.
    """
    tokens = []
    for word in _NON_WORD.split(_unmarked(name)):
        token = _folded(_ARABIC_ARTICLE.sub("", word))
        if token and token not in _ARTICLES:
            tokens.append(token)
    return tokens


def name_key(name: str) -> str:
    """The name folded for exact comparison: ``ʾAknāf Bayt al-Maqdis`` → ``aknaf bayt maqdis``."""
    return " ".join(name_tokens(name))


def _skeleton_token(token: str) -> str:
    if not token.isascii():
        return token
    token = _FINAL_H.sub("", token)  # Nusrah = Nusra
    token = token.replace("ou", "u").replace("ph", "f").replace("q", "k").replace("dh", "d")
    token = token.replace("kh", "k").replace("gh", "g").replace("th", "t").replace("sh", "s")
    token = token[0] + _VOWELS.sub("", token[1:])
    return _DOUBLED.sub(r"\1", token)


def name_skeleton(name: str) -> str:
    """The looser transliteration key: ``Aknaf Beit al-Maqdis`` → ``aknf bt mkds``."""
    return " ".join(_skeleton_token(token) for token in name_tokens(name))
