"""Shortest paths on CSR graphs: Dijkstra, many-to-many, Pareto labels, deadline-constrained."""
