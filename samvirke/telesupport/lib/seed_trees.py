"""The problem trees a landsdel starts with, one per device kind: the KOL kit of seed 003 (ch. 3 and Bilag A/C:
a tablet with data subscription, MDM and Bluetooth, the app, a Bluetooth scale and a saturation meter, l. 498 and
l. 533; the simple questions support answers, l. 6694–6699: "Jeg ved ikke, om apparatet er tændt?", "Er det den
grønne knap, jeg skal trykke på?"; docs/sources.md#seed-003). The secretariat and the support operator edit them
afterwards (the editor page); lessons propose changes.

Pure: no Django, no database, no settings.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SEED_TREES"]


def _q(text: str, *answers: tuple[str, str]) -> dict[str, Any]:
    return {"kind": "question", "text": text, "answers": [{"label": a, "next": n} for a, n in answers]}


def _fix(text: str, cause: str) -> dict[str, Any]:
    return {"kind": "outcome", "text": text, "forward": "", "cause": cause}


def _fwd(text: str, forward: str, cause: str) -> dict[str, Any]:
    return {"kind": "outcome", "text": text, "forward": forward, "cause": cause}


_HEALTH = _fwd(
    "Spørgsmålet handler om borgerens helbred eller målinger, ikke om udstyret. Support giver ikke sundhedsfaglige "
    "råd: send sagen til sundhedspersonalet, og sig til borgeren, at de ringer tilbage. Ved akut forværring: 112.",
    "health_staff",
    "Sundhedsfagligt spørgsmål",
)

TABLET: dict[str, Any] = {
    "root": "start",
    "nodes": {
        "start": _q(
            "Handler henvendelsen om tabletten eller om borgerens helbred og målinger?",
            ("Tabletten", "taendt"),
            ("Helbred eller målinger", "helbred"),
        ),
        "helbred": _HEALTH,
        "taendt": _q(
            "Lyser skærmen, når borgeren trykker kort på tænd-knappen på siden?",
            ("Ja", "net"),
            ("Nej", "oplad"),
            ("Borgeren ved det ikke", "vejled-taend"),
        ),
        "vejled-taend": _q(
            "Bed borgeren holde tænd-knappen på siden inde i 3 sekunder. Tænder tabletten nu?",
            ("Ja", "net"),
            ("Nej", "oplad"),
        ),
        "oplad": _q(
            "Bed borgeren sætte opladeren i tabletten og i stikkontakten og vente 30 minutter. Tænder den derefter?",
            ("Ja", "loest-batteri"),
            ("Nej", "ombyt-tablet"),
        ),
        "loest-batteri": _fix(
            "Batteriet var fladt. Aftal med borgeren, at tabletten står til opladning om natten. Følg op om en uge.",
            "Batteri",
        ),
        "ombyt-tablet": _fwd(
            "Tabletten tænder ikke, heller ikke efter opladning: bestil en ombytning hos Logistik.",
            "logistics",
            "Tablet tænder ikke",
        ),
        "net": _q(
            "Viser tabletten signal (streger eller 4G) øverst på skærmen?",
            ("Ja", "app-starter"),
            ("Nej", "flytilstand"),
        ),
        "flytilstand": _q(
            "Er flytilstand slået til (et fly øverst)? Bed borgeren slå den fra. Er der signal nu?",
            ("Ja", "loest-net"),
            ("Nej", "genstart-net"),
        ),
        "loest-net": _fix("Flytilstand var slået til; den er slået fra, og tabletten har net igen.", "Intet netværk"),
        "genstart-net": _q(
            "Bed borgeren genstarte tabletten (hold tænd-knappen inde, vælg Genstart). Er der signal nu?",
            ("Ja", "loest-genstart"),
            ("Nej", "service-sim"),
        ),
        "loest-genstart": _fix("En genstart gav tabletten net igen.", "Intet netværk"),
        "service-sim": _fwd(
            "Ingen forbindelse efter genstart: SIM-kort eller dataabonnement skal undersøges i MDM. Send en "
            "anmodning til Service.",
            "service",
            "SIM/dataabonnement",
        ),
        "app-starter": _q(
            "Kan borgeren åbne KOL-appen fra tablettens startskærm?",
            ("Ja", "problemloesning"),
            ("Nej", "app-genstart"),
        ),
        "app-genstart": _q(
            "Bed borgeren genstarte tabletten og åbne appen igen. Starter den nu?",
            ("Ja", "loest-app"),
            ("Nej", "service-mdm"),
        ),
        "loest-app": _fix("Appen starter efter en genstart af tabletten.", "App starter ikke"),
        "service-mdm": _fwd(
            "Appen starter ikke: den skal geninstalleres eller opdateres via MDM. Send en anmodning til Service.",
            "service",
            "App starter ikke",
        ),
        "problemloesning": _fwd(
            "Tabletten tænder, har net og appen starter, men problemet er der stadig: send sagen til "
            "Problemløsning med en beskrivelse af, hvad borgeren ser.",
            "problem_solving",
            "Uafklaret tabletfejl",
        ),
    },
}

APP: dict[str, Any] = {
    "root": "start",
    "nodes": {
        "start": _q(
            "Hvad er problemet med appen?",
            ("Appen vil ikke starte", "genstart"),
            ("Kan ikke logge ind", "login"),
            ("Målingerne kommer ikke frem", "maaling"),
            ("Spørgsmål om målingernes værdier", "helbred"),
        ),
        "helbred": _HEALTH,
        "genstart": _q(
            "Bed borgeren lukke appen helt og genstarte tabletten. Starter appen nu?",
            ("Ja", "loest-genstart"),
            ("Nej", "opdatering"),
        ),
        "loest-genstart": _fix("Appen starter efter en genstart.", "App starter ikke"),
        "opdatering": _q(
            "Står der en besked om, at appen skal opdateres?",
            ("Ja", "loest-opdatering"),
            ("Nej", "service-app"),
        ),
        "loest-opdatering": _fix(
            "Vejled borgeren i at trykke på «Opdater» og vente, til appen åbner igen.", "App-opdatering"
        ),
        "service-app": _fwd(
            "Appen starter ikke, og der er ingen opdatering: send en anmodning til Service om geninstallation via MDM.",
            "service",
            "App starter ikke",
        ),
        "login": _q(
            "Får borgeren en fejlbesked om forkert kode?",
            ("Ja", "service-login"),
            ("Nej", "problemloesning"),
        ),
        "service-login": _fwd(
            "Login skal nulstilles: send en anmodning til Service. Bed aldrig borgeren om at oplyse sin kode.",
            "service",
            "Login",
        ),
        "maaling": _q(
            "Er det en bestemt måler (vægt eller saturationsmåler), hvis målinger ikke kommer frem?",
            ("Ja", "bluetooth"),
            ("Nej, ingen målinger", "problemloesning"),
        ),
        "bluetooth": _q(
            "Er Bluetooth slået til på tabletten (Indstillinger → Bluetooth)?",
            ("Ja", "problemloesning"),
            ("Nej", "loest-bluetooth"),
        ),
        "loest-bluetooth": _fix(
            "Bluetooth var slået fra. Slå det til, og bed borgeren måle igen, mens tabletten ligger tæt på måleren.",
            "Bluetooth-parring",
        ),
        "problemloesning": _fwd(
            "Problemet ligger ud over problemtræet: send sagen til Problemløsning.",
            "problem_solving",
            "Uafklaret appfejl",
        ),
    },
}

SCALE: dict[str, Any] = {
    "root": "start",
    "nodes": {
        "start": _q(
            "Viser vægtens display noget, når borgeren træder op på den?",
            ("Ja", "tal"),
            ("Nej", "batteri"),
        ),
        "batteri": _q(
            "Bed borgeren skifte batterierne i bunden af vægten (kommunen har sendt ekstra med). Virker displayet nu?",
            ("Ja", "loest-batteri"),
            ("Nej", "ombyt-vaegt"),
            ("Borgeren har ingen batterier", "service-batteri"),
        ),
        "loest-batteri": _fix("Batterierne var flade og er skiftet.", "Batteri"),
        "service-batteri": _fwd(
            "Borgeren mangler batterier: send en anmodning til Service om at sende batterier.",
            "service",
            "Batteri",
        ),
        "ombyt-vaegt": _fwd(
            "Vægten virker ikke med nye batterier: bestil en ombytning hos Logistik.",
            "logistics",
            "Vægt defekt",
        ),
        "tal": _q(
            "Kommer vægten frem i appen på tabletten efter vejningen?",
            ("Ja", "helbred"),
            ("Nej", "parring"),
        ),
        "helbred": _HEALTH,
        "parring": _q(
            "Er Bluetooth slået til på tabletten, og ligger tabletten højst et par meter fra vægten?",
            ("Ja", "ny-parring"),
            ("Nej", "loest-afstand"),
        ),
        "loest-afstand": _fix(
            "Slå Bluetooth til, læg tabletten tæt på vægten, og bed borgeren veje sig igen.", "Bluetooth-parring"
        ),
        "ny-parring": _q(
            "Vejled borgeren i at parre vægten igen (appen → Udstyr → Tilføj vægt). Kommer vægten frem nu?",
            ("Ja", "loest-parring"),
            ("Nej", "ombyt-parring"),
        ),
        "loest-parring": _fix("Vægten er parret igen og sender målinger.", "Bluetooth-parring"),
        "ombyt-parring": _fwd(
            "Vægten kan ikke parres: bestil en ombytning hos Logistik.",
            "logistics",
            "Bluetooth-parring",
        ),
    },
}

SATURATION: dict[str, Any] = {
    "root": "start",
    "nodes": {
        "start": _q(
            "Tænder saturationsmåleren, når borgeren sætter en finger i og trykker på knappen?",
            ("Ja", "maaling"),
            ("Nej", "batteri"),
            ("Borgeren ved ikke, hvilken knap", "knap"),
        ),
        "knap": _q(
            "Knappen sidder på forsiden under displayet. Tænder måleren, når borgeren trykker på den?",
            ("Ja", "loest-knap"),
            ("Nej", "batteri"),
        ),
        "loest-knap": _fix("Borgeren er vejledt i at tænde måleren.", "Betjening"),
        "batteri": _q(
            "Bed borgeren skifte de to AAA-batterier. Tænder måleren nu?",
            ("Ja", "loest-batteri"),
            ("Nej", "ombyt-maaler"),
        ),
        "loest-batteri": _fix("Batterierne var flade og er skiftet.", "Batteri"),
        "ombyt-maaler": _fwd(
            "Måleren tænder ikke med nye batterier: bestil en ombytning hos Logistik.",
            "logistics",
            "Saturationsmåler defekt",
        ),
        "maaling": _q(
            "Viser måleren et tal for iltmætning og puls efter ca. 10 sekunder?",
            ("Ja", "app"),
            ("Nej, streger eller fejl", "finger"),
        ),
        "finger": _q(
            "Bed borgeren tage neglelak af, varme hænderne og sidde stille med fingeren helt inde. Kommer der tal nu?",
            ("Ja", "loest-finger"),
            ("Nej", "ombyt-maaling"),
        ),
        "loest-finger": _fix("Målingen lykkedes med varme hænder og fingeren helt inde.", "Betjening"),
        "ombyt-maaling": _fwd(
            "Måleren giver ingen måling: bestil en ombytning hos Logistik.",
            "logistics",
            "Saturationsmåler defekt",
        ),
        "app": _q(
            "Kommer målingen frem i appen på tabletten?",
            ("Ja", "helbred"),
            ("Nej", "bluetooth"),
        ),
        "helbred": _HEALTH,
        "bluetooth": _q(
            "Er Bluetooth slået til på tabletten? Bed borgeren slå det til og måle igen. Kommer målingen frem nu?",
            ("Ja", "loest-bluetooth"),
            ("Nej", "service-parring"),
        ),
        "loest-bluetooth": _fix("Bluetooth var slået fra; målingerne kommer frem igen.", "Bluetooth-parring"),
        "service-parring": _fwd(
            "Måleren måler, men målingerne når ikke appen: send en anmodning til Service om parring via MDM.",
            "service",
            "Bluetooth-parring",
        ),
    },
}

SEED_TREES: dict[str, dict[str, Any]] = {
    "tablet": TABLET,
    "app": APP,
    "scale": SCALE,
    "saturation_meter": SATURATION,
}
