"""Files sent to the bot in a personal chat: checked during the turn, filed after it."""

from __future__ import annotations

import logging
import uuid

from bot.features.material.views import choice_view, item_of
from bot.routing.background import Background
from bot.routing.commands import Reply
from bot.routing.messages import Attachment, Incoming
from cards.material import FiledView, filed_card, meeting_choice_card
from cards.meeting import meeting_name
from domain.errors import N_, DomainError
from domain.material import FileRules
from domain.model import ConversationRef, Meeting, Network
from domain.text import literal
from netpuls.i18n import Translator, translator
from services import material, material_intake
from services.graph_port import GraphPort
from services.material_ports import ChannelFiles, ChannelPost
from services.networks import Actor, Directory
from services.ports import Clock, Notifier, Outbound, UnitOfWorkFactory

log = logging.getLogger(__name__)
FILE_DOWNLOAD = "application/vnd.microsoft.teams.file.download.info"
MAX_FILES_PER_MESSAGE = 10


def folder_label(network: Network, meeting: Meeting) -> str:
    """A meeting's folder name part, in the network's own language (the folder is shared)."""
    return meeting_name(meeting, translator(network.language))


def _downloads(message: Incoming) -> list[Attachment]:
    return [a for a in message.attachments if a.content_type == FILE_DOWNLOAD]


class MaterialFiles:
    """What the activity handler hands file attachments to (Edge.material)."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        notifier: Notifier,
        background: Background,
        rules: FileRules,
        graph: GraphPort | None,
        channel_files: ChannelFiles | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self.notifier = notifier
        self.background = background
        self.rules = rules
        self._graph = graph
        self._channel_files = channel_files

    @property
    def reads_channel_messages(self) -> bool:
        """Whether Graph is set up to read channel messages (and so their files)."""
        return self._channel_files is not None

    async def record_post(
        self,
        conversation_id: str,
        sender: Actor,
        people: Directory,
        post: ChannelPost,
        caption: str,
    ) -> material_intake.Recorded:
        """Record the files a channel message refers to (read through Graph)."""
        if self._channel_files is None:
            raise material.FilingFailed(
                N_(
                    "I can't file files yet: the connection to Microsoft Graph is not set up. "
                    "Ask the facilitator."
                )
            )
        return await material_intake.record_channel_files(
            self._uow(),
            self._clock,
            self._channel_files,
            conversation_id,
            sender,
            people,
            post,
            caption,
        )

    async def reassign(
        self,
        conversation_id: str,
        sender: Actor,
        people: Directory,
        material_ids: object,
        number: object,
        themes: object,
    ) -> material_intake.Reassigned:
        """The answer to 'which meeting?' (files the bot filed move with it)."""
        return await material_intake.reassign(
            self._uow(),
            self._graph,
            self._channel_files,
            folder_label,
            conversation_id,
            sender,
            people,
            material_ids,
            number,
            themes,
        )

    def accepts(self, message: Incoming) -> bool:
        """Whether the message carries files (Teams sends them only in personal chats)."""
        return bool(_downloads(message))

    async def receive(self, message: Incoming, t: Translator, directory: Directory) -> Reply:
        """Check each file now and answer at once; download and upload after the turn."""
        if self._graph is None:
            return Reply(
                text=t(
                    "I can't file files yet: the connection to Microsoft Graph is not set up. "
                    "Ask the facilitator."
                )
            )
        lines = []
        for attachment in _downloads(message)[:MAX_FILES_PER_MESSAGE]:
            lines.append(await self._accept(message, attachment, t, directory))
        return Reply(text="\n\n".join(lines))

    async def _accept(
        self,
        message: Incoming,
        attachment: Attachment,
        t: Translator,
        directory: Directory,
    ) -> str:
        content = attachment.content if isinstance(attachment.content, dict) else {}
        incoming = material.IncomingFile(
            name=str(attachment.name or ""),
            download_url=str(content.get("downloadUrl") or ""),
            file_type=str(content.get("fileType") or ""),
            caption=message.text,
        )
        try:
            plan = await material.plan_filing(
                self._uow(),
                self._clock,
                message.conversation_id,
                message.actor,
                directory,
                incoming,
                self.rules,
                folder_label,
            )
        except DomainError as exc:
            return t.refusal(exc.msgid, **exc.params)
        self.background.spawn(
            self._file(plan, incoming.download_url, message.where, t),
            name=f"file:{plan.file_name}",
        )
        folder = "/".join(plan.folders)
        return t(
            "Filing {name} in {folder} …", name=literal(plan.file_name), folder=literal(folder)
        )

    async def _file(
        self, plan: material.FilingPlan, url: str, where: ConversationRef, t: Translator
    ) -> None:
        assert self._graph is not None
        try:
            filed = await material.file_material(
                self._uow(), self._clock, self._graph, self.rules, plan, url
            )
        except DomainError as exc:
            await self.notifier.send(where, Outbound(text=t.refusal(exc.msgid, **exc.params)))
            return
        except Exception:
            reference = uuid.uuid4().hex[:8]
            log.exception("filing %s failed (ref %s)", plan.file_name, reference)
            await self.notifier.send(
                where,
                Outbound(
                    text=t(
                        "Something went wrong on my side (ref {ref}). Please try again in a "
                        "moment.",
                        ref=reference,
                    )
                ),
            )
            return
        meeting = meeting_name(filed.meeting, t) if filed.meeting else ""
        folder = "" if filed.duplicate else "/".join(plan.folders)
        item = item_of(filed.material, meeting, t, plan.network.zone)
        view = FiledView(plan.network.name, item, folder, duplicate=filed.duplicate)
        await self.notifier.send(where, Outbound(card=filed_card(view, t)))
        if plan.candidates and not filed.duplicate:
            ask = choice_view(plan.network, (filed.material,), plan.meeting, plan.candidates, t)
            await self.notifier.send(where, Outbound(card=meeting_choice_card(ask, t)))
