"""Synthetic corpora for load and scale tests: ``kb generate XS|S|M|L`` fills the database.

The generator writes straight to the tables in bulk (SQLAlchemy Core ``insert`` in executemany
batches, one transaction per batch, ids assigned here after the largest already stored), so a
million relationships take minutes rather than hours. What the services would derive it derives
the same way: name keys and skeletons (app/names.py), date bounds (app/dates.py) and slugs unique
per table (app/services/slugs.py). On PostgreSQL the id sequences are moved past the new rows.

The corpus imitates the real one: organizations linked by a power-law (Zipf) degree
distribution, so a few hubs have thousands of relationships and most have a handful; names in
Latin and Arabic script with transliteration variants (Bait/Beit/Bayt, al-/el-, ou/u, doubled
letters) and Arabic with and without short vowels; uncertain dates (``2014``, ``2014-06``,
``2013?``, ``[2012,2013]``, ``2015~``, open ends); every fact cited one to four times by real
source rows. The same seed gives the same corpus (into a database in the same state).
"""

import bisect
import functools
import itertools
import logging
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, insert, select, text

from app.dates import OPEN, span_from_edtf
from app.db import WRITE_OPTION, analyze
from app.models import Base, EntityKind, NameKind, RelationshipStatus, RelationshipType, SourceKind
from app.names import name_key, name_skeleton
from app.services.slugs import slugify

logger = logging.getLogger("kb.synth")

BATCH_ROWS = 5000  # rows buffered before they are written, in one transaction
PROGRESS_SECONDS = 2.0
LAST_YEAR = 2024

# -- sizes ------------------------------------------------------------------------------------

# Per entity of a kind: (fewest, mean, most extra) names, operating periods and attributes.
NAMES_PER: dict[EntityKind, tuple[int, float, int]] = {
    EntityKind.ORGANIZATION: (2, 3.2, 4),
    EntityKind.PERSON: (1, 2.0, 4),
    EntityKind.PLACE: (1, 2.5, 3),
    EntityKind.EVENT: (1, 1.3, 2),
}
PERIODS_PER: dict[EntityKind, tuple[int, float, int]] = {EntityKind.ORGANIZATION: (0, 0.6, 2)}
ATTRIBUTES_PER: dict[EntityKind, tuple[int, float, int]] = {
    EntityKind.ORGANIZATION: (0, 1.0, 3),
    EntityKind.PERSON: (0, 0.5, 2),
}
NONE_PER = (0, 0.0, 0)
MOST_CITATIONS = 4  # per fact; every fact has at least one


@dataclass(frozen=True)
class Size:
    """How many rows of each kind a corpus has; names, periods and attributes follow from it."""

    organizations: int
    people: int
    places: int
    events: int
    sources: int
    relationships: int
    citations: int

    def count_of(self, kind: EntityKind) -> int:
        """How many entities of a kind."""
        return {
            EntityKind.ORGANIZATION: self.organizations,
            EntityKind.PERSON: self.people,
            EntityKind.PLACE: self.places,
            EntityKind.EVENT: self.events,
        }[kind]

    def expected(self) -> dict[str, int]:
        """The rows each table receives."""
        if min(self.places, self.organizations, self.sources) < 1:
            raise ValueError("a corpus needs at least one place, organization and source")

        def total(per: dict[EntityKind, tuple[int, float, int]]) -> int:
            return sum(round(self.count_of(kind) * mean) for kind, (_, mean, _) in per.items())

        counts = {
            "entities": self.organizations + self.people + self.places + self.events,
            "organizations": self.organizations,
            "people": self.people,
            "places": self.places,
            "events": self.events,
            "entity_names": total(NAMES_PER),
            "operating_periods": total(PERIODS_PER),
            "attributes": total(ATTRIBUTES_PER),
            "sources": self.sources,
            "relationships": self.relationships,
            "citations": self.citations,
        }
        facts = self.facts(counts)
        if not facts <= self.citations <= MOST_CITATIONS * facts:
            raise ValueError(f"{self.citations} citations cannot cite {facts} facts 1 to 4 times")
        return counts

    @staticmethod
    def facts(counts: dict[str, int]) -> int:
        """How many facts need citations: entities, names, periods, attributes, relationships."""
        cited = ("entities", "entity_names", "operating_periods", "attributes", "relationships")
        return sum(counts[table] for table in cited)


# L is the reference; S and M are L scaled down; XS (for tests) is S scaled to 50 organizations
# but keeps 300 relationships and at least three places.
SIZES: dict[str, Size] = {
    "XS": Size(50, 10, 3, 25, 100, 300, 1_000),
    "S": Size(1_000, 200, 50, 500, 2_000, 10_000, 20_000),
    "M": Size(10_000, 2_000, 500, 5_000, 20_000, 100_000, 200_000),
    "L": Size(100_000, 20_000, 5_000, 50_000, 200_000, 1_000_000, 2_000_000),
}

# -- vocabulary -------------------------------------------------------------------------------

_SHORT_VOWELS = re.compile(r"[\u064b-\u0652\u0670]")


@dataclass(frozen=True)
class Word:
    """A word or phrase: Latin spellings (the usual first), scholarly romanization, Arabic with
    short vowels, and English."""

    latin: tuple[str, ...]
    romanized: str
    arabic: str
    english: str

    @property
    def arabic_plain(self) -> str:
        """The Arabic as usually printed, without short vowels."""
        return _SHORT_VOWELS.sub("", self.arabic)


def _words(table: str) -> tuple[Word, ...]:
    """Words from lines ``latin, variants | romanized | Arabic | English``."""
    words = []
    for line in table.strip().splitlines():
        latin, romanized, arabic, english = (part.strip() for part in line.split("|"))
        words.append(Word(tuple(v.strip() for v in latin.split(",")), romanized, arabic, english))
    return tuple(words)


ORG_TYPES = _words("""
Liwa, Liwaa, Lewa | Liwāʾ | لِوَاء | Brigade
Kata'ib, Kataib, Katayib | Katāʾib | كَتَائِب | Battalions
Jaysh, Jaish, Jeish | Jaysh | جَيْش | Army
Harakat, Haraka, Harakah | Ḥarakat | حَرَكَة | Movement
Jabhat, Jabha, Jebhat | Jabhat | جَبْهَة | Front
Saraya, Sarayah, Sarayaa | Sarāyā | سَرَايَا | Companies
Tajammu, Tajamu, Tajamou | Tajammuʿ | تَجَمُّع | Gathering
Fawj, Fauj, Fouj | Fawj | فَوْج | Regiment
Firqat, Firqa, Firka | Firqat | فِرْقَة | Division
Katibat, Katiba, Kateebat | Katībat | كَتِيبَة | Battalion
Quwwat, Quwat, Kuwat | Quwwāt | قُوَّات | Forces
Majlis, Mejlis, Madjlis | Majlis | مَجْلِس | Council
Alwiyat, Alwiya, Alwiyah | Alwiyat | أَلْوِيَة | Brigades
Tanzim, Tanzeem, Tanthim | Tanẓīm | تَنْظِيم | Organization
Jama'at, Jamaat, Jamaa | Jamāʿat | جَمَاعَة | Group
""")
ORG_MEMBERS = _words("""
Ansar, Ansaar, Anssar | Anṣār | أَنْصَار | Supporters
Ahrar, Ahraar, Ahrarr | Aḥrār | أَحْرَار | Free Men
Usud, Osoud, Usood | Usūd | أُسُود | Lions
Fursan, Foursan, Fursaan | Fursān | فُرْسَان | Knights
Suqur, Suqour, Sukur | Ṣuqūr | صُقُور | Falcons
Abna, Abnaa, Abna' | Abnāʾ | أَبْنَاء | Sons
Junud, Jounoud, Jnood | Junūd | جُنُود | Soldiers
Rijal, Rijaal, Rejal | Rijāl | رِجَال | Men
Shabab, Chabab, Shebab | Shabāb | شَبَاب | Youth
Thuwwar, Thuwar, Touwar | Thuwwār | ثُوَّار | Revolutionaries
""")
ORG_CAUSES = _words("""
al-Haqq, el-Haq, al-Hak | al-Ḥaqq | الحَقّ | the Truth
al-Islam, el-Islam, al-Eslam | al-Islām | الإِسْلَام | Islam
al-Tawhid, at-Tawheed, el-Tauhid | al-Tawḥīd | التَّوْحِيد | Monotheism
al-Jihad, el-Jehad, al-Jihaad | al-Jihād | الجِهَاد | Jihad
al-Nasr, an-Nasr, el-Naser | al-Naṣr | النَّصْر | Victory
al-Furqan, al-Forqan, el-Furkan | al-Furqān | الفُرْقَان | the Criterion
al-Fath, al-Fatah, el-Fateh | al-Fatḥ | الفَتْح | the Conquest
al-Sham, ash-Sham, el-Cham | al-Shām | الشَّام | the Levant
al-Quds, al-Kuds, el-Qods | al-Quds | القُدْس | Jerusalem
Bayt al-Maqdis, Bait al-Maqdis, Beit el-Maqdis | Bayt al-Maqdis | بَيْت المَقْدِس | the Holy House
al-Umma, al-Ummah, el-Oumma | al-Umma | الأُمَّة | the Nation
al-Sunna, as-Sunnah, el-Sounna | al-Sunna | السُّنَّة | the Sunna
al-Mujahidin, al-Mujahideen, el-Moudjahidine | al-Mujāhidīn | المُجَاهِدِين | the Holy Warriors
al-Shuhada, ash-Shuhadaa, el-Chouhada | al-Shuhadāʾ | الشُّهَدَاء | the Martyrs
al-Khilafa, al-Khilafah, el-Khilafat | al-Khilāfa | الخِلَافَة | the Caliphate
al-Rahman, ar-Rahmaan, el-Rahmane | al-Raḥmān | الرَّحْمَن | the Merciful
al-Sahaba, as-Sahabah, el-Sahaba | al-Ṣaḥāba | الصَّحَابَة | the Companions
al-Tahrir, at-Tahreer, el-Tahrir | al-Taḥrīr | التَّحْرِير | Liberation
al-Izza, al-Izzah, el-Ezza | al-ʿIzza | العِزَّة | Glory
al-Karama, al-Karamah, el-Karameh | al-Karāma | الكَرَامَة | Dignity
Nur al-Din, Nour ad-Din, Nureddin | Nūr al-Dīn | نُور الدِّين | Nur al-Din
Salah al-Din, Salah ad-Din, Salaheddine | Ṣalāḥ al-Dīn | صَلَاح الدِّين | Saladin
Hamza, Hamzah, Hamsa | Ḥamza | حَمْزَة | Hamza
al-Ghuraba, al-Ghurabaa, el-Ghouraba | al-Ghurabāʾ | الغُرَبَاء | the Strangers
Badr, Bader, Badir | Badr | بَدْر | Badr
al-Yarmouk, al-Yarmuk, el-Yarmouk | al-Yarmūk | اليَرْمُوك | Yarmouk
Hittin, Hattin, Hitteen | Ḥiṭṭīn | حِطِّين | Hattin
al-Aqsa, al-Aksa, el-Aqsa | al-Aqṣā | الأَقْصَى | al-Aqsa
Umar, Omar, Oumar | ʿUmar | عُمَر | Umar
Khalid ibn al-Walid, Khaled bin al-Walid | Khālid ibn al-Walīd | خَالِد بْن الوَلِيد | Khalid
al-Zubayr, az-Zubair, el-Zobeir | al-Zubayr | الزُّبَيْر | al-Zubayr
al-Qadisiyya, al-Qadisiyah, el-Kadissia | al-Qādisiyya | القَادِسِيَّة | Qadisiyya
al-Muhajirin, al-Muhajireen, el-Mouhajirine | al-Muhājirīn | المُهَاجِرِين | the Emigrants
""")
IN = Word(("fi", "fee"), "fī", "فِي", "in")
GIVEN_NAMES = _words("""
Muhammad, Mohammed, Mohamed, Mohammad | Muḥammad | مُحَمَّد | Muhammad
Ahmad, Ahmed, Ahmet | Aḥmad | أَحْمَد | Ahmad
Yusuf, Youssef, Yousef | Yūsuf | يُوسُف | Yusuf
Husayn, Hussein, Hussain | Ḥusayn | حُسَيْن | Husayn
Umar, Omar, Omer | ʿUmar | عُمَر | Umar
Khalid, Khaled, Khaleed | Khālid | خَالِد | Khalid
Mustafa, Moustafa, Mostafa | Muṣṭafā | مُصْطَفَى | Mustafa
Ibrahim, Ebrahim, Brahim | Ibrāhīm | إِبْرَاهِيم | Ibrahim
Ali, Aly, Alee | ʿAlī | عَلِي | Ali
Hasan, Hassan, Hassen | Ḥasan | حَسَن | Hasan
Said, Saeed, Saïd | Saʿīd | سَعِيد | Said
Abdullah, Abdallah, Abd Allah | ʿAbd Allāh | عَبْد الله | Abdullah
Abd al-Rahman, Abdul Rahman, Abdelrahman | ʿAbd al-Raḥmān | عَبْد الرَّحْمَن | Abd al-Rahman
Mahmud, Mahmoud, Mahmood | Maḥmūd | مَحْمُود | Mahmud
Salim, Salem, Selim | Sālim | سَالِم | Salim
Ziyad, Ziad, Zeyad | Ziyād | زِيَاد | Ziyad
Bilal, Belal, Bilaal | Bilāl | بِلَال | Bilal
Hamza, Hamzah, Hamsa | Ḥamza | حَمْزَة | Hamza
Anas, Enes, Annas | Anas | أَنَس | Anas
Tariq, Tarek, Tareq | Ṭāriq | طَارِق | Tariq
""")
FAMILY_NAMES = _words("""
al-Masri, el-Masry, al-Misri | al-Miṣrī | المِصْرِي | al-Masri
al-Shami, ash-Shami, el-Chami | al-Shāmī | الشَّامِي | al-Shami
al-Halabi, el-Halabi, al-Halaby | al-Ḥalabī | الحَلَبِي | al-Halabi
al-Iraqi, el-Iraki, al-Eraqi | al-ʿIrāqī | العِرَاقِي | al-Iraqi
al-Tunisi, at-Tounsi, el-Tounsi | al-Tūnisī | التُّونِسِي | al-Tunisi
al-Maqdisi, el-Makdisi, al-Makdissi | al-Maqdisī | المَقْدِسِي | al-Maqdisi
Zaghmout, Zaghmut, Zoghmout | Zaghmūṭ | زَغْمُوط | Zaghmout
Haddad, Hadad, Haddaad | Ḥaddād | حَدَّاد | Haddad
al-Khatib, el-Khatib, al-Khateeb | al-Khaṭīb | الخَطِيب | al-Khatib
Nasrallah, Nasrullah, Nasr Allah | Naṣr Allāh | نَصْر الله | Nasrallah
al-Hashimi, el-Hachemi, al-Hashemi | al-Hāshimī | الهَاشِمِي | al-Hashimi
al-Ansari, el-Ansary, al-Anssari | al-Anṣārī | الأَنْصَارِي | al-Ansari
Darwish, Darwiche, Derwish | Darwīsh | دَرْوِيش | Darwish
al-Hamwi, el-Hamawi, al-Hamawi | al-Ḥamawī | الحَمَوِي | al-Hamwi
al-Idlibi, el-Edlibi, al-Idlebi | al-Idlibī | الإِدْلِبِي | al-Idlibi
al-Homsi, al-Himsi, el-Homsy | al-Ḥimṣī | الحِمْصِي | al-Homsi
Barakat, Baraket, Barakaat | Barakāt | بَرَكَات | Barakat
Mansur, Mansour, Mansoor | Manṣūr | مَنْصُور | Mansur
Salama, Salameh, Salamah | Salāma | سَلَامَة | Salama
Abbud, Aboud, Abboud | ʿAbbūd | عَبُّود | Abbud
al-Zubaydi, al-Zubaidi, el-Zoubeidi | al-Zubaydī | الزُّبَيْدِي | al-Zubaydi
Qasim, Qassem, Kassem | Qāsim | قَاسِم | Qasim
al-Jaburi, al-Jabouri, el-Jbouri | al-Jabūrī | الجَبُورِي | al-Jaburi
al-Libi, el-Liby, al-Lybi | al-Lībī | اللِّيبِي | al-Libi
al-Urduni, el-Ordoni, al-Ordoni | al-Urdunī | الأُرْدُنِّي | al-Urduni
""")
FATHER = Word(("Abu", "Abou", "Abo"), "Abū", "أَبُو", "Abu")
# Cities, camps and towns first: the earliest places are the most linked.
KNOWN_PLACES = _words("""
Damascus, Dimashq, Damas | Dimashq | دِمَشْق | city
Aleppo, Halab, Haleb | Ḥalab | حَلَب | city
Homs, Hims, Homs city | Ḥimṣ | حِمْص | city
Yarmouk Camp, Yarmuk Camp, Mukhayyam al-Yarmouk | Mukhayyam al-Yarmūk | مُخَيَّم اليَرْمُوك | refugee camp
Idlib, Edlib, Idleb | Idlib | إِدْلِب | city
Mosul, al-Mawsil, Mossoul | al-Mawṣil | المَوْصِل | city
Hama, Hamah, Hamat | Ḥamāh | حَمَاة | city
Daraa, Deraa, Dar'a | Darʿā | دَرْعَا | city
Raqqa, al-Raqqah, Rakka | al-Raqqa | الرَّقَّة | city
Deir ez-Zor, Deir al-Zour, Dayr az-Zawr | Dayr al-Zawr | دَيْر الزُّور | city
Fallujah, Falluja, al-Fallujah | al-Fallūja | الفَلُّوجَة | city
Gaza, Ghazza, Ghazzah | Ghazza | غَزَّة | city
Benghazi, Banghazi, Bengasi | Banghāzī | بَنْغَازِي | city
Douma, Duma, Doumah | Dūmā | دُومَا | city
Latakia, Lattakia, al-Ladhiqiyah | al-Lādhiqiyya | اللَّاذِقِيَّة | city
Ain al-Hilweh, Ein el-Helweh, Ain al-Hilwa | ʿAyn al-Ḥilwa | عَيْن الحُلْوَة | refugee camp
Ramadi, al-Ramadi, Ar Ramadi | al-Ramādī | الرَّمَادِي | city
Tikrit, Tekrit, Tikreet | Tikrīt | تِكْرِيت | city
Baghdad, Bagdad, Baghdaad | Baghdād | بَغْدَاد | city
Derna, Darnah, Dernah | Darna | دَرْنَة | city
Sirte, Surt, Sirt | Surt | سُرْت | city
Rafah, Rafa, Rafeh | Rafaḥ | رَفَح | city
Jenin, Janin, Jenine | Janīn | جَنِين | city
Sidon, Saida, Sayda | Ṣaydā | صَيْدَا | city
Arsal, Ersal, Aarsal | ʿIrsāl | عِرْسَال | town
Sanaa, San'a, Sana'a | Ṣanʿāʾ | صَنْعَاء | city
Aden, Adan, Aaden | ʿAdan | عَدَن | city
Marib, Ma'rib, Mareb | Maʾrib | مَأْرِب | city
Taiz, Ta'izz, Taez | Taʿizz | تَعِز | city
El Arish, al-Arish, Arish | al-ʿArīsh | العَرِيش | city
Palmyra, Tadmur, Tadmor | Tadmur | تَدْمُر | city
Manbij, Membij, Menbij | Manbij | مَنْبِج | city
Azaz, A'zaz, Aazaz | Aʿzāz | أَعْزَاز | town
Quneitra, al-Qunaytirah, Kuneitra | al-Qunayṭira | القُنَيْطِرَة | city
Eastern Ghouta, al-Ghouta al-Sharqiya, Ghuta | al-Ghūṭa al-Sharqiyya | الغُوطَة الشَّرْقِيَّة | region
Qalamoun, Qalamun, Kalamoun | al-Qalamūn | القَلَمُون | region
Sinai, Sina, Sinaa | Sīnāʾ | سِينَاء | region
Syria, Suriya, Syrie | Sūriyā | سُورِيَا | country
Iraq, al-Iraq, Irak | al-ʿIrāq | العِرَاق | country
Lebanon, Lubnan, Liban | Lubnān | لُبْنَان | country
Libya, Libiya, Libye | Lībiyā | لِيبِيَا | country
Yemen, al-Yaman, Yaman | al-Yaman | اليَمَن | country
Egypt, Misr, Masr | Miṣr | مِصْر | country
Jordan, al-Urdun, Jordanie | al-Urdun | الأُرْدُنّ | country
""")
PLACE_HEADS = _words("""
Kafr, Kfar, Kefr | Kafr | كَفْر | village
Tell, Tal, Tel | Tall | تَلّ | village
Deir, Dayr, Dair | Dayr | دَيْر | village
Ain, Ein, Ayn | ʿAyn | عَيْن | village
Beit, Bait, Bayt | Bayt | بَيْت | village
Khirbet, Khirbat, Kherbet | Khirbat | خِرْبَة | village
Jisr, Jisir, Jesr | Jisr | جِسْر | town
Maarat, Ma'arrat, Marat | Maʿarrat | مَعَرَّة | town
Bir, Bi'r, Beer | Biʾr | بِئْر | village
Qasr, Kasr, Qassr | Qaṣr | قَصْر | village
Umm, Oumm, Um | Umm | أُمّ | village
""")
PLACE_STEMS = _words("""
Nabl, Nabel, Nubl | Nabl | نَبْل | Nabl
al-Hamra, el-Hamra, al-Hamraa | al-Ḥamrāʾ | الحَمْرَاء | al-Hamra
al-Zaytun, az-Zeitoun, el-Zeitoun | al-Zaytūn | الزَّيْتُون | al-Zaytun
Shams, Chams, Shamss | Shams | شَمْس | Shams
al-Rumman, ar-Roumman, el-Rumman | al-Rummān | الرُّمَّان | al-Rumman
al-Abyad, el-Abiad, al-Abiadh | al-Abyaḍ | الأَبْيَض | al-Abyad
al-Aswad, el-Aswad, al-Asswad | al-Aswad | الأَسْوَد | al-Aswad
al-Ghazal, el-Ghazal, al-Ghazaal | al-Ghazāl | الغَزَال | al-Ghazal
Hammam, Hamam, Hammaam | Ḥammām | حَمَّام | Hammam
al-Tin, at-Teen, el-Tine | al-Tīn | التِّين | al-Tin
Nasr, Nassr, Naser | Naṣr | نَصْر | Nasr
al-Kabir, el-Kebir, al-Kebeer | al-Kabīr | الكَبِير | al-Kabir
al-Saghir, es-Seghir, al-Sagheer | al-Ṣaghīr | الصَّغِير | al-Saghir
Musa, Moussa, Mousa | Mūsā | مُوسَى | Musa
Yusuf, Youssef, Yousef | Yūsuf | يُوسُف | Yusuf
al-Nahr, an-Nahr, el-Nahr | al-Nahr | النَّهْر | al-Nahr
al-Wadi, el-Wadi, al-Waadi | al-Wādī | الوَادِي | al-Wadi
al-Jawz, el-Jouz, al-Jouz | al-Jawz | الجَوْز | al-Jawz
al-Lawz, el-Louz, al-Louz | al-Lawz | اللَّوْز | al-Lawz
Sultan, Soltan, Sultaan | Sulṭān | سُلْطَان | Sultan
al-Shaykh, ash-Sheikh, el-Cheikh | al-Shaykh | الشَّيْخ | al-Shaykh
Hasan, Hassan, Hassen | Ḥasan | حَسَن | Hasan
al-Ward, el-Ward, al-Wardd | al-Ward | الوَرْد | al-Ward
al-Qamar, el-Kamar, al-Kamar | al-Qamar | القَمَر | al-Qamar
al-Ghar, el-Ghar, al-Ghaar | al-Ghār | الغَار | al-Ghar
Salim, Salem, Selim | Salīm | سَلِيم | Salim
""")
PLACE_SIDES = _words("""
al-Sharqi, ash-Sharqi, el-Charqi | al-Sharqī | الشَّرْقِي | East
al-Gharbi, el-Gharbi, al-Gharbee | al-Gharbī | الغَرْبِي | West
al-Shamali, ash-Shamali, el-Chamali | al-Shamālī | الشَّمَالِي | North
al-Janubi, al-Janoubi, el-Djanoubi | al-Janūbī | الجَنُوبِي | South
al-Fawqani, al-Fouqani, el-Foukani | al-Fawqānī | الفَوْقَانِي | Upper
al-Tahtani, at-Tahtani, el-Tahtani | al-Taḥtānī | التَّحْتَانِي | Lower
""")
# Event kinds: English name, Arabic with short vowels, type; ``{}`` is the place.
EVENT_KINDS = (
    ("Battle of {}", "مَعْرَكَة {}", "battle"),
    ("Siege of {}", "حِصَار {}", "siege"),
    ("{} offensive", "هُجُوم {}", "offensive"),
    ("{} clashes", "اشْتِبَاكَات {}", "clashes"),
    ("{} bombing", "تَفْجِير {}", "bombing"),
    ("{} ceasefire", "هُدْنَة {}", "ceasefire"),
    ("{} massacre", "مَجْزَرَة {}", "massacre"),
    ("Assault on {}", "اقْتِحَام {}", "assault"),
)
ORGANIZATION_TYPES = (
    "armed group",
    "militia",
    "jihadist group",
    "insurgent group",
    "rebel coalition",
    "paramilitary force",
    "political party",
    "government force",
)
ATTRIBUTE_VALUES: dict[str, tuple[str, ...]] = {
    "ideology": (
        "Salafism",
        "Salafi jihadism",
        "Sunni Islamism",
        "Shia Islamism",
        "Syrian nationalism",
        "Arab nationalism",
        "Palestinian nationalism",
        "Ba'athism",
        "Kurdish nationalism",
    ),
    "status": ("active", "inactive", "dissolved", "merged"),
    "motives": (
        "Establishment of an Islamic state",
        "Overthrow of the government",
        "Defence of the camp",
        "Liberation of Palestine",
    ),
}
NATIONALITIES = ("Syrian", "Iraqi", "Palestinian", "Jordanian", "Egyptian", "Tunisian", "Libyan")
LEADER_ROLES = ("commander", "emir", "general commander", "deputy leader", "military commander")
MEMBER_ROLES = ("fighter", "field commander", "sharia official", "spokesman", "recruiter")
PARTICIPANT_ROLES = ("attacker", "defender", "co-belligerent", "mediator")
NOTES = (
    "Reported by one side only.",
    "Sources disagree on the dates.",
    "Denied in a statement by the group.",
)
# Relationship types: weight, subject kind, object kind, roles, how a source would say it.
ORG, PER, EVT, PLC = (
    EntityKind.ORGANIZATION,
    EntityKind.PERSON,
    EntityKind.EVENT,
    EntityKind.PLACE,
)
LINKS: tuple[tuple[RelationshipType, float, EntityKind, EntityKind, tuple[str, ...], str], ...] = (
    (RelationshipType.ALLY, 17, ORG, ORG, (), "{s} fought alongside {o}"),
    (RelationshipType.OPPONENT, 17, ORG, ORG, (), "{s} clashed with {o}"),
    (RelationshipType.ALLEGIANCE, 4, ORG, ORG, (), "{s} pledged allegiance to {o}"),
    (RelationshipType.AFFILIATE, 6, ORG, ORG, (), "{s} was affiliated with {o}"),
    (RelationshipType.PART_OF, 5, ORG, ORG, (), "{s} operated as part of {o}"),
    (RelationshipType.SPLINTER_OF, 2, ORG, ORG, (), "{s} split from {o}"),
    (RelationshipType.ABSORBED_INTO, 1.5, ORG, ORG, (), "{s} was absorbed into {o}"),
    (RelationshipType.LEADER, 4, PER, ORG, LEADER_ROLES, "{s} led {o}"),
    (RelationshipType.MEMBER, 5, PER, ORG, MEMBER_ROLES, "{s} was a member of {o}"),
    (RelationshipType.FOUNDED_BY, 1.5, ORG, PER, (), "{s} was founded by {o}"),
    (RelationshipType.PARTICIPANT, 12.5, ORG, EVT, PARTICIPANT_ROLES, "{s} took part in the {o}"),
    (RelationshipType.PARTICIPANT, 1.5, PER, EVT, PARTICIPANT_ROLES, "{s} took part in the {o}"),
    (RelationshipType.FOUGHT_IN, 4, ORG, EVT, (), "{s} fought in the {o}"),
    (RelationshipType.ACTIVE_IN, 12, ORG, PLC, (), "{s} was active in {o}"),
    (RelationshipType.HEADQUARTERED_IN, 2.5, ORG, PLC, (), "{s} was headquartered in {o}"),
    (RelationshipType.LOCATED_IN, 1, PLC, PLC, (), "{s} lies in {o}"),
)
STATUSES = (
    (RelationshipStatus.ASSERTED, 78),
    (RelationshipStatus.ENDED, 10),
    (RelationshipStatus.DISPUTED, 8),
    (RelationshipStatus.DENIED, 4),
)
# How steeply link counts fall with rank: organizations, people, events, places.
ZIPF_EXPONENT = {ORG: 0.7, PER: 0.5, EVT: 0.6, PLC: 0.8}

# Sources: (kind, language, weight), publishers (name, domain) and title templates.
SOURCE_KINDS = (
    (SourceKind.NEWS, "en", 30),
    (SourceKind.NEWS, "ar", 15),
    (SourceKind.NEWS, "fr", 4),
    (SourceKind.WEB, "en", 15),
    (SourceKind.WEB, "ar", 5),
    (SourceKind.REPORT, "en", 14),
    (SourceKind.BOOK, "en", 8),
    (SourceKind.VIDEO, "ar", 6),
    (SourceKind.OTHER, "en", 3),
)
PUBLISHERS: dict[tuple[SourceKind, str], tuple[tuple[str, str], ...]] = {
    (SourceKind.NEWS, "en"): (
        ("Reuters", "reuters.com"),
        ("Associated Press", "apnews.com"),
        ("Al Jazeera English", "aljazeera.com"),
        ("BBC News", "bbc.co.uk"),
        ("The Guardian", "theguardian.com"),
        ("Middle East Eye", "middleeasteye.net"),
        ("Agence France-Presse", "afp.com"),
    ),
    (SourceKind.NEWS, "ar"): (
        ("Al Jazeera Net", "aljazeera.net"),
        ("Enab Baladi", "enabbaladi.net"),
        ("Asharq Al-Awsat", "aawsat.com"),
        ("Al-Quds Al-Arabi", "alquds.co.uk"),
        ("Zaman al-Wasl", "zamanalwsl.net"),
        ("Al-Araby Al-Jadeed", "alaraby.co.uk"),
    ),
    (SourceKind.NEWS, "fr"): (
        ("Le Monde", "lemonde.fr"),
        ("L'Orient-Le Jour", "lorientlejour.com"),
        ("France 24", "france24.com"),
    ),
    (SourceKind.WEB, "en"): (
        ("Syrian Observatory for Human Rights", "syriahr.com"),
        ("The Long War Journal", "longwarjournal.org"),
        ("Syria Direct", "syriadirect.org"),
        ("Jihadology", "jihadology.net"),
    ),
    (SourceKind.WEB, "ar"): (
        ("Orient News", "orient-news.net"),
        ("Syrian Network for Human Rights", "snhr.org"),
    ),
    (SourceKind.REPORT, "en"): (
        ("Human Rights Watch", "hrw.org"),
        ("Amnesty International", "amnesty.org"),
        ("International Crisis Group", "crisisgroup.org"),
        ("Institute for the Study of War", "understandingwar.org"),
        ("Carnegie Middle East Center", "carnegie-mec.org"),
        ("Combating Terrorism Center at West Point", "ctc.westpoint.edu"),
    ),
    (SourceKind.BOOK, "en"): (
        ("Hurst", "hurstpublishers.com"),
        ("Oxford University Press", "global.oup.com"),
        ("Cambridge University Press", "cambridge.org"),
        ("I.B. Tauris", "bloomsbury.com"),
        ("Routledge", "routledge.com"),
    ),
    (SourceKind.VIDEO, "ar"): (
        ("YouTube", "youtube.com"),
        ("Orient TV", "orient-news.net"),
        ("Al Jazeera Mubasher", "aljazeera.net"),
    ),
    (SourceKind.OTHER, "en"): (
        ("Telegram channel", "t.me"),
        ("X (Twitter)", "x.com"),
    ),
}
# English templates, then Arabic and French ones with their English translation.
TITLES: dict[SourceKind, tuple[str, ...]] = {
    SourceKind.NEWS: (
        "{org} claims control of {place}",
        "Clashes between {org} and {org2} in {place}",
        "{org} announces allegiance to {org2}",
        "{org} commander killed near {place}",
        "Fighters of {org} withdraw from {place}",
    ),
    SourceKind.WEB: (
        "Who are {org}?",
        "{org}: a profile",
        "Factions active in {place}, {year}",
        "Daily situation report: {place}",
    ),
    SourceKind.REPORT: (
        "Armed groups in {place}: a mapping",
        "Understanding {org}",
        "The {place} front, {year}",
        "Civilians under siege in {place}",
    ),
    SourceKind.BOOK: (
        "The Armed Factions of {place}",
        "From {org} to {org2}: Insurgency and Its Heirs",
        "Rebels and Jihadists, {year}–{year2}",
    ),
    SourceKind.VIDEO: ("Statement by {org} on {place}", "Interview with a commander of {org}"),
    SourceKind.OTHER: ("Statement of {org}", "{org} on the situation in {place}"),
}
TITLES_AR = (
    ("اشتباكات بين {org} و{org2} في {place}", "Clashes between {org} and {org2} in {place}"),
    ("{org} تعلن سيطرتها على {place}", "{org} announces its control of {place}"),
    ("مقتل قيادي في {org} قرب {place}", "A commander of {org} killed near {place}"),
    ("من هي {org}؟", "Who is {org}?"),
    ("{org} تبايع {org2}", "{org} pledges allegiance to {org2}"),
    ("بيان {org} حول الأوضاع في {place}", "Statement of {org} on the situation in {place}"),
)
TITLES_FR = (
    (
        "Affrontements entre {org} et {org2} à {place}",
        "Clashes between {org} and {org2} in {place}",
    ),
    ("Qui sont les combattants de {org} ?", "Who are the fighters of {org}?"),
    ("{place} : {org} revendique le contrôle de la ville", "{place}: {org} claims the town"),
)
AUTHOR_GIVEN = ("Sarah", "David", "Lina", "Omar", "Hassan", "Emma", "Karim", "Rania", "Thomas")
AUTHOR_FAMILY = ("Lund", "Haddad", "Lister", "Khalil", "Heller", "Baker", "Daher", "Nassar")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# -- the report -------------------------------------------------------------------------------


@dataclass
class Report:
    """What a run wrote: rows per table and how long it took."""

    size: str
    seed: int
    rows: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self) -> str:
        """Rows per table and the overall rate, one line each."""
        total = sum(self.rows.values())
        lines = [f"Generated corpus {self.size} (seed {self.seed}):"]
        lines += [f"  {table:<18} {self.rows[table]:>12,}" for table in TABLES]
        rate = total / self.seconds if self.seconds else 0.0
        lines.append(f"  {'total':<18} {total:>12,} rows in {self.seconds:.1f} s ({rate:,.0f}/s)")
        return "\n".join(lines)


def generate(engine: Engine, size: str | Size, seed: int = 1) -> Report:
    """Add a synthetic corpus of ``size`` (a name in SIZES or a Size) to the database."""
    name = size if isinstance(size, str) else "custom"
    spec = SIZES[size] if isinstance(size, str) else size
    report = Report(size=name, seed=seed)
    started = time.monotonic()
    with engine.connect() as connection:
        connection.execution_options(**{WRITE_OPTION: True})  # SQLite: BEGIN IMMEDIATE
        sqlite = connection.dialect.name == "sqlite"
        with connection.begin() if sqlite else nullcontext(), _text_indexed_last(connection):
            sink = _Sink(connection, spec.expected(), report, one_transaction=sqlite)
            _Corpus(sink, spec, random.Random(seed)).write()
            sink.finish()
    report.seconds = time.monotonic() - started
    analyze(engine)
    return report


@contextmanager
def _text_indexed_last(connection: Connection) -> Iterator[None]:
    """SQLite: the full-text indexes (of the names, and of the sources' titles) built once,
    after the rows are written.

    Their triggers index a row as it is written, and FTS5 merges as it goes: at L, 35-40 s a
    table of names, against 8-22 s for its ``rebuild`` once the rows are in. The triggers are
    dropped and made again in the run's one transaction, so a run that fails leaves them as
    they were.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    indexes = connection.scalars(  # FTS5 tables with their content in another table
        text(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND sql LIKE 'CREATE VIRTUAL TABLE%' AND sql LIKE '%content=''%'"
        )
    ).all()
    triggers = [
        (name, sql)
        for name, sql in connection.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        )
        if any(index in sql for index in indexes)
    ]
    for name, _sql in triggers:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    logger.info("indexing the text: %s", ", ".join(indexes))
    for index in indexes:  # the names of tables the migrations made
        connection.exec_driver_sql(f'INSERT INTO "{index}"("{index}") VALUES (\'rebuild\')')
    for _name, sql in triggers:
        connection.exec_driver_sql(sql)


# -- writing ----------------------------------------------------------------------------------

# Tables in the order their rows are written: every row's references are written before it.
TABLES = (
    "sources",
    "entities",
    "places",
    "organizations",
    "people",
    "events",
    "entity_names",
    "operating_periods",
    "attributes",
    "relationships",
    "citations",
)
ID_TABLES = (
    "sources",
    "entities",
    "entity_names",
    "operating_periods",
    "attributes",
    "relationships",
    "citations",
)


class _Sink:
    """Buffers rows per table, writes them in batches, hands out ids, and reports progress."""

    def __init__(
        self,
        connection: Connection,
        expected: dict[str, int],
        report: Report,
        *,
        one_transaction: bool,
    ) -> None:
        """``one_transaction``: the caller's holds every batch (SQLite); otherwise each batch
        is a transaction of its own (PostgreSQL)."""
        self.connection = connection
        self.one_transaction = one_transaction
        self.expected = expected
        self.report = report
        self.tables: dict[str, Table] = {name: Base.metadata.tables[name] for name in TABLES}
        self.buffers: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        self.buffered = 0
        self.logged: Counter[str] = Counter()
        self.last_log = time.monotonic()
        self.postgresql = connection.dialect.name == "postgresql"
        with self.transaction():
            self.last_id = {
                name: connection.scalar(select(func.max(self.tables[name].c.id))) or 0
                for name in ID_TABLES
            }
            if self.postgresql:  # keep other writers' ids clear of the ones handed out here
                for name in ID_TABLES:
                    self._set_sequence(name, self.last_id[name] + expected[name])
            else:  # a larger page cache, as indexes fill in random order; fewer checkpoints
                connection.exec_driver_sql("PRAGMA cache_size=-262144")
                connection.exec_driver_sql("PRAGMA wal_autocheckpoint=16384")
        with self.transaction():
            self.entity_slugs = _Slugs(connection, "entities")
            self.source_slugs = _Slugs(connection, "sources")

    def new_id(self, table: str) -> int:
        """The id of the next row of an id table."""
        self.last_id[table] += 1
        return self.last_id[table]

    def add(self, table: str, row: dict[str, Any]) -> None:
        """Queue a row; a full buffer is written."""
        self.buffers[table].append(row)
        self.buffered += 1
        if self.buffered >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Write every buffered row, in table order, in one transaction."""
        with self.transaction():
            for name in TABLES:
                rows = self.buffers[name]
                if rows:
                    self.connection.execute(insert(self.tables[name]), rows)
                    self.report.rows[name] += len(rows)
                    self.buffers[name] = []
        self.buffered = 0
        if time.monotonic() - self.last_log >= PROGRESS_SECONDS:
            self._progress()

    def finish(self) -> None:
        """Write what is left, log the final counts, and (PostgreSQL) move the sequences on."""
        self.flush()
        self._progress()
        with self.transaction():
            if self.postgresql:
                for name in ID_TABLES:
                    self._set_sequence(name, None)
            else:
                self.connection.exec_driver_sql("PRAGMA cache_size=-2000")  # SQLite's defaults
                self.connection.exec_driver_sql("PRAGMA wal_autocheckpoint=1000")

    def transaction(self) -> AbstractContextManager[object]:
        """A transaction of its own, unless the run is one."""
        return nullcontext() if self.one_transaction else self.connection.begin()

    def _progress(self) -> None:
        for name in TABLES:
            if self.report.rows[name] != self.logged[name]:
                logger.info(
                    "%s: %s of %s rows",
                    name,
                    f"{self.report.rows[name]:,}",
                    f"{self.expected[name]:,}",
                )
        self.logged = Counter(self.report.rows)
        self.last_log = time.monotonic()

    def _set_sequence(self, table: str, value: int | None) -> None:
        # ``value`` None: the largest id stored. The table names are this module's own.
        if value is not None and value < 1:
            return
        target = f"(SELECT max(id) FROM {table})" if value is None else str(int(value))
        self.connection.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {target})")
        )


class _Slugs:
    """Slugs unique in one table: the slug of the text, then ``-2``, ``-3``, … as slugs.py does."""

    def __init__(self, connection: Connection, table: str) -> None:
        column = Base.metadata.tables[table].c.slug
        self.taken = set(connection.scalars(select(column)))
        self.suffix: Counter[str] = Counter()

    def mint(self, text_: str) -> str:
        """A new slug for ``text_``."""
        base = slugify(text_)
        slug = base
        while slug in self.taken:
            self.suffix[base] = max(self.suffix[base], 1) + 1
            slug = f"{base}-{self.suffix[base]}"
        self.taken.add(slug)
        return slug


# -- randomness -------------------------------------------------------------------------------


class _Zipf:
    """Draws items with probability falling as a power of their rank: a few hubs, a long tail."""

    def __init__(self, items: Sequence[int], exponent: float) -> None:
        self.items = list(items)
        weights = (1 / (rank + 1) ** exponent for rank in range(len(self.items)))
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random) -> int:
        """One item."""
        index = bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])
        return self.items[min(index, len(self.items) - 1)]


class _Spread:
    """Hands out exactly ``total`` extras over ``slots`` takes, 0 to ``cap`` each, at random."""

    def __init__(self, total: int, slots: int, cap: int) -> None:
        if not 0 <= total <= slots * cap:
            raise ValueError(f"cannot spread {total} over {slots} slots of at most {cap}")
        self.left, self.slots, self.cap = total, slots, cap

    def take(self, rng: random.Random) -> int:
        """The extras for the next slot (the mean of what is left, give or take)."""
        chance = self.left / self.slots / self.cap if self.cap else 0.0
        extra = sum(rng.random() < chance for _ in range(self.cap))
        extra = min(max(extra, self.left - self.cap * (self.slots - 1)), self.left)
        self.left -= extra
        self.slots -= 1
        return extra


def _spread(kind_counts: tuple[int, float, int], count: int) -> tuple[int, _Spread]:
    fewest, mean, cap = kind_counts
    return fewest, _Spread(round(count * mean) - fewest * count, count, cap)


# -- dates ------------------------------------------------------------------------------------

SpanColumns = dict[str, str | date | None]
NO_SPAN: SpanColumns = dict.fromkeys(
    ("date_text", "start_edtf", "end_edtf", "start_lower", "start_upper", "end_lower", "end_upper")
)


class _Dates:
    """Uncertain dates as the articles give them, with their bounds from app/dates.py.

    EDTF values come from a fixed pool of about 250 (years 1998-2024 plain, uncertain,
    approximate or as a pair; months 2011-2017; some days 2013-2016; decades), because the edtf
    package takes milliseconds to parse one; each is parsed once per process.
    """

    FIRST_YEAR = 1998

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def year(self) -> int:
        """A year, most often in the early 2010s."""
        return round(self.rng.triangular(self.FIRST_YEAR, LAST_YEAR, 2013))

    def value(self, year: int) -> str:
        """An EDTF date in ``year``, at some precision and certainty."""
        roll = self.rng.random()
        if roll < 0.12 and 2011 <= year <= 2017:
            return f"{year}-{self.rng.randint(1, 12):02d}"
        if roll < 0.17 and 2013 <= year <= 2016:
            return f"{year}-{self.rng.choice((1, 4, 7, 10)):02d}-{self.rng.choice((3, 17)):02d}"
        if roll < 0.27:
            return f"{year}~"
        if roll < 0.34:
            return f"{year}?"
        if roll < 0.40 and year < LAST_YEAR:
            return f"[{year},{year + 1}]"
        return str(year)

    def single(self) -> SpanColumns:
        """One date, as written and as EDTF."""
        return self.columns(self.value(self.year()), "same")

    def event(self) -> tuple[int, SpanColumns]:
        """When an event happened (a date, or a period within a year or two) and its year."""
        year = self.year()
        start = self.value(year)
        if self.rng.random() < 0.5:
            return year, self.columns(start, "same")
        return year, self.columns(start, self.value(min(LAST_YEAR, year + self.rng.randint(0, 1))))

    def period(self, *, ended: bool = False) -> SpanColumns:
        """A period: the end may be open (``..``) or unknown, and the start unknown."""
        start_year = self.year()
        roll = self.rng.random()
        start: str | None = self.value(start_year)
        end: str | None
        if roll < 0.15 and not ended:
            end = OPEN
        elif roll < 0.25 and not ended:
            end = None
        else:
            end_year = min(LAST_YEAR, start_year + int(self.rng.expovariate(0.4)))
            end = self.value(end_year)
            if roll > 0.95:
                start = None
        return self.columns(start, end)

    def columns(self, start: str | None, end: str | None) -> SpanColumns:
        """The stored form of a date (``end`` "same") or period, text included most often."""
        single = end == "same"
        end = start if single else end
        first = _bounds(start) if start else (None, None)
        last = _bounds(end) if end else (None, None)
        if first[0] and last[1] and first[0] > last[1]:  # the end's month or day is before
            end, last = start, first
        written = _written_span(start, end, single=single or start == end)
        return {
            "date_text": written if self.rng.random() < 0.8 else None,
            "start_edtf": start,
            "end_edtf": end,
            "start_lower": first[0],
            "start_upper": first[1],
            "end_lower": last[0],
            "end_upper": last[1],
        }


@functools.cache
def _bounds(value: str) -> tuple[date | None, date | None]:
    """The first and last day an EDTF value allows, by app/dates.py, parsed once per process.

    A single date's start and end bounds are the same, so one parse serves both; the open end
    (``..``), which needs no parse, is the only value whose bounds depend on the side.
    """
    if value == OPEN:
        span = span_from_edtf(OPEN)
        return span.end_lower, span.end_upper
    span = span_from_edtf(value, OPEN)  # the open end is not parsed: one parse, not two
    return span.start_lower, span.start_upper


def _written(value: str) -> str:
    """An EDTF value as an article writes it: ``2015~`` is "c. 2015", ``2014-06`` "June 2014"."""
    if value == OPEN:
        return "present"
    if value.endswith("X"):
        return f"{value[:3]}0s"
    if value.startswith("["):
        first, second = value[1:-1].split(",")
        same_century = first[:2] == second[:2]
        return f"{first}/{second[2:] if same_century else second}"
    core = value.rstrip("?~")
    parts = [int(part) for part in core.split("-")]
    words = [str(parts[0])]
    if len(parts) > 1:
        words.insert(0, MONTHS[parts[1] - 1])
    if len(parts) > 2:
        words.insert(0, str(parts[2]))
    written = " ".join(words)
    if value.endswith("~"):
        return f"c. {written}"
    return written + ("?" if value.endswith("?") else "")


def _written_span(start: str | None, end: str | None, *, single: bool) -> str:
    """A date or period as written: "c. 2015", "since June 2014", "2012/13 – present"."""
    if start is not None and (single or end is None):
        return _written(start) if single else f"since {_written(start)}"
    if end is None:
        return ""
    if start is None:
        return f"until {_written(end)}"
    return f"{_written(start)} – {_written(end)}"


# -- names ------------------------------------------------------------------------------------

NameRow = tuple[str, NameKind, str, str]  # name, kind, language, script


def _latin(words: Sequence[Word], pick: Callable[[Word], str]) -> str:
    return " ".join(pick(word) for word in words)


def _arabic(words: Sequence[Word], vowels: bool) -> str:
    return " ".join(word.arabic if vowels else word.arabic_plain for word in words)


def _variant(rng: random.Random, words: Sequence[Word]) -> str:
    """The words in other Latin spellings (at least one differs from the usual)."""
    choices = [rng.randrange(len(word.latin)) for word in words]
    if not any(choices):
        changed = rng.randrange(len(words))
        choices[changed] = rng.randrange(1, len(words[changed].latin))
    return " ".join(word.latin[choice] for word, choice in zip(words, choices, strict=True))


def _abbreviation(words: Sequence[Word]) -> str:
    tokens = " ".join(word.latin[0] for word in words).replace("-", " ").split()
    return "".join(token[0].upper() for token in tokens if token not in {"al", "el", "fi"})


@dataclass
class _Planned:
    """An entity planned before it is written: its id, kind, words and whatever else it needs."""

    id: int
    kind: EntityKind
    words: tuple[Word, ...]
    name: str
    arabic: str
    extra: dict[str, Any] = field(default_factory=dict)


# -- the corpus -------------------------------------------------------------------------------


class _Corpus:
    """Plans entities (names must be unique), then writes sources, entities and relationships."""

    def __init__(self, sink: _Sink, size: Size, rng: random.Random) -> None:
        self.sink, self.size, self.rng = sink, size, rng
        self.dates = _Dates(rng)
        self.now = datetime.now(UTC)
        self.keys: set[str] = set()
        self.planned: dict[EntityKind, list[_Planned]] = {}
        self.by_id: dict[int, _Planned] = {}
        counts = sink.expected
        self.extra_citations = _Spread(
            counts["citations"] - Size.facts(counts), Size.facts(counts), MOST_CITATIONS - 1
        )
        self.source_ids: list[int] = []
        self.cited_sources: _Zipf | None = None
        self.source_kinds: dict[int, SourceKind] = {}

    def write(self) -> None:
        """Plan every entity, then write sources, entities with their facts, relationships."""
        self._plan_places()
        self._plan_organizations()
        self._plan_people()
        self._plan_events()
        self._sources()
        for kind in (
            EntityKind.PLACE,
            EntityKind.ORGANIZATION,
            EntityKind.PERSON,
            EntityKind.EVENT,
        ):
            self._entities(kind)
        self._relationships()

    # -- planning ----------------------------------------------------------------------------

    def _unique(self, make: Callable[[int], tuple[Word, ...]]) -> tuple[Word, ...]:
        """Words whose usual spelling no other planned entity has; ``make(attempt)`` proposes."""
        for attempt in itertools.count():
            words = make(attempt)
            key = name_key(_latin(words, lambda word: word.latin[0]))
            if key not in self.keys:
                self.keys.add(key)
                return words
        raise AssertionError("unreachable")

    def _plan(self, kind: EntityKind, words: tuple[Word, ...], **extra: Any) -> _Planned:
        planned = _Planned(
            id=self.sink.new_id("entities"),
            kind=kind,
            words=words,
            name=_latin(words, lambda word: word.latin[0]),
            arabic=_arabic(words, vowels=False),
            extra=extra,
        )
        self.planned.setdefault(kind, []).append(planned)
        self.by_id[planned.id] = planned
        return planned

    def _plan_places(self) -> None:
        rng = self.rng

        def make(attempt: int) -> tuple[Word, ...]:
            head, stem = rng.choice(PLACE_HEADS), rng.choice(PLACE_STEMS)
            if attempt < 3:
                return (head, stem)
            if attempt < 10:
                return (head, stem, rng.choice(PLACE_SIDES))
            if attempt < 30:
                return (head, stem, rng.choice(PLACE_STEMS))
            return (head, stem, rng.choice(PLACE_STEMS), rng.choice(PLACE_SIDES))

        for index in range(self.size.places):
            if index < len(KNOWN_PLACES):
                known = KNOWN_PLACES[index]
                self.keys.add(name_key(known.latin[0]))
                self._plan(EntityKind.PLACE, (known,), place_type=known.english)
            else:
                words = self._unique(make)
                self._plan(EntityKind.PLACE, words, place_type=words[0].english)
        self.places = _Zipf([p.id for p in self.planned[EntityKind.PLACE]], ZIPF_EXPONENT[PLC])
        towns = [p.id for p in self.planned[EntityKind.PLACE] if p.extra["place_type"] != "country"]
        self.towns = _Zipf(towns, ZIPF_EXPONENT[PLC])

    def _plan_organizations(self) -> None:
        rng = self.rng

        def make(attempt: int) -> tuple[Word, ...]:
            words = [rng.choice(ORG_TYPES)]
            if rng.random() < 0.5:
                words.append(rng.choice(ORG_MEMBERS))
            words.append(rng.choice(ORG_CAUSES))
            if attempt >= 5:  # a name taken elsewhere: this one is of a place
                words += [IN, *self.by_id[self.towns.draw(rng)].words]
            return tuple(words)

        for _ in range(self.size.organizations):
            self._plan(EntityKind.ORGANIZATION, self._unique(make))
        # The first planned, whose names are the plainest, are the hubs.
        ids = [o.id for o in self.planned[EntityKind.ORGANIZATION]]
        self.organizations = _Zipf(ids, ZIPF_EXPONENT[ORG])

    def _plan_people(self) -> None:
        rng = self.rng

        def make(attempt: int) -> tuple[Word, ...]:
            given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
            if attempt < 2:
                return (given, family)
            if attempt < 10:
                return (given, rng.choice(GIVEN_NAMES), family)
            return (given, rng.choice(GIVEN_NAMES), rng.choice(GIVEN_NAMES), family)

        for _ in range(self.size.people):
            birth = self._unique(make)
            # Many go by a kunya, "father of", and a nisba: Abu Hamza al-Masri; the other name
            # is an alias. Kunyas are not unique.
            kunya = (FATHER, rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES))
            official, alias = (kunya, birth) if rng.random() < 0.3 else (birth, kunya)
            self._plan(EntityKind.PERSON, official, alias=alias)
        ids = [p.id for p in self.planned.get(EntityKind.PERSON, [])]
        rng.shuffle(ids)
        self.people = _Zipf(ids, ZIPF_EXPONENT[PER])

    def _plan_events(self) -> None:
        rng = self.rng
        for _ in range(self.size.events):
            for attempt in itertools.count():
                english, arabic, event_type = rng.choice(EVENT_KINDS)
                place = self.by_id[self.towns.draw(rng)]
                year, span = self.dates.event()
                # "Battle of Homs", or "Battle of Homs (2014)" when there were several.
                suffix = f" ({year})" if attempt or rng.random() < 0.5 else ""
                key = name_key(english.format(place.name) + suffix)
                if key not in self.keys or attempt > 20:
                    self.keys.add(key)
                    break
            event = self._plan(
                EntityKind.EVENT,
                place.words,
                event_type=event_type,
                place=place,
                span=span,
                english=english,
                arabic_template=arabic,
                suffix=suffix,
            )
            event.name = english.format(place.name) + suffix
            event.arabic = _SHORT_VOWELS.sub("", arabic).format(place.arabic) + suffix
        ids = [e.id for e in self.planned.get(EntityKind.EVENT, [])]
        rng.shuffle(ids)
        self.events = _Zipf(ids, ZIPF_EXPONENT[EVT])

    # -- sources and citations ---------------------------------------------------------------

    def _sources(self) -> None:
        rng = self.rng
        kinds = [(kind, language) for kind, language, _ in SOURCE_KINDS]
        weights = list(itertools.accumulate(weight for _, _, weight in SOURCE_KINDS))
        organizations = self.planned[EntityKind.ORGANIZATION]
        towns = self.planned[EntityKind.PLACE]
        for _ in range(self.size.sources):
            kind, language = rng.choices(kinds, cum_weights=weights)[0]
            publisher, domain = rng.choice(PUBLISHERS[kind, language])
            org, org2 = rng.choice(organizations), rng.choice(organizations)
            place = rng.choice(towns)
            published = date(self.dates.year(), 1, 1) + timedelta(days=rng.randrange(365))
            fields = {
                "org": org.name,
                "org2": org2.name,
                "place": place.name,
                "year": published.year,
                "year2": min(LAST_YEAR, published.year + rng.randint(1, 8)),
            }
            translated = None
            if language == "ar":
                template, english = rng.choice(TITLES_AR)
                title = template.format(org=org.arabic, org2=org2.arabic, place=place.arabic)
                translated = english.format(**fields)
            elif language == "fr":
                template, english = rng.choice(TITLES_FR)
                title, translated = template.format(**fields), english.format(**fields)
            else:
                title = rng.choice(TITLES[kind]).format(**fields)
            source_id = self.sink.new_id("sources")
            slug = self.sink.source_slugs.mint(translated or title)
            online = kind not in {SourceKind.BOOK}
            archived = online and rng.random() < 0.3
            url = f"https://{domain}/{published:%Y/%m}/{slug}" if online else None
            self.sink.add(
                "sources",
                {
                    "id": source_id,
                    "slug": slug,
                    "kind": kind,
                    "title": title,
                    "translated_title": translated,
                    "language": language,
                    "authors": [
                        f"{rng.choice(AUTHOR_GIVEN)} {rng.choice(AUTHOR_FAMILY)}"
                        for _ in range(rng.choice((0, 1, 1, 2, 3)))
                    ],
                    "publisher": publisher,
                    "published_text": (
                        str(published.year) if kind is SourceKind.BOOK else _day_text(published)
                    ),
                    "published_date": None if kind is SourceKind.BOOK else published,
                    "archived_date": published + timedelta(days=30) if archived else None,
                    "retrieved_date": published + timedelta(days=60) if online else None,
                    "url": url,
                    "archive_url": (
                        f"https://web.archive.org/web/{published:%Y%m%d}000000/{url}"
                        if archived
                        else None
                    ),
                    "format": "PDF" if kind is SourceKind.REPORT else None,
                    "license": None,
                    "license_url": None,
                    "attribution": None,
                    "text": None,
                    "extra": {"synthetic": True},
                    "version": 1,
                    "created_at": self.now,
                    "updated_at": self.now,
                },
            )
            self.source_ids.append(source_id)
            self.source_kinds[source_id] = kind
        self.cited_sources = _Zipf(self.source_ids, 0.6)

    def _cite(self, column: str, fact_id: int, quote: str | None = None) -> None:
        """One to four citations of a fact, each of a different source."""
        assert self.cited_sources is not None
        rng = self.rng
        wanted = 1 + self.extra_citations.take(rng)
        chosen: list[int] = []
        while len(chosen) < min(wanted, len(self.source_ids)):
            source_id = self.cited_sources.draw(rng)
            if source_id not in chosen:
                chosen.append(source_id)
        chosen += [self.cited_sources.draw(rng) for _ in range(wanted - len(chosen))]
        for source_id in chosen:
            row: dict[str, Any] = dict.fromkeys(
                ("entity_id", "name_id", "period_id", "relationship_id", "attribute_id")
            )
            row.update(
                id=self.sink.new_id("citations"),
                source_id=source_id,
                reference_number=rng.randint(1, 150) if rng.random() < 0.4 else None,
                locator=_locator(rng, self.source_kinds[source_id]),
                quote=quote if rng.random() < 0.3 else None,
            )
            row[column] = fact_id
            self.sink.add("citations", row)

    # -- entities ----------------------------------------------------------------------------

    def _entities(self, kind: EntityKind) -> None:
        planned = self.planned.get(kind, [])
        fewest_names, names = _spread(NAMES_PER[kind], len(planned))
        fewest_attributes, attributes = _spread(ATTRIBUTES_PER.get(kind, NONE_PER), len(planned))
        fewest_periods, periods = _spread(PERIODS_PER.get(kind, NONE_PER), len(planned))
        for entity in planned:
            self._entity(entity)
            candidates = list(dict.fromkeys(self._names(entity)))
            wanted = fewest_names + names.take(self.rng)
            assert len(candidates) >= wanted, (entity.name, candidates)
            for name in candidates[:wanted]:
                self._name(entity, name)
            for _ in range(fewest_attributes + attributes.take(self.rng)):
                self._attribute(entity)
            for _ in range(fewest_periods + periods.take(self.rng)):
                self._period(entity)

    def _entity(self, entity: _Planned) -> None:
        rng = self.rng
        description = None
        if entity.kind is EntityKind.ORGANIZATION:
            entity.extra["organization_type"] = rng.choice(ORGANIZATION_TYPES)
            if rng.random() < 0.6:
                place = self.by_id[self.towns.draw(rng)].name
                description = f"A {entity.extra['organization_type']} active in {place}."
        self.sink.add(
            "entities",
            {
                "id": entity.id,
                "kind": entity.kind,
                "slug": self.sink.entity_slugs.mint(entity.name),
                "name": entity.name,
                "description": description,
                "version": 1,
                "created_at": self.now,
                "updated_at": self.now,
            },
        )
        if entity.kind is EntityKind.ORGANIZATION:
            row = {"id": entity.id, "organization_type": entity.extra["organization_type"]}
            self.sink.add("organizations", row)
        elif entity.kind is EntityKind.PERSON:
            self.sink.add("people", {"id": entity.id})
        elif entity.kind is EntityKind.PLACE:
            self.sink.add("places", {"id": entity.id, "place_type": entity.extra["place_type"]})
        else:
            row = {"id": entity.id, "event_type": entity.extra["event_type"]}
            row.update(entity.extra["span"], place_id=entity.extra["place"].id)
            self.sink.add("events", row)
        self._cite("entity_id", entity.id, description)

    def _names(self, entity: _Planned) -> list[NameRow]:
        """Every name the entity could have, the likeliest first (duplicates are dropped)."""
        rng, words = self.rng, entity.words
        latin: NameRow = (entity.name, NameKind.OFFICIAL, "en", "Latn")
        arabic: NameRow = (entity.arabic, NameKind.NATIVE, "ar", "Arab")
        vowelled: NameRow = (_arabic(words, vowels=True), NameKind.VARIANT, "ar", "Arab")
        romanized = (_latin(words, lambda w: w.romanized), NameKind.ROMANIZED, "ar-Latn", "Latn")
        variant: NameRow = (_variant(rng, words), NameKind.VARIANT, "en", "Latn")
        if entity.kind is EntityKind.ORGANIZATION:
            translation = (_translation(words), NameKind.TRANSLATION, "en", "Latn")
            abbreviation = (_abbreviation(words), NameKind.ABBREVIATION, "en", "Latn")
            other = (_variant(rng, words), NameKind.VARIANT, "en", "Latn")
            return [latin, arabic, variant, vowelled, translation, romanized, abbreviation, other]
        if entity.kind is EntityKind.PERSON:
            other = entity.extra["alias"]
            alias: NameRow = (_latin(other, lambda w: w.latin[0]), NameKind.ALIAS, "en", "Latn")
            alias_arabic: NameRow = (_arabic(other, vowels=False), NameKind.ALIAS, "ar", "Arab")
            return [latin, arabic, alias, variant, alias_arabic, vowelled, romanized]
        if entity.kind is EntityKind.EVENT:
            english, suffix = entity.extra["english"], entity.extra["suffix"]
            place_variant = (english.format(_variant(rng, words)) + suffix, *variant[1:])
            template = entity.extra["arabic_template"]
            vowelled = (template.format(_arabic(words, vowels=True)) + suffix, *vowelled[1:])
            return [latin, arabic, place_variant, vowelled]
        return [latin, arabic, variant, vowelled, romanized]

    def _name(self, entity: _Planned, name: NameRow) -> None:
        text_, kind, language, script = name
        name_id = self.sink.new_id("entity_names")
        self.sink.add(
            "entity_names",
            {
                "id": name_id,
                "entity_id": entity.id,
                "name": text_,
                "language": language,
                "script": script,
                "kind": kind,
                "key": name_key(text_),
                "skeleton": name_skeleton(text_),
            },
        )
        quote = None if text_ == entity.name else f"{entity.name}, also known as {text_}"
        self._cite("name_id", name_id, quote)

    def _attribute(self, entity: _Planned) -> None:
        rng = self.rng
        number: Decimal | None = None
        span = NO_SPAN
        if entity.kind is EntityKind.PERSON:
            name = rng.choice(("nationality", "born"))
            if name == "born":  # a decade: 196X, "the 1960s"
                decade = f"{rng.randint(195, 198)}X"
                value, span = _written(decade), self.dates.columns(decade, "same")
            else:
                value = rng.choice(NATIONALITIES)
        else:
            name = rng.choice(("size", "size", "ideology", "status", "motives"))
            if name == "size":
                fighters = round(rng.paretovariate(1.2) * 100, -1)
                number = Decimal(int(fighters))
                value = f"{int(fighters):,} fighters"
                span = self.dates.single()
            else:
                value = rng.choice(ATTRIBUTE_VALUES[name])
                span = self.dates.period() if rng.random() < 0.5 else NO_SPAN
        attribute_id = self.sink.new_id("attributes")
        row = {
            "id": attribute_id,
            "entity_id": entity.id,
            "name": name,
            "value": value,
            "value_number": number,
            "note": None,
        }
        self.sink.add("attributes", {**row, **span})
        self._cite("attribute_id", attribute_id, f"{name.capitalize()}: {value}")

    def _period(self, entity: _Planned) -> None:
        rng = self.rng
        label = rng.choice((None, None, None, "main group", "remnant faction", "as a brigade"))
        period_id = self.sink.new_id("operating_periods")
        span = self.dates.period()
        row = {"id": period_id, "organization_id": entity.id, "label": label}
        self.sink.add("operating_periods", {**row, **span})
        when = span["date_text"] or "for a time"
        self._cite("period_id", period_id, f"{entity.name} was active {when}.")

    # -- relationships -----------------------------------------------------------------------

    def _relationships(self) -> None:
        rng = self.rng
        pools = {ORG: self.organizations, PER: self.people, EVT: self.events, PLC: self.places}
        links = [link for link in LINKS if pools[link[2]].items and pools[link[3]].items]
        weights = list(itertools.accumulate(link[1] for link in links))  # cumulative: faster
        statuses = [status for status, _ in STATUSES]
        status_weights = list(itertools.accumulate(weight for _, weight in STATUSES))
        type_numbers = {type_: number for number, type_ in enumerate(RelationshipType)}
        seen: set[int] = set()  # subject, object and type, packed into one int to save memory
        for _ in range(self.size.relationships):
            for attempt in itertools.count():
                type_, _, subject_kind, object_kind, roles, says = rng.choices(
                    links, cum_weights=weights
                )[0]
                subject = pools[subject_kind].draw(rng)
                object_ = pools[object_kind].draw(rng)
                packed = (subject << 32 | object_) << 5 | type_numbers[type_]
                if subject != object_ and (packed not in seen or attempt > 50):
                    break
            seen.add(packed)
            status = rng.choices(statuses, cum_weights=status_weights)[0]
            if type_ in {RelationshipType.PARTICIPANT, RelationshipType.FOUGHT_IN}:
                span = self.dates.single() if rng.random() < 0.3 else NO_SPAN
            elif rng.random() < 0.75 or status is RelationshipStatus.ENDED:
                span = self.dates.period(ended=status is RelationshipStatus.ENDED)
            else:
                span = NO_SPAN
            relationship_id = self.sink.new_id("relationships")
            row = {
                "id": relationship_id,
                "subject_id": subject,
                "object_id": object_,
                "type": type_,
                "status": status,
                "role": rng.choice(roles) if roles and rng.random() < 0.7 else None,
                "note": rng.choice(NOTES) if rng.random() < 0.03 else None,
                "version": 1,
                "created_at": self.now,
                "updated_at": self.now,
            }
            self.sink.add("relationships", {**row, **span})
            quote = says.format(s=self.by_id[subject].name, o=self.by_id[object_].name) + "."
            self._cite("relationship_id", relationship_id, quote)


def _translation(words: Sequence[Word]) -> str:
    """An organization's name in English: Brigade of the Supporters of the Truth in Homs."""
    parts = list(words)
    place: list[Word] = []
    if IN in parts:
        place = parts[parts.index(IN) + 1 :]
        parts = parts[: parts.index(IN)]
    english = " of ".join(word.english for word in parts)
    return english + (f" in {_latin(place, lambda w: w.latin[0])}" if place else "")


def _locator(rng: random.Random, kind: SourceKind) -> str | None:
    if kind in {SourceKind.BOOK, SourceKind.REPORT}:
        page = rng.randint(1, 400)
        return f"p. {page}" if rng.random() < 0.7 else f"pp. {page}–{page + rng.randint(1, 5)}"
    if kind is SourceKind.VIDEO:
        return f"at {rng.randint(0, 59)}:{rng.randint(0, 59):02d}"
    return f"para. {rng.randint(1, 20)}" if rng.random() < 0.2 else None


def _day_text(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
