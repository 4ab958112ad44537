"""A MySQL dump read without a MySQL server: the tables' columns and rows, values as bytes.

mysqldump and phpMyAdmin write `CREATE TABLE` statements and `INSERT INTO t [(cols)] VALUES
(...),(...);` with backslash escapes, `''` quotes, `NULL`, hex and `_binary` literals, and
comments (`-- `, `#`, `/* */`, `/*!40101 ... */`). We scan the bytes with one token pattern, so
a dump of any size and any mix of encodings is read the same way: string values stay bytes,
and the caller decodes each one (old eFiction tables often say latin1 and hold UTF-8 or cp1252).

The SQL syntax is ASCII, so scanning bytes is safe for UTF-8, cp1252 and Latin-1 text. Shift_JIS
and Big5 can hide a backslash byte inside a character, but mysqldump escapes those too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

Value = bytes | int | float | None


class DumpError(ValueError):
    """A dump that cannot be read; the message says where and how to fix it."""


@dataclass(slots=True)
class Table:
    name: str
    columns: list[str] = field(default_factory=list)  # from CREATE TABLE, in order
    rows: list[dict[str, Value]] = field(default_factory=list)
    stable: int = 0  # with assumed columns: how many leading ones every version shares


@dataclass(slots=True)
class Dump:
    tables: dict[str, Table] = field(default_factory=dict)
    charset: str = ""  # from `SET NAMES x`, when the dump says
    notes: list[str] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)  # tables read with assumed columns


_TOKEN = re.compile(
    rb"""
      (?P<ws>\s+)
    | (?P<comment>--(?:[ \t][^\n]*)?(?:\n|$)|\#[^\n]*(?:\n|$))
    | (?P<exec>/\*!\d*(?P<exec_body>.*?)\*/)
    | (?P<block>/\*.*?\*/)
    | '(?P<string>(?:[^'\\]|\\.|'')*)'
    | "(?P<dstring>(?:[^"\\]|\\.|"")*)"
    | `(?P<ident>(?:[^`]|``)*)`
    | (?P<hex>0x[0-9A-Fa-f]*|[xX]'[0-9A-Fa-f]*')
    | (?P<bits>[bB]'[01]*')
    | (?P<number>-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
    | (?P<word>[A-Za-z_$][A-Za-z0-9_$]*)
    | (?P<punct>.)
    """,
    re.S | re.X,
)
_ESCAPES = {
    b"0": b"\x00", b"b": b"\b", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"Z": b"\x1a",
    b"%": b"\\%", b"_": b"\\_",
}  # fmt: skip
_ESCAPE = re.compile(rb"\\(.)", re.S)
_SET_NAMES = re.compile(rb"SET\s+NAMES\s+'?([A-Za-z0-9_]+)", re.I)


def _unescape(raw: bytes, quote: bytes) -> bytes:
    """A quoted literal's bytes as MySQL reads them: `\\n`, `\\'`, doubled quotes."""
    if b"\\" in raw:
        raw = _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw)
    return raw.replace(quote + quote, quote)


@dataclass(slots=True)
class _Tok:
    kind: str  # "str", "num", "word", "ident", "punct", "null"
    value: Value | str


def _tokens(data: bytes, dump: Dump) -> Iterator[_Tok]:
    for m in _TOKEN.finditer(data):
        kind = m.lastgroup
        if kind in ("ws", "comment", "block"):
            continue
        if kind in ("exec", "exec_body"):
            names = _SET_NAMES.search(m.group("exec_body"))
            if names:
                dump.charset = names.group(1).decode("ascii").lower()
            continue
        if kind == "string":
            yield _Tok("str", _unescape(m.group("string"), b"'"))
        elif kind == "dstring":
            yield _Tok("str", _unescape(m.group("dstring"), b'"'))
        elif kind == "ident":
            yield _Tok("ident", m.group("ident").replace(b"``", b"`").decode("utf-8", "replace"))
        elif kind == "hex":
            text = m.group("hex")
            digits = text[2:] if text[:2] in (b"0x", b"0X") else text[2:-1]
            yield _Tok("str", bytes.fromhex(digits.decode("ascii")))
        elif kind == "bits":
            bits = m.group("bits")[2:-1] or b"0"
            yield _Tok("num", int(bits, 2))
        elif kind == "number":
            text = m.group("number")
            yield _Tok("num", float(text) if any(c in text for c in b".eE") else int(text))
        elif kind == "word":
            word = m.group("word").decode("ascii")
            if word.upper() == "NULL":
                yield _Tok("null", None)
            else:
                yield _Tok("word", word)
        else:
            yield _Tok("punct", m.group("punct").decode("latin-1"))


def _statements(data: bytes, dump: Dump) -> Iterator[list[_Tok]]:
    statement: list[_Tok] = []
    for tok in _tokens(data, dump):
        if tok.kind == "punct" and tok.value == ";":
            if statement:
                yield statement
            statement = []
        else:
            statement.append(tok)
    if statement:
        yield statement


def _words(statement: list[_Tok], n: int) -> list[str]:
    return [str(t.value).upper() for t in statement[:n] if t.kind == "word"]


def _name(tok: _Tok) -> str:
    return str(tok.value) if tok.kind in ("ident", "word") else ""


def _table_name(statement: list[_Tok], start: int) -> tuple[str, int]:
    """The table named at `start` (`db`.`t` gives `t`) and the index after it."""
    i = start
    name = _name(statement[i])
    while i + 2 < len(statement) and statement[i + 1].value == ".":
        i += 2
        name = _name(statement[i])
    return name, i + 1


def _read_create(statement: list[_Tok], dump: Dump) -> None:
    i = next(n for n, t in enumerate(statement) if t.kind == "word" and t.value.upper() == "TABLE")
    i += 1
    while i < len(statement) and statement[i].kind == "word" and statement[i].value.upper() in {
        "IF", "NOT", "EXISTS", "TEMPORARY"
    }:  # fmt: skip
        i += 1
    name, i = _table_name(statement, i)
    if i >= len(statement) or statement[i].value != "(":
        return
    columns: list[str] = []
    depth, expect_name = 0, True
    for tok in statement[i + 1 :]:
        if tok.kind == "punct" and tok.value == "(":
            depth += 1
        elif tok.kind == "punct" and tok.value == ")":
            if depth == 0:
                break
            depth -= 1
        elif tok.kind == "punct" and tok.value == "," and depth == 0:
            expect_name = True
        elif expect_name:
            expect_name = False
            keyword = str(tok.value).upper() if tok.kind == "word" else ""
            if tok.kind == "ident" or (
                tok.kind == "word"
                and keyword
                not in {
                    "PRIMARY",
                    "KEY",
                    "UNIQUE",
                    "INDEX",
                    "FULLTEXT",
                    "SPATIAL",
                    "CONSTRAINT",
                    "FOREIGN",
                    "CHECK",
                }  # fmt: skip
            ):
                columns.append(str(tok.value))
    table = dump.tables.setdefault(name, Table(name))
    table.columns = columns
    table.rows = []  # a CREATE after DROP starts the table again


def _value(tokens: list[_Tok], where: str) -> Value:
    """One value of a row: a literal, `-5`, `_binary 'x'`, `_utf8'x' COLLATE y`."""
    literals = [t for t in tokens if t.kind in ("str", "num", "null")]
    if len(literals) == 1:
        return literals[0].value  # type: ignore[return-value]
    words = [str(t.value) for t in tokens if t.kind == "word"]
    if not literals and len(words) == 1 and words[0].upper() in {"TRUE", "FALSE"}:
        return int(words[0].upper() == "TRUE")
    if not literals and words and words[0].upper() in {"NOW", "CURRENT_TIMESTAMP"}:
        return None
    raise DumpError(
        f"{where}: a value this reader does not understand ({' '.join(map(str, words))!r}); "
        "dump the database again with plain mysqldump (no expressions in INSERTs)"
    )


def _read_insert(statement: list[_Tok], dump: Dump, wanted, assumed) -> None:
    i = 1
    while i < len(statement) and statement[i].kind == "word" and statement[i].value.upper() in {
        "INTO", "IGNORE", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY"
    }:  # fmt: skip
        i += 1
    name, i = _table_name(statement, i)
    if wanted is not None and not wanted(name):
        return
    table = dump.tables.setdefault(name, Table(name))
    columns = table.columns
    if i < len(statement) and statement[i].value == "(":
        columns, i = [], i + 1
        while i < len(statement) and statement[i].value != ")":
            if statement[i].kind in ("ident", "word"):
                columns.append(str(statement[i].value))
            elif statement[i].kind == "str":  # "col" under ANSI_QUOTES
                columns.append(statement[i].value.decode("utf-8", "replace"))
            i += 1
        i += 1
    if i < len(statement) and statement[i].kind == "word" and statement[i].value.upper() in {
        "VALUES", "VALUE"
    }:  # fmt: skip
        i += 1
    else:
        dump.notes.append(f"skipped an INSERT into {name} that has no VALUES list")
        return
    if not columns and assumed is not None and assumed(name) is not None:
        columns, table.stable = assumed(name)
        table.columns = columns = list(columns)
        dump.assumed.append(name)
    if not columns:
        raise DumpError(
            f"the dump inserts rows into {name} without saying its columns; include the "
            "CREATE TABLE statements (mysqldump without --no-create-info) or use --complete-insert"
        )
    row: list[Value] = []
    current: list[_Tok] = []
    depth = 0
    for tok in statement[i:]:
        if tok.kind == "punct" and tok.value == "(":
            depth += 1
            if depth == 1:
                row, current = [], []
                continue
        elif tok.kind == "punct" and tok.value == ")":
            depth -= 1
            if depth == 0:
                row.append(_value(current, name))
                _add_row(table, columns, row)
                continue
        elif tok.kind == "punct" and tok.value == "," and depth == 1:
            row.append(_value(current, name))
            current = []
            continue
        elif depth == 0:
            if tok.kind == "word" and tok.value.upper() == "ON":
                break  # ON DUPLICATE KEY UPDATE ...: the rows are already read
            continue
        current.append(tok)


def _add_row(table: Table, columns: list[str], row: list[Value]) -> None:
    if len(row) != len(columns) and table.stable and len(row) >= table.stable:
        # Another version's columns: keep the leading ones all versions share.
        columns, row = columns[: table.stable], row[: table.stable]
    if len(row) != len(columns):
        raise DumpError(
            f"a row of {table.name} has {len(row)} values for {len(columns)} columns; the dump "
            "is cut short or its CREATE TABLE does not match its INSERTs"
        )
    table.rows.append(dict(zip(columns, row)))


def read_mysql_dump(data: bytes, wanted=None, assumed=None) -> Dump:
    """The tables of a dump. `wanted(name)` limits the rows kept to the tables one needs.

    `assumed(name)` gives `(columns, stable)` for a table whose rows come without a CREATE
    TABLE or a column list (eFiction's own backup writes such dumps); `stable` leading columns
    are shared by every version, so longer or shorter rows keep those.
    """
    dump = Dump()
    for statement in _statements(data, dump):
        head = _words(statement, 3)
        if head[:1] == ["CREATE"] and "TABLE" in head[1:3]:
            _read_create(statement, dump)
        elif head[:1] in (["INSERT"], ["REPLACE"]):
            _read_insert(statement, dump, wanted, assumed)
        elif head[:1] == ["SET"]:
            names = [t for t in statement if t.kind == "word" and t.value.upper() == "NAMES"]
            if names and len(statement) > 2:
                dump.charset = str(statement[2].value).lower()
    return dump
