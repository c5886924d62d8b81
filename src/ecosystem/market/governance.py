"""Councils' monthly work besides paying for delivery.

Capacity building, contract management, tenders, reviews and elections.
"""

from __future__ import annotations

from ecosystem.market import commissioning, delivery
from ecosystem.market import reviews as decisions
from ecosystem.market.procurement import close_tender


def run_councils(model) -> None:
    """Every council's commissioning work for the month, in a fixed order."""
    close_due_tenders(model)
    for council in model.councils:
        delivery.support_communities(model, council)
        train_commissioners(model, council)
        support_young_providers(model, council)
        commissioning.manage_contracts(model, council)
        decisions.trigger_reviews(model, council)
        decisions.advance_reviews(model, council)
    decisions.hold_elections(model)


def close_due_tenders(model) -> None:
    """Tenders whose regime time is up are judged and awarded."""
    for tender in [t for t in model.tenders if t.status == "open" and t.closes <= model.month]:
        close_tender(model, tender)
    for provider in model.providers:  # a spin-out that did not win its tender dissolves
        awaiting = getattr(provider, "awaiting_tenders", None)
        if awaiting and all(t.status != "open" for t in awaiting):
            provider.awaiting_tenders = None
            if provider.units:
                model.mutuals_formed += 1


def train_commissioners(model, council) -> None:
    """Commissioning training raises skill, 'the greatest single determinant' [002:L819]."""
    capacity = model.scenario.capacity
    spend = capacity.commissioning_training / 12.0
    if spend <= 0:
        return
    council.pay("training", spend)
    model.ledger.training += spend
    intensity = capacity.commissioning_training / (capacity.commissioning_training + 100.0)
    gain = capacity.training_effect * intensity * (1.0 - council.commissioning_skill)
    council.commissioning_skill = min(1.0, council.commissioning_skill + gain)


def support_young_providers(model, council) -> None:
    """Provider support: grants to the council's providers under three years old."""
    spend = model.scenario.capacity.provider_support / 12.0
    young = [p for p in model.providers_of(council.index) if p.young]
    if spend <= 0 or not young:
        return
    council.pay("support", spend)
    model.ledger.grants += spend
    for provider in young:
        provider.book("grant", spend / len(young))
