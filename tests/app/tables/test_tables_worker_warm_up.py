"""The worker loads the engine's kernels and the sentence encoder when it starts (`tablee worker`),
so the first plan or door repair of its process waits for neither; pages, `manage.py` commands and
`--batch` runs never load them."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tablee.outbox import ticks
from tablee.outbox.management.commands import tablee_worker
from tablee.tables import services


@pytest.fixture
def loaded(monkeypatch):
    """What got loaded, by name, with the real loading replaced by a note of it."""
    seen: list[str] = []
    monkeypatch.setattr("tablee.engine.warm_up", lambda: seen.append("engine") or 0.0)
    monkeypatch.setattr("tablee.text.embeddings.warm_up", lambda: seen.append("encoder") or 0.0)
    services._engine_kernels.cache_clear()
    yield seen
    services._engine_kernels.cache_clear()


@pytest.fixture
def worker_loop(monkeypatch):
    """The worker's start, without its endless loop: the tick thread idle, the warm-up run inline."""
    monkeypatch.setattr(tablee_worker.Ticker, "start", lambda self: None)
    monkeypatch.setattr(tablee_worker.WarmUp, "start", lambda self: self.run())
    started = []
    monkeypatch.setattr(tablee_worker, "run_resilient", lambda make_worker: started.append(make_worker))
    return started


def test_the_worker_loads_the_engine_and_the_sentence_encoder_when_it_starts(db, loaded, worker_loop):
    call_command("tablee_worker", verbosity=0)

    assert worker_loop, "the worker loop started"
    assert sorted(loaded) == ["encoder", "engine"]
    assert "tables" in ticks.registered_warm_ups()


def test_pages_manage_commands_and_batch_runs_load_neither(db, loaded, worker_loop, client, organizer):
    client.force_login(organizer)
    assert client.get("/").status_code in (200, 302)
    call_command("check", verbosity=0)
    call_command("tablee_worker", batch=True, verbosity=0)

    assert loaded == []


def test_a_warm_up_that_fails_never_stops_the_worker(monkeypatch, loaded):
    def broken():
        raise RuntimeError("no encoder here")

    monkeypatch.setitem(ticks._warm_ups, "broken", broken)

    took = ticks.warm_up_all()

    assert set(took) >= {"tables", "broken"} and sorted(loaded) == ["encoder", "engine"]
