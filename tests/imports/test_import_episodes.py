"""The bulk import: rows checked as a whole, refusals by line and field, idempotent by the
source key, timelines computed and audited, the command's report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from tnw.imports.rows import read_csv
from tnw.imports.services import run_import

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "episodes.csv"
TODAY = date(2026, 11, 24)
HEADER = "source_key,insz,first_name,last_name,language,start,employment_contract,end\n"


def _run(user, text: str, **options):
    return run_import(user=user, records=read_csv(text), source="test.csv",
                      channel="test:import", today=TODAY, **options)  # fmt: skip


def test_the_example_file_loads_then_is_unchanged(coordinator):
    from tnw.dossier.models import Episode, Obligation

    text = EXAMPLE.read_text()
    first = _run(coordinator, text)
    assert (first.stored, first.updated, first.unchanged, first.refused) == (5, 0, 0, 0)
    assert Episode.objects.count() == 5
    assert Obligation.objects.filter(episode__in=Episode.objects.all()).exists()
    again = _run(coordinator, text)
    assert (again.stored, again.updated, again.unchanged, again.refused) == (0, 0, 5, 0)
    assert Episode.objects.count() == 5


def test_bad_rows_are_reported_by_line_and_field_and_store_nothing(coordinator):
    from tnw.dossier.models import Episode, Person

    text = HEADER + "\n".join([
        "K1,85073003328,Jan,Peeters,nl,2026-03-02,yes,",       # line 2: good
        "K2,85073003329,An,Claes,nl,2026-03-02,yes,",          # 3: INSZ check digits
        "K3,17073003384,Lotte,Janssens,xx,2026-03-02,no,",     # 4: language
        "K4,17073003384,Lotte,Janssens,nl,02/03/2026,no,",     # 5: date format
        "K5,17073003384,Lotte,Janssens,nl,2027-01-01,no,",     # 6: future start
        ",17073003384,Lotte,Janssens,nl,2026-03-02,perhaps,",  # 7: no key, contract
        "K1,17073003384,Lotte,Janssens,nl,2026-03-02,no,",     # 8: key twice
        "K6,17073003384,Lotte,Janssens,nl,2026-03-02,no,2026-01-01",  # 9: end before start
        "K7,17073003384,Lotte,Janssens,nl,2026-03-02,no,2026-05-01",  # 10: end: physician's
    ]) + "\n"  # fmt: skip
    batch = _run(coordinator, text)
    assert (batch.stored, batch.refused) == (1, 8)
    got = {(r["line"], r["field"], r["code"]) for r in batch.refusals}
    assert got == {
        (3, "insz", "invalid"), (4, "language", "invalid"), (5, "start", "invalid"),
        (6, "start", "future_start"), (7, "source_key", "required"),
        (7, "employment_contract", "invalid"), (8, "source_key", "duplicate_key"),
        (9, "end", "end_before_start"), (10, "end", "not_allowed"),
    }  # fmt: skip
    assert all(r["reason"] for r in batch.refusals)
    assert Person.objects.count() == 1 and Episode.objects.count() == 1


def test_an_end_is_registered_and_checked_by_the_engine(physician):
    from tnw.dossier.models import Episode, Registration

    text = HEADER + "K1,85073003328,Jan,Peeters,nl,2026-03-02,yes,2026-05-01\n"
    batch = _run(physician, text)
    assert batch.stored == 1
    episode = Episode.objects.get()
    assert episode.end == date(2026, 5, 1)
    assert Registration.objects.get(episode=episode).type == "incapacity_ended"


def test_a_changed_row_updates_the_episode(issue):
    from tnw.dossier.models import Episode

    service = issue("benefits", ["imports.write"]).client.user
    _run(service, HEADER + "K1,85073003328,Jan,Peeters,nl,2026-03-02,yes,\n")
    batch = _run(service, HEADER + "K1,85073003328,Jan,Peeters,nl,2026-03-09,yes,\n")
    assert (batch.stored, batch.updated, batch.unchanged) == (0, 1, 0)
    assert Episode.objects.get().start == date(2026, 3, 9)


def test_the_import_is_in_the_audit_chain(coordinator):
    from tnw.audit.models import AuditEntry

    before = AuditEntry.objects.count()
    _run(coordinator, EXAMPLE.read_text())
    entries = AuditEntry.objects.filter(channel="test:import")
    kinds = sorted({(e.action, e.object_type) for e in entries})
    assert ("create", "dossier.episode") in kinds and ("create", "dossier.person") in kinds
    assert entries.count() == AuditEntry.objects.count() - before
    call_command("audit", "verify")


def test_batches_commit_separately_and_a_rerun_resumes(coordinator, monkeypatch):
    """A failure in the second batch keeps the first; running the file again stores the rest
    and nothing twice (what a killed import does, without killing the test process)."""
    from tnw.dossier import bulk
    from tnw.dossier.models import Episode

    real = bulk.import_episodes
    calls = {"n": 0}

    def dies_on_second_batch(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(**kwargs)

    monkeypatch.setattr(bulk, "import_episodes", dies_on_second_batch)
    with pytest.raises(KeyboardInterrupt):
        _run(coordinator, EXAMPLE.read_text(), batch_size=2)
    assert Episode.objects.count() == 2
    monkeypatch.setattr(bulk, "import_episodes", real)
    batch = _run(coordinator, EXAMPLE.read_text(), batch_size=2)
    assert (batch.stored, batch.unchanged) == (3, 2)
    assert Episode.objects.count() == 5


def test_the_command_prints_the_report(coordinator, capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "K9,85073003329,An,Claes,nl,2026-03-02,yes,\n")
    call_command("import", "episodes", str(EXAMPLE), "--as", coordinator.username)
    assert "5 stored, 0 updated, 0 unchanged, 0 refused" in capsys.readouterr().out
    call_command("import", "episodes", str(EXAMPLE), "--as", coordinator.username)
    assert "0 stored, 0 updated, 5 unchanged, 0 refused" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("import", "episodes", str(bad), "--as", coordinator.username)
    assert "line 2 (K9): insz:" in capsys.readouterr().out
