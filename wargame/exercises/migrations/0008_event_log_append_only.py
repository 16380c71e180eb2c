"""On PostgreSQL, the event log refuses to be changed or emptied except by exercise_delete."""

from django.db import migrations

# Allowed: anything while the session says it is deleting this very exercise
# (wargame/exercises/services/setup.py, exercise_delete), and forgetting who acted when a user
# account is removed. Everything else is refused.
CREATE = """
CREATE OR REPLACE FUNCTION cumbre_event_append_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('cumbre.deleting_exercise', true) = OLD.exercise_id::text THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
        AND (NEW.id, NEW.exercise_id, NEW.turn, NEW.kind, NEW.team_id, NEW.payload::text,
             NEW.created_at)
        IS NOT DISTINCT FROM (OLD.id, OLD.exercise_id, OLD.turn, OLD.kind, OLD.team_id,
                              OLD.payload::text, OLD.created_at) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the event log is append-only (event %% of exercise %%)',
        OLD.id, OLD.exercise_id USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS cumbre_event_append_only ON exercises_event;
CREATE TRIGGER cumbre_event_append_only BEFORE UPDATE OR DELETE ON exercises_event
    FOR EACH ROW EXECUTE FUNCTION cumbre_event_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS cumbre_event_append_only ON exercises_event;
DROP FUNCTION IF EXISTS cumbre_event_append_only();
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("exercises", "0007_pulse_versions")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
