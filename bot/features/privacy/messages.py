"""The privacy feature's wording: the retention report, and how an erased person is shown."""

from __future__ import annotations

from collections.abc import Mapping

from domain.errors import N_
from domain.model import Network
from netpuls.i18n import Translator, translator
from services.ports import Outbound

DONE = N_("Retention in {network}: personal data kept long enough was removed.")
# One line per kind of work the retention did (kinds as storage counts them).
KINDS = {
    "dietary": N_("{count} dietary needs and notes deleted"),
    "applications": N_("{count} applications deleted"),
    "evaluation links": N_("{count} links between people and evaluations deleted"),
    "people": N_("{count} people anonymised"),
}


def retention_lines(counts: Mapping[str, int], t: Translator) -> list[str]:
    """What a retention run did, one line per kind."""
    return [t(KINDS.get(kind, kind), count=n) for kind, n in sorted(counts.items())]


def retention_message(network: Network, counts: Mapping[str, int]) -> Outbound:
    """The report to the organisers, in the network's language."""
    t = translator(network.language)
    lines = [
        t(
            "Retention in {network}: personal data kept long enough was removed.",
            network=network.name,
        )
    ]
    lines += [f"- {line}" for line in retention_lines(counts, t)]
    lines.append(t("Summaries, material and the final product stay: they are the network's work."))
    return Outbound(text="\n".join(lines))
