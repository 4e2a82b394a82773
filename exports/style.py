"""Visual defaults shared by the GraphML, GEXF and node-link exports and by `plankg view`.

One fixed colour per node type (so a district is the same blue in Gephi, in d3 and in the HTML view) and
a node size that grows with the square root of the degree. Colours are integer RGB triples 0-255: Gephi's
importers call Integer.parseInt on them, a "12.0" aborts a GEXF import.
"""

from __future__ import annotations

import math

from plankg.graph.model import NodeType

# Tableau 10, in the order of graph.model.NODE_TYPES.
TYPE_COLORS: dict[str, tuple[int, int, int]] = {
    NodeType.OFFICIAL: (214, 39, 40),  # red
    NodeType.DISTRICT: (31, 119, 180),  # blue
    NodeType.PLATFORM: (255, 127, 14),  # orange
    NodeType.PROJECT: (44, 160, 44),  # green
    NodeType.INDUSTRY: (148, 103, 189),  # purple
    NodeType.ORGANIZATION: (140, 86, 75),  # brown
    NodeType.EVENT: (227, 119, 194),  # pink
    NodeType.TARGET: (188, 189, 34),  # olive
}
OTHER_COLOR: tuple[int, int, int] = (127, 127, 127)  # grey, for a type not in the model

MIN_SIZE = 10.0
SIZE_PER_SQRT_DEGREE = 5.0


def type_color(node_type: str) -> tuple[int, int, int]:
    """(r, g, b) integers 0-255 of a node type."""
    return TYPE_COLORS.get(str(node_type), OTHER_COLOR)


def hex_color(rgb: tuple[int, int, int]) -> str:
    """ "#rrggbb" of an (r, g, b) triple."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def node_size(degree: int) -> float:
    """Node size from its degree (edges in + out): 10 for an isolated node, 15 for one edge, 20 for four..."""
    return round(MIN_SIZE + SIZE_PER_SQRT_DEGREE * math.sqrt(max(0, int(degree))), 1)
