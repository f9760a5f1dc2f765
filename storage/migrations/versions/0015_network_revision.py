"""networks.revision: bumped by triggers on every change to what a meeting card shows but answers

Revision ID: 0015
Revises: 0014 (depends on 0004, 0005, 0006, 0009)
Create Date: 2026-11-24 05:00:00.000000

The network, its meetings and their programmes, the seats and their municipalities, the
cases and the material change rarely; answers change on every click. A process may keep the
rarely-changing part in memory as long as the revision it was read at is still the network's:
the triggers make that hold for every writer (other replicas, `netpuls network import`, psql),
not only for this process. `meetings.updated_at` alone is left out: the RSVP lock writes it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
# cases (0005), material (0006), and the meeting columns added by 0003/0004.
depends_on: str | Sequence[str] | None = ("0004", "0005", "0006", "0009")

# Kept here, not imported: a migration must not change when the application's code does.
MEETING_COLUMNS = (
    "network_id, number, kind, day, end_day, starts, ends, region, place, title, field_visit, "
    "status, host_municipality_id, capacity, seats_per_municipality, skip_steps, created_at"
)
BY_NETWORK = ("seats", "material", "meetings")  # tables with their own network_id
BY_MEETING = ("programme_items", "cases")  # tables that reach the network through a meeting
BUMP = "UPDATE networks SET revision = revision + 1 WHERE id"
OF_MEETING = "(SELECT network_id FROM meetings WHERE meetings.id = {row}.meeting_id)"


def _sqlite() -> list[str]:
    statements = [
        # Any change to the network's own row; the WHEN keeps the bump from counting twice.
        "CREATE TRIGGER networks_revision AFTER UPDATE ON networks "
        "WHEN new.revision = old.revision BEGIN "
        "UPDATE networks SET revision = old.revision + 1 WHERE id = new.id; END",
        "CREATE TRIGGER municipalities_revision AFTER UPDATE ON municipalities BEGIN "
        f"{BUMP} IN (SELECT network_id FROM seats WHERE municipality_id = new.id); END",
    ]
    for table in BY_NETWORK + BY_MEETING:
        new = OF_MEETING.format(row="new") if table in BY_MEETING else "new.network_id"
        old = OF_MEETING.format(row="old") if table in BY_MEETING else "old.network_id"
        of = f" OF {MEETING_COLUMNS}" if table == "meetings" else ""
        statements += [
            f"CREATE TRIGGER {table}_revision_insert AFTER INSERT ON {table} BEGIN "
            f"{BUMP} = {new}; END",
            f"CREATE TRIGGER {table}_revision_update AFTER UPDATE{of} ON {table} BEGIN "
            f"{BUMP} IN ({old}, {new}); END",
            f"CREATE TRIGGER {table}_revision_delete AFTER DELETE ON {table} BEGIN "
            f"{BUMP} = {old}; END",
        ]
    return statements


def _postgresql() -> list[str]:
    statements = [
        "CREATE FUNCTION netpuls_revision_self() RETURNS trigger AS $$ BEGIN "
        "IF NEW.revision = OLD.revision THEN NEW.revision := OLD.revision + 1; END IF; "
        "RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER networks_revision BEFORE UPDATE ON networks FOR EACH ROW "
        "EXECUTE FUNCTION netpuls_revision_self()",
        "CREATE FUNCTION netpuls_revision_municipality() RETURNS trigger AS $$ BEGIN "
        f"{BUMP} IN (SELECT network_id FROM seats WHERE municipality_id = NEW.id); "
        "RETURN NULL; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER municipalities_revision AFTER UPDATE ON municipalities FOR EACH ROW "
        "EXECUTE FUNCTION netpuls_revision_municipality()",
    ]
    for kind, new, old in (
        ("network", "NEW.network_id", "OLD.network_id"),
        ("meeting", OF_MEETING.format(row="NEW"), OF_MEETING.format(row="OLD")),
    ):
        statements.append(
            f"CREATE FUNCTION netpuls_revision_by_{kind}() RETURNS trigger AS $$ BEGIN "
            f"IF TG_OP = 'INSERT' THEN {BUMP} = {new}; "
            f"ELSIF TG_OP = 'DELETE' THEN {BUMP} = {old}; "
            f"ELSE {BUMP} IN ({old}, {new}); END IF; "
            "RETURN NULL; END $$ LANGUAGE plpgsql"
        )
    for table in BY_NETWORK + BY_MEETING:
        kind = "meeting" if table in BY_MEETING else "network"
        of = f" OF {MEETING_COLUMNS}" if table == "meetings" else ""
        statements.append(
            f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE{of} OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION netpuls_revision_by_{kind}()"
        )
    return statements


def upgrade() -> None:
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("revision", sa.BigInteger(), server_default="1", nullable=False)
        )
    dialect = op.get_bind().dialect.name
    for statement in _postgresql() if dialect == "postgresql" else _sqlite():
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    tables = BY_NETWORK + BY_MEETING
    if dialect == "postgresql":
        for table in (*tables, "networks", "municipalities"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_revision ON {table}")
        for name in ("self", "municipality", "by_network", "by_meeting"):
            op.execute(f"DROP FUNCTION IF EXISTS netpuls_revision_{name}()")
    else:
        op.execute("DROP TRIGGER IF EXISTS networks_revision")
        op.execute("DROP TRIGGER IF EXISTS municipalities_revision")
        for table in tables:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_revision_{event}")
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.drop_column("revision")
