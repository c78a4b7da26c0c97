"""Copy-on-write as a property: random edits and measurements never change a measured version.

A hypothesis state machine drives the HTTP API with sequences of recipe, task and subtask edits
and measurements, keeping a model of the current version (tasks in order; subtasks by marker with
their characteristic_id and limits). After every step it checks that:
- the current version equals the model, so every copy kept each subtask's characteristic_id;
- every version that has measurements is exactly as it was when it got its first one;
- an edit created a new version exactly when the current version had measurements;
- each measurement still points at a subtask of its own version with the limits it was judged by.

Measurements are taken through POST /api/measurements/batch; the check of what they point at
reads the stored rows.
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from .conftest import RecipeApi, judge, measure, measurement_rows, without_count

LIMIT_NAMES = ("ltl", "lwl", "nominal", "uwl", "utl")


@st.composite
def limits(draw, ordered: bool = True) -> dict:
    """Limits in order (some absent), or deliberately out of order."""
    values = sorted(draw(st.lists(st.integers(-500, 500), min_size=5, max_size=5)))
    present = draw(st.lists(st.booleans(), min_size=5, max_size=5))
    result = {name: (v / 10 if keep else None) for name, v, keep in zip(LIMIT_NAMES, values, present, strict=False)}
    if not ordered:
        low, high = draw(st.sampled_from([("ltl", "utl"), ("lwl", "nominal"), ("nominal", "uwl"), ("ltl", "nominal")]))
        result[low], result[high] = 60.0, -60.0
    return result


def subtask_view(subtask: dict) -> tuple:
    return (subtask["characteristic_id"], *(subtask[k] for k in LIMIT_NAMES))


def version_view(version: dict) -> list[tuple]:
    """What the model tracks of a version: tasks in order, subtasks by marker."""
    return [(t["title"], t["directive"], {s["marker_number"]: subtask_view(s) for s in t["subtasks"]})
            for t in version["tasks"]]


def test_measured_versions_never_change(client, app, maker, operator):
    api = RecipeApi(client, maker)
    codes = iter(range(1, 10_000))

    class CopyOnWrite(RuleBasedStateMachine):
        @initialize()
        def start(self):
            self.recipe = api.recipe(code=f"PROP-{next(codes)}")
            self.recipe_id = self.recipe["id"]
            self.model: list[tuple] = []
            self.snapshots: dict[int, dict] = {}  # version number -> the version when first measured
            self.measurements: list[tuple[int, dict]] = []  # (id, subtask as judged)
            self.serial = 0
            self.name = "Shaft"

        # --- helpers ---------------------------------------------------------------------------
        def current(self) -> dict:
            """The current version as last read (the invariants re-read it after every step)."""
            return self.recipe["current_version"]

        def refresh(self) -> dict:
            self.recipe = api.get(self.recipe_id)
            return self.current()

        def edit(self, method: str, path: str, expected: int, json=None, apply=None, changed=None):
            """Send an edit; check it landed in place or in a copy as the rule says; update the model.

            apply(model, body) returns the model after a successful edit; `changed` says whether an
            edit outside the model (the recipe's name) changed anything.
            """
            before = self.current()
            res = api.call(method, path, expected, json=json)
            body = res.json() if res.content else None
            after = self.refresh()
            new_model = apply(self.model, body) if apply and expected < 300 else self.model
            if changed is None:
                changed = new_model != self.model
            self.model = new_model
            copied = after["id"] != before["id"]
            assert copied == (changed and before["version_number"] in self.snapshots), (path, changed)
            if copied:
                assert after["version_number"] == before["version_number"] + 1
            landed = [] if expected >= 300 else body if isinstance(body, list) else [body] if body else []
            after_tasks = {t["id"] for t in after["tasks"]}
            for obj in landed:  # responses show the objects of the version the edit landed in
                if "current_version" in obj:
                    assert obj["current_version"] == after
                elif "version_id" in obj:
                    assert obj["version_id"] == after["id"]
                else:
                    assert obj["task_id"] in after_tasks
            return body

        def known_characteristics(self) -> set[int]:
            return {view[0] for task in self.model for view in task[2].values()}

        def replace_task(self, model: list, position: int, **changes) -> list:
            title, directive, subs = model[position]
            task = (changes.get("title", title), changes.get("directive", directive), changes.get("subs", subs))
            return [*model[:position], task, *model[position + 1:]]

        def pick_task(self, index: int) -> tuple[int, dict]:
            position = index % len(self.model)
            return position, self.current()["tasks"][position]

        def pick_subtask(self, index: int, sub: int) -> tuple[int, dict, dict]:
            position, task = self.pick_task(index)
            return position, task, task["subtasks"][sub % len(task["subtasks"])]

        def has_subtasks(self) -> bool:
            return any(task[2] for task in self.model)

        # --- rules -----------------------------------------------------------------------------
        @rule(title=st.sampled_from(["A", "B", "C"]), subtasks=st.lists(limits(), max_size=2))
        def add_task(self, title, subtasks):
            payload = [{"marker_number": i + 1, "measurement_type": "length", "unit": "mm", **lim}
                       for i, lim in enumerate(subtasks)]
            known = self.known_characteristics()

            def apply(model, body):
                subs = {s["marker_number"]: subtask_view(s) for s in body["subtasks"]}
                assert not known & {view[0] for view in subs.values()}, "a new subtask gets a new characteristic"
                return [*model, (title, None, subs)]

            self.edit("POST", f"/recipes/{self.recipe_id}/tasks", 201, {"title": title, "subtasks": payload}, apply)

        @precondition(lambda self: self.model)
        @rule(index=st.integers(0, 50), directive=st.sampled_from([None, "Clamp", "Deburr"]))
        def update_task(self, index, directive):
            position, task = self.pick_task(index)

            self.edit("PUT", f"/tasks/{task['id']}", 200, {"directive": directive},
                      lambda model, _: self.replace_task(model, position, directive=directive))

        @precondition(lambda self: self.model)
        @rule(index=st.integers(0, 50))
        def delete_task(self, index):
            position, task = self.pick_task(index)
            self.edit("DELETE", f"/tasks/{task['id']}", 204, apply=lambda m, _: [*m[:position], *m[position + 1:]])

        @precondition(lambda self: len(self.model) > 1)
        @rule(order=st.randoms(use_true_random=False))
        def reorder(self, order):
            positions = list(range(len(self.model)))
            order.shuffle(positions)
            ids = [t["id"] for t in self.current()["tasks"]]
            body = self.edit("PUT", "/tasks/reorder", 200, {"task_ids": [ids[p] for p in positions]},
                             lambda m, _: [m[p] for p in positions])
            assert version_view({"tasks": body}) == self.model

        @precondition(lambda self: self.model)
        @rule(index=st.integers(0, 50), marker=st.integers(1, 4), lim=limits())
        def add_subtask(self, index, marker, lim):
            position, task = self.pick_task(index)
            payload = {"marker_number": marker, "measurement_type": "length", "unit": "mm", **lim}
            expected = 409 if marker in self.model[position][2] else 201
            known = self.known_characteristics()

            def apply(model, body):
                assert body["characteristic_id"] not in known, "a new subtask gets a new characteristic"
                return self.replace_task(model, position, subs={**model[position][2], marker: subtask_view(body)})

            self.edit("POST", f"/tasks/{task['id']}/subtasks", expected, payload, apply)

        @precondition(lambda self: self.has_subtasks())
        @rule(index=st.integers(0, 50), sub=st.integers(0, 50), lim=limits())
        def update_subtask(self, index, sub, lim):
            self.change_limits(index, sub, lim, 200)

        @precondition(lambda self: self.has_subtasks())
        @rule(index=st.integers(0, 50), sub=st.integers(0, 50), lim=limits(ordered=False))
        def update_subtask_badly(self, index, sub, lim):
            self.change_limits(index, sub, lim, 422)

        def change_limits(self, index, sub, lim, expected):
            position = index % len(self.model)
            if not self.model[position][2]:
                return
            _, _, subtask = self.pick_subtask(index, sub)
            marker = subtask["marker_number"]

            def apply(model, _):
                subs = model[position][2]
                new = (subs[marker][0], *(lim[k] for k in LIMIT_NAMES))
                return self.replace_task(model, position, subs={**subs, marker: new})

            self.edit("PUT", f"/subtasks/{subtask['id']}", expected, lim, apply)

        @precondition(lambda self: self.has_subtasks())
        @rule(index=st.integers(0, 50), sub=st.integers(0, 50))
        def delete_subtask(self, index, sub):
            position = index % len(self.model)
            if not self.model[position][2]:
                return
            _, _, subtask = self.pick_subtask(index, sub)

            def apply(model, _):
                subs = model[position][2]
                return self.replace_task(model, position,
                                         subs={m: v for m, v in subs.items() if m != subtask["marker_number"]})

            self.edit("DELETE", f"/subtasks/{subtask['id']}", 204, apply=apply)

        @rule(name=st.sampled_from(["Shaft", "Flange", "Hub"]))
        def rename_recipe(self, name):
            self.edit("PUT", f"/recipes/{self.recipe_id}", 200, {"name": name}, changed=name != self.name)
            self.name = name

        @precondition(lambda self: self.has_subtasks())
        @rule(index=st.integers(0, 50), sub=st.integers(0, 50), value=st.integers(-600, 600))
        def take_measurement(self, index, sub, value):
            position = index % len(self.model)
            if not self.model[position][2]:
                return
            _, _, subtask = self.pick_subtask(index, sub)
            version = self.current()
            self.serial += 1
            stored = measure(client, operator, subtask, version["id"], value / 10, serial=f"SN-{self.serial}")
            assert stored["pass_fail"] == judge(value / 10, subtask)
            assert stored["characteristic_id"] == subtask["characteristic_id"]
            self.measurements.append((stored["id"], subtask))
            self.snapshots.setdefault(version["version_number"], version)

        # --- invariants ------------------------------------------------------------------------
        @invariant()
        def versions_and_measurements_hold(self):
            if not hasattr(self, "recipe_id"):
                return
            current = self.refresh()
            assert self.recipe["name"] == self.name
            assert version_view(current) == self.model
            versions = [without_count(v) for v in api.call("GET", f"/recipes/{self.recipe_id}/versions", 200).json()]
            assert [v["version_number"] for v in versions] == list(range(1, len(versions) + 1))
            assert versions[-1] == current
            by_number = {v["version_number"]: v for v in versions}
            for number, snapshot in self.snapshots.items():
                assert by_number[number] == snapshot, f"version {number} changed after being measured"
            for version in versions:
                characteristics = [s["characteristic_id"] for t in version["tasks"] for s in t["subtasks"]]
                assert len(characteristics) == len(set(characteristics))
            rows = measurement_rows(app, [measurement_id for measurement_id, _ in self.measurements])
            for row, (_, judged) in zip(rows, self.measurements, strict=False):
                assert row["subtask_version_id"] == row["version_id"]
                assert row["characteristic_id"] == row["subtask_characteristic_id"] == judged["characteristic_id"]
                assert row["limits"] == {k: judged[k] for k in LIMIT_NAMES}
                assert row["pass_fail"] == judge(row["value"], row["limits"])

    run_state_machine_as_test(CopyOnWrite, settings=settings(
        max_examples=12, stateful_step_count=14, deadline=None, database=None,
        # No shrinking: a failure reports its whole (short) sequence at once instead of minutes later.
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck)))
