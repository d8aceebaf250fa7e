"""Per-shipment itineraries: the legs of each shipment's selected route as a forwarder quotes
them -- who carries it, on what, priced on which basis and for how much of it.

Columns (:data:`ITINERARY_COLUMNS`): ``shipment_id``, ``leg`` (from 0), ``mode``, ``from_hub``,
``from_name``, ``to_hub``, ``to_name``, ``departure`` and ``arrival`` (UTC; the written tables
add local times, see :mod:`.rounding`), ``carrier`` (the service's operator; ``truck`` for a
road link, ``-`` when the network names none), ``service`` (service or link id),
``service_name``, ``price_basis`` (``feu``, ``truck``, ``kg_chargeable``, ``kg``, or ``wm``:
weight or measure, a part load), ``quantity`` and ``quantity_unit`` (FEU or trucks counted,
chargeable or actual kg, revenue tonnes), ``freight_usd``, ``handling_usd``, ``cost_usd``,
``co2e_kg`` (well-to-wheel, the priced basis), ``co2e_ttw_kg`` (tank-to-wheel), ``distance_km``.
A customs clearance (``customs`` carrier, basis ``clearance``) or warehouse storage
(``warehouse``, basis ``m3_day``, quantity in days) of a shipment under a customs regime is a
row of its own. A shipment without a route has no rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import pandas as pd

from ..model import Hub, Network, Shipment
from ..plan import KIND_CUSTOMS, KIND_STORAGE, Plan
from ..units import Mode, PricingBasis, feu_count, is_full_container_load

ITINERARY_COLUMNS: Final[tuple[str, ...]] = (
    "shipment_id", "leg", "mode", "from_hub", "from_name", "to_hub", "to_name", "departure",
    "arrival", "carrier", "service", "service_name", "price_basis", "quantity", "quantity_unit",
    "freight_usd", "handling_usd", "cost_usd", "co2e_kg", "co2e_ttw_kg",
    "distance_km",
)
#: Unit of the quantity in each basis.
QUANTITY_UNITS: Final[dict[str, str]] = {
    PricingBasis.FEU: "FEU", PricingBasis.TRUCK: "truck", PricingBasis.KG_CHARGEABLE: "kg",
    PricingBasis.KG: "kg", PricingBasis.WM: "W/M t",
}


def priced_quantity(shipment: Shipment, basis: PricingBasis, chargeable_kg: float
                    ) -> tuple[str, float]:
    """``(basis, quantity)`` a leg priced per ``basis`` charges ``shipment`` for: whole FEU or
    trucks for a full load (a part load on such a leg pays weight or measure, ``wm``), the
    leg's ``chargeable_kg`` for air, the gross kg, or revenue tonnes max(t, m3)."""
    full = is_full_container_load(shipment.weight_kg, shipment.volume_m3, shipment.units_feu)
    if basis in (PricingBasis.FEU, PricingBasis.TRUCK):
        if full:
            return str(basis), float(feu_count(shipment.weight_kg, shipment.volume_m3,
                                               shipment.units_feu))
        basis = PricingBasis.WM
    if basis is PricingBasis.KG_CHARGEABLE:
        return str(basis), float(chargeable_kg)
    if basis is PricingBasis.KG:
        return str(basis), float(shipment.weight_kg)
    return str(PricingBasis.WM), max(shipment.weight_kg / 1000.0, shipment.volume_m3)


def _stop_row(leg: Any, hubs: Mapping[str, Hub]) -> dict[str, object]:
    """The itinerary row of a clearance or storage leg: ``customs`` (or ``warehouse``) as the
    carrier, the clearance as the service, priced per declaration (or per m3 and day)."""
    customs = leg.kind == KIND_CUSTOMS
    return {
        "shipment_id": leg.shipment_id, "leg": leg.leg, "mode": leg.mode,
        "from_hub": leg.from_hub, "from_name": hubs[leg.from_hub].name,
        "to_hub": leg.to_hub, "to_name": hubs[leg.to_hub].name,
        "departure": leg.departure, "arrival": leg.arrival,
        "carrier": "customs" if customs else "warehouse", "service": leg.link_id,
        "service_name": f"customs clearance ({leg.link_id})" if customs else "warehouse storage",
        "price_basis": "clearance" if customs else "m3_day",
        "quantity": 1.0 if customs else (leg.arrival - leg.departure) / pd.Timedelta(days=1),
        "quantity_unit": "clearance" if customs else "days",
        "freight_usd": leg.freight_usd, "handling_usd": leg.handling_usd,
        "cost_usd": leg.cost_usd, "co2e_kg": leg.co2e_kg, "co2e_ttw_kg": leg.co2e_ttw_kg,
        "distance_km": leg.distance_km,
    }


def itinerary(plan: Plan, network: Network, shipments: Iterable[Shipment]) -> pd.DataFrame:
    """One row per leg of each shipment's selected route (see the module docstring)."""
    return quoted_legs(plan.selected().legs, network, shipments)


def quoted_legs(legs: pd.DataFrame, network: Network, shipments: Iterable[Shipment]
                ) -> pd.DataFrame:
    """The itinerary rows of ``legs`` (rows of a plan's legs table, of any options)."""
    by_id = {s.id: s for s in shipments}
    hubs = network.hub_by_code
    rows = []
    for leg in legs.itertuples(index=False):
        if leg.kind in (KIND_CUSTOMS, KIND_STORAGE):
            rows.append(_stop_row(leg, hubs))
            continue
        if leg.kind == "service":
            element = network.service_by_id[leg.service_id]
            carrier, service, name = element.operator or "-", leg.service_id, element.name
        else:
            element = network.link_by_id[leg.link_id]
            carrier = "truck" if element.mode is Mode.ROAD else "-"
            service, name = leg.link_id, f"{element.mode} link"
        basis, quantity = priced_quantity(by_id[leg.shipment_id], element.price_basis,
                                          leg.chargeable_kg)
        rows.append({
            "shipment_id": leg.shipment_id, "leg": leg.leg, "mode": leg.mode,
            "from_hub": leg.from_hub, "from_name": hubs[leg.from_hub].name,
            "to_hub": leg.to_hub, "to_name": hubs[leg.to_hub].name,
            "departure": leg.departure, "arrival": leg.arrival, "carrier": carrier,
            "service": service, "service_name": name, "price_basis": basis,
            "quantity": quantity, "quantity_unit": QUANTITY_UNITS[basis],
            "freight_usd": leg.freight_usd, "handling_usd": leg.handling_usd,
            "cost_usd": leg.cost_usd, "co2e_kg": leg.co2e_kg, "co2e_ttw_kg": leg.co2e_ttw_kg,
            "distance_km": leg.distance_km,
        })
    frame = pd.DataFrame(rows, columns=list(ITINERARY_COLUMNS))
    for column in ("departure", "arrival"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame
