"""Who may read the tab: a person netpuls knows, by the signed link's e-mail or by the Teams
SSO token's ids, with the same tenant binding as the bot (services/networks.py)."""

from __future__ import annotations

import logging

from domain.model import Person
from services.networks import tenant_allowed_for
from services.ports import UnitOfWork

log = logging.getLogger(__name__)


async def member_by_email(uow: UnitOfWork, email: str, network_slug: str | None) -> Person | None:
    """The person with this e-mail if they hold a role or a seat in the network (any network
    when `network_slug` is None); None for anyone else. Nothing is written."""
    async with uow:
        person = await uow.people.find(email=email)
        if person is None:
            return None
        mine = await uow.people.networks_of(person.key)
    if network_slug is None:
        return person if mine else None
    return person if network_slug in mine else None


async def reader_by_token(
    uow: UnitOfWork, *, tenant_id: str, object_id: str, email: str | None
) -> Person | None:
    """The person a Teams SSO token names: by object id, else by e-mail, in their tenant.

    A person bound to another tenant is never matched, nor bound to a tenant none of their
    networks allows; one found by e-mail is bound to the token's object id and tenant, but
    never taken over by an account whose object id differs from the one already known.
    """
    async with uow:
        person = await uow.people.find(aad_object_id=object_id)
        by_email = person is None and bool(email)
        if by_email:
            person = await uow.people.find(email=email)
        if person is None:
            return None
        if person.tenant_id is not None and person.tenant_id.lower() != tenant_id:
            log.warning("refused: a tab sign-in of a person bound to another tenant")
            return None
        if person.tenant_id is None and not await tenant_allowed_for(uow, person, tenant_id):
            log.warning("refused: a tab sign-in from a tenant none of the person's networks allows")
            return None
        if by_email and person.aad_object_id and person.aad_object_id.lower() != object_id:
            log.warning("refused: a tab sign-in by e-mail of a person known by another account")
            return None
        if by_email or person.tenant_id is None:
            await uow.people.remember_teams_ids(
                person.key, teams_user_id=None, aad_object_id=object_id, tenant_id=tenant_id
            )
            await uow.commit()
    return person
