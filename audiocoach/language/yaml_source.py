"""Read a YAML document into plain data plus the position of every key and value.

Only PyYAML's scanner, parser and composer run, never a constructor, so no tag can make a
Python object: tags other than the plain YAML ones are an error. Scalars resolve by the YAML
1.2 core schema (``off``, ``yes`` and ``1:30`` stay text; ``true``, ``12`` and ``1.5`` do not).
Every problem becomes a WorkoutError at its 1-based line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, cast

import yaml
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from audiocoach.errors import WorkoutError
from audiocoach.language.yaml_errors import located as _located
from audiocoach.language.yaml_errors import syntax_error as _syntax_error

__all__ = ["Path", "Position", "Source", "read_yaml", "MAX_ALIASES", "MAX_DEPTH", "MAX_VALUES"]

Path = tuple[str | int, ...]
Position = tuple[int, int]

MAX_ALIASES = 100
MAX_DEPTH = 64
MAX_VALUES = 50_000

_CORE = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_CORE + t for t in ("str", "int", "float", "bool", "null"))
_IMPLICIT = [
    (_NULL, re.compile(r"~|null|Null|NULL|")),
    (_BOOL, re.compile(r"true|True|TRUE|false|False|FALSE")),
    (_INT, re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")),
    (_FLOAT, re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")),
]
_SEQ, _MAP = _CORE + "seq", _CORE + "map"
_NOT_ONLY_TEXT = frozenset("0123456789+-.~nNtTfF")  # how a null, boolean or number can start
_KIND_TAGS = {
    ScalarNode: {_STR, _INT, _FLOAT, _BOOL, _NULL}, SequenceNode: {_CORE + "seq"}, MappingNode: {_CORE + "map"},
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")  # line breaks and tabs are whitespace
NEEDS_TITLE_AND_STEPS = "a workout needs at least 'title:' and 'steps:'"


@dataclass(frozen=True)
class Source:
    """A document's plain data and where each of its keys and values starts."""

    filename: str
    data: Any
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)

    def position(self, path: Path, *, key: bool = False) -> Position | None:
        """Where the key (or value) at ``path`` starts, else the nearest ancestor's value."""
        if key and tuple(path) in self.keys:
            return self.keys[tuple(path)]
        for end in range(len(path), -1, -1):
            found = self.values.get(tuple(path[:end]))
            if found is not None:
                return found
        return None

    def error(self, path: Path, message: str, hint: str | None = None, *, key: bool = False) -> WorkoutError:
        """A WorkoutError located at ``path`` (at its key when ``key``)."""
        line, column = self.position(path, key=key) or (None, None)
        return WorkoutError(message, file=self.filename, line=line, column=column, hint=hint)


class _Refused(Exception):
    """A document the composer stops reading (too many aliases, too deep)."""

    def __init__(self, mark, message: str, hint: str):
        super().__init__(message)
        self.mark, self.message, self.hint = mark, message, hint


class _CoreResolver(BaseResolver):
    """Plain scalars resolve by the YAML 1.2 core schema; quoted ones are always text.

    Called for every node, so it answers text at once for a plain scalar whose first character
    no number, boolean or null starts with, and uses no path resolvers."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            if implicit[0] and (not value or value[0] in _NOT_ONLY_TEXT):
                for tag, pattern in _IMPLICIT:
                    if pattern.fullmatch(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass


class _Composer(_CoreResolver):
    """Composes a node tree from libyaml's events (PyYAML's own parser when libyaml is missing),
    counting as it goes: aliases, nesting, and the values the tree holds once aliases and merge
    keys are expanded, so a bomb is refused where it crosses a limit, before anything expands.

    The nodes are PyYAML's, as its Composer makes them; the loop is its own (one event at a
    time, no recursion), as a 1 MB document is tens of thousands of nodes."""

    def __init__(self, text: str):
        self._events = _parser(text)
        _CoreResolver.__init__(self)
        self.aliases = 0
        self.expanded = 0  # values composed so far, each alias counted as all it stands for
        self._anchors: dict[str, Node] = {}
        self._weights: dict[int, int] = {}

    def dispose(self) -> None:
        self._events.dispose()

    def get_single_node(self) -> Node | None:
        get = self._events.get_event
        get()  # stream start
        event = get()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        node = self._tree(get)
        get()  # document end
        event = get()
        if not isinstance(event, yaml.StreamEndEvent):
            raise yaml.composer.ComposerError("expected a single document in the stream", node.start_mark,
                                              "but found another document", event.start_mark)
        return node

    def _tree(self, get) -> Node:
        """The document's root node, its events read up to its end."""
        open_: list[list] = []  # [collection node, pending mapping key, values before it]
        while True:
            event = get()
            kind = type(event)
            if kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                node, _, before = open_.pop()
                node.end_mark = event.end_mark
                self._weights[id(node)] = self.expanded - before
            elif kind is yaml.AliasEvent:
                node = self._alias(event, len(open_))
            else:
                node = self._start(event, len(open_), open_)
                if node is None:
                    continue
            if not open_:
                return node
            parent = open_[-1]
            if isinstance(parent[0], SequenceNode):
                parent[0].value.append(node)
            elif parent[1] is None:
                parent[1] = node
            else:
                parent[0].value.append((parent[1], node))
                parent[1] = None

    def _start(self, event, depth: int, open_: list) -> Node | None:
        """A scalar's node; or a collection's, opened (None: its children follow)."""
        if depth >= MAX_DEPTH:
            raise _Refused(event.start_mark, f"nested more than {MAX_DEPTH} levels deep", "flatten the document")
        self._count(1, event.start_mark)
        tag = event.tag
        if isinstance(event, yaml.ScalarEvent):
            if tag is None or tag == "!":
                tag = self.resolve(ScalarNode, event.value, event.implicit)
            node: Node = ScalarNode(tag, event.value, *_marks(event), style=event.style)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            cls = SequenceNode if isinstance(event, yaml.SequenceStartEvent) else MappingNode
            if tag is None or tag == "!":
                tag = _SEQ if cls is SequenceNode else _MAP
            node = cls(tag, [], _marks(event)[0], None, flow_style=event.flow_style)
        else:
            raise yaml.composer.ComposerError(None, None, f"unexpected {type(event).__name__}", event.start_mark)
        self._anchor(event, node)
        if isinstance(node, ScalarNode):
            return node
        open_.append([node, None, self.expanded - 1])
        return None

    def _anchor(self, event, node: Node) -> None:
        anchor = event.anchor
        if anchor is None:
            return
        if anchor in self._anchors:
            raise yaml.composer.ComposerError(f"found duplicate anchor {anchor!r}; first occurrence",
                                              self._anchors[anchor].start_mark, "second occurrence", event.start_mark)
        self._anchors[anchor] = node

    def _alias(self, event, depth: int) -> Node:
        mark = event.start_mark
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise _Refused(mark, f"more than {MAX_ALIASES} aliases (*name)",
                           "write the values out; a workout needs few aliases")
        if depth >= MAX_DEPTH:
            raise _Refused(mark, f"nested more than {MAX_DEPTH} levels deep", "flatten the document")
        node = self._anchors.get(event.anchor)
        if node is None:
            raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}", mark)
        self._count(self._weights.get(id(node), 1), mark)  # an alias inside its own anchor counts once
        return node

    def _count(self, values: int, mark) -> None:
        self.expanded += values
        if self.expanded > MAX_VALUES:
            hint = "its aliases expand it; write the values out" if self.aliases else "a workout needs far fewer"
            raise _Refused(mark, f"the document holds more than {MAX_VALUES:,} values", hint)


def _marks(event: yaml.Event) -> tuple[Mark, Mark]:
    """An event's start and end marks; libyaml's Mark (the stubs' yaml._yaml.Mark) has the same fields."""
    return cast(Mark, event.start_mark), cast(Mark, event.end_mark)


def _parser(text: str):
    """libyaml's event parser (fast on a large file); PyYAML's pure-Python one when it is missing."""
    if getattr(yaml, "__with_libyaml__", False):
        from yaml._yaml import CParser  # lazy: libyaml's C parser exists only when PyYAML was built with it

        return CParser(text)
    return _PyParser(text)


class _PyParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    def __init__(self, text: str):
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def read_yaml(text: str, filename: str = "<string>") -> Source:
    """Plain data (a dict at the top) and positions for a workout's YAML text."""
    _check_printable(text, filename)
    composer = _Composer(text)
    try:
        node = composer.get_single_node()
    except _Refused as err:
        raise _located(filename, err.mark, err.message, err.hint) from None
    except yaml.MarkedYAMLError as err:
        raise _syntax_error(err, text, filename) from None
    finally:
        composer.dispose()
    if node is None or (isinstance(node, ScalarNode) and node.tag == _NULL):
        raise WorkoutError("the document is empty", file=filename, line=1, column=1, hint=NEEDS_TITLE_AND_STEPS)
    builder = _Builder(filename, aliases=composer.aliases)
    builder.check_tag(node)
    if not isinstance(node, MappingNode):
        what = "a list" if isinstance(node, SequenceNode) else "a single value"
        raise _located(filename, node.start_mark, f"a workout must be a mapping of keys, not {what}",
                       "start with 'title: …' and 'steps:' at the left margin")
    data = builder.build(node, ())
    return Source(filename, data, builder.values, builder.keys)


def _check_printable(text: str, filename: str) -> None:
    """A WorkoutError at the first character YAML does not allow, if there is one."""
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad is None:
        return
    line = text.count("\n", 0, bad.start()) + 1
    column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
    raise WorkoutError(f"the text contains a control character (U+{ord(bad.group()):04X})",
                       file=filename, line=line, column=column, hint="remove it; a workout is plain text")


def _shown_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag


class _Builder:
    """Turns composed nodes into plain data, recording positions and refusing what is unsafe."""

    def __init__(self, filename: str, aliases: int = 0):
        self.filename = filename
        self.aliases = aliases
        self.values: dict[Path, Position] = {}
        self.keys: dict[Path, Position] = {}
        self.count = 0
        self.active: set[int] = set()

    def fail(self, node: Node, message: str, hint: str | None = None) -> WorkoutError:
        return _located(self.filename, node.start_mark, message, hint)

    def build(self, node: Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            hint = "its aliases expand it; write the values out" if self.aliases else "a workout needs far fewer"
            raise self.fail(node, f"the document holds more than {MAX_VALUES:,} values", hint)
        self.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        self.check_tag(node)
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if id(node) in self.active:
            raise self.fail(node, "this alias refers to a value that contains it", "an alias can't contain itself")
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
            return self.mapping(cast(MappingNode, node), path)  # build() is given scalars, sequences, mappings
        finally:
            self.active.discard(id(node))

    def check_tag(self, node: Node) -> None:
        if node.tag not in _KIND_TAGS[type(node)]:
            raise self.fail(node, f"unknown tag '{_shown_tag(node.tag)}'", "workouts are plain YAML: remove the tag")

    def scalar(self, node: ScalarNode) -> Any:
        value, tag = node.value, node.tag
        if tag == _STR:
            bad = _CONTROL.search(value)
            if bad is not None:  # an escape such as "\0" or "\x1b": it would split a tag or a file name
                raise self.fail(node, f"this text contains a control character (U+{ord(bad.group()):04X})",
                                "remove the escape; text is spoken, shown and written to tags as it is")
            return value
        pattern = dict(_IMPLICIT)[tag]
        if not pattern.fullmatch(value):
            raise self.fail(node, f"'{value}' is not a valid {_shown_tag(tag)}", "remove the tag")
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return value.lower() == "true"
        if len(value) > 40:
            raise self.fail(node, f"the number {value[:20]}… is too long", "numbers here have a few digits")
        if tag == _INT:
            return int(value, 0) if value[:2] in ("0x", "0o") else int(value)
        return float(value)

    def mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Node] = {}
        own, merged = self.pairs(node)
        for key_node, _value in own:
            key = self.key(key_node)
            if key in first_seen:
                line = first_seen[key].start_mark.line + 1
                raise self.fail(key_node, f"duplicate key '{key}'",
                                f"'{key}' is already given on line {line}; keep one")
            first_seen[key] = key_node
        for key_node, value_node in own + merged:
            key = self.key(key_node)
            if key in result:
                continue  # a key written out wins over a merged one, and the first merge wins
            self.keys[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, path + (key,))
        return result

    def key(self, node: Node) -> str:
        if not isinstance(node, ScalarNode) or node.tag not in _KIND_TAGS[ScalarNode]:
            raise self.fail(node, "a key must be a plain word", "write keys like 'title:' or 'pace:'")
        return node.value

    def pairs(self, node: MappingNode) -> tuple[list, list]:
        """The mapping's own (key, value) pairs, and those merged in with ``<<: *alias``."""
        own, merged = [], []
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == "<<" and not key_node.style:
                merged.extend(self.merge_sources(value_node))
            else:
                own.append((key_node, value_node))
        return own, merged

    def merge_sources(self, node: Node) -> list:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        pairs = []
        for source in sources:
            if not isinstance(source, MappingNode):
                raise self.fail(source, "'<<' can only merge mappings",
                                "write '<<: *name' where &name marks a mapping")
            if id(source) in self.active:
                raise self.fail(source, "this alias refers to a value that contains it",
                                "an alias can't contain itself")
            self.active.add(id(source))
            try:
                own, merged = self.pairs(source)
            finally:
                self.active.discard(id(source))
            pairs.extend(own + merged)
        return pairs
