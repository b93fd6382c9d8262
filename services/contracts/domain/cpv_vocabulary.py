"""The part of the Common Procurement Vocabulary the office buys from (Regulation (EC) 213/2008, main vocabulary,
English titles): what a plan line's CPV code is picked from. The service still accepts any code with a right
check digit (`cpv.check_cpv`); this list only helps people find one."""

from __future__ import annotations

VOCABULARY: dict[str, str] = {
    "18530000-3": "Presents and rewards",
    "22000000-0": "Printed matter and related products",
    "22100000-1": "Printed books, brochures and leaflets",
    "22462000-6": "Advertising material",
    "30192000-1": "Office supplies",
    "30200000-1": "Computer equipment and supplies",
    "30213100-6": "Portable computers",
    "32000000-3": "Radio, television, communication, telecommunication and related equipment",
    "33000000-0": "Medical equipments, pharmaceuticals and personal care products",
    "34100000-8": "Motor vehicles",
    "39000000-2": "Furniture (incl. office furniture), furnishings, domestic appliances and cleaning products",
    "39290000-1": "Miscellaneous furnishing",
    "45000000-7": "Construction work",
    "45212000-6": "Construction work for buildings relating to leisure, sports, culture, lodging and restaurants",
    "48000000-8": "Software package and information systems",
    "50000000-5": "Repair and maintenance services",
    "55000000-0": "Hotel, restaurant and retail trade services",
    "55110000-4": "Hotel accommodation services",
    "55120000-7": "Hotel meeting and conference services",
    "55520000-1": "Catering services",
    "60000000-8": "Transport services (excl. Waste transport)",
    "60100000-9": "Road transport services",
    "60171000-7": "Hire of passenger cars with driver",
    "63500000-4": "Travel agency, tour operator and tourist assistance services",
    "63510000-7": "Travel agency and similar services",
    "64200000-8": "Telecommunications services",
    "66510000-8": "Insurance services",
    "71000000-8": "Architectural, construction, engineering and inspection services",
    "72000000-5": "IT services: consulting, software development, Internet and support",
    "73000000-2": "Research and development services and related consultancy services",
    "79000000-4": "Business services: law, marketing, consulting, recruitment, printing and security",
    "79100000-5": "Legal services",
    "79200000-6": "Accounting, auditing and fiscal services",
    "79340000-9": "Advertising and marketing services",
    "79341000-6": "Advertising services",
    "79342000-3": "Marketing services",
    "79400000-8": "Business and management consultancy and related services",
    "79500000-9": "Office-support services",
    "79530000-8": "Translation services",
    "79540000-1": "Interpretation services",
    "79550000-4": "Typing, word-processing and desktop publishing services",
    "79713000-5": "Guard services",
    "79810000-5": "Printing services",
    "79822500-7": "Graphic design services",
    "79950000-8": "Exhibition, fair and congress organisation services",
    "79951000-5": "Seminar organisation services",
    "79952000-2": "Event services",
    "79953000-9": "Festival organisation services",
    "79954000-6": "Party organisation services",
    "79956000-0": "Fair and exhibition organisation services",
    "79980000-7": "Subscription services",
    "80500000-9": "Training services",
    "90900000-6": "Cleaning and sanitation services",
    "92000000-1": "Recreational, cultural and sporting services",
    "92111000-2": "Motion picture and video production services",
    "92312000-1": "Artistic services",
    "92500000-6": "Library, archives, museums and other cultural services",
    "98300000-6": "Miscellaneous services",
}


def search(text: str) -> list[tuple[str, str]]:
    """The codes starting with `text` when it is digits, else those whose title holds each of its words."""
    text = text.strip()
    if not text:
        return list(VOCABULARY.items())
    if text.replace("-", "").isdigit():
        return [(code, title) for code, title in VOCABULARY.items() if code.startswith(text)]
    words = text.casefold().split()
    return [(code, title) for code, title in VOCABULARY.items() if all(word in title.casefold() for word in words)]
