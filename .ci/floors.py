"""Print pip constraints pinning every dependency (and test extra) to its lowest allowed
version, read from pyproject.toml: `name>=X` becomes `name==X`."""

import re
import sys
import tomllib
from pathlib import Path

FLOOR = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(?:[^,]*,\s*)*?>=\s*([^,;\s]+)")


def floors(pyproject: Path, extras: list[str]) -> list[str]:
    project = tomllib.loads(pyproject.read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    pins = []
    for requirement in requirements:
        match = FLOOR.match(requirement)
        if match is None:
            sys.exit(f"no lower bound in {requirement!r}: give every dependency a floor")
        pins.append(f"{match.group(1)}=={match.group(2)}")
    return pins


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    print("\n".join(floors(root / "pyproject.toml", sys.argv[1:])))
