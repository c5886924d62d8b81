"""Reading a page rendered in-process by `solara.render`, for the app's tests."""

import ipyvuetify as v
import solara


def page_text(rc) -> str:
    """The text of the Vue templates (Markdown) and HTML widgets under render context `rc`."""
    templates = [w.template for w in rc.find(v.VuetifyTemplate).widgets]
    html = [w.unsafe_innerHTML or "" for w in rc.find(solara.widgets.HTML).widgets]
    return " ".join([*(t if isinstance(t, str) else str(getattr(t, "template", ""))
                       for t in templates), *html])
