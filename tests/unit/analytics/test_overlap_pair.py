"""'Customer' and 'management' in the overlap and the risk read-out are the session's first
two parties in file order, whatever their ids and names (documented in
:mod:`pmkit.analytics.overlap` and the README)."""

from __future__ import annotations

from pmkit.analytics.overlap import analyze, driven
from pmkit.analytics.risk import risk_readout
from pmkit.model import Session, parse_session


def _session() -> Session:
    return parse_session({
        "title": "order",
        "parties": [{"id": "vendor", "name": "Vendor"}, {"id": "client", "name": "Client"},
                    {"id": "customer", "name": "Customer"}],
        "goals": [{"id": "g", "title": "Only the vendor cares", "raised_by": "vendor", "ratings": {
            "vendor": {"importance": 5, "stance": "support"}, "client": {"importance": 1, "stance": "support"}}},
                  {"id": "h", "title": "Client secret", "raised_by": "client", "audience": "client", "ratings": {
                      "client": {"importance": 5, "stance": "support"}}}],
    })


def test_the_pair_is_the_first_two_parties_in_file_order() -> None:
    o = analyze(_session())
    assert o.pair == ("vendor", "client")  # not the party with the id "customer"
    assert [p.quadrant for p in o.points] == [driven("vendor"), driven("client")]


def test_the_risk_read_out_takes_the_first_party_as_the_customer() -> None:
    r = risk_readout(_session())
    assert [w.item_id for w in r.withheld] == ["h"]  # withheld from "vendor", the first party
