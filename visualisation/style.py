"""What every part of the app draws with: the operator palette and the text size.

Operators take the Okabe-Ito palette (Okabe and Ito, "Color Universal Design", 2008), whose
colours stay apart under the common colour-vision deficiencies; the map also gives each
service its own marker shape, so colour is never the only cue.

`projector` is per browser session (a module-level `solara.reactive` is scoped to the
session): projector mode sets it, and every component that draws text reads `text_px()`.
"""

from __future__ import annotations

import solara

#: Operator kind -> colour (Okabe-Ito).
OPERATOR_COLOURS = {"council": "#0072B2", "private": "#D55E00", "mutual": "#009E73",
                    "social_enterprise": "#CC79A7", "community": "#E69F00"}

#: Whether this session's page is in projector mode.
projector = solara.reactive(False)

#: Text size in pixels: on a laptop, and on a projector (at least 20 px, the issue's floor).
TEXT_PX = 14
PROJECTOR_TEXT_PX = 22


def text_px() -> int:
    """The text size this session draws with, in pixels."""
    return PROJECTOR_TEXT_PX if projector.value else TEXT_PX
