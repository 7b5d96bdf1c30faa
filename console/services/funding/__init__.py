"""The program's money: budget lines, funding sources and the positions they pay for,
the runway and grant cliffs, unit costs and the cost avoidance priced with them."""
