"""YAML job files, read with the safe loader only; a document whose aliases expand beyond
:data:`MAX_YAML_NODES` values (or refer to themselves) is refused before it is built."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .parsed import JOBS_KEY, MAX_JOBS, ParsedJobs, ParseError, RawJob

if TYPE_CHECKING:
    import yaml

#: Values a YAML document may expand to once its aliases are followed ("billion laughs").
MAX_YAML_NODES = 1_000_000


def parse_yaml(text: str) -> ParsedJobs:
    """Each document is a job, a list of jobs, or ``{jobs: [...]}``; lines from node marks.

    A document is composed (aliases are references to one node) and measured before it is
    built: one that expands to more than :data:`MAX_YAML_NODES` values, or whose alias
    refers to itself, stops the reading there.
    """
    import yaml  # only when a YAML job file is read: it costs ~18 ms at start-up

    # libyaml's parser when PyYAML has it: the same safe constructor, ~50x faster to compose
    # (300,000 aliases: 0.1 s instead of 10 s)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    jobs: list[RawJob] = []
    try:
        while loader.check_node() and len(jobs) <= MAX_JOBS:
            node = loader.get_node()
            if node is None:  # pragma: no cover - check_node said there is one
                break
            if expanded_size(node) > MAX_YAML_NODES:
                message = (
                    f"the document expands to more than {MAX_YAML_NODES:,} values through "
                    "aliases (or an alias refers to itself); not read"
                )
                mark = node.start_mark
                return ParsedJobs(tuple(jobs), ParseError(message, mark.line + 1, mark.column + 1))
            value = loader.construct_document(node)
            jobs.extend(_yaml_jobs(node, value))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        return ParsedJobs(tuple(jobs), ParseError(f"invalid YAML: {problem}", line, column))
    except yaml.YAMLError as exc:
        return ParsedJobs(tuple(jobs), ParseError(f"invalid YAML: {exc}"))
    finally:
        loader.dispose()
    return ParsedJobs(tuple(jobs))


def expanded_size(root: yaml.Node) -> int:
    """How many values ``root`` stands for once every alias is copied out, counted without
    copying (each node once, in one pass); more than :data:`MAX_YAML_NODES` (a cycle
    included) reads as ``MAX_YAML_NODES + 1``."""
    over = MAX_YAML_NODES + 1
    sizes: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            total = 1
            for child in _yaml_children(node):
                total = min(over, total + sizes[id(child)])
            sizes[key] = total
            active.discard(key)
            continue
        if key in sizes:
            continue
        if key in active:
            return over  # an alias inside its own anchor
        active.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _yaml_children(node) if id(child) not in sizes)
    return sizes[id(root)]


def _yaml_children(node: Any) -> list[Any]:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _yaml_jobs(node: yaml.Node, value: Any) -> Iterator[RawJob]:
    import yaml

    if isinstance(node, yaml.MappingNode) and isinstance(value, dict):
        for key_node, value_node in node.value:
            if key_node.value == JOBS_KEY and isinstance(value_node, yaml.SequenceNode):
                node, value = value_node, value.get(JOBS_KEY)
                break
    if isinstance(node, yaml.SequenceNode) and isinstance(value, list):
        for child, item in zip(node.value, value, strict=False):
            yield RawJob(child.start_mark.line + 1, item)
        return
    if value is not None:
        yield RawJob(node.start_mark.line + 1, value)
