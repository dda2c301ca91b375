# Copyright: Contributors to the mattermost.emm collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Give ansible-test a pip bootstrap script that needs only the package index.

ansible-test creates every ``--venv`` / ``--local`` sanity virtualenv without
pip and then runs a ``get-pip.py`` script that it downloads from its own CI
file host. When that host cannot be reached (a network that only reaches the
Python package index, a mirror, a proxy), sanity fails before any test runs.

ansible-test first looks for the script in its cache,
``~/.ansible/test/cache/get_pip_<version>.py``, where ``<version>`` is the pip
release it pins (24.2 for ansible-core 2.19). This helper writes a small
replacement there which:

1. installs the pip wheel bundled with the interpreter
   (``python -m ensurepip --default-pip``), in a child process: running
   ``ensurepip.bootstrap()`` inside the same process leaves pip with a broken
   certificate configuration;
2. runs ``python -m pip install <arguments>`` with the arguments ansible-test
   passed (for example ``pip==24.2``), minus ``--no-setuptools`` and
   ``--no-wheel``, which only the real get-pip script understands.

The pip version is read from the installed ansible-test, so a newer
ansible-core gets the right file name without editing anything. An existing
cache file that this helper did not write (for example a real download) is
left alone.

Usage: python tests/utils/ansible_test_pip_bootstrap.py [--print-path]
"""

from __future__ import annotations

import os
import platform
import re
import sys
from pathlib import Path
from types import SimpleNamespace

MARKER = "# mattermost.emm: pip bootstrap via ensurepip"

BOOTSTRAP = f'''{MARKER}
"""Stand-in for get-pip.py, used by ansible-test to put pip into its venvs.

Written by tests/utils/ansible_test_pip_bootstrap.py; safe to delete.
"""
import subprocess
import sys

# Options of the real get-pip.py that pip install does not know.
GET_PIP_ONLY = {{"--no-setuptools", "--no-wheel"}}


def main():
    # ensurepip must run in a child process: in-process it breaks the
    # certificate configuration of the pip that is run next.
    code = subprocess.call([sys.executable, "-m", "ensurepip", "--default-pip"])
    if code:
        sys.exit(code)
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]
    sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + args))


if __name__ == "__main__":
    main()
'''


def pinned_pip_version() -> str:
    """Return the pip version the installed ansible-test bootstraps."""
    python_version = "{0}.{1}".format(*sys.version_info[:2])
    try:
        from ansible_test._internal.python_requirements import get_venv_packages
    except ImportError:
        get_venv_packages = None

    if get_venv_packages is not None:
        try:
            return get_venv_packages(SimpleNamespace(version=python_version))["pip"]
        except Exception:  # noqa: BLE001 - fall back to reading the source below
            pass

    # Fallback for a layout change: read the default from the source text.
    import importlib.util

    spec = importlib.util.find_spec("ansible_test")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("ansible-test is not installed in this Python (%s)" % sys.executable)
    source = Path(list(spec.submodule_search_locations)[0], "_internal", "python_requirements.py")
    match = re.search(r"pip\s*=\s*['\"]([0-9][0-9.]*)['\"]", source.read_text(encoding="utf-8"))
    if not match:
        sys.exit("cannot find the pinned pip version in %s" % source)
    return match.group(1)


def cache_path(pip_version: str) -> Path:
    """Return the path where ansible-test looks for the bootstrap script."""
    name = "get_pip_%s.py" % pip_version.replace(".", "_")
    return Path(os.path.expanduser("~/.ansible/test/cache")) / name


def main() -> int:
    path = cache_path(pinned_pip_version())
    if "--print-path" in sys.argv[1:]:
        print(path)
        return 0

    if path.exists():
        current = path.read_text(encoding="utf-8", errors="replace")
        if not current.startswith(MARKER):
            print("keeping existing pip bootstrap script %s" % path)
            return 0
        if current == BOOTSTRAP:
            return 0

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp-%d" % os.getpid())
    tmp.write_text(BOOTSTRAP, encoding="utf-8")
    os.replace(tmp, path)
    print("wrote pip bootstrap script %s (python %s)" % (path, platform.python_version()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
