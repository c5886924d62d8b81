"""Every kind of agent in the ecosystem."""

from ecosystem.agents.community_group import CommunityGroup
from ecosystem.agents.council import Council
from ecosystem.agents.mutual import Mutual
from ecosystem.agents.private_firm import PrivateFirm
from ecosystem.agents.provider import Provider
from ecosystem.agents.resident import Resident
from ecosystem.agents.social_enterprise import SocialEnterprise
from ecosystem.agents.volunteer import Volunteer
from ecosystem.world.units import ServiceUnit

PROVIDER_KINDS = {
    cls.kind: cls for cls in (PrivateFirm, Mutual, SocialEnterprise, CommunityGroup)
}

__all__ = [
    "PROVIDER_KINDS",
    "CommunityGroup",
    "Council",
    "Mutual",
    "PrivateFirm",
    "Provider",
    "Resident",
    "ServiceUnit",
    "SocialEnterprise",
    "Volunteer",
]
