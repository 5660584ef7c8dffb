"""Governance cases (治理案件): state machine, events, evidence files.

``governance_case`` holds one case per firm and parcel on a year's 治理清单 (or opened by
hand), its state (DOMAIN.md names), 四个一批 action, town and deadline;
``governance_case_event`` one row per transition (legal date, who, note);
``governance_case_evidence`` the files attached to an event, stored on disk by SHA-256.

The database refuses any state change the life cycle does not allow (the pairs come
from ``landgov/governance/cases/workflow.py``), a drop without a reason and an event
dated in the future, so no write path (the reclamation ledger, raw SQL) escapes the
rules; who may take a step is the service's check. Case changes evict the tiles of
their parcels (the ``cases`` layer and the parcels' ``governance_state``).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from alembic import op

from landgov.governance.cases.workflow import OPEN_STATES, STATES, TRANSITIONS
from landgov.settings import get_settings

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _list(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


PAIRS = ", ".join(f"('{t.from_state}', '{t.to_state}')" for t in TRANSITIONS)

TABLES = f"""
CREATE TABLE governance_case (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year smallint NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    state text NOT NULL DEFAULT '待核实' CHECK (state IN ({_list(STATES)})),
    unit_code char(28) REFERENCES land_unit(unit_code),
    enterprise_id bigint REFERENCES enterprise(id),
    town_id smallint REFERENCES town(id),
    action text CHECK (action IN ('shutdown', 'upgrade', 'merge', 'vacate')),
    deadline date,
    exit_reason text,
    source text NOT NULL DEFAULT 'manual' CHECK (source IN ('list', 'manual')),
    opened_by text NOT NULL,
    opened_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT governance_case_subject CHECK (unit_code IS NOT NULL OR enterprise_id IS NOT NULL),
    CONSTRAINT governance_case_exit_reason
        CHECK (state <> '已退出' OR length(trim(COALESCE(exit_reason, ''))) >= 2)
);
-- never two open cases for the same firm and parcel in a year
CREATE UNIQUE INDEX governance_case_open_uq
    ON governance_case (year, COALESCE(enterprise_id, 0), COALESCE(unit_code, ''))
    WHERE state NOT IN ('已盘活', '已退出');
CREATE INDEX governance_case_unit_idx ON governance_case (unit_code);
CREATE INDEX governance_case_town_idx ON governance_case (town_id, state);
CREATE INDEX governance_case_enterprise_idx ON governance_case (enterprise_id);

CREATE TABLE governance_case_event (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id bigint NOT NULL REFERENCES governance_case(id),
    from_state text CHECK (from_state IN ({_list(STATES)})),
    to_state text NOT NULL CHECK (to_state IN ({_list(STATES)})),
    event_date date NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL,
    note text
);
CREATE INDEX governance_case_event_case_idx ON governance_case_event (case_id, id);

CREATE TABLE governance_case_evidence (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id bigint NOT NULL REFERENCES governance_case(id),
    event_id bigint REFERENCES governance_case_event(id),
    sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{{64}}$'),
    size_bytes bigint NOT NULL CHECK (size_bytes > 0),
    original_name text NOT NULL CHECK (length(original_name) BETWEEN 1 AND 255),
    media_type text NOT NULL,
    uploaded_by text NOT NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX governance_case_evidence_case_idx ON governance_case_evidence (case_id);
CREATE INDEX governance_case_evidence_hash_idx ON governance_case_evidence (sha256);
"""

RULES = f"""
-- "Today" for deadlines in SQL that has no bound date (tiles, OGC): the configured zone,
-- which a session may override with the setting landgov.time_zone.
CREATE FUNCTION governance_today() RETURNS date LANGUAGE sql STABLE AS $$
    SELECT (now() AT TIME ZONE COALESCE(NULLIF(current_setting('landgov.time_zone', true), ''),
                                        '{get_settings().time_zone}'))::date
$$;

-- The life cycle, whatever the write path: only the pairs of workflow.TRANSITIONS.
CREATE FUNCTION governance_case_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> '待核实' THEN
            RAISE EXCEPTION '新案件的状态必须为 待核实 (收到 %)', NEW.state
                USING ERRCODE = 'check_violation';
        END IF;
    ELSIF NEW.state IS DISTINCT FROM OLD.state
          AND (OLD.state, NEW.state) NOT IN ({PAIRS}) THEN
        RAISE EXCEPTION '案件 % 不能由 % 转为 % (不可跳过环节)', OLD.id, OLD.state, NEW.state
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.updated_at := now();
    RETURN NEW;
END $$;
CREATE TRIGGER governance_case_guard BEFORE INSERT OR UPDATE ON governance_case
    FOR EACH ROW EXECUTE FUNCTION governance_case_guard();

-- An event's legal date may not lie in the future (today in the configured zone).
CREATE FUNCTION governance_case_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.event_date > governance_today() THEN
        RAISE EXCEPTION '事件日期 % 晚于今天, 不能记录未来的日期', NEW.event_date
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER governance_case_event_guard BEFORE INSERT OR UPDATE ON governance_case_event
    FOR EACH ROW EXECUTE FUNCTION governance_case_event_guard();

-- Tiles: the boxes of the current parcels of the unit codes a statement touched. 0007
-- wrote this function for occupancy with the table's name spelled out; it now takes
-- the name from TG_TABLE_NAME and serves governance_case as well (one definition).
ALTER FUNCTION tile_notify_occupancy() RENAME TO tile_notify_unit_codes;
CREATE OR REPLACE FUNCTION tile_notify_unit_codes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    codes text[];
    x0s float8[]; y0s float8[]; x1s float8[]; y1s float8[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT unit_code) INTO codes FROM new_rows;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT array_agg(DISTINCT unit_code) INTO codes
          FROM (SELECT unit_code FROM old_rows UNION SELECT unit_code FROM new_rows) u;
    ELSE
        SELECT array_agg(DISTINCT unit_code) INTO codes FROM old_rows;
    END IF;
    SELECT array_agg(ST_XMin(p.geom)), array_agg(ST_YMin(p.geom)),
           array_agg(ST_XMax(p.geom)), array_agg(ST_YMax(p.geom))
      INTO x0s, y0s, x1s, y1s
      FROM parcel p WHERE p.unit_code = ANY(codes) AND p.valid_to IS NULL;
    IF x0s IS NOT NULL THEN
        PERFORM tile_notify_boxes(TG_TABLE_NAME::text, x0s, y0s, x1s, y1s);
    END IF;
    RETURN NULL;
END $$;
"""

OPEN_INDEX = f"""
CREATE INDEX governance_case_open_unit_idx ON governance_case (unit_code)
    WHERE state IN ({_list(OPEN_STATES)});
"""

TRANSITION_REFS = (("INSERT", "NEW TABLE AS new_rows"),
                   ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                   ("DELETE", "OLD TABLE AS old_rows"))
AUDITED = (("governance_case", "r.id::text"),
           ("governance_case_event", "r.case_id || '/' || r.id"),
           ("governance_case_evidence", "r.case_id || '/' || r.sha256"))


def upgrade() -> None:
    op.execute(TABLES)
    op.execute(RULES)
    op.execute(OPEN_INDEX)
    for table, key in AUDITED:
        key_literal = "'" + key.replace("'", "''") + "'"
        for op_name, ref in TRANSITION_REFS:
            op.execute(f"CREATE TRIGGER audit_{op_name.lower()} AFTER {op_name} ON {table} "
                       f"REFERENCING {ref} FOR EACH STATEMENT EXECUTE FUNCTION "
                       f"audit_statement({key_literal}, 'true', 'id')")
    for op_name, ref in TRANSITION_REFS:
        op.execute(f"CREATE TRIGGER tiles_{op_name.lower()} AFTER {op_name} ON governance_case "
                   f"REFERENCING {ref} FOR EACH STATEMENT "
                   "EXECUTE FUNCTION tile_notify_unit_codes()")
    op.execute("CREATE TRIGGER tiles_truncate AFTER TRUNCATE ON governance_case "
               "FOR EACH STATEMENT EXECUTE FUNCTION tile_notify_truncate()")


def downgrade() -> None:
    op.execute("""
    DROP TABLE IF EXISTS governance_case_evidence, governance_case_event, governance_case CASCADE;
    DROP FUNCTION IF EXISTS governance_case_guard(), governance_case_event_guard(),
        governance_today();
    -- the generic body behaves for occupancy exactly as 0007's did
    ALTER FUNCTION tile_notify_unit_codes() RENAME TO tile_notify_occupancy;
    """)
