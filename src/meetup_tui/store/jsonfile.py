"""Reading and atomically writing the JSON file, with errors a person can act on.

The layout is TinyDB's (tables -> document id -> document), so `tinydb.TinyDB(path,
access_mode="r")` reads it too.  Writing goes only through the store's protocol (lock,
merge, atomic replace): a plain TinyDB write would overwrite what others wrote meanwhile.
"""

from __future__ import annotations

import errno
import gzip
import itertools
import json
import operator
import os
import secrets
import stat
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import orjson


class StoreError(Exception):
    """The file cannot be used as asked; the message is one sentence for the user."""


class MissingFile(StoreError):
    pass


class BadFile(StoreError):
    """The file is not a database this version can use; `backup` names the newest good one,
    `line` and `column` where its JSON breaks (when that is what is wrong)."""

    def __init__(
        self, message: str, *, backup: Path | None = None, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message)
        self.backup = backup
        self.line, self.column = line, column


def sentence_for(error: BaseException) -> str:
    """What the user reads for an error: a StoreError's own sentence, and for anything else
    (a bug) one sentence that says so, never a traceback.  The command line and the app both
    end here."""
    if isinstance(error, StoreError):
        return str(error)
    try:
        detail = f"{type(error).__name__}: {error}"
    except Exception:  # an exception that cannot even say what it is
        detail = type(error).__name__
    return f"unexpected error ({detail[:300]}); please report it."


_DIGITS = bytes(48 if 48 <= b <= 57 else 32 for b in range(256))  # each digit "0", the rest " "
_LONG_RUN = b"0" * 20  # 20 digits in a row: a number that may be beyond 64 bits
_BEFORE_NUMBER = frozenset(b" \t\r\n-")  # what may stand between `:` and a number's digits


def _long_number(raw: bytes) -> bool:
    """Whether the bytes may hold a number of 20 digits or more (~1 ms a MB: a translate
    and a find).  A run of digits counts where a number can start (after `:`, `[` or `,`,
    spaces and a minus sign); one inside a word (a hex id such as "9f01234567890123456789")
    does not, so a file of random ids keeps the fast path."""
    digits = raw.translate(_DIGITS)
    at = digits.find(_LONG_RUN)
    while at != -1:
        before = at - 1
        while before >= 0 and raw[before] in _BEFORE_NUMBER:
            before -= 1
        if before < 0 or raw[before] in b":[,":
            return True
        end = digits.find(b" ", at)
        at = -1 if end == -1 else digits.find(_LONG_RUN, end)
    return False


def parse(path: Path, raw: bytes) -> dict[str, Any]:
    """Decode the file's bytes into tables, or say exactly what is wrong with them."""
    if not raw.strip():
        raise BadFile(f"{path} is empty; it is not a meetup-tui database.")
    if _long_number(raw):  # orjson reads an int past 64 bits as a float: not ours to round
        data = _slow_parse(path, raw)
    else:
        try:
            data = orjson.loads(raw)  # the fast path, for a good file
        except orjson.JSONDecodeError:
            data = _slow_parse(path, raw)  # json's reading, and its words for what is wrong
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise BadFile(f"{path} is JSON but not a database: expected tables of documents.")
    return data


def _slow_parse(path: Path, raw: bytes) -> Any:
    """The standard json module's reading: what orjson refuses is either bad (said here
    exactly, with the line and column) or JSON that orjson does not take and json does
    (a lone surrogate escape, a number beyond 64 bits, NaN, nesting past 1,024)."""
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BadFile(
            f"{path} is not UTF-8 text (byte {exc.start}); it is not a meetup-tui database."
        ) from None
    except json.JSONDecodeError as exc:
        raise BadFile(
            f"{path} is not valid JSON: {exc.msg.removesuffix(' at')} "
            f"at line {exc.lineno}, column {exc.colno}.",
            line=exc.lineno,
            column=exc.colno,
        ) from None
    except RecursionError:
        raise BadFile(f"{path} is JSON nested too deeply to be a meetup-tui database.") from None
    except ValueError:  # Python's limit on the digits of one number (a 5,000-digit number)
        raise BadFile(f"{path} holds a number too long to read; it is not a meetup-tui database.") from None


def real_path(path: Path) -> Path:
    """The file `path` names: a symbolic link is followed to the file it points at.

    The one place links are followed: the path the user gave (`paths.resolve_db_path`, so
    the backups and conflicted copies are the real file's), and again in `write_atomic`
    and `lock.locked` for any caller that passes a link: the temporary file and the lock
    sit beside the real file, and the rename replaces the file, not the link (a synced
    file behind a link stays synced).
    A path that does not exist is returned as it is (a new database may be made there);
    a link to nothing or a loop of links is a StoreError, never a new file over the link.
    """
    try:
        os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise StoreError(
                f"{path} is a symbolic link to {os.path.realpath(path)}, which does not exist; "
                "fix the link or give the real file."
            ) from None
        return path
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StoreError(f"{path} is a loop of symbolic links that never reaches a file.") from None
        raise StoreError(f"Cannot open {path}: {exc.strerror}.") from None
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def database_file(path: Path) -> Path:
    """The real file behind the path the user gave, refused at once if it is not a plain
    file (a FIFO would hang the read; a device is not a database)."""
    path = real_path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise StoreError(f"Cannot open {path}: {exc.strerror}.") from None
    _refuse_unless_file(path, info)
    return path


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse_unless_file(path: Path, info: os.stat_result, what: str = "a database file") -> None:
    if stat.S_ISREG(info.st_mode):
        return
    kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
    raise StoreError(f"{path} is {kind}, not {what}.")


def read(path: Path) -> tuple[dict[str, Any], bytes]:
    """The parsed tables and the raw bytes they came from."""
    raw = read_bytes(path)
    return parse(path, raw), raw


def read_bytes(path: Path, what: str = "a database file") -> bytes:
    """The file's bytes; those of a `.gz` file (a compressed backup) decompressed.

    Only a regular file is read: the kind is checked before opening, and again on the
    opened file (opened without blocking, so a FIFO put in its place cannot hang us); a
    folder, a FIFO or a device is refused as not `what`.  A `.gz` file cut short or
    damaged is a BadFile.
    """
    try:
        _refuse_unless_file(path, os.stat(path), what)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise MissingFile(f"There is no database at {path}.") from None
    except PermissionError:
        raise StoreError(f"Permission denied reading {path}.") from None
    except OSError as exc:
        raise StoreError(f"Cannot read {path}: {exc.strerror}.") from None
    try:
        with open(fd, "rb") as handle:
            _refuse_unless_file(path, os.fstat(handle.fileno()), what)
            raw = handle.read()
    except OSError as exc:
        raise StoreError(f"Cannot read {path}: {exc.strerror}.") from None
    if path.name.endswith(".gz"):
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError, zlib.error):  # not gzip, cut short, or damaged
            raise BadFile(f"{path} is not a whole gzip file: cut short or damaged.") from None
    return raw


def encode(data: dict[str, Any]) -> bytes:
    """The file's bytes: indented UTF-8 JSON a person can read (orjson's, two spaces).

    A lone surrogate cannot be UTF-8; it can only have come from a file that held it as a
    JSON escape ("\\ud800"), as the command line refuses such text.  Then the file is
    written with escapes throughout, which keeps every character as it was and the file
    valid UTF-8 JSON.
    """
    try:
        return _by_document(data)  # ~40x json.dumps(indent=...)
    except orjson.JSONEncodeError:
        pass  # a lone surrogate, an int beyond 64 bits, deep nesting: json says what it can
    try:
        try:
            return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(data, ensure_ascii=True, indent=1).encode("ascii")
    except RecursionError:
        raise StoreError("The data is nested too deeply to be written; nothing was written.") from None


CHUNK = 500  # documents a call: ~0.3 ms of orjson, the longest the screen waits for a save


def _by_document(data: dict[str, Any]) -> bytes:
    """`orjson.dumps(data, option=OPT_INDENT_2)`, byte for byte, made CHUNK documents at a
    time.  orjson holds Python's lock for the whole of a call: one call over a 33 MB book
    froze the app's screen for 50 ms while a save ran in its thread (0.5 s at 134 MB);
    between two calls the screen gets its turn.  (~50 ms more than one call on 33 MB.)"""
    if not data:
        return b"{}"
    dumps = orjson.dumps
    parts: list[bytes] = [b"{"]  # bytes only: a join of them lets go of the lock, of views not
    for name, docs in data.items():
        parts += (b"\n  ", dumps(name), b": ", _table(docs), b",")
    parts[-1] = b"\n}"
    return b"".join(parts)


def _table(docs: Any) -> bytes:
    """One table's value as it stands in the file, indented one level.  A chunk of
    documents is dumped as an object of its own, its lines indented one level deeper (by
    prefixing each newline: JSON text holds no raw newline inside a string) and its braces
    left out."""
    dumps, indented = orjson.dumps, orjson.OPT_INDENT_2
    if not (isinstance(docs, dict) and docs):
        return dumps(docs, option=indented).replace(b"\n", b"\n  ")
    parts: list[bytes] = [b"{"]
    items = iter(docs.items())
    while chunk := dict(itertools.islice(items, CHUNK)):
        deeper = dumps(chunk, option=indented).replace(b"\n", b"\n  ")
        parts += (deeper[1:-4], b",")  # "{" and "\n  }" left out
    parts[-1] = b"\n  }"
    return b"".join(parts)


class TableEnd(NamedTuple):
    """Where a table ends in a file laid out exactly as `encode` writes it: the offset of
    its closing line ("\n  }"), and how many documents it holds, keyed "1" to `count`.
    A document is added there by putting its `record_line` at that offset."""

    at: int
    count: int


def table_end(data: dict[str, Any], raw: bytes, name: str) -> TableEnd | None:
    """The end of the table `name` in `raw`, when `raw` is exactly `encode(data)` and the
    table holds documents keyed "1" to N; else None (a file written by another program,
    or by hand: nothing can be added to it but by writing it whole).  ~30 ms on 33 MB."""
    table = data.get(name)
    if not (isinstance(table, dict) and table) or list(table) != list(map(str, range(1, len(table) + 1))):
        return None
    try:
        if orjson.dumps(data, option=orjson.OPT_INDENT_2) != raw:
            return None
    except orjson.JSONEncodeError:
        return None
    # In orjson's layout a line indented by two spaces holds a table's name or its end.
    start = raw.find(b"\n  " + orjson.dumps(name) + b": {")
    return TableEnd(raw.find(b"\n  }", start), len(table))


def holds_end(raw: bytes, end: TableEnd) -> bool:
    """Whether `end` is where a table ends in `raw`, as `table_end` found it: its closing
    line at `end.at`, right after the closing of the document keyed `end.count`, the last
    document at that depth.  Checked before a document is put there (a summary that kept
    `end` was made by this program, but a bug or a bad disk must not corrupt the file)."""
    at = end.at
    if end.count < 1 or at < 6 or raw[at : at + 4] != b"\n  }" or raw[at - 6 : at] != b"\n    }":
        return False
    last = raw.rfind(b'\n    "', 0, at)  # a document's key: the only lines indented so that open with a quote
    return last >= 0 and raw.startswith(b'\n    "%d": {' % end.count, last)


def record_line(n: int, record: Any) -> bytes:
    """The lines of the n-th document (from 1) of a table of records, as `encode` writes
    them: after a comma, unless it is the first.  orjson.JSONEncodeError for what only
    json can write (see `encode`)."""
    document = orjson.dumps(record.stored(), option=orjson.OPT_INDENT_2).replace(b"\n", b"\n    ")
    return b'%s\n    "%d": %s' % (b"," if n > 1 else b"", n, document)


class Encoder:
    """The file's bytes as `encode` makes them, byte for byte, from tables whose record
    tables are given as lists of records (keys "1", "2", ... by position; anything with
    an `id` and a `stored()` document).

    Each record's lines are kept with the record they were made of, and a table's records
    are compared with the last ones written by identity (records are immutable), in C: so
    a save after one change dumps one document.  55,000 records: ~5 ms of the interpreter's
    lock instead of ~150 ms, which the screen gets back while a save runs in its thread.
    What it keeps lives as long as the encoder: the lines of the last file written.
    `ends`: where each table of records ends in the last bytes made (`TableEnd`)."""

    def __init__(self) -> None:
        self._tables: dict[str, tuple[list[Any], list[bytes]]] = {}  # name -> (records, their lines)
        self.ends: dict[str, TableEnd] = {}

    def encode(self, tables: dict[str, Any]) -> bytes:
        try:
            return self._by_record(tables)
        except orjson.JSONEncodeError:  # what only json writes (see `encode`): all of it so
            self._tables, self.ends = {}, {}
            return encode({name: _documents(value) for name, value in tables.items()})

    def _by_record(self, tables: dict[str, Any]) -> bytes:
        if not tables:
            return b"{}"
        parts: list[bytes] = [b"{"]
        lines: dict[str, tuple[list[Any], list[bytes]]] = {}
        ends: dict[str, TableEnd] = {}
        for name, value in tables.items():
            parts += (b"\n  ", orjson.dumps(name), b": ")
            if isinstance(value, list) and value:
                lines[name] = (value, self._lines(name, value))
                parts.append(b"{")
                parts += lines[name][1]
                ends[name] = TableEnd(sum(map(len, parts)), len(value))
                parts.append(b"\n  }")
            else:
                parts.append(_table(_documents(value)))
            parts.append(b",")
        parts[-1] = b"\n}"
        self._tables, self.ends = lines, ends
        return b"".join(parts)

    def _lines(self, name: str, records: list[Any]) -> list[bytes]:
        """The lines of a table's records: those of the last file where the same record
        stands at the same place, made anew where another stands."""
        before, lines = self._tables.get(name, ([], []))
        return remade(before, lines, records, lambda n: record_line(n + 1, records[n]))


T = TypeVar("T")


def remade(before: list[Any], made: list[T], now: list[Any], make: Callable[[int], T]) -> list[T]:
    """`[make(n) for n in range(len(now))]`, where `made` is that list for `before`: an
    item is made again only where `now` holds another object than `before` at its place
    (records are immutable, so the same object makes the same thing).  Found by C loops:
    50,000 records with one changed, ~2 ms and no new objects but the one."""
    out: list[Any] = made[: len(now)] + [None] * (len(now) - len(made))
    same = min(len(before), len(now))
    changed = itertools.compress(range(same), map(operator.is_not, before, now))
    for n in itertools.chain(changed, range(same, len(now))):
        out[n] = make(n)
    return out


def _documents(value: Any) -> Any:
    """A table as documents: a list of records keyed by position, or the documents given."""
    if isinstance(value, list):
        return {str(n): record.stored() for n, record in enumerate(value, start=1)}
    return value


def new_file_mode(folder: Path) -> tuple[int, int]:
    """(mode, group id or -1) for a new file in `folder`.

    Private (0600) by default.  A setgid folder is how a group shares files (see the
    README), so there a new file is read-write for the folder's group (0660), whatever
    the creator's umask.
    """
    try:
        info = folder.stat()
    except OSError:
        return 0o600, -1
    if info.st_mode & stat.S_ISGID:
        return 0o660, info.st_gid
    return 0o600, -1


def write_atomic(
    path: Path, payload: bytes | Sequence[memoryview | bytes], *, mode_from: Path | None = None
) -> os.stat_result:
    """Write `payload` (bytes, or pieces written one after the other: no copy made of a
    whole file to add a few lines to it) so that a crash at any instant leaves the old
    file or the new, whole.

    A temporary file in the same folder is written and fsynced, then renamed over the
    target, then the folder is fsynced.  A new file is private to the user (0600), or
    0660 in a setgid folder (`new_file_mode`); an existing file (or `mode_from`) gives its
    mode and group (a group-shared file stays shared).  The temporary name starts with
    ".~" and ends in ".tmp", which Dropbox, Syncthing, OneDrive and Nextcloud leave alone.
    A symbolic link is written through (`real_path`): the temporary file is made beside
    the file it points at, and renamed over that file.
    Returns the written file's stat: taken by path after the rename when that is still the
    very file written (its inode), for the change time the rename gave it; else the one
    taken before (a stat by path could have seen someone else's file).
    """
    path = real_path(path)  # write through a symlink: replace the file, never the link
    folder = path.parent
    try:
        info = (mode_from or path).stat()
        mode, gid = stat.S_IMODE(info.st_mode), info.st_gid
    except FileNotFoundError:
        mode, gid = new_file_mode(folder)
    temp = folder / f".~{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise StoreError(f"Cannot write in {folder}: {exc.strerror}.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in [payload] if isinstance(payload, bytes) else payload:
                handle.write(piece)
            handle.flush()
            if gid != -1 and os.fstat(handle.fileno()).st_gid != gid:
                try:
                    os.fchown(handle.fileno(), -1, gid)
                except OSError:
                    pass  # not a member of that group: the folder's setgid bit decides
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
            written = os.fstat(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StoreError(f"Could not save {path}: {exc.strerror}; the file was left as it was.") from None
    _fsync_folder(folder)
    try:
        after = path.stat()
    except OSError:
        return written
    return after if (after.st_dev, after.st_ino) == (written.st_dev, written.st_ino) else written


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
