"""YAML from cassettes and case files, loaded within bounds.

A cassette is untrusted input (users rate packages on recordings from anywhere). YAML's aliases let a
1 KB document expand to billions of nodes (an "alias bomb"): PyYAML builds it cheaply as shared
references, and whoever walks it next (a deep copy, a JSON encoding, the Rust core converting a
request body) runs out of memory. So the node graph is measured before any Python object is built:
a document over ``MAX_BYTES``, or one that would expand to more than ``MAX_NODES`` nodes, is refused
with a clear reason, which makes that file one skipped case.
"""

from __future__ import annotations

from typing import Any, Dict, Type

# The largest bundled cassette is a few MB; real recordings of 50 MB bodies are rare but legitimate.
MAX_BYTES = 64 * 1024 * 1024
# A 10 MB cassette of small JSON values has about a million nodes; ten times that is no recording.
MAX_NODES = 10_000_000


class YamlBoundsError(ValueError):
    """The document exceeds a bound; the message says which."""


def load(text: str, loader_class: Type[Any]) -> Any:
    """``yaml.load(text, loader_class)`` for one document, refusing documents beyond the bounds."""
    if len(text) > MAX_BYTES:
        raise YamlBoundsError(f"document is {len(text):,} characters, over the {MAX_BYTES:,} limit")
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_expansion(root: Any) -> None:
    """Counts the nodes the document expands to (an alias counts its target's nodes again), without
    expanding it: each node's expanded size is computed once, iteratively (a deep document cannot
    overflow the stack here)."""
    import yaml

    sizes: Dict[int, int] = {}
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children = _children(node, yaml)
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        total = 1 + sum(sizes.get(id(child), 0) for child in children)
        if total > MAX_NODES:
            raise YamlBoundsError(
                f"document expands to more than {MAX_NODES:,} nodes through its aliases "
                "(an alias bomb?); refused before loading"
            )
        sizes[key] = total


def _children(node: Any, yaml: Any) -> list:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
