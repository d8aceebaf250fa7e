"""OR-Tools models: multicommodity network design, service network design, load planning."""
