"""The real-project survey: run envcheck as a new user would on public repositories.

Why: fixtures written here only contain the shapes their authors thought of.  The survey
(issues #25, #26) runs envcheck on real projects it has never seen, as cloned ("fresh")
and after each README's own setup ("filled"), and records every printed finding so that
each can be judged true or false once (``verdicts.toml``) and re-judged automatically on
the next version.

    python bench/survey/run.py run --mirrors DIR --label now [--envcheck CMD] [--only NAME]
        [--group GROUP]
    python bench/survey/run.py report [--group GROUP] work/results-base.jsonl work/results-now.jsonl

``run`` needs no network: each repository's git directory must already be on disk as
``DIR/<owner>+<name>/repo`` (fetched beforehand).  For each repository it

1. materialises the pinned commit into ``bench/survey/work/<slug>/fresh`` (git archive,
   then ``git init`` + commit so git-based rules see a real repository);
2. replaces every value in every env file and template with a fake of the same shape
   (``faker.py``) *before* the commit -- no real value of the repository is ever read
   by envcheck, written to a result, or kept;
3. runs ``check``, ``guard`` (on the committed env files, as the pre-commit hook does),
   ``lint`` (same files) and ``init`` then ``check`` (in a copy) -- state "fresh";
4. copies the tree, follows ``repos.toml``'s setup steps, fills empty secrets with fakes,
   and runs the same commands (``guard``/``lint`` without arguments) -- state "filled";
5. writes one JSON line per (repo, state, command): exit code, every finding (code, path,
   line, key, message, severity), refusals (exit 2, with the error line) and whether
   envcheck said it checked nothing.

envcheck runs with a minimal process environment (PATH, a temporary HOME, locale), so
neither this machine's variables nor its user config reach it.  The surveyed code is
never committed: ``bench/survey/work/`` is git-ignored.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import faker  # noqa: E402  (a sibling module, not a package)

WORK = HERE / "work"
COMMAND_TIMEOUT = 600  # a hang guard only; real runs take seconds

_ENV_NAME = re.compile(
    r"""^(?:
        \.env(?:[._-][\w.-]*)?            # .env, .env.local, .env-template, .env_sample
      | [\w.-]*\.env                     # plausible-conf.env, .example.env, variables.env
      | env[._-](?:example|sample|template|dist)[\w.-]*   # env-example-relational
    )$""",
    re.X,
)
_NOT_ENV = re.compile(
    r"\.(?:[cm]?[jt]sx?|py|md|mdx|json|ya?ml|go|rs|sh|toml|nix|lock|sql|html|svelte|vue)$"
)
_SKIPPED_DIRS = {"node_modules", ".git", "vendor", "dist", "build", ".next"}


def is_env_file(relative: str) -> bool:
    """An env file or template by name, as a pre-commit hook's ``files:`` pattern picks
    them: ``.env``, ``.env.example``, ``.example.env``, ``plausible-conf.env``,
    ``env-example-relational``, ``.env-template``, ``.env_sample`` -- but not
    ``env.d.ts``, ``.envrc``, ``vite.env-validation.config.mts`` or ``*_env_*.sql``."""
    parts = Path(relative).parts
    if any(part in _SKIPPED_DIRS for part in parts[:-1]):
        return False
    base = parts[-1]
    return bool(_ENV_NAME.match(base)) and not _NOT_ENV.search(base) and base != ".envrc"


def load_repos() -> list[dict[str, Any]]:
    with (HERE / "repos.toml").open("rb") as handle:
        repos: list[dict[str, Any]] = tomllib.load(handle)["repo"]
    return repos


DEFAULT_GROUP = "tuning"


def group_of(repo: dict[str, Any]) -> str:
    """A repository's group: the twenty the rules were fixed on have none ("tuning");
    repositories added later to test whether the rules generalise say ``group =
    "holdout"``.  The report keeps their figures apart, since only the hold-out ones
    measure envcheck on projects it was not tuned on."""
    return str(repo.get("group", DEFAULT_GROUP))


def groups_of(repos: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Repository names per group, in repos.toml order (first appearance)."""
    groups: dict[str, list[str]] = {}
    for repo in repos:
        groups.setdefault(group_of(repo), []).append(repo["name"])
    return groups


def slug(name: str) -> str:
    return name.replace("/", "+")


def _git(tree: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.email=survey@example.invalid",
            "-c",
            "user.name=survey",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            # No background gc: it deletes loose objects while the tree is being copied.
            "-c",
            "gc.auto=0",
            "-c",
            "maintenance.auto=false",
            *args,
        ],
        cwd=tree,
        check=True,
        capture_output=True,
        timeout=COMMAND_TIMEOUT,
    )


def _absent_blobs(git_dir: Path, commit: str) -> list[str]:
    """Pathspecs excluding the files a snapshot lacks (the fetch store drops files of
    4 MiB and more: fonts, images), which would make ``git archive`` fail."""
    listing = subprocess.run(
        ["git", f"--git-dir={git_dir}", "ls-tree", "-r", "-l", "-z", commit],
        check=True,
        capture_output=True,
        timeout=COMMAND_TIMEOUT,
    ).stdout.decode("utf-8", "surrogateescape")
    excluded = []
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        size = meta.split()[-1]
        if meta.split()[1] == "blob" and (not size.isdigit() or int(size) >= 4 * 1024 * 1024):
            excluded.append(f":(exclude,literal){path}")
    return ["--", ".", *excluded] if excluded else []


def materialise(repo: dict[str, Any], mirrors: Path, dest: Path) -> list[str]:
    """The pinned commit as a fresh clone with faked env files; returns those files."""
    git_dir = mirrors / slug(repo["name"]) / "repo"
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    archive = subprocess.run(
        [
            "git",
            f"--git-dir={git_dir}",
            "archive",
            repo["commit"],
            *_absent_blobs(git_dir, repo["commit"]),
        ],
        check=True,
        capture_output=True,
        timeout=COMMAND_TIMEOUT,
    ).stdout
    subprocess.run(
        ["tar", "-x", "-C", str(dest)], input=archive, check=True, timeout=COMMAND_TIMEOUT
    )
    env_files = []
    for path in sorted(dest.rglob("*")):
        relative = path.relative_to(dest).as_posix()
        if path.is_file() and not path.is_symlink() and is_env_file(relative):
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            faked = faker.fake_env_text(text, f"{repo['name']}:{relative}")
            path.write_text(faked, encoding="utf-8", errors="surrogateescape")
            env_files.append(relative)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "survey snapshot (env values faked)")
    return env_files


def _set_key(path: Path, key: str, value: str, seed: str) -> None:
    """The README's "edit KEY in FILE": replace (or uncomment) the line, else append."""
    if value == "fake":
        value = faker.fake_value("Ab1" * 21 + "c", seed)  # 64 characters, a generated key's shape
    lines = path.read_text().split("\n") if path.exists() else []
    live = re.compile(rf"^\s*(export\s+)?{re.escape(key)}\s*=")
    commented = re.compile(rf"^\s*#?\s*(export\s+)?{re.escape(key)}\s*=")
    # The live line first: a header comment's example (`#   SECRET_KEY=your_key`) must
    # not be uncommented while the real `SECRET_KEY=generate_a_new_key` stays below it.
    for pattern in (live, commented):
        index = next((i for i, line in enumerate(lines) if pattern.match(line)), None)
        if index is not None:
            lines[index] = f"{key}={value}"
            break
    else:
        lines.insert(len(lines) - 1 if lines and lines[-1] == "" else len(lines), f"{key}={value}")
    path.write_text("\n".join(lines))


def follow_setup(repo: dict[str, Any], tree: Path) -> list[str]:
    """Apply repos.toml's setup steps; fill empty secrets in the files written."""
    written = []
    for step in repo.get("setup", []):
        if "copy" in step:
            target = tree / step["to"]
            shutil.copyfile(tree / step["copy"], target)
            written.append(step["to"])
        elif "set" in step:
            _set_key(
                tree / step["set"], step["key"], step["value"], f"{repo['name']}:{step['key']}"
            )
            written.append(step["set"])
        elif "link" in step:
            # The README's "symlink the root .env into each app" (a relative link).
            (tree / step["link"]).symlink_to(step["to"])
            continue
        elif "write" in step:
            (tree / step["write"]).write_text(step["text"])
            written.append(step["write"])
    for relative in dict.fromkeys(written):
        path = tree / relative
        if path.is_symlink():
            continue
        path.write_text(faker.fill_empty_secrets(path.read_text(), f"{repo['name']}:{relative}"))
    return list(dict.fromkeys(written))


def _minimal_env(home: Path) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
    }


def run_envcheck(envcheck: list[str], tree: Path, args: list[str], home: Path) -> dict[str, Any]:
    """One command; its exit code, findings and (on a refusal) its error line."""
    try:
        proc = subprocess.run(
            [*envcheck, *args],
            cwd=tree,
            env=_minimal_env(home),
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return {"exit": None, "findings": [], "error": "timeout", "nothing_checked": False}
    record: dict[str, Any] = {"exit": proc.returncode, "findings": [], "nothing_checked": False}
    try:
        document = json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else None
    except json.JSONDecodeError:
        document = None
    if document:
        record["findings"] = [
            {
                field: finding.get(field)
                for field in ("code", "path", "line", "key", "message", "severity")
            }
            for finding in document.get("findings", [])
        ]
        summary = document.get("summary") or {}
        record["nothing_checked"] = bool(summary.get("checked_nothing"))
        record["framework"] = document.get("framework") or ",".join(
            sorted({app.get("framework") or "" for app in document.get("apps") or []})
        )
        if document.get("apps"):
            record["apps"] = [
                {
                    "path": app.get("path"),
                    "framework": app.get("framework"),
                    "exit": app.get("exit_code"),
                    "error": app.get("error"),
                }
                for app in document["apps"]
            ]
    errors = [line for line in proc.stderr.splitlines() if "error" in line.lower()]
    if proc.returncode == 2 or (not document and proc.returncode != 0):
        record["error"] = (errors or proc.stderr.splitlines() or [""])[0][:400]
    if not document and proc.returncode == 0:
        # lint/guard say so on stderr when they found no env file to look at.
        record["nothing_checked"] = bool(re.search(r"no env files?|nothing checked", proc.stderr))
    if "internal error" in proc.stderr or "Traceback" in proc.stderr:
        # A crash, whatever the exit code: the report counts it apart from refusals.
        lines = [line for line in proc.stderr.splitlines() if "internal error" in line]
        record["error"] = (lines or proc.stderr.strip().splitlines()[-1:] or [""])[0][:300]
        if "internal error" not in record["error"]:
            record["error"] = "internal error: " + record["error"]
    return record


# The command of the run that lists opt-in findings (``check --select EC906``): what a
# developer sees only when asking.  Its findings are not judged as printed; a ``[[miss]]``
# with ``opt_in = "EC906"`` (a plain read nothing sets: the code does not say it must be
# set) is reported there, "listed when asked", rather than silent.
OPT_IN = "check+opt-in"
OPT_IN_RULE = "EC906"


def survey_repo(
    repo: dict[str, Any], mirrors: Path, envcheck: list[str], out: Any, label: str
) -> None:
    base = WORK / label / slug(repo["name"])
    home = base / "home"
    fresh = base / "fresh"
    env_files = materialise(repo, mirrors, fresh)

    def emit(state: str, command: str, record: dict[str, Any]) -> None:
        record.update({"repo": repo["name"], "state": state, "command": command, "label": label})
        out.write(json.dumps(record, sort_keys=True) + "\n")
        out.flush()

    def run_state(state: str, tree: Path, files: list[str]) -> None:
        emit(state, "check", run_envcheck(envcheck, tree, ["check", "--format", "json"], home))
        # What the opt-in rules list when asked: never counted as printed (see OPT_IN)
        opt_in = ["check", "--select", OPT_IN_RULE, "--format", "json"]
        emit(state, OPT_IN, run_envcheck(envcheck, tree, opt_in, home))
        emit(
            state,
            "guard",
            run_envcheck(envcheck, tree, ["guard", "--format", "json", *files], home),
        )
        emit(
            state, "lint", run_envcheck(envcheck, tree, ["lint", "--format", "json", *files], home)
        )
        copy = base / f"{state}-init"
        if copy.exists():
            shutil.rmtree(copy)
        shutil.copytree(tree, copy, symlinks=True)
        init = run_envcheck(envcheck, copy, ["init"], home)
        after = run_envcheck(envcheck, copy, ["check", "--format", "json"], home)
        after["init_exit"] = init["exit"]
        after["init_error"] = init.get("error")
        emit(state, "init+check", after)
        shutil.rmtree(copy)

    run_state("fresh", fresh, env_files)
    filled = base / "filled"
    if filled.exists():
        shutil.rmtree(filled)
    shutil.copytree(fresh, filled, symlinks=True)
    follow_setup(repo, filled)
    run_state("filled", filled, [])
    shutil.rmtree(fresh)
    shutil.rmtree(filled)


# ---------------------------------------------------------------- classification


def load_verdicts() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    path = HERE / "verdicts.toml"
    if not path.exists():
        return [], []
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return data.get("verdict", []), data.get("miss", [])


_FIELDS = ("repo", "state", "command", "code", "key", "path", "severity", "message")


def classify(
    finding: dict[str, Any], record: dict[str, Any], verdicts: list[dict[str, str]]
) -> dict[str, str] | None:
    """The most specific verdict matching (repo, state, command, code, key, path); "*" or
    an absent field matches anything, and each field is a shell pattern (``EC30?``,
    ``packages/*``), so one verdict can judge a whole class."""
    facts = {
        "repo": record["repo"],
        "state": record["state"],
        "command": record["command"],
        "code": finding.get("code") or "",
        "key": finding.get("key") or "",
        "path": finding.get("path") or "",
        "severity": finding.get("severity") or "",
        "message": finding.get("message") or "",
    }
    best, best_score = None, -1
    for verdict in verdicts:
        score = 0
        for field in _FIELDS:
            want = verdict.get(field, "*")
            if want == "*":
                continue
            if facts[field] != want and not fnmatch.fnmatchcase(facts[field], want):
                break
            score += 1
        else:
            if score > best_score:
                best, best_score = verdict, score
    return best


def tally(
    path: Path, verdicts: list[dict[str, str]], only: set[str] | None = None
) -> tuple[dict[tuple[str, str], Counter[str]], Counter[tuple[str, str]], Counter[tuple[str, ...]]]:
    """Per (repo, state): true/false/unjudged findings, refusals, crashes, "nothing
    checked"; the false classes; the findings no verdict judges yet.  ``only`` keeps
    the records of those repositories (one group's)."""
    rows: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    classes: Counter[tuple[str, str]] = Counter()
    unjudged: Counter[tuple[str, ...]] = Counter()
    for line in path.read_text().splitlines():
        record = json.loads(line)
        if (only is not None and record["repo"] not in only) or record["command"] == OPT_IN:
            continue
        cell = rows[(record["repo"], record["state"])]
        if record["exit"] == 2 or record.get("init_exit") == 2:
            cell["refusals"] += 1
        if "internal error" in f"{record.get('error') or ''} {record.get('init_error') or ''}":
            cell["crashes"] += 1
        if record.get("nothing_checked") and record["command"] in ("check", "init+check"):
            cell["nothing"] += 1
        for finding in record["findings"]:
            verdict = classify(finding, record, verdicts)
            if verdict is None:
                cell["unjudged"] += 1
                unjudged[
                    (
                        record["repo"],
                        record["state"],
                        record["command"],
                        finding["code"],
                        finding.get("key") or "",
                        finding.get("path") or "",
                    )
                ] += 1
                continue
            cell[verdict["verdict"]] += 1
            if verdict["verdict"] == "false":
                classes[(verdict.get("class", "?"), finding["code"])] += 1
    return rows, classes, unjudged


def report(paths: list[Path], group: str | None = None) -> int:
    """The tables of docs/survey.md: per repository, fresh and filled, for each run;
    then the totals of each run, of all its repositories and of each group
    (tuning, holdout) it holds.  ``group`` keeps one group's repositories only."""
    verdicts, misses = load_verdicts()
    groups = groups_of(load_repos())
    if group is not None and group not in groups:
        print(f"report: no repository of group {group!r} in repos.toml", file=sys.stderr)
        return 2
    selected = set(groups[group]) if group is not None else None
    tallies = {path: tally(path, verdicts, selected) for path in paths}
    silent = {path: silent_misses(path, misses) for path in paths}
    asked = {path: listed_when_asked(path, misses) for path in paths}
    labels = [path.stem.removeprefix("results-") for path in paths]
    repos = [name for members in groups.values() for name in members]
    repos = [name for name in repos if selected is None or name in selected]
    head = " | ".join(
        f"{label} {state} T/F/R/M" for label in labels for state in ("fresh", "filled")
    )
    print(f"| repo | {head} |")
    print("|---|" + "---|" * (2 * len(paths)))
    for repo in repos:
        cells = []
        for path in paths:
            rows = tallies[path][0]
            for state in ("fresh", "filled"):
                cell = rows.get((repo, state), Counter())
                extra = f" ({cell['unjudged']}?)" if cell["unjudged"] else ""
                missed = silent[path][(repo, state)]
                cells.append(f"{cell['true']}/{cell['false']}/{cell['refusals']}/{missed}{extra}")
        print(f"| {repo} | {' | '.join(cells)} |")
    print()
    for path, label in zip(paths, labels, strict=True):
        rows, classes, unjudged = tallies[path]
        print_totals(path, label, rows, classes, silent[path], selected)
        if asked[path]:
            print(
                f"- **{label}**: {sum(asked[path].values())} misses listed only when asked "
                f"(`check --select {OPT_IN_RULE}`)\n"
            )
        present = {repo for repo, _ in rows}
        held = {name: set(members) & present for name, members in groups.items()}
        held = {name: members for name, members in held.items() if members}
        if len(held) == 1:
            # One group: the totals above are that group's.
            print(f"- **{label}**: repositories of group {', '.join(held)} only\n")
        for name, members in held.items():
            if len(held) > 1:
                group_rows, group_classes, _ = tally(path, verdicts, members)
                print_totals(
                    path, f"{label} [{name}]", group_rows, group_classes, silent[path], members
                )
        for (repo, state, command, code, key, where), count in sorted(unjudged.items()):
            print(
                f"unjudged\t{label}\t{repo}\t{state}\t{command}\t{code}\t{key}\t{where}\t{count}",
                file=sys.stderr,
            )
    return 0


def print_totals(
    path: Path,
    caption: str,
    rows: dict[tuple[str, str], Counter[str]],
    classes: Counter[tuple[str, str]],
    silent: Counter[tuple[str, str]],
    only: set[str] | None,
) -> None:
    """One run's totals (fresh, filled, all), its gates and its false classes, over the
    repositories of ``rows`` (``only``: the same repositories, for the misses and gates)."""
    for wanted in ("fresh", "filled", None):
        total: Counter[str] = Counter()
        for (_, row_state), cell in rows.items():
            if wanted in (None, row_state):
                total.update(cell)
        judged = total["true"] + total["false"]
        precision = 100.0 * total["true"] / judged if judged else 0.0
        missed = sum(
            n
            for (repo, st), n in silent.items()
            if wanted in (None, st) and (only is None or repo in only)
        )
        print(
            f"- **{caption}, {wanted or 'all'}**: {total['true']} true, {total['false']} false"
            f" ({precision:.1f} % true), {total['refusals']} refusals, {total['nothing']} "
            f"'nothing checked', {total['crashes']} crashes, {total['unjudged']} unjudged, "
            f"{missed} silent misses"
        )
    guard_blocks, init_breaks = gate_facts(path, only)
    print(
        f"- **{caption}**: guard exits 1 on the fresh clone of {len(guard_blocks)}: "
        f"{', '.join(guard_blocks) or '-'}; init then check fails where check passed: "
        f"{', '.join(init_breaks) or '-'}"
    )
    print(
        f"\n  false classes ({caption}): "
        + "; ".join(f"{cls} {code} ×{count}" for (cls, code), count in classes.most_common())
    )
    print()


def gate_facts(path: Path, only: set[str] | None = None) -> tuple[list[str], list[str]]:
    """The two promises of issue #26 besides precision: repositories whose fresh clone
    makes `guard` exit 1 (the pre-commit hook would block every commit), and runs where
    `init` then `check` fails although `check` alone passed."""
    exits: dict[tuple[str, str, str], int | None] = {}
    for line in path.read_text().splitlines():
        record = json.loads(line)
        if only is not None and record["repo"] not in only:
            continue
        exits[(record["repo"], record["state"], record["command"])] = record["exit"]
    guard_blocks = sorted(
        repo
        for (repo, state, command), code in exits.items()
        if state == "fresh" and command == "guard" and code == 1
    )
    init_breaks = sorted(
        f"{repo} ({state})"
        for (repo, state, command), code in exits.items()
        if command == "check" and code == 0 and exits.get((repo, state, "init+check")) == 1
    )
    return guard_blocks, init_breaks


def silent_misses(path: Path, misses: list[dict[str, str]]) -> Counter[tuple[str, str]]:
    """A miss (a real problem, recorded in verdicts.toml) is silent in a run unless the
    run printed the finding that reports it (its code and key, same repo and state, and
    its path when the miss names one); a miss without a code is a problem no rule
    reports yet.  Only repositories the run surveyed count: a run of one group (or
    ``--only``) says nothing of the others."""
    return _misses(path, misses)[0]


def listed_when_asked(path: Path, misses: list[dict[str, str]]) -> Counter[tuple[str, str]]:
    """The misses (``opt_in = "EC906"``) a default run does not print and the opt-in run
    (:data:`OPT_IN`) lists: said when asked, neither printed nor silent."""
    return _misses(path, misses)[1]


def _misses(
    path: Path, misses: list[dict[str, str]]
) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
    printed: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    asked: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    surveyed: set[str] = set()
    for line in path.read_text().splitlines():
        record = json.loads(line)
        surveyed.add(record["repo"])
        into = asked if record["command"] == OPT_IN else printed
        for finding in record["findings"]:
            into[(record["repo"], record["state"], finding["code"], finding.get("key") or "")].add(
                finding.get("path") or ""
            )
    silent: Counter[tuple[str, str]] = Counter()
    when_asked: Counter[tuple[str, str]] = Counter()
    for miss in misses:
        if miss["repo"] not in surveyed:
            continue
        # `path` (a shell pattern) pins the miss to one app: the same key printed
        # for another app of the repository does not report it.
        where = miss.get("path", "*")
        for state in ("fresh", "filled") if miss.get("state", "*") == "*" else (miss["state"],):
            paths = printed.get((miss["repo"], state, miss.get("code", ""), miss.get("key", "")))
            if paths and any(fnmatch.fnmatchcase(p, where) for p in paths):
                continue
            listed = asked.get((miss["repo"], state, miss.get("opt_in", ""), miss.get("key", "")))
            if listed and any(fnmatch.fnmatchcase(p, where) for p in listed):
                when_asked[(miss["repo"], state)] += 1
            else:
                silent[(miss["repo"], state)] += 1
    return silent, when_asked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="verb", required=True)
    run = sub.add_parser("run", help="survey the repositories of repos.toml")
    run.add_argument(
        "--mirrors",
        type=Path,
        required=True,
        help="folder of fetched git directories (<owner>+<name>/repo)",
    )
    run.add_argument(
        "--envcheck",
        default=f"{shlex.quote(sys.executable)} -m envcheck",
        help="the envcheck command to survey",
    )
    run.add_argument("--label", default="now", help="results go to work/results-LABEL.jsonl")
    run.add_argument(
        "--only", action="append", default=[], help="only these repos (owner/name; repeatable)"
    )
    run.add_argument(
        "--group",
        help=f"only the repos of this group (repos.toml `group`; '{DEFAULT_GROUP}' if unset)",
    )
    rep = sub.add_parser("report", help="classify results with verdicts.toml and print the tables")
    rep.add_argument("results", type=Path, nargs="+")
    rep.add_argument("--group", help="only the repos of this group")
    args = parser.parse_args(argv)
    if args.verb == "report":
        return report(args.results, args.group)
    envcheck = shlex.split(args.envcheck)
    WORK.mkdir(exist_ok=True)
    results = WORK / f"results-{args.label}.jsonl"
    repos = [
        r
        for r in load_repos()
        if (not args.only or r["name"] in args.only)
        and (args.group is None or group_of(r) == args.group)
    ]
    if not repos:
        print("survey: no repository matches --only/--group", file=sys.stderr)
        return 2
    mode = "a" if args.only else "w"
    with results.open(mode) as out:
        for repo in repos:
            print(f"survey: {repo['name']}", file=sys.stderr, flush=True)
            try:
                survey_repo(repo, args.mirrors, envcheck, out, args.label)
            except (subprocess.CalledProcessError, OSError) as error:
                # One unusable snapshot must not end the survey; the report shows it.
                out.write(
                    json.dumps(
                        {
                            "repo": repo["name"],
                            "state": "fresh",
                            "command": "materialise",
                            "label": args.label,
                            "exit": None,
                            "findings": [],
                            "error": f"snapshot unusable: {error}"[:300],
                        }
                    )
                    + "\n"
                )
    print(f"survey: wrote {results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
