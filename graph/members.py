"""The team's roster through Graph: GET /teams/{group id}/members, following every page."""

from __future__ import annotations

from msgraph.generated.models.aad_user_conversation_member import AadUserConversationMember

from domain.roster import TeamMember
from graph.client import GraphConnection, call

MAX_PAGES = 100  # a team has at most 25,000 members; Graph pages them 100 (or more) at a time


class GraphRoster:
    """Implements services.calendar_ports.RosterPort (TeamMember.Read.Group, RSC)."""

    def __init__(self, connection: GraphConnection) -> None:
        self._graph = connection

    async def team_members(self, team_id: str) -> list[TeamMember]:
        """Every aadUserConversationMember of the team, across @odata.nextLink pages."""
        builder = self._graph.client.teams.by_team_id(team_id).members
        page = await call(builder.get())
        members: list[TeamMember] = []
        for _ in range(MAX_PAGES):
            for member in page.value or []:
                # Other kinds (e.g. skype or anonymous guests) have no Entra id to match on.
                if isinstance(member, AadUserConversationMember) and member.user_id:
                    members.append(
                        TeamMember(member.user_id, member.email or "", member.display_name or "")
                    )
            if not page.odata_next_link:
                break
            page = await call(builder.with_url(page.odata_next_link).get())
        return members
