"""Keyset paging of the public lists: cursors, Link, X-Total-Count, offset."""

from __future__ import annotations

from collections import Counter

import pytest

from .conftest import BASE_TIME, INTEGRATION, hardpy_report


def _upload_many(uploader, serials, start):
    ids = []
    for i, serial in enumerate(serials):
        # Pairs share a start time so the id breaks the tie.
        res = uploader(hardpy_report(serial, start=start + (i // 2) * 60))
        assert res.status_code == 201
        ids.append(res.json()["test_run_id"])
    return ids


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_walking_by_cursor_returns_every_run_once_while_runs_arrive(uploader, reader, order):
    existing = _upload_many(uploader, [f"P{i:02d}" for i in range(23)], BASE_TIME)
    seen, arrived_later, cursor, pages = [], [], None, 0
    while True:
        params = {"limit": 5, "order": order} | ({"cursor": cursor} if cursor else {})
        res = reader("/test_run", **params)
        assert res.status_code == 200, res.text
        seen += [r["test_run_id"] for r in res.json()]
        pages += 1
        # New runs keep arriving while the client pages: later ones, and a late upload from the past.
        arrived_later += _upload_many(uploader, [f"NEW{pages}a", f"NEW{pages}b"], BASE_TIME + 3600 * pages)
        uploader(hardpy_report(f"OLD{pages}", start=BASE_TIME - 3600 * pages))
        cursor = res.headers.get("X-Next-Cursor")
        if cursor is None:
            assert "Link" not in res.headers
            break
        assert pages < 50
    assert max(Counter(seen).values()) == 1
    assert set(existing) <= set(seen)
    if order == "asc":  # oldest first: runs that start later than the walk's position are reached too
        assert set(arrived_later[:-2]) <= set(seen)


def test_headers_and_link(uploader, reader, client, integration_key):
    _upload_many(uploader, [f"L{i}" for i in range(7)], BASE_TIME)
    first = reader("/test_run", limit=3, part_number="PCB-7")
    assert first.headers["X-Total-Count"] == "7"
    link = first.headers["Link"]
    assert link.startswith("<http://testserver/integration/api/v1/test_run?") and link.endswith('>; rel="next"')
    url = link[1:link.index(">")]
    assert "part_number=PCB-7" in url and "limit=3" in url
    second = client.get(url, headers={"Authorization": f"Bearer {integration_key}"})
    assert second.status_code == 200 and second.headers["X-Total-Count"] == "7"
    assert not {r["test_run_id"] for r in first.json()} & {r["test_run_id"] for r in second.json()}
    everything = [r["test_run_id"] for r in reader("/test_run").json()]
    assert [r["test_run_id"] for r in reader("/test_run", offset=2, limit=2).json()] == everything[2:4]
    assert [r["test_run_id"] for r in reader("/test_run", order="desc").json()] == everything[::-1]
    assert "X-Next-Cursor" not in reader("/test_run", limit=7).headers


def test_tested_dut_pages_by_cursor(uploader, reader):
    _upload_many(uploader, [f"T{i}" for i in range(6)], BASE_TIME)
    seen, cursor = [], None
    while True:
        res = reader("/tested_dut", limit=4, **({"cursor": cursor} if cursor else {}))
        seen += [d["serial_number"] for d in res.json()]
        cursor = res.headers.get("X-Next-Cursor")
        if not cursor:
            break
    assert sorted(seen) == [f"T{i}" for i in range(6)]


def test_cursor_of_another_list_or_order_is_refused(uploader, reader):
    _upload_many(uploader, ["C1", "C2"], BASE_TIME)
    cursor = reader("/test_run", limit=1).headers["X-Next-Cursor"]
    assert reader("/tested_dut", cursor=cursor).status_code == 422
    assert reader("/test_run", cursor=cursor, order="desc").status_code == 422
    assert reader("/test_run", cursor=cursor[:-3] + "abc").status_code == 422


def test_lists_are_bare_arrays(reader, client, integration_key):
    res = client.get(f"{INTEGRATION}/test_run", headers={"X-API-KEY": integration_key})
    assert res.json() == [] and res.headers["X-Total-Count"] == "0"


def test_total_is_carried_by_the_cursor_under_the_same_filters(uploader, reader):
    _upload_many(uploader, [f"N{i}" for i in range(4)], BASE_TIME)
    first = reader("/test_run", limit=2)
    assert first.headers["X-Total-Count"] == "4"
    uploader(hardpy_report("N-LATE", start=BASE_TIME + 86_400))
    # The walk keeps the count of its first page; a new walk (or other filters) counts again.
    assert reader("/test_run", limit=2, cursor=first.headers["X-Next-Cursor"]).headers["X-Total-Count"] == "4"
    assert reader("/test_run", limit=2).headers["X-Total-Count"] == "5"
    refiltered = reader("/test_run", limit=2, cursor=first.headers["X-Next-Cursor"], serial_number="N-LATE")
    assert refiltered.headers["X-Total-Count"] == "1"
