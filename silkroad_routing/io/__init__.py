"""Readers and writers: network folders, the equipment catalog, ``.dow`` MCND instances, YAML
with line numbers and CSV tables (which :mod:`silkroad_routing.scenario` reads scenario files
with), and atomic outputs."""

from .atomic import atomic_path as atomic_path
from .atomic import staged_folder as staged_folder
from .atomic import write_text_atomic as write_text_atomic
from .dow import read_dow as read_dow
from .dow import write_dow as write_dow
from .equipment import load_equipment as load_equipment
from .network_files import list_networks as list_networks
from .network_files import load_network as load_network
from .network_files import read_network_folder as read_network_folder
