"""Curated annotations for the seed article on Aknaf Bait al-Maqdis (seed/article.txt).

They say what a parser cannot: which entity a bare name means, and which sentences of the History
describe relationships and events. Each rests on a quote from the article; the loader takes the
citation markers from the sentence the quote stands in.
"""

from app.models import EntityKind, RelationshipStatus, RelationshipType
from seed.annotations import SUBJECT, Annotations, EntityNote, EventNote, RelationshipNote

ORG = EntityKind.ORGANIZATION
PERSON = EntityKind.PERSON
PLACE = EntityKind.PLACE
EVENT = EntityKind.EVENT

ENTITIES = (
    EntityNote(
        "Syria",
        ORG,
        "Opponents Syria",
        canonical="Syrian government",
        aliases=("Syrian government forces", "Assad government"),
        organization_type="government",
        description="The government of Syria and its armed forces; 'Syria' among the opponents.",
    ),
    EntityNote(
        "Islamic State of Iraq and the Levant",
        ORG,
        "Islamic State of Iraq and the Levant",
        aliases=("ISIL", "ISIS", "Islamic State"),
        organization_type="jihadist group",
    ),
    EntityNote(
        "Al-Nusra Front",
        ORG,
        "Al-Nusra Front (formally)",
        aliases=("Jabhat al-Nusra",),
        organization_type="jihadist group",
    ),
    EntityNote("Hamas", ORG, "Allegiance Hamas", organization_type="Palestinian Islamist movement"),
    EntityNote("Hezbollah", ORG, "Hezbollah", organization_type="Lebanese Shia movement"),
    EntityNote(
        "Hay'at Tahrir al-Sham",
        ORG,
        "Hay'at Tahrir al-Sham (2018)",
        aliases=("HTS",),
        organization_type="jihadist group",
    ),
    EntityNote(
        "Al-Rahman Legion",
        ORG,
        "Al-Rahman Legion",
        aliases=("Faylaq al-Rahman",),
        organization_type="rebel group",
    ),
    EntityNote(
        "PFLP-GC",
        ORG,
        "contacted leading members of the PFLP-GC",
        canonical="Popular Front for the Liberation of Palestine – General Command",
        aliases=("PFLP-GC",),
        organization_type="Palestinian militia",
    ),
    EntityNote(
        "Amal Movement", ORG, "the Amal Movement", organization_type="Lebanese Shia movement"
    ),
    EntityNote(
        "Syrian opposition",
        ORG,
        "loosely affiliated to the Syrian opposition",
        organization_type="coalition",
    ),
    EntityNote(
        "Syrian rebels", ORG, "allied with the Syrian rebels", organization_type="coalition"
    ),
    EntityNote(
        "Palestinian pro-government militias",
        ORG,
        "the more numerous Palestinian pro-government militias",
        organization_type="militias",
    ),
    EntityNote(
        "United Nations",
        ORG,
        "the UN secretary-general Ban Ki-moon",
        aliases=("UN",),
        organization_type="intergovernmental organization",
    ),
    EntityNote("Khaled Mashal", PERSON, "Hamas leader Khaled Mashal"),
    EntityNote("Ban Ki-moon", PERSON, "the UN secretary-general Ban Ki-moon"),
    EntityNote(
        "Yarmouk Camp",
        PLACE,
        "HeadquartersYarmouk Camp, Damascus",
        place_type="refugee camp",
        located_in="Damascus",
    ),
    EntityNote("Damascus", PLACE, "HeadquartersYarmouk Camp, Damascus", place_type="city"),
    EntityNote("Southern Syria", PLACE, "Active regionsSouthern Syria", place_type="region"),
    EntityNote("Quneitra", PLACE, "It also had branches in Quneitra", place_type="city"),
    EntityNote("Daraa Governorate", PLACE, "and the Daraa Governorate", place_type="governorate"),
    EntityNote(
        "Daraa border crossing",
        PLACE,
        "aimed at capturing the Daraa border crossing",
        place_type="border crossing",
        located_in="Daraa Governorate",
    ),
    EntityNote(
        "southern Damascus",
        PLACE,
        "aiming to retake all of southern Damascus",
        place_type="area",
        located_in="Damascus",
    ),
    EntityNote(
        "northern Syria",
        PLACE,
        "agreed to surrender and be relocate to northern Syria",
        place_type="region",
    ),
    EntityNote(
        "Syrian Civil War",
        EVENT,
        "Battles and warsSyrian Civil War",
        description="The armed conflict in Syria that began in 2011.",
    ),
)

APRIL_2015 = "battled the Islamic State of Iraq and the Levant, backed by al-Nusra Front"

RELATIONSHIPS = (
    RelationshipNote(
        "several Syrian members of Hamas joined the rebellion against the Syrian government",
        SUBJECT,
        RelationshipType.FOUNDED_BY,
        "Hamas",
        role="Syrian members of Hamas",
    ),
    RelationshipNote(
        "several Syrian members of Hamas joined the rebellion against the Syrian government",
        SUBJECT,
        RelationshipType.OPPONENT,
        "Syria",
    ),
    RelationshipNote(
        "loosely affiliated to the Syrian opposition",
        SUBJECT,
        RelationshipType.AFFILIATE,
        "Syrian opposition",
        note="loosely affiliated",
    ),
    RelationshipNote(
        "its true allegiance remained with Hamas",
        SUBJECT,
        RelationshipType.ALLEGIANCE,
        "Hamas",
    ),
    RelationshipNote(
        "Hamas, however, officially denied any links with Aknaf Beit al-Maqdis",
        SUBJECT,
        RelationshipType.ALLEGIANCE,
        "Hamas",
        status=RelationshipStatus.DISPUTED,
        note="Hamas officially denied any links",
    ),
    RelationshipNote(
        "The group was primarily active in the Yarmouk Camp of Damascus",
        SUBJECT,
        RelationshipType.ACTIVE_IN,
        "Yarmouk Camp",
        date_text="from 2013",
    ),
    RelationshipNote(
        "It also had branches in Quneitra",
        SUBJECT,
        RelationshipType.ACTIVE_IN,
        "Quneitra",
        role="branch",
    ),
    RelationshipNote(
        "and the Daraa Governorate",
        SUBJECT,
        RelationshipType.ACTIVE_IN,
        "Daraa Governorate",
        role="branch",
    ),
    RelationshipNote(
        APRIL_2015,
        SUBJECT,
        RelationshipType.ALLY,
        "Al-Nusra Front",
        date_text="until April 2015",
        note="al-Nusra Front backed ISIL against the group in April 2015",
    ),
    RelationshipNote(
        APRIL_2015,
        SUBJECT,
        RelationshipType.OPPONENT,
        "Al-Nusra Front",
        date_text="from April 2015",
        start="2015-04",
        end="",  # EDTF unknown end: the infobox says only "(2015)"
    ),
    RelationshipNote(
        APRIL_2015, SUBJECT, RelationshipType.OPPONENT, "Islamic State of Iraq and the Levant"
    ),
    RelationshipNote(
        "the group was officially absorbed into the Syrian government forces",
        SUBJECT,
        RelationshipType.ABSORBED_INTO,
        "Syria",
        start="2015-04",
        end="2015",
    ),
    RelationshipNote(
        "Hamas leader Khaled Mashal",
        "Khaled Mashal",
        RelationshipType.LEADER,
        "Hamas",
        role="leader",
    ),
    RelationshipNote(
        "the UN secretary-general Ban Ki-moon",
        "Ban Ki-moon",
        RelationshipType.LEADER,
        "United Nations",
        role="Secretary-General",
    ),
    RelationshipNote(
        "a faction of the militia remained active in Yarmouk Camp and allied with the Syrian",
        SUBJECT,
        RelationshipType.ALLY,
        "Syrian rebels",
        role="remnant faction",
        date_text="from April 2015",
    ),
    RelationshipNote(
        "clashed with the more numerous Palestinian pro-government militias",
        SUBJECT,
        RelationshipType.OPPONENT,
        "Palestinian pro-government militias",
        date_text="2018",
        start="2018-04",
        end="2018-05",
    ),
)

EVENTS = (
    EventNote(
        "which it defended alongside other insurgents from government attacks from 2013",
        "Defence of Yarmouk Camp",
        "siege",
        date_text="from 2013",
        place="Yarmouk Camp",
        participants=((SUBJECT, "defender"), ("Syria", "attacker")),
    ),
    EventNote(
        "took part in a rebel offensive in September 2013",
        "Rebel offensive on the Daraa border crossing",
        "offensive",
        date_text="September 2013",
        start="2013-09",
        place="Daraa border crossing",
        participants=((SUBJECT, "attacker (the group's Daraa branch)"),),
    ),
    EventNote(
        APRIL_2015,
        "ISIL assault on Yarmouk Camp",
        "battle",
        date_text="April 2015",
        start="2015-04",
        place="Yarmouk Camp",
        description="The group lost 90% of its territory in Yarmouk Camp.",
        participants=(
            (SUBJECT, "defender"),
            ("Islamic State of Iraq and the Levant", "attacker"),
            ("Al-Nusra Front", "backed the attacker"),
        ),
    ),
    EventNote(
        "As result, Aknaf Beit al-Maqdis disintegrated",
        "Disintegration of Aknaf Beit al-Maqdis",
        "dissolution",
        start="2015-04",
        end="2015",
        description="Absorbed into the Syrian government forces; many members defected to the "
        "al-Nusra Front and ISIL.",
        participants=(
            (SUBJECT, "disintegrated"),
            ("Syria", "absorbed the group"),
            ("Al-Nusra Front", "received defectors"),
            ("Islamic State of Iraq and the Levant", "received defectors"),
        ),
    ),
    EventNote(
        "Hamas leader Khaled Mashal reportedly contacted leading members of the PFLP-GC",
        "Khaled Mashal's appeal for the safety of the group's members",
        "negotiation",
        start="2015-04",
        end="2015",
        description="To save the remainder of the militia, by then reduced to 160 fighters.",
        participants=(
            ("Khaled Mashal", "mediator"),
            ("PFLP-GC", "contacted"),
            ("Hezbollah", "contacted"),
            ("Amal Movement", "contacted"),
            (SUBJECT, "subject of the talks"),
        ),
    ),
    EventNote(
        "The group's Yarmouk branch consequently joined the Syrian government forces",
        "Yarmouk branch joins the Syrian government forces",
        "defection",
        start="2015-04",
        end="2015",
        place="Yarmouk Camp",
        description="One of its commanders declared the entire militia dissolved.",
        participants=((SUBJECT, "defected (Yarmouk branch)"), ("Syria", "received the branch")),
    ),
    EventNote(
        "accused the group of being implicated in rape",
        "UN accusation of conflict-related sexual violence",
        "accusation",
        date_text="early 2015",
        start="2015-37",
        participants=(("Ban Ki-moon", "accuser"), (SUBJECT, "accused")),
    ),
    EventNote(
        "This faction rejected offers of reconciliation by the government in January 2017",
        "Rejection of the government's reconciliation offer",
        "negotiation",
        date_text="January 2017",
        start="2017-01",
        participants=((SUBJECT, "rejected (remnant faction)"), ("Syria", "offered")),
    ),
    EventNote(
        "signed a ceasefire agreement with government forces in October 2017",
        "Southern Damascus ceasefire agreement",
        "ceasefire",
        date_text="October 2017",
        start="2017-10",
        participants=(
            (SUBJECT, "signatory"),
            ("Jaysh al-Islam", "signatory"),
            ("Jaysh al-Ababil", "signatory"),
            ("Syria", "signatory"),
        ),
    ),
    EventNote(
        "the government launched an offensive from April 2018",
        "Southern Damascus offensive",
        "offensive",
        date_text="from April 2018",
        start="2018-04",
        end="2018-05",
        place="southern Damascus",
        description="Launched after most rebel factions in southern Damascus, including the "
        "group, rejected offers to be transported to northern Syria.",
        participants=(("Syria", "attacker"), (SUBJECT, "defender")),
    ),
    EventNote(
        "clashed with the more numerous Palestinian pro-government militias",
        "Clashes with Palestinian pro-government militias in Yarmouk Camp",
        "battle",
        date_text="2018",
        start="2018-04",
        end="2018-05",
        place="Yarmouk Camp",
        participants=((SUBJECT, "combatant"), ("Palestinian pro-government militias", "combatant")),
    ),
    EventNote(
        "the insurgents yielded in May, and agreed to surrender",
        "Surrender and relocation to northern Syria",
        "surrender",
        date_text="May 2018",
        start="2018-05",
        place="northern Syria",
        also_quotes=("were among the first group of surrendered insurgents",),
        participants=((SUBJECT, "surrendered and relocated"), ("Syria", "accepted the surrender")),
    ),
)

ANNOTATIONS = Annotations(
    entities=ENTITIES,
    relationships=RELATIONSHIPS,
    events=EVENTS,
    organization_type="militia",
)
