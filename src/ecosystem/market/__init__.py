"""The market layer: contracts, delivery, procurement, reviews and their options, commissioning.

`contracts` is the bottom of this layer and imports nothing above the agents; the other
modules are the institutions through which councils and providers deal with each other.
"""
