"""What forwarders and planners read: tables rounded to meaningful precision with local times
(:mod:`.rounding`, zones from :mod:`.zones`), per-shipment itineraries (:mod:`.itinerary`),
the xlsx workbook of a run (:mod:`.workbook`), quotes with their options side by side
(:mod:`.quote`) and the printable page of one (:mod:`.quote_page`).

Kept apart from :mod:`..report` so that they load without geopandas, folium or matplotlib.
"""

from .itinerary import itinerary as itinerary
from .rounding import output_table as output_table
from .zones import hub_zones as hub_zones
