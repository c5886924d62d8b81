"""The world layer: the landscape (settlements, territories, property layers) and service units."""
