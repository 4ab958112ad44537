"""Reading a MySQL dump without a server: literals, escapes, comments, column lists, errors."""

from __future__ import annotations

import pytest

from ficarchive.rescue.efiction_dump import DumpError, read_mysql_dump

SCHEMA = b"""-- MySQL dump 10.13
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `t`;
CREATE TABLE `t` (
  `a` int(11) NOT NULL default '0',
  `b` text,
  PRIMARY KEY  (`a`),
  KEY `b` (`b`(10))
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
"""


def _one(literal: bytes):
    dump = read_mysql_dump(SCHEMA + b"INSERT INTO `t` VALUES (1," + literal + b");\n")
    (row,) = dump.tables["t"].rows
    return row["b"]


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        (rb"'plain'", b"plain"),
        (rb"'it\'s'", b"it's"),
        (rb"'it''s'", b"it's"),
        (rb"'say \"hi\"'", b'say "hi"'),
        (rb"'line\nbreak\r\n'", b"line\nbreak\r\n"),
        (rb"'back\\slash'", b"back\\slash"),
        (rb"'tab\there\0'", b"tab\there\x00"),
        (rb"'100\% sure'", b"100\\% sure"),  # MySQL keeps the backslash before % and _
        (rb"'a;b -- c # d /* e */'", b"a;b -- c # d /* e */"),
        (rb"NULL", None),
        (rb"-42", -42),
        (rb"3.5", 3.5),
        (rb"0x4869", b"Hi"),
        (rb"X'4869'", b"Hi"),
        (rb"_binary 'raw'", b"raw"),
        (rb"_utf8mb4'x' COLLATE utf8mb4_bin", b"x"),
        (
            "'caf\u00e9 \u201cquoted\u201d'".encode("cp1252"),
            "caf\u00e9 \u201cquoted\u201d".encode("cp1252"),
        ),
        ("'\u87f2\u306e\u58f0'".encode(), "\u87f2\u306e\u58f0".encode()),
    ],
)
def test_literals_read_as_mysql_reads_them(literal, value):
    assert _one(literal) == value


def test_multi_row_inserts_column_lists_and_the_charset():
    dump = read_mysql_dump(
        SCHEMA
        + b"INSERT INTO `t` VALUES (1,'x'),(2,'y (z)'),\n(3,NULL);\n"
        + b"# a comment line\nINSERT INTO t (b, a) VALUES ('swapped', 4);\n"
        + b"INSERT IGNORE INTO `db`.`t` (`a`,`b`) VALUES (5,'q') ON DUPLICATE KEY UPDATE b='r';\n"
    )
    assert dump.charset == "utf8mb4"
    assert [(r["a"], r["b"]) for r in dump.tables["t"].rows] == [
        (1, b"x"), (2, b"y (z)"), (3, None), (4, b"swapped"), (5, b"q")
    ]  # fmt: skip


def test_tables_not_wanted_keep_no_rows():
    dump = read_mysql_dump(
        SCHEMA + b"INSERT INTO `t` VALUES (1,'x');\nINSERT INTO `log` (`m`) VALUES ('big');\n",
        wanted=lambda name: name == "t",
    )
    assert len(dump.tables["t"].rows) == 1 and "log" not in dump.tables


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        (b"INSERT INTO `u` VALUES (1,'x');", "CREATE TABLE"),
        (SCHEMA + b"INSERT INTO `t` VALUES (1,'x','extra');", "3 values for 2 columns"),
        (SCHEMA + b"INSERT INTO `t` VALUES (1, CONCAT('a','b'));", "plain mysqldump"),
    ],
)
def test_unreadable_dumps_say_how_to_fix_them(sql, says):
    with pytest.raises(DumpError, match=says):
        read_mysql_dump(sql)
