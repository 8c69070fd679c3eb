"""Fictional staff names: random pairings of a first-name list and a made-up surname list."""

import re

import numpy as np

FIRST_NAMES = """
Aisha Alfie Amara Ben Bethany Callum Chloe Daniel Deepa Eleanor Ewan Farah Gemma Grace Hamza
Harriet Imran Isla Jack Jasmine Joel Kate Kieran Leah Liam Lucy Marcus Maya Megan Nadia Nathan
Niamh Oliver Olivia Omar Paige Priya Rachel Reece Rosa Ryan Safiya Sam Sophie Tariq Tom Yasmin Zara
Zoe Kwame
""".split()
SURNAMES = """
Ashworth Brackley Cawthorne Dunmore Elmsworth Fairbrook Garside Holloway Inchbald Jessop Kettlewell
Lockwood Merriman Northcott Oakridge Pennington Quarmby Ravensworth Sowerby Thistlewood Underhill
Varley Whitacre Yardley Appleby-Stone O'Brannagh Birchall Copley Denholme Eastwood Fenwick
Greenhalgh Hebblethwaite Illingworth Kershaw Lumb Mirfield Netherton Ormondroyd Pickles Ramsden
Shackleton Tolson Wadsworth Armitage Booth-Haigh Crowther Dyson
""".split()
DOMAIN = "example-council.gov.uk"


def names(rng: np.random.Generator, count: int) -> list[str]:
    """Distinct full names."""
    picks = rng.choice(len(FIRST_NAMES) * len(SURNAMES), size=count, replace=False)
    return [f"{FIRST_NAMES[p // len(SURNAMES)]} {SURNAMES[p % len(SURNAMES)]}" for p in picks.tolist()]


def email(name: str) -> str:
    first, last = name.split(" ", 1)
    return f"{first}.{re.sub(r'[^a-z-]', '', last.lower())}@{DOMAIN}".lower()
