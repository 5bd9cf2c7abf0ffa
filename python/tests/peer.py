"""Runs vodozemac's own package (0.10.0) in a separate process for the
interoperability tests, which cannot import it beside ours: the two share
the import name. Run with the other virtual environment's interpreter; it
reads one JSON request per line on stdin and answers each on stdout.

Values cross as JSON: bytes as {"$b": base64}, tuples as {"$t": [...]},
dicts as {"$d": [[k, v], ...]}, objects of the package as handles
{"$h": id, "type": name}, methods as {"$m": name}, and an exception as
{"$e": class name, "msg": text}.
"""

import base64
import importlib.metadata
import json
import sys

import vodozemac

objects = {}


def encode(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode()}
    if isinstance(value, tuple):
        return {"$t": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"$d": [[encode(k), encode(v)] for k, v in value.items()]}
    if callable(value) and not isinstance(value, type):
        return {"$m": getattr(value, "__name__", "?")}
    handle = len(objects) + 1
    objects[handle] = value
    return {"$h": handle, "type": type(value).__name__}


def decode(value):
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if "$b" in value:
            return base64.b64decode(value["$b"])
        if "$h" in value:
            return objects[value["$h"]]
        if "$t" in value:
            return tuple(decode(v) for v in value["$t"])
    return value


def target(request):
    if request.get("cls") == "":
        return vodozemac
    if "cls" in request:
        return getattr(vodozemac, request["cls"])
    return objects[request["h"]]


def handle(request):
    op = request["op"]
    obj = target(request)
    if op == "get":
        return getattr(obj, request["attr"])
    if op == "dir":
        return sorted(name for name in dir(obj) if not name.startswith("_"))
    args = [decode(a) for a in request.get("args", [])]
    if op == "call":
        method = obj if request.get("attr") is None else getattr(obj, request["attr"])
        return method(*args)
    raise ValueError(f"unknown op {op}")


def main():
    version = importlib.metadata.version("vodozemac")
    print(json.dumps({"ready": True, "version": version, "file": vodozemac.__file__}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer = {"ok": encode(handle(request))}
        except Exception as error:  # every failure is reported to the test
            answer = {"$e": type(error).__name__, "msg": str(error)}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
