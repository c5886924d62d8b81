"""The Solara web app: watch, steer and compare the ecosystem in a browser."""
