"""Print pip constraints pinning every dependency (and test extra) to its lowest allowed
version, read from pyproject.toml: `name>=X` becomes `name==X` (the highest floor when a
name is required twice)."""

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
    lowest: dict[str, str] = {}
    for requirement in requirements:
        match = FLOOR.match(requirement)
        if match is None:
            sys.exit(f"no lower bound in {requirement!r}: give every dependency a floor")
        name, version = match.group(1).lower(), match.group(2)
        # An extra may need a higher floor than idolq itself (the MCP SDK and pydantic):
        # in an environment with that extra, the higher one is the lowest allowed.
        if name not in lowest or _key(version) > _key(lowest[name]):
            lowest[name] = version
    return [f"{name}=={version}" for name, version in lowest.items()]


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    print("\n".join(floors(root / "pyproject.toml", sys.argv[1:])))
