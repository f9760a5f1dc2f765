"""Card views and messages for joining a network, from service results. No I/O."""

from __future__ import annotations

from collections.abc import Mapping

from cards.erased import shown_name
from cards.membership import (
    ApplicationFormView,
    ApplicationLine,
    ApplicationsView,
    board_decision,
)
from cards.selection import ConfirmedView, CoverageView, Pick, SelectionView
from domain import application_form as form
from domain.membership import Application, ApplicationStatus
from domain.model import Network
from domain.text import literal
from netpuls.i18n import Translator, translator
from services.admission import Decided
from services.membership import ApplicationForm, Applications, CallState
from services.ports import Outbound
from services.selection import Coverage, Selection

FIELDS = (
    form.F_MUNICIPALITY,
    form.F_REGION,
    form.F_HEAD,
    form.F_EMAIL,
    form.F_INTEREST,
    form.F_THEMES,
    form.F_LINKS,
    form.F_BOARD_DATE,
    form.F_BOARD_REFERENCE,
    form.F_PROJECT_LEADER,
    form.F_STEERING_GROUP,
    form.F_AREA_IDEA,
    form.F_WORKING_GROUP,
)
# Typed values are shown again on a refused card; this bounds what a forged payload can echo.
MAX_ECHO = 8000


def values_of(application: Application, themes: tuple[str, ...]) -> dict[str, str]:
    """A stored application as the form's input values (themes as their 1-based numbers)."""
    numbers = [str(i) for i, theme in enumerate(themes, 1) if theme in application.themes]
    out = {
        form.F_MUNICIPALITY: application.municipality_name,
        form.F_REGION: application.region,
        form.F_HEAD: application.head_of_planning,
        form.F_EMAIL: application.email,
        form.F_INTEREST: application.interest,
        form.F_THEMES: ",".join(numbers),
        form.F_LINKS: "\n".join(application.links),
        form.F_AREA_IDEA: application.area_idea,
        form.F_WORKING_GROUP: application.working_group,
    }
    c = application.commitment
    if c is not None:
        out |= {
            form.F_BOARD_DATE: c.board_date.isoformat(),
            form.F_BOARD_REFERENCE: c.board_reference,
            form.F_PROJECT_LEADER: c.project_leader,
            form.F_STEERING_GROUP: c.steering_group,
        }
    return out


def typed_values(data: Mapping[str, object]) -> dict[str, str]:
    """What the reader typed, to put back on the card after a refusal."""
    return {k: v[:MAX_ECHO] for k in FIELDS if isinstance(v := data.get(k), str) and v}


def form_view(
    found: ApplicationForm,
    *,
    values: Mapping[str, str] | None = None,
    base: str | None = None,
    notice: str = "",
    offer_replace: bool = False,
) -> ApplicationFormView:
    """The application card's view: the reader's stored application, or what they typed."""
    state, rules, current = found.state, found.rules, found.current
    if base is None:
        base = f"{current.municipality_key}:{current.version}" if current else ""
    if values is None:
        values = values_of(current, rules.themes) if current else {}
    return ApplicationFormView(
        network_slug=state.network.slug,
        network_name=state.network.name,
        closes_at=state.closes_at,
        themes=rules.themes,
        regions=rules.regions,
        needs_commitment=rules.needs_commitment,
        requires=rules.requires,
        values=values,
        base=base,
        notice=notice,
        offer_replace=offer_replace,
    )


def call_line(state: CallState, t: Translator) -> str:
    """'Open until ...', 'Closed on ...' or 'No call for applications'."""
    if state.call is None or state.closes_at is None:
        return t("No call for applications has been opened.")
    if state.open:
        return t("Open until {deadline}", deadline=state.closes_at)
    return t("Closed on {deadline}", deadline=state.closes_at)


def status_label(status: ApplicationStatus, t: Translator) -> str:
    """'Received', 'Admitted' or 'Not admitted'."""
    return {
        ApplicationStatus.SUBMITTED: t("Received"),
        ApplicationStatus.ADMITTED: t("Admitted"),
        ApplicationStatus.DECLINED: t("Not admitted"),
    }[status]


def applications_view(found: Applications, t: Translator) -> ApplicationsView:
    """The secretariat's list of applications."""
    themes = found.state.network.themes
    lines = []
    for a in found.applications:
        assert a.submitted_at is not None
        c = a.commitment
        lines.append(
            ApplicationLine(
                municipality=a.municipality_name,
                region=a.region,
                head_of_planning=shown_name(a.head_of_planning, a.municipality_name, t),
                email=a.email,
                words=a.words,
                theme_numbers=tuple(i for i, th in enumerate(themes, 1) if th in a.themes),
                version=a.version,
                sent=a.submitted_at.astimezone(found.state.network.zone),
                status=status_label(a.status, t),
                links=len(a.links),
                board_decision=board_decision(c.board_date, c.board_reference, t) if c else "",
                project_leader=c.project_leader if c else "",
                area_idea=a.area_idea,
                working_group=form.competences(a.working_group),
            )
        )
    return ApplicationsView(
        network_name=found.state.network.name,
        call_line=call_line(found.state, t),
        seats=found.state.network.seat_limit,
        themes=themes,
        lines=tuple(lines),
    )


def _coverage(c: Coverage) -> CoverageView:
    return CoverageView(
        c.themes_covered,
        c.themes_total,
        c.regions_covered,
        c.regions_total,
        c.theme_imbalance,
        c.region_imbalance,
    )


def selection_view(found: Selection, notice: str = "") -> SelectionView:
    """The selection card's view."""
    themes = found.network.themes

    def pick(a: Application, fixed: frozenset[str]) -> Pick:
        numbers = tuple(i for i, th in enumerate(themes, 1) if th in a.themes)
        key = a.municipality_key
        return Pick(key, a.municipality_name, a.region, numbers, key in fixed)

    proposal = found.proposal
    return SelectionView(
        network_slug=found.network.slug,
        network_name=found.network.name,
        seats=proposal.seats,
        chosen=tuple(pick(a, found.fixed_in) for a in found.chosen()),
        others=tuple(pick(a, found.fixed_out) for a in found.others()),
        coverage=_coverage(proposal.coverage),
        best=_coverage(proposal.best_draw),
        worst=_coverage(proposal.worst_draw),
        draws=proposal.draws,
        open_until=found.open_until,
        notice=notice,
    )


def confirmed_view(
    decided: Decided, told: int, unreachable: tuple[Application, ...]
) -> ConfirmedView:
    """What confirming did, and whom the secretariat must tell themselves."""
    admitted = {a.municipality_key for a in decided.admitted}
    return ConfirmedView(
        network_name=decided.network.name,
        admitted=tuple(a.municipality_name for a in decided.admitted),
        declined=tuple(a.municipality_name for a in decided.declined),
        told=told,
        tell_yourself=tuple(
            (a.municipality_name, a.email, a.municipality_key in admitted) for a in unreachable
        ),
        already=decided.already,
    )


def call_announcement(state: CallState) -> Outbound:
    """The call posted in the network's channels, in the network's language."""
    t = translator(state.network.language)
    return Outbound(
        text=t(
            "{network} is taking applications until {deadline}. To apply, write "
            "apply {slug} to me in a personal chat.",
            network=literal(state.network.name),
            deadline=state.closes_at,
            slug=state.network.slug,
        )
    )


def decision_message(network: Network, application: Application, admitted: bool) -> Outbound:
    """The answer to an applicant, in the network's language."""
    t = translator(network.language)
    if admitted:
        lines = [
            t(
                "Welcome to {network}: {municipality} has been admitted and now holds a seat.",
                network=literal(network.name),
                municipality=literal(application.municipality_name),
            ),
            t("Write next to see the next meeting, and help to see what else I can do."),
        ]
    else:
        lines = [
            t(
                "Thank you for applying to {network}. {municipality} was not selected this time: "
                "there were more applicants than seats.",
                network=literal(network.name),
                municipality=literal(application.municipality_name),
            )
        ]
    return Outbound(text="\n\n".join(lines))
