"""Fixtures: the package under test (ours, installed) and a proxy for
vodozemac's own package 0.10.0 running in another process (see peer.py).

The other package lives in its own virtual environment: the interpreter
named by VODOZEMAC_REAL_PYTHON (scripts/python-vodozemac makes one), or
else one this file creates once under the user's cache directory with
pip. Without network access the interoperability tests are skipped, unless
VODOZEMAC_INTEROP_REQUIRED is set (as in CI), where that is a failure.
"""

import base64
import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import vodozemac

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
REAL_VERSION = "0.10.0"


def pytest_sessionstart(session):
    # The source tree's vodozemac/ has no extension: importing it instead of
    # the installed package would test nothing.
    assert hasattr(vodozemac, "Account"), f"{vodozemac.__file__} is not the built package"
    # And it must be this package, not vodozemac's own (pulled in, say, by
    # matrix-nio's requirements).
    version = importlib.metadata.version("vodozemac")
    assert "+olm" in version, f"the installed vodozemac is {version}, not this package"


class RemoteError(Exception):
    """An exception raised in the other process; `name` is its class name."""

    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name


class Peer:
    def __init__(self, python):
        self.process = subprocess.Popen(
            [str(python), str(HERE / "peer.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=str(HERE),
        )
        hello = json.loads(self.process.stdout.readline())
        assert hello["version"] == REAL_VERSION, hello
        assert not Path(hello["file"]).resolve().is_relative_to(REPO), hello
        self.module = RemoteModule(self)

    def request(self, **request):
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if "$e" in answer:
            raise RemoteError(answer["$e"], answer["msg"])
        return self.decode(answer["ok"])

    def encode(self, value):
        if isinstance(value, bytes):
            return {"$b": base64.b64encode(value).decode()}
        if isinstance(value, Remote):
            return {"$h": value._handle}
        if isinstance(value, tuple):
            return {"$t": [self.encode(v) for v in value]}
        if isinstance(value, list):
            return [self.encode(v) for v in value]
        return value

    def decode(self, value):
        if isinstance(value, list):
            return [self.decode(v) for v in value]
        if isinstance(value, dict):
            if "$b" in value:
                return base64.b64decode(value["$b"])
            if "$t" in value:
                return tuple(self.decode(v) for v in value["$t"])
            if "$d" in value:
                return {self.decode(k): self.decode(v) for k, v in value["$d"]}
            if "$h" in value:
                return Remote(self, {"h": value["$h"]}, value["type"])
            if "$m" in value:
                return value
        return value

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


class Remote:
    """An object (or class) of the other process; attribute access and
    calls are forwarded."""

    def __init__(self, peer, target, type_name):
        self._peer = peer
        self._target = target
        self._type = type_name
        self._handle = target.get("h")

    def __getattr__(self, name):
        value = self._peer.request(op="get", attr=name, **self._target)
        if isinstance(value, dict) and "$m" in value:
            return lambda *args: self._peer.request(
                op="call", attr=name, args=[self._peer.encode(a) for a in args], **self._target
            )
        return value

    def _dir(self):
        """The public attribute names of the remote object or class."""
        return self._peer.request(op="dir", **self._target)

    def __call__(self, *args):
        return self._peer.request(op="call", attr=None, args=[self._peer.encode(a) for a in args], **self._target)

    def __repr__(self):
        return f"<remote {self._type}>"


class RemoteModule:
    def __init__(self, peer):
        self._peer = peer

    def _dir(self):
        return self._peer.request(op="dir", cls="")

    def __getattr__(self, name):
        return Remote(self._peer, {"cls": name}, name)


def _interop_unavailable(reason):
    if os.environ.get("VODOZEMAC_INTEROP_REQUIRED"):
        pytest.fail(f"vodozemac {REAL_VERSION} is required for the interoperability tests: {reason}")
    pytest.skip(f"interoperability tests skipped: vodozemac {REAL_VERSION} unavailable ({reason})")


def _real_python():
    configured = os.environ.get("VODOZEMAC_REAL_PYTHON")
    if configured:
        return Path(configured)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "olm-python-tests"
    venv = cache / f"vodozemac-{REAL_VERSION}"
    python = venv / "bin" / "python"
    marker = venv / "installed"
    if not marker.exists():
        cache.mkdir(parents=True, exist_ok=True)
        steps = [
            [sys.executable, "-m", "venv", "--clear", str(venv)],
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             f"vodozemac=={REAL_VERSION}"],
        ]
        for step in steps:
            result = subprocess.run(step, capture_output=True, text=True)
            if result.returncode != 0:
                _interop_unavailable(f"`{' '.join(step)}` failed: {result.stderr.strip()[-500:]}")
        marker.write_text(REAL_VERSION)
    return python


@pytest.fixture(scope="session")
def peer():
    python = _real_python()
    if not python.exists():
        _interop_unavailable(f"{python} does not exist")
    peer = Peer(python)
    yield peer
    peer.close()


@pytest.fixture(scope="session")
def real(peer):
    """vodozemac's own package, in the other process."""
    return peer.module


@pytest.fixture
def vz():
    """The package under test."""
    return vodozemac


@pytest.fixture(scope="session")
def libolm_pickles():
    """Pickles written by libolm 3.2.7 (test-vectors/libolm_libolm_pickle.json)."""
    data = json.loads((REPO / "test-vectors" / "libolm_libolm_pickle.json").read_text())
    return data["vectors"]
