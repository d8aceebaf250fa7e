"""Checks shared by the consolidation tests: a Consolidation against the plan and the CSV files
(independent of the library's loaders and pricing)."""

from __future__ import annotations

import math

import consolidation_reference as ref
import pandas as pd
import pytest

import silkroad_routing as sr

EQUIPMENT = ref.equipment()
#: Length over buffers of the Vectron locomotive make_up_train adds (source wiki_vectron), m.
LOCOMOTIVE_M = 18.98
MAX_TRAIN_M = 740.0  # EU TEN-T (source eu_tent)
MAX_TRAIN_LOAD_KG = 1_300_000.0  # China Railway, containers' load per train
GROUPS = ({"general", "ecommerce"}, {"cold_chain"}, {"dangerous_goods"}, {"pharma"})
#: Groups that ride in reefers: cold chain (food) and pharma, never together.
REEFER_GROUPS = ({"cold_chain"}, {"pharma"})
SERVICES = {r["id"]: r for r in ref.rows(ref.MINI / "services.csv")}


def is_full_load(s: sr.Shipment) -> bool:
    # FCL: containers given, or half an FEU (67 m3 usable, 26.5 t) or more (shared/DATA.md).
    return bool(s.units_feu) or max(s.volume_m3 / 67.0, s.weight_kg / 26500.0) >= 0.5


def pieces_of(cons: sr.Consolidation, plan: sr.Plan) -> pd.DataFrame:
    """Allocation rows with their leg and unit."""
    legs = plan.legs[["shipment_id", "leg", "kind", "mode", "service_id", "link_id", "from_hub",
                      "to_hub", "freight_usd"]]
    units = cons.units[["unit_id", "unit_type", "dedicated", "priced_as", "cost_usd"]].rename(
        columns={"cost_usd": "unit_cost_usd"})
    return cons.allocation.merge(legs, on=["shipment_id", "leg"], validate="many_to_one").merge(
        units, on="unit_id", validate="many_to_one")


def unit_loads(pieces: pd.DataFrame) -> pd.DataFrame:
    return pieces.groupby("unit_id").agg(kg=("kg", "sum"), m3=("m3", "sum"))


def check_vehicles(cons: sr.Consolidation, plan: sr.Plan) -> None:
    """Units within their type's payload and volume; trains within wagon slots and payload,
    train length, TEU capacity and container load; freighters within positions and payload."""
    pieces = pieces_of(cons, plan)
    loads = unit_loads(pieces)
    units = cons.units.assign(
        kg_check=loads["kg"].reindex(cons.units["unit_id"]).to_numpy(),
        m3_check=loads["m3"].reindex(cons.units["unit_id"]).to_numpy())
    spec = units["unit_type"].map(EQUIPMENT)
    payload = spec.map(lambda r: float(r["payload_kg"]))
    volume = spec.map(lambda r: float(r["volume_m3"]))
    assert (units["kg_check"] <= payload * (1 + ref.RTOL)).all()
    assert (units["m3_check"] <= volume * (1 + ref.RTOL)).all()
    gross = units["kg_check"] + spec.map(lambda r: ref.number(r["tare_kg"]))
    teu = spec.map(lambda r: ref.number(r["teu"]))
    units = units.assign(gross=gross, teu_check=teu)
    wagon = EQUIPMENT["SGGRSS80"]
    plane = EQUIPMENT["B748F"]
    for key, dep in cons.departures.set_index("leg_departure").iterrows():
        on = units[units["leg_departure"] == key]
        loaded = on[~on["overflow"]]
        assert (on["overflow"] == (on["position"] == "not loaded")).all()
        assert dep["overflow_units"] == int(on["overflow"].sum())
        if dep["mode"] == "rail":
            per_wagon = loaded.groupby("position").agg(teu=("teu_check", "sum"),
                                                       gross=("gross", "sum"))
            assert (per_wagon["teu"] <= float(wagon["slots_teu"])).all()
            assert (per_wagon["gross"] <= float(wagon["payload_kg"]) * (1 + 1e-9)).all()
            length = LOCOMOTIVE_M + len(per_wagon) * float(wagon["length_m"])
            assert dep["wagons"] == len(per_wagon)
            assert dep["train_length_m"] == pytest.approx(length)
            assert length <= MAX_TRAIN_M
            assert loaded["teu_check"].sum() <= float(SERVICES[dep["service_id"]]["capacity_teu"])
            assert loaded["gross"].sum() <= MAX_TRAIN_LOAD_KG
        if dep["mode"] == "air":
            kind = loaded["unit_type"].map(lambda c: EQUIPMENT[c]["kind"])
            pallet = kind == "uld_pallet"
            where = loaded["position"]
            assert not ((where == "main deck") & ~pallet).any(), "containers ride the lower deck"
            assert not ((where == "lower deck container") & pallet).any()
            main = int((where == "main deck").sum())
            lower_pallets = int(((where == "lower deck pallet") & pallet).sum()) + math.ceil(
                int(((where == "lower deck pallet") & ~pallet).sum()) / 2)
            lower_containers = int((where == "lower deck container").sum())
            assert main <= int(plane["main_deck_positions"])
            assert lower_pallets <= int(plane["lower_deck_pallet_positions"])
            assert lower_containers <= int(plane["lower_deck_container_positions"])
            assert (dep["main_deck_positions"], dep["lower_pallet_positions"],
                    dep["lower_container_positions"]) == (main, lower_pallets, lower_containers)
            limit = min(float(plane["payload_kg"]),
                        float(SERVICES[dep["service_id"]]["capacity_kg"]))
            assert loaded["gross"].sum() <= limit * (1 + 1e-9)
