"""Safe YAML reading that remembers line numbers, and tidy, reviewable YAML writing.

Only safe loaders are used: content and answer files are data, never code. PyYAML is
imported on first use: it is a third of what importing the API costs, and a cached question
bank and catalogue, JSON answer files and CSV class files never need it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .errors import InputError

TYPE_CHECKING = False  # typing is left to type checkers: importing the API alone does not load it
if TYPE_CHECKING:
    from typing import Any


class LineDict(dict):
    """A mapping that knows the 1-based line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


@lru_cache(maxsize=None)
def _loaders() -> tuple[type, type]:
    """(plain safe loader, safe loader building LineDict/LineList), the C versions if built."""
    import yaml

    plain: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def construct_mapping(loader: Any, node: Any) -> LineDict:
        loader.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                ) from None
            if key in result:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def construct_sequence(loader: Any, node: Any) -> LineList:
        result = LineList(loader.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result

    class LineLoader(plain):  # type: ignore[misc, valid-type, unused-ignore]  # which classes mypy sees depends on the libyaml build
        pass

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, construct_sequence)
    return plain, LineLoader


def yaml_error_where(path: Path | str, exc: Exception) -> tuple[str, str]:
    """Return (``file:line``, message) for a YAML syntax error."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"{path}:{line}", f"invalid YAML: {problem}"


MAX_DEPTH = 32  # an answer file nests three levels deep
MAX_NUMBER_DIGITS = 20  # an answer is 1–5
_NUMBER = re.compile(r"[-+]?(?:0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|[0-9][0-9_:]*)")


def parse_yaml_text(text: str, source: str, *, with_lines: bool = True, untrusted: bool = False) -> Any:
    """Parse YAML text safely; raise :class:`InputError` naming the place on failure.

    ``untrusted`` text (an answer file from anyone) is first checked to be bounded by
    construction: no anchors or aliases (a few hundred bytes of nested aliases expand to
    gigabytes), no nesting deeper than MAX_DEPTH, no whole number longer than
    MAX_NUMBER_DIGITS digits and no lone surrogate escape."""
    import yaml

    plain, with_line_numbers = _loaders()
    try:
        if untrusted:
            _check_bounded(text, source, plain)
        return yaml.load(text, Loader=with_line_numbers if with_lines else plain)  # noqa: S506 - safe loader
    except yaml.YAMLError as exc:
        where, message = yaml_error_where(source, exc)
        raise InputError(message, where) from None
    except ValueError as exc:  # a number Python will not convert, whatever the check above missed
        raise InputError(f"invalid YAML: {str(exc)[:80]}", f"{source}:1") from None


def _check_bounded(text: str, source: str, loader: type) -> None:
    import yaml

    depth = 0
    for event in yaml.parse(text, Loader=loader):
        where = f"{source}:{event.start_mark.line + 1}" if event.start_mark is not None else source
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise InputError("YAML anchors and aliases (&name, *name) are not allowed here; write each value out", where)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(f"invalid YAML: nested more than {MAX_DEPTH} levels deep", where)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent):
            value = event.value
            if not event.style and len(value.lstrip("+-")) > MAX_NUMBER_DIGITS and _NUMBER.fullmatch(value):
                raise InputError(f"a number with more than {MAX_NUMBER_DIGITS} digits; expected 1–5", where)
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise InputError("text with a lone surrogate escape (\\ud800–\\udfff), which is not a character",
                                 where) from None


def load_yaml_file(path: Path, *, with_lines: bool = True) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", f"{path}:1") from None
    except IsADirectoryError:
        raise InputError("is a directory; expected a file", str(path)) from None
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(path)) from None
    return parse_yaml_text(text.removeprefix("\ufeff"), str(path), with_lines=with_lines)


# ---------------------------------------------------------------- writing
#
# All YAML the project writes comes from here, through PyYAML's emitter: content files
# (tidy, :func:`dump_yaml`) and answer files (one line per entry, with comments,
# :func:`dump_commented_yaml`).


class Quoted(str):
    """A string written in double quotes (an answer, a name), whatever it looks like."""


@lru_cache(maxsize=None)
def _dumper(kind: str) -> type:
    """``tidy``: short mappings and lists of scalars on one line, everything else in block
    style. ``lines``: every mapping in block style, one line per entry (lists of scalars on
    that line), ``None`` as a blank. Both write :class:`Quoted` in double quotes."""
    import yaml

    def is_scalar(value: Any) -> bool:
        return value is None or isinstance(value, (str, int, float, bool))

    def represent_dict(dumper: Any, data: dict) -> Any:
        flow = kind == "tidy" and bool(data) and all(is_scalar(v) for v in data.values()) and len(repr(data)) < 110
        return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)

    def represent_list(dumper: Any, data: list) -> Any:
        flow = all(is_scalar(v) for v in data) and (kind == "lines" or len(repr(data)) < 90)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)

    def represent_quoted(dumper: Any, data: Quoted) -> Any:
        return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')

    def represent_blank(dumper: Any, data: None) -> Any:
        return dumper.represent_scalar("tag:yaml.org,2002:null", "")

    class Dumper(yaml.SafeDumper):
        pass

    for cls in (dict, LineDict):
        Dumper.add_representer(cls, represent_dict)
    for seq in (list, LineList):
        Dumper.add_representer(seq, represent_list)
    Dumper.add_representer(Quoted, represent_quoted)
    if kind == "lines":
        Dumper.add_representer(type(None), represent_blank)
    return Dumper


def dump_yaml(data: Any) -> str:
    """Tidy, reviewable YAML for content files (occupations, programmes)."""
    import yaml

    return yaml.dump(data, Dumper=_dumper("tidy"), sort_keys=False, allow_unicode=True, width=100)


def dump_commented_yaml(data: dict, comments: dict[tuple, list[str]] | None = None) -> str:
    """A mapping as YAML with one line per entry (nested mappings in block style, ``None``
    as a blank), and ``comments[path]`` as comment lines before the entry at ``path``
    (``("answers", "R01")``), indented as it is. Each line is "# " and the comment."""
    import yaml

    text = yaml.dump(data, Dumper=_dumper("lines"), sort_keys=False, allow_unicode=True, width=1 << 30)
    lines = text.splitlines()
    paths = list(_entry_paths(data, ()))
    if len(paths) != len(lines):
        raise ValueError("a value does not fit on one line")
    comments = comments or {}
    out: list[str] = []
    for path, line in zip(paths, lines):
        indent = " " * (2 * (len(path) - 1))
        out.extend(f"{indent}# {comment}" for comment in comments.get(path, ()))
        out.append(line)
    return "\n".join(out) + "\n"


def _entry_paths(data: dict, parent: tuple) -> Any:
    """The path of each line that :func:`dump_commented_yaml` writes, in order."""
    for key, value in data.items():
        yield (*parent, key)
        if isinstance(value, dict) and value:
            yield from _entry_paths(value, (*parent, key))
