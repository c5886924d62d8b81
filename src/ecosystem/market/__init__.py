"""The market layer: contracts, budgets, delivery, procurement, reviews and their options.

`contracts` is the bottom of this layer and imports nothing above the agents; the other
modules are the institutions through which councils and providers deal with each other.
"""
