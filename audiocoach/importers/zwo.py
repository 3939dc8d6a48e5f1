"""A Zwift workout (``.zwo``) read back into device steps, each element located by line and column.

Paces are fractions of threshold pace, so a paced .zwo needs the runner (``--mile`` or
``--race``): the YAML names its paces after that runner's T pace. The elements read are those
``output.zwo`` writes plus Zwift's Ramp and MaxEffort; any other element is an error at its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from audiocoach.errors import WorkoutError
from audiocoach.importers.imported import Imported, text_of
from audiocoach.output.device_steps import INTENSITY, DeviceRepeat, DeviceStep, threshold_seconds_per_km
from audiocoach.output.zwo import ELEMENT_KIND
from audiocoach.runners import Runner

__all__ = ["read_zwo"]

STEPS = ("Warmup", "Cooldown", "SteadyState", "FreeRide", "IntervalsT", "Ramp", "MaxEffort")
HEAD = ("author", "name", "description", "sportType", "tags", "tag", "category", "subcategory", "durationType")
TEXT_EVENTS = ("textevent", "TextEvent")


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    line: int
    column: int
    children: list[_Node] = field(default_factory=list)
    text: str = ""


def read_zwo(raw: bytes, filename: str, runner=None) -> Imported:
    """The workout of a .zwo document; a WorkoutError at the line of anything it cannot read."""
    root = _parse(text_of(raw, filename), filename)
    if root.tag != "workout_file":
        raise _error(root, filename, f"a .zwo starts with <workout_file>, not <{root.tag}>",
                     "check this is a Zwift workout file")
    head = {child.tag: child for child in root.children}
    for child in root.children:
        if child.tag not in HEAD and child.tag != "workout":
            raise _error(child, filename, f"unknown element <{child.tag}> in <workout_file>",
                         "a .zwo has author, name, description, sportType, tags and workout")
    if "workout" not in head:
        raise _error(root, filename, "the .zwo has no <workout> element", "check this is a Zwift workout file")
    title = head["name"].text.strip() if "name" in head and head["name"].text.strip() else _stem(filename)
    description = head["description"].text.strip() if "description" in head else ""
    ours = "author" in head and head["author"].text.strip() == "audiocoach"
    threshold = _threshold(runner)
    imported = Imported(title, "Zwift workout", [], description or None, threshold_s_per_km=threshold)
    for element in head["workout"].children:
        imported.items += _item(element, filename, imported, ours)
    if ours:
        imported.lost.append("the textevents: they are audiocoach's cue sheet, and the steps' say and cues "
                             "are not in a .zwo (plan the workout to hear its announcements again)")
    return imported


def _threshold(runner: Runner | None) -> float | None:
    return threshold_seconds_per_km(None if runner is None else runner.model)


def _item(node: _Node, filename: str, imported: Imported, ours: bool) -> list:
    if node.tag not in STEPS:
        raise _error(node, filename, f"unknown element <{node.tag}> in <workout>",
                     f"Zwift's workout steps are {', '.join(STEPS)}")
    for child in node.children:
        if child.tag not in TEXT_EVENTS:
            raise _error(child, filename, f"unknown element <{child.tag}> in <{node.tag}>",
                         "a step holds only <textevent timeoffset=… message=…/>")
    if node.tag == "IntervalsT":
        on = _step(node, filename, imported, "On", ELEMENT_KIND["On"])
        off = _step(node, filename, imported, "Off", ELEMENT_KIND["Off"])
        if node.children and not ours:
            imported.lost.append(f"line {node.line}: textevents inside an IntervalsT (left out)")
        return [DeviceRepeat(_int(node, "Repeat", filename), (on, off))]
    step = _step(node, filename, imported, "", ELEMENT_KIND.get(node.tag, "run"))
    if not ours:
        cues = tuple((_int(c, "timeoffset", filename) * 1000, c.attrs.get("message", "")) for c in node.children)
        late = [c for c in cues if c[0] >= step.duration_ms]
        if late:
            imported.lost.append(f"line {node.line}: {len(late)} textevent(s) at or after the end of the step")
        step = DeviceStep(**{**step.__dict__, "cues": tuple(c for c in cues if c[1].strip() and c not in late)})
    return [step]


def _step(node: _Node, filename: str, imported: Imported, side: str, kind: str) -> DeviceStep:
    attrs = node.attrs
    kind = attrs.get(f"{side}Kind" if side else "kind", kind)
    if kind not in INTENSITY:
        raise _error(node, filename, f"unknown step kind '{kind}'", f"kinds: {', '.join(INTENSITY)}")
    duration_ms = round(_number(node, f"{side}Duration", filename) * 1000)
    distance = attrs.get(f"{side}Distance" if side else "distance")
    pace = _pace(node, side, filename, imported)
    cadence_key = ("Cadence" if side != "Off" else "CadenceResting")
    cadence = float(attrs[cadence_key]) if cadence_key in attrs else None
    effort = "max" if node.tag == "MaxEffort" else None
    distance_m = None if distance is None else _number(node, f"{side}Distance" if side else "distance", filename)
    return DeviceStep(kind, "", None, duration_ms, distance_m, pace, cadence, effort)


def _pace(node: _Node, side: str, filename: str, imported: Imported) -> float | None:
    attrs = node.attrs
    keys = [f"{side}Power"] if side else ["Power"] if "Power" in attrs else ["PowerLow", "PowerHigh"]
    if not all(k in attrs for k in keys):
        return None
    fraction = sum(_number(node, k, filename) for k in keys) / len(keys)
    if len(keys) == 2 and attrs["PowerLow"] != attrs["PowerHigh"]:
        imported.lost.append(f"line {node.line}: a ramp from {attrs['PowerLow']} to {attrs['PowerHigh']} "
                             "of threshold (held at the middle)")
    if imported.threshold_s_per_km is None:
        raise _error(node, filename, "this .zwo gives paces as fractions of threshold pace, and the runner's "
                     "is not known", "import with the runner's --mile 6:40 or --race 5k=22:30")
    if fraction <= 0:
        raise _error(node, filename, f"a pace of {fraction:g} × threshold", "a pace is a positive fraction, e.g. 0.85")
    return imported.threshold_s_per_km / fraction


def _number(node: _Node, key: str, filename: str) -> float:
    if key not in node.attrs:
        raise _error(node, filename, f"<{node.tag}> has no {key}", f"add {key}=\"…\"")
    try:
        value = float(node.attrs[key])
    except ValueError:
        raise _error(node, filename, f"{key}=\"{node.attrs[key]}\" is not a number", "write e.g. 300") from None
    if not 0 <= value < 1e7:
        raise _error(node, filename, f"{key}=\"{node.attrs[key]}\" is out of range", "check the value")
    return value


def _int(node: _Node, key: str, filename: str) -> int:
    value = _number(node, key, filename)
    if value != int(value):
        raise _error(node, filename, f"{key}=\"{node.attrs[key]}\" is not a whole number", "write e.g. 5")
    return int(value)


def _parse(text: str, filename: str) -> _Node:
    """The document as nodes with their lines and columns (1-based), through expat."""
    parser = expat.ParserCreate()
    stack: list[_Node] = []
    root: list[_Node] = []

    def start(tag, attrs):
        node = _Node(tag, dict(attrs), parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        (stack[-1].children if stack else root).append(node)
        stack.append(node)

    def end(tag):
        stack.pop()

    def chars(data):
        if stack:
            stack[-1].text += data

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, chars
    try:
        parser.Parse(text, True)
    except expat.ExpatError as err:
        raise WorkoutError(f"not well-formed XML: {expat.ErrorString(err.code)}", file=filename, line=err.lineno,
                           column=err.offset + 1, hint="check the tags are closed and attributes quoted") from None
    return root[0]


def _error(node: _Node, filename: str, message: str, hint: str) -> WorkoutError:
    return WorkoutError(message, file=filename, line=node.line, column=node.column, hint=hint)


def _stem(filename: str) -> str:
    return Path(filename).stem
