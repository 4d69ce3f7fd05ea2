"""Demo business cases: seed 004's five "smarte investeringer" for a demo municipality.

Tabel 1 of each case comes from economy/data/business_cases/case1–5.json (with the seed's printed totals,
errors included, so the discrepancy check has something to find). The qualitative sections below are short
summaries of the seed's sections 2–9, written for the demo; the portfolio areas follow the seed's overview.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from samvirke.directory.models import Actor, Municipality
from samvirke.economy.actions.business_cases import do_create_business_case_from_dict
from samvirke.economy.models import BusinessCase, BusinessCaseStatus

CASES_DIR = Path(__file__).resolve().parent / "data" / "business_cases"
SOCIAL = "Socialforvaltningen"
OTHERS = "Økonomiforvaltningen, Sundheds- og Omsorgsforvaltningen"
PRICE_LEVEL = "2016 p/l"
EVALUATION_VTV = (
    "Implementeringen evalueres indledningsvis, midtvejs og afslutningsvis, hver gang et center overgår til drift. "
    "Evalueringen er intern, bygger på kvantitative og kvalitative data og rapporteres med "
    "VelfærdsTeknologiVurdering (VTV)."
)

DEMO_CASES: list[dict[str, Any]] = [
    {
        "file": "case1.json",
        "portfolio_area": "Hjemmeplejen",
        "status": BusinessCaseStatus.APPROVED,
        "summary": "Med online skærmbesøg i syge- og hjemmeplejen udføres en række ydelser via en sikret "
        "videoforbindelse på pc, tablet eller mobil, der hvor borgeren er.",
        "purpose": "Skærmbesøg giver mere fleksibel støtte, der lettere kan tilpasses den enkelte borger. Et "
        "pilotprojekt i Den Sociale Hjemmepleje viste, at skærmbesøg er mere fokuserede end fysiske besøg og "
        "mere personlige end en telefonsamtale, og at borgeren hurtigere kan klare flere af hverdagens opgaver selv.",
        "content": "Fuld skalering af skærmbesøg i Den Sociale Hjemmepleje: målet er, at 115 borgere (5 %) modtager "
        "skærmbesøg som del af deres ydelser, og at 75 medarbejdere yder online støtte. Borgeren får fortsat "
        "besøg i hjemmet; den online støtte er en integreret del af ydelsen.",
        "implementation": "En tværgående projektleder i Enheden for Velfærdsteknologi sikrer fremdrift sammen med "
        "Borgercenter Hjemmepleje. 300 t.kr. fra Innovationspuljen bruges i 2016 til et innovationssamarbejde "
        "med leverandører før udbud.",
        "involvement": "Medarbejdere er en fast del af arbejdsgruppen og med til at udvælge borgere. Borgere inddrages "
        "i test af brugerflader og via kommunikationsplanen.",
        "effects_staff": "Mere fleksibilitet i hverdagen, mindre kørsel og et mere kontinuerligt forløb med borgeren.",
        "effects_citizens": "Bedre og mere fleksibel service, mindre transport og større mestring af eget liv.",
        "evaluation": EVALUATION_VTV,
        "risks": [
            (
                "Brugerflade og sikkerhedskrav: kræves NemID hver gang, kan kun ca. 75 i stedet for 115 borgere "
                "bruge løsningen (ca. 100 t.kr. mindre effektivisering om året).",
                "Innovationssamarbejde med virksomheder og dialog med Koncernservice i 2016 før udbud; løbende "
                "opfølgning på det reelle antal brugere.",
            ),
            (
                "Indkøbspriser: priserne på udstyr og borgernes brug af eget udstyr er usikre.",
                "Udviklingen følges, og økonomien justeres løbende i projektet.",
            ),
            (
                "IT-infrastruktur: det er uafklaret, om netværket kan bære videodialog via 3G/4G.",
                "Dialog med Koncernservice, erfaringer fra piloter og innovationssamarbejde med virksomheder.",
            ),
        ],
        "kpis": [
            (
                "Op til 75 medarbejdere arbejder med skærmbesøg",
                "Optælling og spørgeskema",
                "Borgercenter Hjemmepleje, projektleder",
                "Indledningsvis, midtvejs og afslutningsvis for hvert center",
            ),
            (
                "115 borgere modtager skærmbesøg",
                "Optælling",
                "Borgercenter Hjemmepleje, projektleder",
                "Indledningsvis, midtvejs og afslutningsvis for hvert center",
            ),
            (
                "Den visiterede tid er faldet med 15 minutter pr. borger pr. uge",
                "Tidsmåling",
                "Borgercenter Hjemmepleje, projektleder",
                "Indledningsvis, midtvejs og afslutningsvis for hvert center",
            ),
        ],
        "milestones": [
            ("1. halvår 2016", "Pilotprojektet fortsætter med kendt teknisk løsning; organisationen forberedes."),
            ("2. halvår 2016", "Ny teknologi testes; innovationssamarbejde med en eller flere virksomheder."),
            ("Primo 2017", "Udbud."),
            ("Ultimo 2017", "Center Nord fuldt implementeret; Center Midtbyen påbegyndt."),
            ("Ultimo 2018", "Center Midtbyen og Center Amager fuldt implementeret."),
            ("Primo 2019", "Alle 3 centre i drift."),
        ],
        "scenarios": [
            {
                "name": "150 borgere i stedet for 115",
                "description": "Et mere brugervenligt log-in og design øger antallet af brugere (seedets skøn: "
                "ca. 100 t.kr. mere effektivisering om året).",
                "adjustments": {"Reducerede lønomkostninger": [0, -100, -100, -100, -100]},
            },
            {
                "name": "75 borgere (log-in med NemID)",
                "description": "Kræves NemID ved hvert log-in, falder antallet af brugere (seedets skøn: ca. 100 t.kr. "
                "mindre effektivisering om året).",
                "adjustments": {"Reducerede lønomkostninger": [0, 100, 100, 100, 100]},
            },
        ],
    },
    {
        "file": "case2.json",
        "portfolio_area": "Hjemmeplejen",
        "status": BusinessCaseStatus.APPROVED,
        "summary": "Elektroniske nøgler og elektroniske kørebøger lader medarbejderne starte og slutte dagen hos "
        "borgeren i stedet for på basen, så vejtiden falder.",
        "purpose": "I dag henter medarbejderne fysiske nøgler på basen hver morgen og afleverer dem igen. Elektroniske "
        "nøgler i kombination med elektroniske kørebøger reducerer vejtid og giver hurtigere adgang ved nødkald. "
        "Et afprøvningsprojekt med ca. 70 borgere og 60 medarbejdere ligger til grund.",
        "content": "Ca. 700 borgere får installeret elektroniske nøgler i 2018, og ca. 400 medarbejdere bruger "
        "systemet. Gevinsten kræver, at både nøgler og kørebøger implementeres.",
        "implementation": "Borgercenter Hjemmepleje har ansvaret; en projektleder ansættes 2016–2018 og er bindeled "
        "til Sundheds- og Omsorgsforvaltningens e-nøgleprojekt. Fælles udbud med SUF.",
        "involvement": "Medarbejderne er en fast del af arbejdsgruppen; Innovationshuset understøtter de nye "
        "arbejdsgange. Borgerne orienteres via en kommunikationsplan.",
        "effects_staff": "Ingen afhentning og aflevering af fysiske nøgler og mindre efterbehandling af kørebøger.",
        "effects_citizens": "Hjemmeplejen kommer hurtigere ind, særligt i akutte tilfælde; færre nøgler i omløb.",
        "evaluation": EVALUATION_VTV,
        "risks": [
            (
                "Reaktioner fra personalet, når dagen starter og slutter hos borgeren og morgenmøderne forsvinder.",
                "Inddragelse af Innovationshuset, stærkt fokus på kommunikation og en realistisk tidsplan.",
            ),
            (
                "Mange større og mindre boligforeninger kan forsinke projektet.",
                "Tidlig dialog med udvalgte boligforeninger.",
            ),
            (
                "Vinder en anden leverandør udbuddet, skal 80 låsesystemer udskiftes (250–400 t.kr.).",
                "Håndteres ikke særskilt; merudgiften holdes inden for business casen.",
            ),
        ],
        "kpis": [
            (
                "400 medarbejdere har fået kursus og bruger e-nøgler og kørebøger",
                "Optælling og spørgeskema",
                "Borgercenter Hjemmepleje, projektleder",
                "Indledningsvis, midtvejs og afslutningsvis for hvert center",
            ),
            (
                "700 borgere har fået monteret e-nøglesystem",
                "Optælling",
                "Borgercenter Hjemmepleje, projektleder",
                "Indledningsvis, midtvejs og afslutningsvis for hvert center",
            ),
        ],
        "milestones": [
            ("Ultimo 2015 – primo 2016", "Fælles udbud med Sundheds- og Omsorgsforvaltningen."),
            ("Ultimo 2016", "Center Amager fuldt implementeret."),
            ("Ultimo 2017", "Center Midtbyen fuldt implementeret; Center Nord påbegyndt."),
            ("Ultimo 2018", "Center Nord fuldt implementeret: alle 3 centre i drift."),
        ],
    },
    {
        "file": "case3.json",
        "portfolio_area": "Borgere med handicap",
        "status": BusinessCaseStatus.APPROVED,
        "summary": "Loftslifte og nye vendesystemer gør det muligt at forflytte en række borgere med 1 hjælper frem "
        "for 2, med bedre arbejdsmiljø og mere værdige forflytninger.",
        "purpose": "Traditionen er 2 medarbejdere ved forflytning med loftlift. Med den rigtige kompetenceudvikling og "
        "nye arbejdsprocedurer kan mange forflytninger klares af 1, og borgeren får tættere kontakt med den, "
        "der forflytter.",
        "content": "Indkøb af ca. 20 loftlifte og 25 vendesystemer, kompetenceudvikling og nye forflytningspolitikker. "
        "For 24 borgere kan man gå fra 2 til 1 medarbejder, når loftlift og vendesystem er på plads.",
        "implementation": "En projektleder tilrettelægger kompetenceudvikling og nye arbejdsgange. Ca. 4 kurser i 2016 "
        "for ca. 40 superbrugere, der oplærer kollegerne; 2016 er implementeringsåret.",
        "involvement": "Drøftes i de lokale samarbejdsudvalg; borgerne inddrages individuelt, da 1-hjælper-forflytning "
        "kræver, at borgeren medvirker.",
        "effects_staff": "Færre tunge forflytninger, mindre nedslidning og potentielt færre arbejdsskader.",
        "effects_citizens": "Større tilfredshed og oplevelse af at være inddraget og selvhjulpen ved forflytning.",
        "evaluation": "I 2018 evalueres forflytninger med 1 medarbejder, og målene følges op.",
        "risks": [
            (
                "Ikke alle forflytninger kan klares af 1 medarbejder hele vejen; kun ca. 80 % af tidsbesparelsen "
                "forventes.",
                "Business casen regner med 80 % af den vurderede tidsbesparelse efter dialog med medarbejderne.",
            ),
            (
                "Reaktioner fra personalet, hvor 2 medarbejdere ved forflytning er dybt forankret i kulturen.",
                "Tæt involvering af medarbejderne i implementeringen.",
            ),
        ],
        "kpis": [
            (
                "27 borgere er overgået fra 2 til 1 medarbejder ved forflytning",
                "Optælling og spørgeskema",
                "Borgercenter Handicap, projektleder",
                "Ultimo 2018",
            ),
            (
                "Medarbejdere og borgere føler sig trygge ved de nye arbejdsgange",
                "Kvalitative interview og spørgeskema",
                "Projektleder",
                "Ultimo 2018",
            ),
        ],
        "milestones": [
            ("2016", "Kompetenceudvikling af ca. 40 superbrugere og nye arbejdsgange (3–4 måneder)."),
            ("4. kvartal 2016", "Besparelsen begynder at virke."),
            ("Ultimo 2018", "Evaluering og målopfølgning."),
        ],
    },
    {
        "file": "case4.json",
        "portfolio_area": "Tværgående",
        "status": BusinessCaseStatus.APPROVED,
        "summary": "Fagsystemet CSC Social i mobil form på tablets: tid sparet til borgerrettede indsatser og større "
        "åbenhed, når borger og medarbejder ser det samme.",
        "purpose": "Medarbejderne går i dag hen til institutionens pc'er for at dokumentere. Et mobilt fagsystem giver "
        "de nødvendige oplysninger ved hånden hos borgeren og lægger grunden for flere mobile løsninger.",
        "content": "Tablets, opgraderede faciliteter på bosteder og udrulning til ca. 1.350 medarbejdere; "
        "driftsudgifter til udskiftning, systemejerskab og tilpasning.",
        "implementation": "Første halvår 2016 tilpasninger og forberedelse; de første brugere i slutningen af 2016 og "
        "bred udrulning fra starten af 2017.",
        "involvement": "Medarbejderne inddrages via pilotprojektet og de fora, der findes om fagsystemet.",
        "effects_staff": "Mere tid med borgeren og fleksibilitet i hverdagen.",
        "effects_citizens": "Sagsbehandling og dokumentation ansigt til ansigt; bedre datakvalitet og færre "
        "utilsigtede hændelser.",
        "evaluation": "SOF IT følger løbende op under og efter implementeringen.",
        "risks": [
            (
                "Netværk og 4G skal fungere, og personfølsomme data skal håndteres sikkert.",
                "Infrastruktur og sikkerhed afklares i pilotprojektet før bred udrulning.",
            ),
            (
                "Der findes ikke en mobil- og appsupport, der kan bære så bred en udrulning.",
                "Etablering af supportstrukturen er en integreret del af projektet.",
            ),
        ],
        "kpis": [
            (
                "Mere ansigt til ansigt-tid med borgeren",
                "Gevinstrealisering og tilfredshedsmålinger for medarbejderne",
                "SOF IT",
                "Løbende under og efter implementering",
            ),
            (
                "Bred implementering af platformen",
                "Afdækning af, om systemet er taget i brug på alle relevante områder",
                "SOF IT",
                "Løbende under og efter implementering",
            ),
        ],
        "milestones": [
            ("1. halvår 2016", "Tilpasning af løsningen, tekniske afklaringer, support og undervisning forberedes."),
            ("Ultimo 2016", "De første brugere får systemet."),
            ("Primo 2017", "Bred udrulning."),
        ],
    },
    {
        "file": "case5.json",
        "portfolio_area": "Tværgående",
        "status": BusinessCaseStatus.APPROVED,
        "summary": "Borgeradgang via Borger.dk: borgerne får overblik over egen sag, aftaler og selvbetjening, "
        "uafhængigt af tid og sted.",
        "purpose": "Efterspørgsel fra politikere, borgere og drift på at gøre borgernes oplysninger tilgængelige på "
        "Borger.dk, i tråd med den fællesoffentlige digitaliseringsstrategi 2016–2020.",
        "content": "Køb og implementering af en løsning, der viser oplysninger fra de socialfaglige systemer på "
        "Borger.dk: aftaler, hvornår hjemmeplejen kommer, hvilke ydelser borgeren modtager, og selvbetjening.",
        "implementation": "Implementeres i faser over 2016 og 2017: først entydige oplysninger, derefter mere "
        "kompliceret information. Fuld effekt fra 2018.",
        "involvement": "Analyser og workshops med borgere og borgercentre, bl.a. med Innovationshuset.",
        "effects_staff": "Medarbejderne kan fokusere på de mere komplicerede henvendelser.",
        "effects_citizens": "Indblik i egen relation med kommunen døgnet rundt og flere sikre kanaler.",
        "evaluation": "SOF IT måler brugen af Borger.dk, borgertilfredsheden og antallet af integrationer.",
        "risks": [
            (
                "Sikkerheden for borgeren, når personfølsomme dokumenter gøres digitalt tilgængelige.",
                "Beskyttelse af persondata afdækkes, før løsningen tages i brug.",
            ),
            (
                "Der kan være data, der skal friholdes fra visning på Borger.dk.",
                "Juridisk afklaring i første fase.",
            ),
        ],
        "kpis": [
            (
                "Færre henvendelser fra borgerne",
                "Målinger af brugen på Borger.dk og tælleuger",
                "SOF IT",
                "Løbende",
            ),
            (
                "Tilfredshed med de data, der stilles til rådighed",
                "Brugertilfredshedsmåling",
                "SOF IT",
                "Efter nogle måneders drift",
            ),
        ],
        "milestones": [
            ("2016", "Fase 1: objektive, entydige oplysninger på Borger.dk; juridisk afklaring."),
            ("2017", "Fase 2: mere kompliceret information og selvbetjening."),
            ("2018", "Fuld effekt."),
        ],
    },
]


def load_demo_business_cases(actor: Actor | None, municipality: Municipality) -> int:
    """Create seed 004's five cases for `municipality`; a title that already exists there is skipped.

    Returns how many cases were created (0 when run again). `actor` is a Person or None (the system).
    """
    created = 0
    for spec in DEMO_CASES:
        data = json.loads((CASES_DIR / spec["file"]).read_text(encoding="utf-8"))
        if BusinessCase.objects.filter(municipality=municipality, title=data["title"]).exists():
            continue
        data.pop("source", None)
        do_create_business_case_from_dict(
            actor,
            municipality,
            data,
            status=spec["status"],
            risks=[{"risk": risk, "mitigation": mitigation} for risk, mitigation in spec["risks"]],
            kpis=[
                {"criterion": criterion, "measurement": measurement, "owner": owner, "timing": timing}
                for criterion, measurement, owner, timing in spec["kpis"]
            ],
            milestones=[{"when": when, "what": what} for when, what in spec["milestones"]],
            scenarios=spec.get("scenarios", []),
            portfolio_area=spec["portfolio_area"],
            summary=spec["summary"],
            proposing_administration=SOCIAL,
            other_administrations=OTHERS,
            price_level=PRICE_LEVEL,
            purpose=spec["purpose"],
            content=spec["content"],
            implementation=spec["implementation"],
            involvement=spec["involvement"],
            effects_staff=spec["effects_staff"],
            effects_citizens=spec["effects_citizens"],
            evaluation=spec["evaluation"],
        )
        created += 1
    return created
