# Copyright: Contributors to the mattermost.emm collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Import a built collection artifact as Galaxy and Automation Hub do, and fail on anything they report.

Usage: python tests/utils/galaxy_import.py ARTIFACT CONFIG [CONFIG ...]

Each CONFIG is a galaxy-importer settings file, handed over in GALAXY_IMPORTER_CONFIG as the
services hand over theirs. The imports run side by side (most of their time is ansible-lint and
ansible-doc, one process each). galaxy-importer exits 0 after warnings, but both services show
every WARNING and ERROR line on the collection's page, so any such line fails here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

FINISHED = "Importer processing completed successfully"
REPORTED = ("WARNING:", "ERROR:")


def start_import(artifact: Path, config: Path, workdir: Path) -> subprocess.Popen:
    """galaxy-importer's own command line; it writes importer_result.json into `workdir`."""
    workdir.mkdir()
    return subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, "-m", "galaxy_importer.main", str(artifact)],
        cwd=workdir,
        env=dict(os.environ, GALAXY_IMPORTER_CONFIG=str(config)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def problems(output: str, returncode: int) -> list[str]:
    """What the service would show or refuse: reported lines, a failed or unfinished import."""
    found = [line for line in output.splitlines() if line.startswith(REPORTED)]
    if returncode or FINISHED not in output:
        found.append(f"the import did not finish (exit code {returncode}); its output:\n{output}")
    return found


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    artifact = Path(argv[0]).resolve()
    configs = [Path(name).resolve() for name in argv[1:]]
    with tempfile.TemporaryDirectory(prefix="galaxy-import-") as scratch:
        imports = {config: start_import(artifact, config, Path(scratch) / config.stem) for config in configs}
        outcomes = {config: (run.communicate()[0], run.returncode) for config, run in imports.items()}
    failed = False
    for config, (output, returncode) in outcomes.items():
        found = problems(output, returncode)
        print(f"galaxy-importer with {config.name}: " + ("clean" if not found else f"{len(found)} problem(s)"))
        for line in found:
            print(f"  {line}")
        failed = failed or bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
