"""`meetup-tui doctor [--merge] [--restore BACKUP] [--json]`: look the file over and mend it.

Without options doctor only reads: the file (parse, shape, schema, ids, tombstones, mode),
each archive of its old log (`meetup-2024.json`: opened whole, schema, database id), the
conflicted copies beside them and the backups.  It works on a broken file, since that is
when people need it.  `--restore` puts a backup, gzip-compressed or not, back as plain JSON
(after backing up the current file, broken or not); `--merge` merges the conflicted copies.
Actions run first, then the check, so the report shows the state they left.  Exit 0 when
healthy, 1 when something is wrong.
"""

from __future__ import annotations

import argparse
import grp
import shlex
import stat
from collections import Counter
from pathlib import Path
from typing import Any

from meetup_tui.cli import render
from meetup_tui.cli.commands import HOW_TO_START, Context, Refused
from meetup_tui.domain.doubles import same_names
from meetup_tui.domain.records import TABLES
from meetup_tui.domain.text import one_line, plural
from meetup_tui.store import archives, backups, jsonfile, schema, set_aside
from meetup_tui.store.catch_up import catch_up
from meetup_tui.store.conflicts import find_candidates, inspect, service_of
from meetup_tui.store.database import BadFile, Database, MissingFile, StoreError, writable_problem
from meetup_tui.store.lock import locked

DESCRIPTION = """\
Check the database file (parse, shape, schema, ids, tombstones, mode), list the
conflicted copies sync services left beside it and the backups, and say what to do.
Only --merge and --restore change anything; doctor works on a broken file too."""
EPILOG = """\
--restore BACKUP takes a path, or a file name in the backups folder.  The current file
is backed up first (even when broken), then the backup is written over it atomically;
a backup that does not read as a database is refused and nothing is written.  Close
meetup-tui elsewhere first: a running app merges what it holds back in.

Exit codes: 0 healthy; 1 a problem (a broken or missing file, an id used twice, a
conflicted copy that cannot be read, a refused restore).

--json prints one object with these keys:
  path       the database file
  healthy    true when there is no problem (exit 0)
  problems   sentences, one per problem
  advice     sentences: what to do next
  actions    sentences: what --restore and --merge did
  file       exists, readable, error, line, column (of a parse error), size, mode
             ("0600"), group, group_shared, read_only, read_only_reason, schema,
             current_schema, migration_pending, database_id, same_names (lists of
             the names two or more live people share)
  tables     per table (people, segments, interactions, posts): records, deleted
             (tombstones), duplicate_ids
  archives   list of the log's archive files (closed years moved beside the file):
             year, name, path, listed (in the file's meta), exists, readable, error,
             size, schema, entries, deleted
  copies     list of: name, path, service, readable, same_database (null when the
             file cannot be read), mergeable, problem
  backups    folder, count, names (newest first), newest, newest_good
  overruled  values a merge set aside for newer ones of the same field (kept in
             the conflicts folder beside the file), oldest first: record, label,
             field, value, by, at, kept, kept_by, kept_at, sentence
"""


def run_doctor(args: argparse.Namespace, ctx: Context) -> int:
    actions: list[str] = []
    if args.restore is not None:
        actions += restore(ctx.path, args.restore)
    if args.merge:
        actions += merge(ctx)
    report = examine(ctx.path, _command(ctx))
    report["actions"] = actions
    if args.json:
        print(render.dump_json(report))
    else:
        print("\n".join([one_line(a) for a in actions] + ([""] if actions else []) + text_report(report)))
    return 0 if report["healthy"] else 1


def _command(ctx: Context) -> str:
    """How the user runs meetup-tui on this file, for the advice: with their --db, if any."""
    return "meetup-tui" + (f" --db {shlex.quote(ctx.db_option)}" if ctx.db_option else "")


# -- actions ------------------------------------------------------------------------------


def merge(ctx: Context) -> list[str]:
    """Merge the conflicted copies into the file now; one sentence per copy."""
    try:
        db = Database.open(ctx.path, user=ctx.user)
    except (BadFile, MissingFile) as exc:
        return [f"Merged nothing: {str(exc).rstrip('.')}."]
    said = catch_up(db, writing=True)  # the copies, and what this machine's journal gives back
    return said or ["There were no conflicted copies to merge."]


def find_backup(path: Path, given: str) -> Path:
    """`given` as a path, else as a file name in the backups folder."""
    as_path = Path(given).expanduser()
    in_folder = backups.backup_folder(path) / given
    for candidate in (as_path, in_folder):
        if candidate.is_file():
            return candidate
    raise Refused(
        f"There is no backup {given!r} (neither {as_path} nor {in_folder} is a file); "
        "`meetup-tui doctor` lists the backups."
    )


def _database_id(raw: bytes, where: Path) -> str | None:
    try:
        found = schema.meta_of(where, jsonfile.parse(where, raw)).get("database_id")
    except BadFile:
        return None
    return found if isinstance(found, str) and found else None


def restore(path: Path, given: str) -> list[str]:
    """Back up the current file, then write the backup over it.  Refuses a backup that does not read."""
    source = find_backup(path, given)
    if path.exists() and source.resolve() == path.resolve():
        raise Refused(f"{source} is the database itself, not a backup of it; nothing was written.")
    try:
        # Now, as plain JSON (a .gz backup decompressed): the safety backup below may prune it.
        raw = jsonfile.read_bytes(source)
        data, _found = schema.migrate(source, jsonfile.parse(source, raw))
        book, _meta = schema.decode(source, data)
    except BadFile as exc:
        raise Refused(f"Refused to restore: {str(exc).rstrip('.')}; nothing was written.") from None
    problem = writable_problem(path)
    if problem:
        raise Refused(f"{problem}; nothing was restored.")
    with locked(path):
        try:
            current: bytes | None = path.read_bytes()
        except FileNotFoundError:
            current = None
        except OSError as exc:
            raise StoreError(
                f"Cannot read {path} to back it up: {exc.strerror}; nothing was restored."
            ) from None
        ours, theirs = _database_id(current or b"", path), _database_id(raw, source)
        if ours and theirs and ours != theirs:
            raise Refused(
                f"{source} is a backup of another database (its database id differs from {path.name}'s); "
                "nothing was written."
            )
        # The folder's bound worked out from the larger file: a broken file cut to a few bytes
        # must not make room by pruning every good backup.
        size = max(len(current or b""), len(raw))
        saved = backups.make_backup(path, current, size=size) if current is not None else None
        jsonfile.write_atomic(path, raw)
    done = [f"Backed up the current file to {saved}."] if saved else []
    people = plural(len(book.live_people()), "person", "people")
    talks = plural(len(book.live_interactions()), "interaction")
    return [*done, f"Restored {path} from {source} ({people}, {talks})."]


# -- the check ----------------------------------------------------------------------------

FILE_KEYS = (
    *("exists", "readable", "error", "line", "column", "size", "mode", "group", "group_shared"),
    *("read_only", "read_only_reason", "schema", "current_schema", "migration_pending", "database_id"),
    "same_names",
)


def _count(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    tables = {}
    for table in TABLES:
        docs = [d for d in data.get(table, {}).values() if isinstance(d, dict)]
        ids = Counter(d["id"] for d in docs if isinstance(d.get("id"), str))
        tables[table] = {
            "records": len(data.get(table, {})),
            "deleted": sum(1 for d in docs if d.get("deleted") is True),
            "duplicate_ids": sorted(i for i, n in ids.items() if n > 1),
        }
    return tables


def check_file(path: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Facts about the file and its tables' counts.  Reads only."""
    facts: dict[str, Any] = dict.fromkeys(FILE_KEYS)
    facts.update(exists=False, readable=False, group_shared=False, read_only=False)
    facts.update(current_schema=schema.SCHEMA, migration_pending=False, same_names=[])
    try:
        info = path.stat()
    except FileNotFoundError:
        facts["error"] = f"There is no database at {path}."
        return facts, {}
    except OSError as exc:
        facts["error"] = f"Cannot look at {path}: {exc.strerror}."
        return facts, {}
    try:
        group: str | None = grp.getgrgid(info.st_gid).gr_name
    except KeyError:
        group = str(info.st_gid)
    facts.update(exists=True, size=info.st_size, mode=f"{stat.S_IMODE(info.st_mode):04o}", group=group)
    facts["group_shared"] = bool(info.st_mode & stat.S_IWGRP)
    facts["read_only_reason"] = writable_problem(path)
    facts["read_only"] = facts["read_only_reason"] is not None
    tables: dict[str, dict[str, Any]] = {}
    try:
        data, _raw = jsonfile.read(path)
        meta = schema.meta_of(path, data)
        if isinstance(meta.get("schema"), int):
            facts["schema"] = meta["schema"]
        if isinstance(meta.get("database_id"), str):
            facts["database_id"] = meta["database_id"]
        data, found = schema.migrate(path, data)
        facts.update(schema=found, migration_pending=found < schema.SCHEMA)
        tables = _count(data)
        book, _meta = schema.decode(path, data)
        facts["same_names"] = [[p.name for p in group] for group in same_names(book)]
    except StoreError as exc:
        facts["error"] = str(exc)
        facts["line"], facts["column"] = getattr(exc, "line", None), getattr(exc, "column", None)
        return facts, tables
    facts["readable"] = True
    return facts, tables


def _listed_years(path: Path) -> set[int]:
    try:
        return archives.listed_years(schema.meta_of(path, jsonfile.read(path)[0]))
    except StoreError:
        return set()


def check_archives(path: Path, database_id: str | None) -> list[dict[str, Any]]:
    """Each archive of the log the file lists or that lies beside it, opened whole as the
    database opens it.  Reads only."""
    listed = _listed_years(path)
    try:
        beside = {
            year
            for p in path.parent.iterdir()
            if archives.is_archive_name(path, p.name)
            and (year := int(p.name[len(path.stem) + 1 : len(path.stem) + 5]))
            and archives.archive_mark(p)[0] == year
        }
    except OSError:
        beside = set()
    found = []
    for year in sorted(listed | beside):
        where = archives.archive_path(path, year)
        doc: dict[str, Any] = {"year": year, "name": where.name, "path": str(where), "listed": year in listed}
        doc.update(exists=where.exists(), readable=False, error=None, size=None, schema=None)
        doc.update(entries=None, deleted=None)
        if not doc["exists"]:
            doc["error"] = archives.missing_sentence([where])
            found.append(doc)
            continue
        doc["size"] = where.stat().st_size
        try:
            data, _raw = jsonfile.read(where)
            meta = schema.meta_of(where, data)
            theirs = meta.get("database_id")
            data, doc["schema"] = schema.migrate(where, data)
            book, _meta = schema.decode(where, data)
            if database_id is not None and theirs not in (None, database_id):
                raise BadFile(f"{where} is not a log archive of {path.name} (its database id differs).")
        except StoreError as exc:
            doc["error"] = str(exc)
            found.append(doc)
            continue
        doc.update(readable=True, entries=len(book.interactions))
        doc["deleted"] = sum(1 for e in book.interactions.values() if e.deleted)
        found.append(doc)
    return found


def examine(path: Path, command: str = "meetup-tui") -> dict[str, Any]:
    """The whole report as a JSON-ready object (see EPILOG for its keys)."""
    facts, tables = check_file(path)
    known_id = facts["database_id"] if facts["readable"] else None
    archived = check_archives(path, known_id) if facts["exists"] else []
    copies = []
    targets = [path, *(Path(a["path"]) for a in archived)]
    for copy in [c for target in targets for c in find_candidates(target)]:
        found = inspect(copy, known_id)
        copies.append(
            {
                "name": copy.name,
                "path": str(copy),
                "service": next(filter(None, (service_of(t, copy) for t in targets)), None),
                "readable": found.readable,
                "same_database": found.same_database,
                "mergeable": found.mergeable and facts["readable"],
                "problem": found.reason or None,
            }
        )
    names = [b.name for b in backups.list_backups(path)]
    good = backups.newest_good_backup(path)
    dropped = set_aside.read_all(path)
    backup_doc = {
        "folder": str(backups.backup_folder(path)),
        "count": len(names),
        "names": names,
        "newest": names[0] if names else None,
        "newest_good": good.name if good else None,
    }
    problems = _file_problems(facts, tables)
    problems += [a["error"] for a in archived if a["error"]]
    problems += [f"{c['name']}: {c['problem']}" for c in copies if not c["readable"]]
    return {
        "path": str(path),
        "healthy": not problems,
        "problems": problems,
        "advice": _advice(facts, tables, copies, backup_doc, command, archived),
        "actions": [],
        "file": facts,
        "tables": tables,
        "archives": archived,
        "copies": copies,
        "backups": backup_doc,
        "overruled": [{**item.doc(), "sentence": item.sentence()} for item in dropped],
    }


def _file_problems(facts: dict[str, Any], tables: dict[str, Any]) -> list[str]:
    problems = [facts["error"]] if facts["error"] else []
    for table, counts in tables.items():
        twice = counts["duplicate_ids"]
        if twice:
            shown = ", ".join(twice[:3]) + (f" and {len(twice) - 3} more" if len(twice) > 3 else "")
            problems.append(
                f"{plural(len(twice), 'id')} used by more than one record in {table} ({shown}); "
                "the next save merges each into one record, field by field, dropping nothing."
            )
    for names in facts.get("same_names") or []:
        problems.append(f"{len(names)} people are named {one_line(names[0])!r}.")
    return problems


def _advice(
    facts: dict[str, Any],
    tables: dict[str, Any],
    copies: list[dict[str, Any]],
    backup_doc: dict[str, Any],
    command: str,
    archived: list[dict[str, Any]],
) -> list[str]:
    advice = []
    for archive in archived:
        if not archive["exists"]:
            advice.append(
                f"Keep {archive['name']} in the same folder as the file (a synced folder syncs it too); "
                "until it is back, its year's entries that change are kept in the file itself."
            )
        elif archive["error"]:
            advice.append(
                f"Mend {archive['name']} in a text editor, or put back its newest good backup "
                f"({Path(archive['name']).stem}.* in {backup_doc['folder']}) by hand; nothing was written."
            )
    good = backup_doc["newest_good"]
    if facts["error"] and good:
        advice.append(
            f"Put the newest good backup back: run `{command} doctor --restore {shlex.quote(good)}` "
            "(the current file is backed up first)."
        )
    elif not facts["exists"]:
        advice.append(f"No backup was found; {HOW_TO_START}.")
    elif facts["error"]:
        where = f" near line {facts['line']}, column {facts['column']}" if facts["line"] else ""
        advice.append(
            f"No good backup was found: mend the file in a text editor{where}; it was left as it was."
        )
    if any(t["duplicate_ids"] for t in tables.values()):
        advice.append(
            "Look at the merged records after the next save (`meetup-tui people --json`); "
            "the file as it is now is kept in the backups."
        )
    if facts.get("same_names"):
        advice.append(
            "Open the app, find each name with /, and keep one and delete the other if they are "
            "one person, else rename one (e to edit)."
        )
    mergeable = sum(1 for c in copies if c["mergeable"])
    if mergeable and facts["read_only"]:
        advice.append(f"{_copies(mergeable)} can be merged once the file can be written.")
    elif mergeable:
        advice.append(f"{_copies(mergeable)} can be merged: run `{command} doctor --merge`.")
    for service, kept in _KEPT_COPIES.items():
        if sum(1 for c in copies if c["service"] == service) >= kept:
            advice.append(
                f"{service} keeps at most {kept} conflicted copies of a file and deletes the oldest: "
                f"run `{command} doctor --merge` now, and let {service} keep them all "
                "(the README says how, under Sync)."
            )
    if any(not c["readable"] for c in copies):
        advice.append(
            "Look at the copies that cannot be read in a text editor; they were left where they are."
        )
    if facts["migration_pending"]:
        advice.append(
            f"The file is at schema {facts['schema']}; the next save brings it to schema "
            f"{facts['current_schema']}, after backing it up."
        )
    return advice


# Sync clients that delete conflicted copies past a number (Syncthing's maxConflicts, 10).
_KEPT_COPIES = {"Syncthing": 10}


def _copies(n: int) -> str:
    return f"{n} conflicted {'copy' if n == 1 else 'copies'}"


# -- the text report ----------------------------------------------------------------------


def _mode_words(facts: dict[str, Any]) -> str:
    mode = int(facts["mode"], 8)
    if facts["group_shared"]:
        who = f"group-shared with {facts['group']}"
    elif mode & 0o077 == 0:
        who = "private"
    else:
        who = "others can read it" if mode & 0o004 else f"group {facts['group']} can read it"
    access = f"read-only: {facts['read_only_reason']}" if facts["read_only"] else "writable"
    return f"mode {facts['mode']} ({who}), {access}"


def _table_line(tables: dict[str, Any]) -> str:
    parts = []
    for table, counts in tables.items():
        gone = f" ({counts['deleted']} deleted)" if counts["deleted"] else ""
        parts.append(f"{table} {counts['records']}{gone}")
    return ", ".join(parts)


def _archive_line(archive: dict[str, Any]) -> str:
    if archive["readable"]:
        gone = f" ({archive['deleted']} deleted)" if archive["deleted"] else ""
        unlisted = "" if archive["listed"] else ", not listed in the file (read all the same)"
        state = f"{plural(archive['entries'], 'entry', 'entries')}{gone}, {archive['size']:,} bytes{unlisted}"
    else:
        state = "PROBLEM: " + str(archive["error"])
    return f"  {one_line(archive['name'])}: {one_line(state)}"


def _copy_line(copy: dict[str, Any]) -> str:
    if copy["mergeable"]:
        state = "a copy of this database, can be merged"
    elif copy["readable"] and copy["same_database"] is None and not copy["problem"]:
        state = "readable; whether it is a copy of this database cannot be told while the file is broken"
    else:
        state = str(copy["problem"]).removeprefix("it ").rstrip(".") + "; left alone"
    return f"  {one_line(copy['name'])} ({copy['service']}): {one_line(state)}"


def text_report(report: dict[str, Any]) -> list[str]:
    """The report a person reads: the file, its copies, its backups, then what to do."""
    facts, tables = report["file"], report["tables"]
    lines = [f"Database {one_line(report['path'])}"]
    if facts["readable"]:
        pending = (
            f" (migrates to {facts['current_schema']} at the next save)" if facts["migration_pending"] else ""
        )
        lines.append(
            f"  readable: schema {facts['schema']}{pending}, {facts['size']:,} bytes, {_mode_words(facts)}"
        )
        shown = facts["database_id"]
        lines.append(
            f"  database id {one_line(str(shown))}"
            if shown
            else "  no database id yet (another program wrote the file; the next save gives it one)"
        )
    elif facts["exists"]:
        lines.append(f"  {one_line(_mode_words(facts))}, {facts['size']:,} bytes")
    if tables:
        lines.append(f"  {_table_line(tables)}")
    lines += [f"  PROBLEM: {one_line(p)}" for p in _file_problems(facts, tables)]
    if report["archives"]:
        lines.append(f"Archives of the old log: {len(report['archives'])}")
        lines += [_archive_line(a) for a in report["archives"]]
    copies = report["copies"]
    lines.append(f"Conflicted copies: {len(copies) or 'none'}")
    lines += [_copy_line(c) for c in copies]
    dropped = report["overruled"]
    if dropped:
        lines.append(f"Values a merge set aside for newer ones: {len(dropped)}")
        lines += [f"  {one_line(item['sentence'])}" for item in dropped[-10:]]
        if len(dropped) > 10:
            lines.append(f"  ... and {len(dropped) - 10} older (doctor --json lists them all)")
    found = report["backups"]
    if not found["count"]:
        lines.append(f"Backups: none in {one_line(found['folder'])}")
    else:
        lines.append(f"Backups: {found['count']} in {one_line(found['folder'])}, newest first:")
        good = found["newest_good"]
        broken = found["names"][: found["names"].index(good)] if good else found["names"]
        for name in found["names"][:5]:
            mark = "  (newest good)" if name == good else "  (does not read)" if name in broken else ""
            lines.append(f"  {one_line(name)}{mark}")
        if found["count"] > 5:
            lines.append(f"  ... and {found['count'] - 5} older")
    lines += [f"To do: {one_line(a)}" for a in report["advice"]]
    if not report["advice"]:
        lines.append("Nothing to do: the file is healthy.")
    return lines
