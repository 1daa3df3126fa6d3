"""GENIUS cases: the Itex vs Cypress case read from its XML and from its starter is the same
case (options, scores as utilities, weights, reservation values); a session written to GENIUS
and read back is the same case; numeric issues with linear evaluators; everything else, and
hostile XML, refused in one line."""

from __future__ import annotations

from itertools import product
from pathlib import Path

import pytest

from pmkit.errors import InputError
from pmkit.formats import genius
from pmkit.formats.genius import parse_xml, read_case, write_case
from pmkit.formats.yaml_file import read_session_file
from pmkit.model import Session, parse_session
from pmkit.resources import starter_path, templates_dir

CASE = templates_dir() / "cases" / "itex-cypress"
DOMAIN, PROFILES = CASE / "Itex-Cypress-domain.xml", [CASE / "Itex.xml", CASE / "Cypress.xml"]


def utilities(s: Session) -> dict[str, dict[str, dict[str, float]]]:
    """Each party's utility per option of each issue (its score over its best, GENIUS's rule)."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for oi in s.option_issues:
        for party, sc in oi.scores.items():
            best = max(sc.scores.values())
            out.setdefault(party, {})[oi.id] = {o: sc.scores.get(o, 0) / best for o in oi.option_ids}
    return out


def weights(s: Session) -> dict[str, dict[str, float]]:
    return {p: {oi.id: oi.scores[p].weight for oi in s.option_issues} for p in s.party_ids}


def shape(s: Session) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [(oi.id, oi.title, [(o.id, o.label) for o in oi.options]) for oi in s.option_issues]


def package_utility(s: Session, party: str, package: dict[str, str]) -> float:
    """GENIUS's additive utility: sum of weight times score over best, over the sum of weights."""
    u = utilities(s)[party]
    w = weights(s)[party]
    return sum(w[i] * u[i][package[i]] for i in w) / sum(w.values())


def test_the_xml_and_the_starter_are_the_same_case() -> None:
    imported = read_case(DOMAIN, PROFILES)
    starter = read_session_file(starter_path("itex-cypress"))
    assert shape(imported) == shape(starter)
    assert [(p.id, p.name, p.reservation) for p in imported.parties] == [("itex", "Itex", 0), ("cypress", "Cypress", 0)]
    assert [(p.id, p.name, p.reservation) for p in starter.parties] == [(p.id, p.name, p.reservation)
                                                                         for p in imported.parties]
    assert weights(imported) == weights(starter)
    for party, by_issue in utilities(imported).items():
        for issue, by_option in by_issue.items():
            assert by_option == pytest.approx(utilities(starter)[party][issue], abs=1e-12)
    best = max(max(sc.scores.values()) for oi in imported.option_issues for sc in oi.scores.values())
    assert best == 100  # scaled so that each party's best option scores 100


@pytest.mark.parametrize("session", ["xml", "starter"])
def test_the_reference_package_has_the_published_utilities(session: str) -> None:
    s = read_case(DOMAIN, PROFILES) if session == "xml" else read_session_file(starter_path("itex-cypress"))
    nash = {"price": "3.47", "delivery": "45-days", "payment": "30-days-after-delivery",
            "returns": "5-spoilage-allowed"}
    assert round(package_utility(s, "itex", nash), 4) == 0.7215
    assert round(package_utility(s, "cypress", nash), 4) == 0.6705
    packages = [dict(zip([oi.id for oi in s.option_issues], combo, strict=True))
                for combo in product(*(oi.option_ids for oi in s.option_issues))]
    assert len(packages) == 180
    products = {tuple(p.values()): package_utility(s, "itex", p) * package_utility(s, "cypress", p) for p in packages}
    assert max(products, key=products.__getitem__) == tuple(nash.values())


def test_written_and_read_back_it_is_the_same_case(tmp_path: Path) -> None:
    first = read_session_file(starter_path("itex-cypress"))
    case = write_case(first)
    assert list(case.files) == ["Itex vs Cypress-domain.xml", "Itex.xml", "Cypress.xml"]
    for name, text in case.files.items():
        (tmp_path / name).write_text(text)
    again = read_case(tmp_path / "Itex vs Cypress-domain.xml", [tmp_path / "Itex.xml", tmp_path / "Cypress.xml"])
    assert shape(again) == shape(first) and weights(again) == weights(first)
    assert [(p.id, p.name, p.reservation) for p in again.parties] == [(p.id, p.name, p.reservation)
                                                                       for p in first.parties]
    for party, by_issue in utilities(again).items():
        for issue, by_option in by_issue.items():
            assert by_option == pytest.approx(utilities(first)[party][issue], abs=1e-12)
    assert case.left_out == ()


def test_numeric_issues_travel_as_linear_evaluators(tmp_path: Path) -> None:
    s = parse_session({"title": "Budget", "issues": [{"id": "budget", "title": "Budget", "positions": {
        "customer": {"ideal": 1200, "walk_away": 1290}, "management": {"ideal": 1412.5, "walk_away": 1317.5}}}],
        "goals": [{"title": "Hold the price", "raised_by": "customer"}], "option_issues": [{
            "id": "terms", "title": "Terms", "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
            "scores": {"customer": {"scores": {"a": 50, "b": 100}, "unacceptable": ["a"]}}}]})
    case = write_case(s)
    assert case.left_out == ("1 goal", "1 option(s) a party cannot accept")
    for name, text in case.files.items():
        (tmp_path / name).write_text(text)
    again = read_case(tmp_path / "Budget-domain.xml", [tmp_path / "Customer.xml", tmp_path / "Management.xml"])
    (issue,) = again.issues
    # the range is the span of every position: each side's ideal is the end its evaluator rises to
    assert issue.positions["customer"].ideal == 1200 and issue.positions["customer"].walk_away == 1412.5
    assert issue.positions["management"].ideal == 1412.5 and issue.positions["management"].walk_away == 1200
    assert again.option_issues[0].scores["management"].weight == 0  # it had no scores


PROFILE = """<utility_space><objective index="0" name="root" type="objective">
<issue index="1" name="Price" type="{kind}" lowerbound="0" upperbound="10">{body}</issue>
<weight index="1" value="1"/></objective>{more}</utility_space>"""
DOMAIN_XML = """<negotiation_template><utility_space><objective index="0" name="root" type="objective">
<issue index="1" name="Price" type="{kind}" lowerbound="0" upperbound="10">{items}</issue>
</objective></utility_space></negotiation_template>"""


def case_files(tmp_path: Path, kind: str, items: str, body: str, more: str = "") -> tuple[Path, list[Path]]:
    (tmp_path / "d.xml").write_text(DOMAIN_XML.format(kind=kind, items=items))
    (tmp_path / "Seller.xml").write_text(PROFILE.format(kind=kind, body=body, more=more))
    return tmp_path / "d.xml", [tmp_path / "Seller.xml"]


def test_an_integer_issue_with_a_falling_linear_evaluator(tmp_path: Path) -> None:
    s = read_case(*case_files(tmp_path, "integer", "", '<evaluator ftype="linear" slope="-0.1" offset="1"/>',
                              '<reservation value="0.4"/>'))
    assert s.parties[0].id == "seller" and s.parties[0].reservation == 0.4
    assert s.issues[0].positions["seller"].ideal == 0 and s.issues[0].positions["seller"].walk_away == 10


@pytest.mark.parametrize(("kind", "items", "body", "more", "words"), [
    ("integer", "", '<evaluator ftype="triangular" parameter0="0"/>', "", "evaluator 'triangular' is not supported"),
    ("objective", "", "", "", "type 'objective' is not supported"),
    ("discrete", '<item index="1" value="a"/>', "", "", "needs 2 to 50 values"),
    ("real", "", '<evaluator ftype="linear" slope="1"/>', '<reservation value="2"/>', "reservation value 2"),
    ("discrete", '<item index="1" value="a"/><item index="2" value="b"/>',
     '<item index="1" value="a" evaluation="-1"/>', "", "negative evaluation"),
])
def test_what_pmkit_cannot_hold_is_refused_naming_it(tmp_path: Path, kind: str, items: str, body: str, more: str,
                                                      words: str) -> None:
    with pytest.raises(InputError) as exc:
        read_case(*case_files(tmp_path, kind, items, body, more))
    assert words in str(exc.value) and "\n" not in str(exc.value)


def test_a_nonlinear_profile_is_refused(tmp_path: Path) -> None:
    (tmp_path / "d.xml").write_text(DOMAIN_XML.format(kind="integer", items=""))
    (tmp_path / "p.xml").write_text('<utility_space type="nonlinear"><objective index="0"/></utility_space>')
    with pytest.raises(InputError, match="nonlinear utility space"):
        read_case(tmp_path / "d.xml", [tmp_path / "p.xml"])


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<utility_space>&lol3;</utility_space>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><utility_space>&xxe;</utility_space>"""


@pytest.mark.parametrize(("raw", "words"), [
    (LAUGHS, "document type (DTD)"),
    (EXTERNAL, "document type (DTD)"),
    ("<utility_space><objective></utility_space>", "not well-formed XML"),
    ("not xml at all", "not well-formed XML"),
])
def test_hostile_xml_gets_one_line(raw: str, words: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_xml(raw.encode(), "case.xml")
    assert str(exc.value).startswith("case.xml: ") and words in str(exc.value) and "\n" not in str(exc.value)


def test_a_file_over_the_limit_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(b"<utility_space>" + b" " * genius.MAX_BYTES + b"</utility_space>")
    with pytest.raises(InputError, match="larger than"):
        read_case(big, PROFILES)

