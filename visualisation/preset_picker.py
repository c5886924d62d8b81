"""The preset picker: the places, then the case lists, as the live app and the room show it."""

from __future__ import annotations

import solara

from ecosystem.scenario.presets import preset_groups


def preset_items() -> list[dict[str, str]]:
    """The picker's entries: a header per group (places, then the two case lists)."""
    items: list[dict[str, str]] = []
    for label, names in preset_groups().items():
        if names:
            items.append({"header": label})
            items += [{"text": name, "value": name} for name in names]
    return items


@solara.component
def PresetPicker(label: str, preset):
    """Choose a preset: the places, the Delivering Differently councils, the Localis cases."""
    items = solara.use_memo(preset_items, dependencies=[])
    solara.v.Select(label=label, items=items, v_model=preset.value,
                    on_v_model=preset.set, menu_props={"maxHeight": 600})
