"""The one layout every exhibit shares, checked by `museum check` (the README's contributor
section says it in words):

    exhibits/<id>/PLACARD.md
    exhibits/<id>/<edition>/Dockerfile        then | now
    exhibits/<id>/<edition>/requirements.txt  every distribution pinned with ==
    exhibits/<id>/<edition>/app/              the edition's own code, copied to /app
    exhibits/<id>/<edition>/server/           the front server's configuration, if any

A Dockerfile starts from `ARG BASE_IMAGE=<the official image>` and `FROM ${BASE_IMAGE}`; a
`then` edition copies the period opening of period/Dockerfile line for line, so that Docker
builds those layers once for all of them. The requirements are installed before the app is
copied, and the app is copied last, so that editing it rebuilds in seconds. The server runs
as a user that is not root, listens on 8000, and is started in exec form.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from museum.site import PERIOD, base_of
from museum.timeline import Component, Edition, Timeline

EDITION_ENTRIES = {"Dockerfile", "requirements.txt", "app", "server"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[A-Za-z0-9,._-]+\])?==([^\s;#]+)")
PERIOD_DOCKERFILE = "period/Dockerfile"
PERIOD_OPENING_END = "setuptools==44.1.1"  # the last line of the opening holds this


@dataclass(frozen=True)
class Instruction:
    line: int
    keyword: str
    rest: str


def instructions(text: str) -> list[Instruction]:
    """A Dockerfile's instructions, continuation lines joined, comments dropped."""
    found: list[Instruction] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if not pending:
            start = number
        if line.startswith("#"):
            continue
        pending.append(line.removesuffix("\\").strip())
        if not line.endswith("\\"):
            keyword, _, rest = " ".join(pending).partition(" ")
            found.append(Instruction(start, keyword.upper(), rest.strip()))
            pending = []
    return found


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text: str) -> tuple[dict[str, str], list[str]]:
    """{distribution: version} and the lines that are not exact pins."""
    found: dict[str, str] = {}
    bad: list[str] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = PIN.match(line)
        if match is None:
            bad.append(line)
        else:
            found[normalise(match.group(1))] = match.group(3)
    return found, bad


def period_opening(root: Path) -> list[str]:
    """The lines every then Dockerfile begins with: period/Dockerfile up to the pip bootstrap."""
    lines = (root / PERIOD_DOCKERFILE).read_text(encoding="utf-8").splitlines()
    end = next(i for i, line in enumerate(lines) if PERIOD_OPENING_END in line)
    while lines[end].endswith("\\"):
        end += 1
    return lines[:end + 1]


def check_pins(edition: Edition, text: str) -> list[str]:
    found, bad = pins(text)
    problems = [f"{edition.requirements}: not an exact pin: {line!r}" for line in bad]
    components: tuple[Component, ...] = (edition.framework, edition.server)
    for component in components:
        if component.package is None:
            continue
        pinned = found.get(normalise(component.package))
        if pinned != component.version:
            problems.append(f"{edition.requirements}: {component.package} is pinned at "
                            f"{pinned or 'nothing'}, timeline.yaml says {component.version}")
    return problems


def check_dockerfile(root: Path, edition: Edition, text: str) -> list[str]:
    where = str(edition.dockerfile)
    steps = instructions(text)
    problems: list[str] = []
    base = base_of(edition)
    if len(steps) < 2 or steps[0].keyword != "ARG" or \
            steps[0].rest != f"BASE_IMAGE={base.official}":
        problems.append(f"{where}: the first instruction must be ARG BASE_IMAGE={base.official}")
    froms = [s for s in steps if s.keyword == "FROM"]
    if not froms or any(not s.rest.startswith("${BASE_IMAGE}") for s in froms):
        problems.append(f"{where}: every FROM must be ${{BASE_IMAGE}}")
    if base is PERIOD:
        opening = period_opening(root)
        if text.splitlines()[:len(opening)] != opening:
            problems.append(f"{where}: a then edition starts with the period opening of "
                            f"{PERIOD_DOCKERFILE}, line for line")
    folder = str(edition.folder)
    copies = [s for s in steps if s.keyword in ("COPY", "ADD")]
    allowed = (f"{folder}/", "guestbook", "period/guestbook27.py")
    for step in copies:
        if step.rest.startswith("--from="):
            continue
        sources = step.rest.split()[:-1]
        for source in sources:
            if not source.startswith(allowed):
                problems.append(f"{where}:{step.line}: copies {source}, from outside "
                                f"{folder}/ and the shared plumbing")
    app = [i for i, s in enumerate(steps)
           if s.keyword == "COPY" and s.rest.split()[:1] == [f"{folder}/app"]]
    if not app or steps[app[-1]].rest.split()[-1].rstrip("/") != "/app":
        problems.append(f"{where}: the app is copied with COPY {folder}/app /app")
    else:
        last = app[-1]
        later = [s for s in steps[last + 1:] if s.keyword == "RUN"
                 and re.search(r"pip install|apt-get", s.rest)]
        later += [s for s in steps[last + 1:] if s.keyword in ("COPY", "ADD")]
        if later:
            problems.append(f"{where}:{later[0].line}: installs or copies after the app: "
                            "copy the app last, so that editing it rebuilds in seconds")
        requirements = [i for i, s in enumerate(steps)
                        if s.keyword == "COPY" and "requirements.txt" in s.rest]
        if requirements and requirements[0] > last:
            problems.append(f"{where}: requirements.txt is copied after the app")
    users = [s.rest for s in steps if s.keyword == "USER"]
    if not users or users[-1].split(":")[0] in ("root", "0"):
        problems.append(f"{where}: the server must run as a user that is not root (USER ...)")
    if not any(s.keyword == "EXPOSE" and s.rest.split()[:1] == ["8000"] for s in steps):
        problems.append(f"{where}: EXPOSE 8000")
    cmd = [s for s in steps if s.keyword in ("CMD", "ENTRYPOINT")]
    try:
        exec_form = bool(cmd) and isinstance(json.loads(cmd[-1].rest), list)
    except ValueError:
        exec_form = False
    if not exec_form:
        problems.append(f"{where}: CMD in exec form, [\"program\", \"arg\", ...]")
    return problems


def check_edition(root: Path, edition: Edition) -> list[str]:
    folder = root / edition.folder
    if not folder.is_dir():
        return [f"{edition.folder}: missing (timeline.yaml names it)"]
    problems = [f"{edition.folder}/{p.name}: not part of the layout "
                f"(Dockerfile, requirements.txt, app/, server/)"
                for p in sorted(folder.iterdir()) if p.name not in EDITION_ENTRIES]
    for needed in ("Dockerfile", "requirements.txt", "app"):
        if not (folder / needed).exists():
            problems.append(f"{edition.folder}/{needed}: missing")
    if (folder / "requirements.txt").is_file():
        problems += check_pins(edition, (folder / "requirements.txt").read_text())
    if (folder / "Dockerfile").is_file():
        problems += check_dockerfile(root, edition, (folder / "Dockerfile").read_text())
    return problems


def check(root: Path, timeline: Timeline) -> list[str]:
    problems: list[str] = []
    listed = {e.id: e for e in timeline.exhibits}
    for folder in sorted((root / "exhibits").iterdir()):
        if folder.is_dir() and folder.name not in listed:
            problems.append(f"exhibits/{folder.name} is not in timeline.yaml")
    for exhibit in timeline.exhibits:
        folder = root / exhibit.folder
        if not (root / exhibit.placard).is_file():
            problems.append(f"{exhibit.placard}: missing")
            continue
        names = {e.name for e in exhibit.editions}
        for entry in sorted(folder.iterdir()):
            if entry.name != "PLACARD.md" and entry.name not in names:
                problems.append(f"{exhibit.folder}/{entry.name}: not an edition of "
                                f"{exhibit.id} in timeline.yaml")
        for edition in exhibit.editions:
            problems += check_edition(root, edition)
    return problems
