"""``record``: a dataclass for the type checker, a cheap class at run time.

``@dataclass`` compiles ``__init__``, ``__repr__``, ``__eq__`` (and, frozen,
``__hash__``, ``__setattr__``, ``__delattr__``) from source for each class when its
module is imported: 0.35-0.65 ms a class, and ``validate`` imports over forty of
them before it reads a file. ``record`` compiles ``__init__`` only (~0.08 ms a
class) and gives every record the same ``__repr__``, ``__eq__`` and ``__hash__``,
which read the fields through one ``operator.attrgetter`` (C speed).

What it keeps of ``dataclass`` (everything this code base uses):

- fields are the class's annotations in order, after those of ``record`` bases;
  ``ClassVar`` annotations are not fields;
- defaults and :func:`field` (``default``, ``default_factory``, ``init``, ``repr``,
  ``compare``: the options of ``dataclasses.field`` that records use);
- ``repr``, ``==`` over the compared fields of objects of the same class, and, when
  frozen (the default), a hash of those fields; mutable records are unhashable, as
  mutable dataclasses are; methods the class defines itself are kept;
- ``slots=True`` (the class is rebuilt with ``__slots__``), ``__match_args__``.

Frozen is checked by the type checker (``dataclass_transform``): assigning to a field
of a frozen record is a mypy error, not a run-time one. :func:`replace` stands in for
``dataclasses.replace``.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from collections.abc import Callable

    from typing_extensions import dataclass_transform

_T = TypeVar("_T")

__all__ = ["Field", "field", "field_names", "record", "replace"]


class _Missing:
    """No default given (``dataclasses.MISSING``, without importing ``dataclasses``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Field:
    """What :func:`field` says about one field."""

    __slots__ = ("compare", "default", "default_factory", "init", "repr")

    def __init__(
        self, default: Any, default_factory: Any, init: bool, repr: bool, compare: bool
    ) -> None:
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare


if TYPE_CHECKING:

    @overload
    def field(*, default: _T, init: bool = True, repr: bool = True, compare: bool = True) -> _T: ...

    @overload
    def field(
        *,
        default_factory: Callable[[], _T],
        init: bool = True,
        repr: bool = True,
        compare: bool = True,
    ) -> _T: ...

    @overload
    def field(*, init: bool = True, repr: bool = True, compare: bool = True) -> Any: ...

    def field(
        *,
        default: Any = MISSING,
        default_factory: Any = MISSING,
        init: bool = True,
        repr: bool = True,
        compare: bool = True,
    ) -> Any: ...

else:

    def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, compare=True):
        """A field's default or default factory, and whether it is in ``__init__``,
        ``repr`` and comparisons (``dataclasses.field``'s options that records use)."""
        return Field(default, default_factory, init, repr, compare)


class _Spec:
    """One field: its name, default (or factory) and where it takes part."""

    __slots__ = ("compare", "default", "factory", "init", "name", "repr")

    def __init__(self, name: str, value: Any) -> None:
        self.name = name
        self.default: Any = value
        self.factory: Any = MISSING
        self.init = self.repr = self.compare = True
        if isinstance(value, Field):
            self.default, self.factory = value.default, value.default_factory
            self.init, self.repr, self.compare = value.init, value.repr, value.compare

    @property
    def required(self) -> bool:
        return self.default is MISSING and self.factory is MISSING


def _is_class_var(annotation: Any) -> bool:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    return text.startswith(("ClassVar", "typing.ClassVar"))


def _specs(cls: type) -> list[_Spec]:
    specs: dict[str, _Spec] = {}
    for base in reversed(cls.__mro__[1:]):
        for spec in base.__dict__.get("__record_specs__", ()):
            specs[spec.name] = spec
    # The class's own annotations, read from its namespace: `inspect.get_annotations` would
    # import `inspect` (~6 ms). Where a Python keeps them lazily instead, ask it.
    annotations = cls.__dict__.get("__annotations__")  # noqa: RUF063
    if annotations is None:
        import inspect

        annotations = inspect.get_annotations(cls)
    for name, annotation in annotations.items():
        if not _is_class_var(annotation):
            specs[name] = _Spec(name, cls.__dict__.get(name, MISSING))
    return list(specs.values())


def _compile_init(cls: type, specs: list[_Spec]) -> Callable[..., None]:
    scope: dict[str, Any] = {"_MISSING": MISSING}
    params: list[str] = []
    lines: list[str] = []
    seen_default = False
    for spec in specs:
        name = spec.name
        if spec.factory is not MISSING:
            scope[f"_factory_{name}"] = spec.factory
            value = f"_factory_{name}()"
            if spec.init:
                params.append(f"{name}=_MISSING")
                value = f"{value} if {name} is _MISSING else {name}"
        else:
            scope[f"_default_{name}"] = spec.default
            value = name if spec.init else f"_default_{name}"
            if spec.init:
                params.append(name if spec.required else f"{name}=_default_{name}")
        if spec.init:
            if spec.required and seen_default:
                raise TypeError(
                    f"{cls.__qualname__}: field {name} without a default follows one with a default"
                )
            seen_default = seen_default or not spec.required
        lines.append(f"    self.{name} = {value}")
    source = f"def __init__(self, {', '.join(params)}):\n" if params else "def __init__(self):\n"
    source += "\n".join(lines) if lines else "    pass"
    exec(source, scope)
    init: Callable[..., None] = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _key_getter(names: tuple[str, ...]) -> Callable[[Any], Any]:
    return attrgetter(*names) if names else lambda _obj: ()


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).__record_repr__)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        key = self.__record_key__
        return bool(key(self) == key(other))
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__record_key__(self))


def _with_slots(cls: type, specs: list[_Spec]) -> type:
    inherited = {name for base in cls.__mro__[1:] for name in getattr(base, "__slots__", ())}
    namespace = dict(cls.__dict__)
    for spec in specs:
        namespace.pop(spec.name, None)
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    namespace["__slots__"] = tuple(s.name for s in specs if s.name not in inherited)
    rebuilt = type(cls)(cls.__name__, cls.__bases__, namespace)
    rebuilt.__qualname__ = cls.__qualname__
    return rebuilt


def _build(cls: type, *, frozen: bool, slots: bool) -> type:
    specs = _specs(cls)
    if slots:
        cls = _with_slots(cls, specs)
    else:
        for spec in specs:  # class attributes keep plain defaults only, as dataclass does
            if isinstance(cls.__dict__.get(spec.name), Field):
                if spec.default is MISSING:
                    delattr(cls, spec.name)
                else:
                    setattr(cls, spec.name, spec.default)
    own = dict(cls.__dict__)
    compared = tuple(s.name for s in specs if s.compare)
    methods: dict[str, Any] = {
        "__record_specs__": tuple(specs),
        "__record_repr__": tuple(s.name for s in specs if s.repr),
        "__record_key__": staticmethod(_key_getter(compared)),
        "__match_args__": tuple(s.name for s in specs if s.init),
        "__init__": _compile_init(cls, specs),
    }
    if "__repr__" not in own:
        methods["__repr__"] = _repr
    if "__eq__" not in own:
        methods["__eq__"] = _eq
    if not ("__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)):
        methods["__hash__"] = _hash if frozen else None  # mutable records are unhashable
    for name, value in methods.items():
        setattr(cls, name, value)
    return cls


if TYPE_CHECKING:

    @overload
    def record(cls: type[_T], /) -> type[_T]: ...

    @overload
    def record(*, frozen: bool = True, slots: bool = False) -> Callable[[type[_T]], type[_T]]: ...

    @dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
    def record(cls: Any = None, /, *, frozen: bool = True, slots: bool = False) -> Any: ...

else:

    def record(cls=None, /, *, frozen=True, slots=False):
        """``@record``, ``@record(slots=True)``, ``@record(frozen=False)``: see the module."""

        def decorate(target):
            return _build(target, frozen=frozen, slots=slots)

        return decorate if cls is None else decorate(cls)


def field_names(cls: type) -> tuple[str, ...]:
    """The names of a record class's fields, in order."""
    specs: tuple[_Spec, ...] = getattr(cls, "__record_specs__", ())
    return tuple(spec.name for spec in specs)


def replace(obj: _T, /, **changes: Any) -> _T:
    """A copy of record ``obj`` with ``changes`` (``dataclasses.replace`` for records)."""
    specs: tuple[_Spec, ...] = type(obj).__record_specs__  # type: ignore[attr-defined]
    unknown = set(changes) - {spec.name for spec in specs if spec.init}
    if unknown:
        raise TypeError(f"{type(obj).__qualname__} has no init field {', '.join(sorted(unknown))}")
    values = {spec.name: getattr(obj, spec.name) for spec in specs if spec.init}
    values.update(changes)
    return type(obj)(**values)
