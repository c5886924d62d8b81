"""Every kind of agent in the ecosystem, one kind per module, each with its own behaviour."""

from ecosystem.agents.community_group import CommunityGroup
from ecosystem.agents.council import Council
from ecosystem.agents.joint_venture import JointVentureCompany
from ecosystem.agents.mutual import Mutual
from ecosystem.agents.private_firm import PrivateFirm
from ecosystem.agents.provider import Provider
from ecosystem.agents.resident import Resident
from ecosystem.agents.social_enterprise import SocialEnterprise
from ecosystem.agents.volunteer import Volunteer
from ecosystem.names import OperatorKind
from ecosystem.world.units import ServiceUnit

#: The class of each provider kind, in the order providers are listed.
PROVIDER_CLASSES: dict[OperatorKind, type[Provider]] = {
    cls.kind: cls for cls in (PrivateFirm, Mutual, SocialEnterprise, CommunityGroup)
}

__all__ = [
    "PROVIDER_CLASSES",
    "CommunityGroup",
    "Council",
    "JointVentureCompany",
    "Mutual",
    "PrivateFirm",
    "Provider",
    "Resident",
    "ServiceUnit",
    "SocialEnterprise",
    "Volunteer",
]
