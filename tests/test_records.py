"""``record`` behaves like the dataclass it stands in for, where this code base relies on it."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import field as dataclass_field
from typing import Any, ClassVar

import pytest

from octavus_cli.records import field, field_names, record, replace


@record
class Point:
    x: int
    y: int = 0
    tags: list[str] = field(default_factory=list, compare=False)
    note: str = field(default="", repr=False)
    kind: ClassVar[str] = "point"


@record(slots=True)
class Slotted:
    name: str
    parent: Point | None = None


@record(frozen=False)
class Counter:
    count: int = 0
    seen: list[str] = field(default_factory=list, init=False)


@record
class Labelled(Point):
    label: str = "?"


@dataclasses.dataclass(unsafe_hash=True)
class PointDataclass:
    x: int
    y: int = 0
    tags: list[str] = dataclass_field(default_factory=list, compare=False)
    note: str = dataclass_field(default="", repr=False)


def test_init_defaults_and_factories_match_the_dataclass() -> None:
    ours, theirs = Point(1), PointDataclass(1)
    assert (ours.x, ours.y, ours.tags, ours.note) == (theirs.x, theirs.y, theirs.tags, theirs.note)
    assert Point(1).tags is not Point(1).tags, "a factory runs for each object"
    assert Point(1, 2, ["a"], "n").tags == ["a"]
    assert Point(x=3, note="n").note == "n"
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, z=2)  # type: ignore[call-arg]


def test_repr_and_equality_follow_the_field_options() -> None:
    theirs = repr(PointDataclass(1, 2, ["a"], "hidden"))
    assert repr(Point(1, 2, ["a"], "hidden")) == theirs.replace("PointDataclass", "Point")
    assert repr(Point(1, 2, ["a"], "hidden")) == "Point(x=1, y=2, tags=['a'])"
    assert Point(1, 2, ["a"]) == Point(1, 2, ["b"]), "tags are not compared"
    assert Point(1, 2) != Point(1, 3)
    assert Point(1) != PointDataclass(1), "objects of another class are never equal"  # type: ignore[comparison-overlap]
    assert Point(1) != Labelled(1), "nor are those of a subclass"
    assert hash(Point(1, 2, ["a"])) == hash(Point(1, 2, ["b"]))
    assert {Point(1), Point(1), Point(2)} == {Point(1), Point(2)}


def test_class_vars_are_not_fields_and_bases_come_first() -> None:
    assert field_names(Point) == ("x", "y", "tags", "note")
    assert field_names(Labelled) == ("x", "y", "tags", "note", "label")
    assert Labelled(1, label="l").label == "l"
    assert Point.kind == "point"
    assert Point.__match_args__ == ("x", "y", "tags", "note")


def test_mutable_records_are_unhashable_and_init_false_fields_are_set() -> None:
    counter = Counter()
    counter.count += 1
    counter.seen.append("a")
    assert counter != Counter(1), "seen is compared, though not given to __init__"
    assert Counter(1) == Counter(1)
    assert counter.seen == ["a"]
    assert Counter().seen == []
    with pytest.raises(TypeError):
        hash(counter)
    with pytest.raises(TypeError):
        Counter(1, ["a"])  # type: ignore[call-arg]


def test_slots_records_have_no_dict_and_survive_pickling() -> None:
    item = Slotted("a", Point(1, 2, ["t"]))
    assert Slotted.__slots__ == ("name", "parent")
    assert not hasattr(item, "__dict__")
    with pytest.raises(AttributeError):
        item.other = 1  # type: ignore[attr-defined]
    assert pickle.loads(pickle.dumps(item)) == item
    assert pickle.loads(pickle.dumps(Labelled(1, label="l"))) == Labelled(1, label="l")


def test_replace_makes_a_changed_copy() -> None:
    point = Point(1, 2, ["a"], "n")
    moved = replace(point, y=5)
    assert (moved.x, moved.y, moved.tags, moved.note) == (1, 5, ["a"], "n")
    assert point.y == 2
    with pytest.raises(TypeError, match="no init field z"):
        replace(point, z=1)
    with pytest.raises(TypeError, match="no init field seen"):
        replace(Counter(), seen=[])


def test_a_required_field_after_a_default_is_refused() -> None:
    namespace: dict[str, Any] = {"__annotations__": {"a": "int", "b": "int"}, "a": 1}
    with pytest.raises(TypeError, match="field b without a default follows one with a default"):
        record(type("Broken", (), namespace))


def test_methods_the_class_defines_are_kept() -> None:
    @record
    class Named:
        name: str

        def __repr__(self) -> str:
            return f"<{self.name}>"

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Named) and other.name.lower() == self.name.lower()

        def __hash__(self) -> int:
            return hash(self.name.lower())

    assert repr(Named("A")) == "<A>"
    assert Named("A") == Named("a")
    assert hash(Named("A")) == hash(Named("a"))
