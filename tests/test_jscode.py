"""The JavaScript payload reader: effects of visible `node -e` code, and what keeps it opaque."""

from __future__ import annotations

import pytest

from agentguard.shell.programs.jscode import read_js


@pytest.mark.parametrize(
    ("code", "effects", "commands"),
    [
        ('require("fs").writeFileSync("a", "x")', [("write", "a")], []),
        ('const fs = require("node:fs"); fs.rmSync("d", {recursive: true})', [("delete", "d")], []),
        ('require("fs/promises").rename("a", "b")', [("delete", "a"), ("write", "b")], []),
        ('require("fs").promises.copyFile("a", "b")', [("read", "a"), ("write", "b")], []),
        ('const {unlinkSync: u} = require("fs"); u("x")', [("delete", "x")], []),
        ('const w = require("fs").writeFileSync; w("q", "")', [("write", "q")], []),
        ('require("fs").openSync("f", "a+")', [("write", "f")], []),
        (
            'console.log(require("fs").readFileSync("package.json", "utf8"))',
            [("read", "package.json")],
            [],
        ),
        ('const {execSync} = require("child_process"); execSync("git status")', [], ["git status"]),
        (
            'require("child_process").spawnSync("rm", ["-f", "a b"], {stdio: "inherit"})',
            [],
            ["rm -f 'a b'"],
        ),
        (
            'const cp = require("child_process"); cp.exec("ls", (e, out) => console.log(out))',
            [],
            ["ls"],
        ),
        ('const p = require("path"); console.log(p.join("a", "b"), process.argv[1])', [], []),
        ("try { JSON.parse('x') } catch (e) { console.error(e.message) }", [], []),
        ("function f(a, {b}) { return a + b }; console.log(f(1, {b: 2}))", [], []),
    ],
)
def test_literal_effects_and_commands_are_read(
    code: str, effects: list[tuple[str, str]], commands: list[str]
) -> None:
    """Code with literal paths and command lines gets exactly those, and nothing unknown."""
    reading = read_js(code)
    assert reading.unknown == []
    assert reading.effects == effects
    assert reading.commands == commands


@pytest.mark.parametrize(
    "code",
    [
        'eval("1")',
        'new Function("return 1")()',
        '[].constructor.constructor("return process")()',
        "({}).__proto__.x = 1",
        'Object.getOwnPropertyDescriptor(Object.getPrototypeOf(() => 0), "constructor")',
        "Error.prepareStackTrace = (e, s) => s[0].getFunction()",
        'Object.\\u0063onstructor("return 1")()',
        "(0, console.log)(1)",
        'const f = () => require; f()("fs")',
        'require("fs")["writeFileSync"]("x", "")',
        'const n = "fs"; require(n)',
        'require("left-pad")',
        'const a = [require("fs")]; a[0].rmSync("x")',
        'let fs = require("fs"); fs = {}; fs.writeFileSync("x", "")',
        'let w; w = require("fs").rmSync; w("x")',
        'const {execSync} = require("child_process"); [1].map(execSync)',
        'const {...all} = require("fs"); all.rmSync("x")',
        'const [first] = require("fs")',
        'require("fs").writeFileSync(`.claude/${1}`, "")',
        'require("fs").writeFileSync(".clau\\x64e/settings.json", "")',
        'require("fs").symlinkSync("/etc", "x")',
        'require("child_process").execSync("rm " + "x")',
        'require("child_process").execSync("ls", {cwd: "/"})',
        'require("child_process").spawnSync("ls", [], {env: {}})',
        'require("child_process").fork("x.js")',
        "console.log(process.env.GITHUB_TOKEN)",
        'process.mainModule.require("fs")',
        'globalThis.require("fs")',
        'import("fs")',
        "this.x",
        'module.require("fs")',
        "require('fs').writeFileSync(",
    ],
)
def test_what_the_reader_cannot_follow_stays_opaque(code: str) -> None:
    """Reflection, computed names, modules as values, env reads and unknown modules: opaque."""
    assert read_js(code).unknown


def test_network_modules_and_fetch_are_network() -> None:
    """http, net and fetch reach another host: network, not opaque."""
    assert read_js('require("https").get("https://example.com")').network
    assert read_js('fetch("https://example.com").then((r) => r.text())').network


def test_code_nested_too_deeply_stays_opaque() -> None:
    """A pattern nested thousands deep is opaque, not a crash of the hook."""
    code = "const " + "{a:" * 2000 + "b" + "}" * 2000 + " = {}"
    assert "code nested too deeply to read" in read_js(code).unknown
