"""YAML and JSON: Kubernetes Secrets, and any other document with certificates in its values.

A Secret's ``data`` / ``stringData`` values are read by key (``tls.crt``), with a sibling
password key tried on its keystores; any other document is walked (bounded, cycle-safe) for
string values holding PEM or base64 certificate containers. Each such value goes back to the
dispatcher. Unparsable YAML with PEM in it is still read as PEM.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import yaml

from certlib.sources.readers.context import _Ctx, _join_alias, _text, _Via
from certlib.sources.readers.pem import _read_pem
from certlib.sources.readers.sniffing import (
    _BINARY_KINDS,
    _TEXT_PEM_KINDS,
    _b64decode,
    _sniff,
    _Sniffed,
)

_MAX_WALK_NODES = 200_000


def _read_yaml(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    try:
        docs = [d for d in yaml.safe_load_all(sniffed.text or "") if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        if "-----BEGIN " in (sniffed.text or ""):
            note = f"yaml-unparsed: YAML cannot be parsed{at}; PEM blocks read from the raw text"
            _read_pem(sniffed.text or "", ctx, via.note(note))
            return
        ctx.problem("corrupt", f"YAML cannot be parsed{at}", via, sniffed.kind)
        return
    _read_documents(docs, sniffed.kind, "k8s-secret-yaml", ctx, via)


def _read_json(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    _read_documents([sniffed.doc], sniffed.kind, "k8s-secret-json", ctx, via)


def _read_documents(docs: list[Any], kind: str, secret_name: str, ctx: _Ctx, via: _Via) -> None:
    """Kubernetes Secrets (single, List, multi-document) or any document holding PEM/base64."""
    before = len(ctx.items)
    objects = _k8s_objects(docs)
    qualify = len(objects) > 1 or any(isinstance(d, dict) and "items" in d for d in docs)
    generic = "json" if kind.endswith("json") else "yaml"
    for obj in objects:
        if _is_secret(obj):
            _read_secret(obj, ctx, via.inner(container=via.container or secret_name), qualify)
        else:
            _walk(obj, ctx, via.inner(container=via.container or generic), [0])
    if len(ctx.items) == before:
        msg = f"{generic.upper()} document with no certificate in any value"
        ctx.problem("not-a-certificate", msg, via, kind)


def _k8s_objects(docs: list[Any]) -> list[Any]:
    out: list[Any] = []
    for doc in docs:
        items = doc.get("items") if isinstance(doc, dict) else None
        if isinstance(items, list) and str(doc.get("kind", "")).endswith("List"):
            out.extend(items)
        else:
            out.append(doc)
    return out


def _is_secret(obj: Any) -> bool:
    if not isinstance(obj, dict):
        return False
    return obj.get("kind") == "Secret" or (
        "kind" not in obj and isinstance(obj.get("data") or obj.get("stringData"), dict)
    )


def _read_secret(obj: dict[str, Any], ctx: _Ctx, via: _Via, qualify: bool) -> None:
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    prefix = "/".join(str(p) for p in (meta.get("namespace"), meta.get("name")) if p)
    values = _secret_values(obj)
    siblings = tuple(
        value.rstrip(b"\r\n") for key, value in values if "pass" in key.lower() and value
    )
    ctx.secrets.update(_text(s) for s in siblings)
    inner = replace(via, passwords=via.passwords + siblings)
    for key, value in values:
        if "pass" in key.lower():
            continue
        alias = f"{prefix}/{key}" if qualify and prefix else key
        sniffed = _sniff(value, via.depth + 1).kind
        if sniffed in ("text", "unknown", "empty"):
            continue  # tokens, passwords, config: not ours to report
        ctx.dispatch(value, ctx, inner.inner(alias=_join_alias(via.alias, alias), where=alias))


def _secret_values(obj: dict[str, Any]) -> list[tuple[str, bytes]]:
    values: list[tuple[str, bytes]] = []
    data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
    for key, value in data.items():
        decoded = _b64decode(str(value), min_len=1) if value is not None else None
        if decoded is not None:
            values.append((str(key), decoded))
    string_data = obj.get("stringData") if isinstance(obj.get("stringData"), dict) else {}
    for key, value in string_data.items():
        if value is not None:
            values.append((str(key), str(value).encode("utf-8")))
    return values


def _walk(node: Any, ctx: _Ctx, via: _Via, budget: list[int], key: str | None = None) -> None:
    """Every string value that holds PEM or a base64 certificate container, depth first."""
    stack: list[tuple[Any, str | None]] = [(node, key)]
    seen: set[int] = set()
    while stack and budget[0] < _MAX_WALK_NODES:
        item, name = stack.pop()
        budget[0] += 1
        if isinstance(item, dict | list):
            if id(item) in seen:
                continue
            seen.add(id(item))
            stack.extend(reversed(list(_children(item, name))))
        elif isinstance(item, str):
            _walk_string(item, name, ctx, via)


def _children(item: dict[Any, Any] | list[Any], name: str | None) -> Iterator[tuple[Any, Any]]:
    if isinstance(item, list):
        for value in item:
            yield value, name
        return
    label = item.get("id") if isinstance(item.get("id"), str) else None  # testssl findings
    for k, v in item.items():
        yield v, label or str(k)


def _walk_string(value: str, name: str | None, ctx: _Ctx, via: _Via) -> None:
    if "-----BEGIN " in value:
        payload = value.encode("utf-8")
    else:
        payload = _b64decode(value, min_len=64) if len(value) >= 64 else None
        if payload is None or _sniff(payload, via.depth + 1).kind not in _BINARY_KINDS + (
            _TEXT_PEM_KINDS
        ):
            return
    ctx.dispatch(payload, ctx, via.inner(alias=_join_alias(via.alias, name), where=name or ""))
