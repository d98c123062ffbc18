"""The head row's table, and the database's own refusal to change or delete audit entries.

Entries may be deleted only up to the head's `pruned_seq` (`bihuan audit prune` moves it first);
the head may only move forward and is never deleted. Anyone who can drop a trigger can still
edit the table: that is what the hash chain and `bihuan audit verify` are for.
"""

from django.db import migrations

HEAD_ROW = "INSERT INTO audit_audithead (id, last_seq, last_hash, pruned_seq, pruned_hash) VALUES (1, 0, '', 0, '')"

SQLITE = [
    """CREATE TABLE audit_audithead (
        id integer NOT NULL PRIMARY KEY CHECK (id = 1),
        last_seq bigint NOT NULL,
        last_hash varchar(64) NOT NULL,
        pruned_seq bigint NOT NULL,
        pruned_hash varchar(64) NOT NULL
    )""",
    HEAD_ROW,
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
    WHEN OLD.seq > COALESCE((SELECT pruned_seq FROM audit_audithead WHERE id = 1), 0)
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only: DELETE refused'); END""",
    """CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_audithead
    WHEN NEW.id <> OLD.id OR NEW.last_seq < OLD.last_seq OR NEW.pruned_seq < OLD.pruned_seq
        OR NEW.pruned_seq > NEW.last_seq
    BEGIN SELECT RAISE(ABORT, 'audit head only moves forward'); END""",
    """CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_audithead
    BEGIN SELECT RAISE(ABORT, 'audit head cannot be deleted'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_head_no_delete",
    "DROP TRIGGER IF EXISTS audit_head_forward",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TABLE IF EXISTS audit_audithead",
]

POSTGRESQL = [
    """CREATE TABLE audit_audithead (
        id smallint NOT NULL PRIMARY KEY CHECK (id = 1),
        last_seq bigint NOT NULL,
        last_hash varchar(64) NOT NULL,
        pruned_seq bigint NOT NULL,
        pruned_hash varchar(64) NOT NULL
    )""",
    HEAD_ROW,
    """CREATE FUNCTION audit_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND OLD.seq <= COALESCE(
            (SELECT pruned_seq FROM audit_audithead WHERE id = 1), 0
        ) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit log is append-only: % refused', TG_OP;
    END $$""",
    """CREATE TRIGGER audit_entry_guard BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_guard()""",
    """CREATE FUNCTION audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'audit head cannot be deleted';
        END IF;
        IF NEW.id <> OLD.id OR NEW.last_seq < OLD.last_seq OR NEW.pruned_seq < OLD.pruned_seq
            OR NEW.pruned_seq > NEW.last_seq THEN
            RAISE EXCEPTION 'audit head only moves forward';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER audit_head_guard BEFORE UPDATE OR DELETE ON audit_audithead
    FOR EACH ROW EXECUTE FUNCTION audit_head_guard()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_head_guard ON audit_audithead",
    "DROP FUNCTION IF EXISTS audit_head_guard()",
    "DROP TRIGGER IF EXISTS audit_entry_guard ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_guard()",
    "DROP TABLE IF EXISTS audit_audithead",
]

STATEMENTS = {"sqlite": (SQLITE, SQLITE_REVERSE), "postgresql": (POSTGRESQL, POSTGRESQL_REVERSE)}


def _run(schema_editor, *, reverse: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise NotImplementedError(f"Bihuan's audit log supports SQLite and PostgreSQL, not {vendor}")
    for statement in STATEMENTS[vendor][reverse]:
        schema_editor.execute(statement, params=None)


def forward(apps, schema_editor):
    _run(schema_editor, reverse=False)


def backward(apps, schema_editor):
    _run(schema_editor, reverse=True)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
