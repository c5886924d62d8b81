"""The population layer: residents as arrays, their access to services, and volunteering."""
