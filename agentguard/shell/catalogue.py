"""What agentguard knows about programs, as data: every entry a literal, with examples.

Hot path, and data only: dicts, tuples, strings, numbers, booleans and ``None``. No calls,
no functions, no imports (``tests/test_catalogue.py`` walks this module's syntax tree to
keep it so), so loading it costs one ``.pyc`` read. Option sets are one space-separated
string each, split where they are read (``shell/effects.words``).

Sections:
- ``PROGRAMS``: program name -> its facts, and ``examples``: a command line -> what it
  must yield (classes, writes, reads, deletes), checked by one parametrised test.
- ``WRAPPERS``: programs that run another program (``timeout``, ``env``, ``nice`` …): the
  shape of their arguments, with examples of what the wrapped command is.
- ``ENVIRONMENT``: variables whose value is code, and the guard's own.
- ``AGENTS``: what changes another agent CLI's configuration.
- ``GIT``: git's sub-command tables.

The facts of a ``PROGRAMS`` entry:
- ``family``, ``handler``: the function in ``shell/programs/<family>.py`` that reads the
  command's arguments; the other facts here are what that handler reads.
- ``classes``: for a program without a handler, its classes whatever its arguments.
- ``output_options``: ``True``: scan ``-o FILE``/``--output FILE`` as for an unknown program;
  a string: the options whose value is the only file written (``shuf -o``).
- ``values``: options that take a value (``-n 5``), so the value is not an operand.
- ``reader``: the program reads its operands; ``values`` as above, ``first_is_pattern``
  when the first operand is a pattern or a filter (``grep PATTERN FILE``).
- ``verbs``: sub-commands by effect (``install``, ``publish``, ``registry``, ``read``,
  ``deploy``; cmake ``-E``: ``read``, ``write``, ``delete``); ``deploys_always``: every
  invocation deploys.
- ``code_flags``, ``loaders``, ``stdin_opaque``: an interpreter's flags whose value is code,
  flags that load code first, and whether a program from standard input is opaque.
- ``write_flags``, ``writes_by_default``, ``check_flags``: when a formatter rewrites files.
- ``note``, ``opaque_modules``: why a program is opaque; python's code-running modules.
- ``names_only``: takes file names only as names (never prints a file's content), so an
  operand naming an existing file is not a read.
- ``agent_cli``: another agent's command line; ``privilege``: runs a command as another
  user; ``prints_reads``: prints what it reads (an unknown read target may be a secret);
  ``search``: a recursive searcher, ``grep`` (reads dot-files) or ``ripgrep`` (skips them).
"""

PROGRAMS: dict[str, dict[str, object]] = {
    ".": {"reader": {}, "prints_reads": True},
    "7z": {"family": "archives", "handler": "sevenzip"},
    "7za": {"family": "archives", "handler": "sevenzip"},
    "7zr": {"family": "archives", "handler": "sevenzip"},
    ":": {"classes": ("read-only",)},
    "Rscript": {"family": "code", "handler": "interpreter", "code_flags": "-e"},
    "[": {"classes": ("read-only",), "names_only": True},
    "[[": {"names_only": True},
    "ack": {
        "classes": ("read-only",),
        "reader": {"values": "--type -A -B -C -m", "first_is_pattern": True},
        "search": "ripgrep",
    },
    "ag": {
        "classes": ("read-only",),
        "reader": {"values": "--depth --ignore -A -B -C -G -m", "first_is_pattern": True},
        "search": "ripgrep",
    },
    "agentguard": {
        "verbs": {
            "read": (
                "--help --version -h compile demo doctor explain help lint logs "
                "memory metrics schema test verify version"
            )
        }
    },
    "aider": {"agent_cli": True},
    "amp": {"agent_cli": True},
    "ansible-playbook": {"family": "deploy", "handler": "deploy", "deploys_always": True},
    "apk": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"install": "add del fix update upgrade"},
    },
    "apt": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {
            "install": (
                "autoremove dist-upgrade full-upgrade install purge reinstall remove update upgrade"
            )
        },
    },
    "apt-get": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {
            "install": (
                "autoremove build-dep dist-upgrade install purge reinstall remove "
                "source update upgrade"
            )
        },
    },
    "aptitude": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"install": ("full-upgrade install purge remove safe-upgrade update upgrade")},
    },
    "arch": {"classes": ("read-only",)},
    "aria2c": {"classes": ("network",)},
    "astro": {"family": "packages", "handler": "astro"},
    "at": {"classes": ("opaque",)},
    "awk": {
        "family": "text",
        "handler": "awk",
        "values": "-F -v -f -i --field-separator --assign --file --include",
    },
    "aws": {"family": "deploy", "handler": "deploy"},
    "axel": {"classes": ("network",)},
    "az": {"family": "deploy", "handler": "deploy"},
    "azcopy": {"classes": ("network",)},
    "b2sum": {"classes": ("read-only",), "reader": {}},
    "base32": {"classes": ("read-only",), "reader": {"values": "--wrap -w"}, "prints_reads": True},
    "base64": {"classes": ("read-only",), "reader": {"values": "--wrap -w"}, "prints_reads": True},
    "basename": {"classes": ("read-only",), "names_only": True},
    "bat": {
        "classes": ("read-only",),
        "reader": {"values": "--language --line-range --style --theme -H -l -r"},
        "prints_reads": True,
    },
    "batcat": {
        "classes": ("read-only",),
        "reader": {"values": "--language --line-range --style --theme -l -r"},
        "prints_reads": True,
    },
    "batch": {"classes": ("opaque",)},
    "bc": {"classes": ("read-only",)},
    "biome": {"family": "code", "handler": "formatter", "write_flags": "--write --apply --fix"},
    "black": {
        "family": "code",
        "handler": "formatter",
        "writes_by_default": True,
        "check_flags": "--check --diff",
    },
    "brew": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {
            "install": (
                "bundle install link reinstall remove tap uninstall unlink untap update upgrade"
            )
        },
    },
    "bun": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {
            "install": ("a add create i init install link pm remove rm unlink update upgrade"),
            "publish": "publish",
        },
    },
    "bundle": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"install": "add install remove update"},
    },
    "bunzip2": {
        "family": "archives",
        "handler": "archive_tool",
        "values": "-d -x -i -P -S --suffix",
    },
    "bzip2": {"family": "archives", "handler": "archive_tool", "values": "-d -x -i -P -S --suffix"},
    "c++": {"family": "code", "handler": "compiler"},
    "cal": {"classes": ("read-only",)},
    "cargo": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {
            "install": "add install remove rm uninstall update",
            "publish": "owner publish yank",
            "registry": "fetch login search",
        },
    },
    "cat": {"classes": ("read-only",), "reader": {}, "prints_reads": True},
    "cc": {"family": "code", "handler": "compiler"},
    "cd": {"classes": ("read-only",), "names_only": True},
    "cdk": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": "bootstrap deploy destroy"},
    },
    "chattr": {"family": "files", "handler": "chmod"},
    "chgrp": {"family": "files", "handler": "chmod", "names_only": True},
    "chmod": {"family": "files", "handler": "chmod", "names_only": True},
    "chown": {"family": "files", "handler": "chmod", "names_only": True},
    "cksum": {"classes": ("read-only",), "reader": {}},
    "clang": {"family": "code", "handler": "compiler"},
    "clang++": {"family": "code", "handler": "compiler"},
    "claude": {"agent_cli": True},
    "clear": {"classes": ("read-only",)},
    "cline": {"agent_cli": True},
    "cloc": {"classes": ("read-only",)},
    "cmake": {
        "family": "code",
        "handler": "cmake",
        "verbs": {
            "read": (
                "capabilities cat compare_files echo echo_append false md5sum sha1sum "
                "sha224sum sha256sum sha384sum sha512sum sleep true"
            ),
            "write": (
                "copy copy_directory copy_directory_if_different copy_if_different "
                "create_hardlink create_symlink make_directory tar touch "
                "touch_nocreate"
            ),
            "delete": "remove remove_directory rm",
        },
    },
    "cmp": {"classes": ("read-only",), "reader": {"values": "--bytes --ignore-initial -i -n"}},
    "codex": {"agent_cli": True},
    "column": {"classes": ("read-only",), "reader": {"values": "-E -N -R -W -c -o -s -t"}},
    "comm": {"classes": ("read-only",), "reader": {"values": "--output-delimiter"}},
    "command": {"names_only": True},
    "compgen": {"classes": ("env-dump", "secret-read")},
    "composer": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"install": "install remove require update upgrade"},
    },
    "conda": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"install": "create env install remove update upgrade"},
    },
    "copilot": {"agent_cli": True},
    "corepack": {"family": "packages", "handler": "corepack"},
    "cp": {
        "family": "files",
        "handler": "copy_like",
        "values": ("-t --target-directory -S --suffix -m --mode -o --owner -g --group"),
        "names_only": True,
        "prints_reads": True,
    },
    "cpio": {
        "family": "archives",
        "handler": "cpio",
        "values": "-D --directory -F --file -O -I -H --format -R",
    },
    "crontab": {"classes": ("opaque",)},
    "crush": {"agent_cli": True},
    "csplit": {
        "family": "text",
        "handler": "sort_split",
        "values": "-f --prefix -b --suffix-format -n --digits",
    },
    "curl": {
        "family": "network",
        "handler": "curl",
        "values": (
            "-o --output -T --upload-file -d --data --data-binary --data-raw "
            "--data-urlencode -F --form -K --config -c --cookie-jar -D --dump-header "
            "-H --header -X --request -u --user -e -A -b --cookie -m --max-time "
            "--output-dir -w --write-out -x --proxy --connect-timeout -r --retry "
            "--cacert --cert --key -E"
        ),
        "prints_reads": True,
    },
    "cursor-agent": {"agent_cli": True},
    "cut": {"classes": ("read-only",), "reader": {"values": "--output-delimiter -b -c -d -f"}},
    "date": {"classes": ("read-only",)},
    "dc": {"classes": ("read-only",)},
    "dd": {"family": "files", "handler": "dd"},
    "declare": {"family": "environment", "handler": "export", "names_only": True},
    "deno": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"install": "add install remove uninstall", "publish": "deploy publish"},
    },
    "df": {"classes": ("read-only",)},
    "diff": {"classes": ("read-only",), "reader": {"values": "--label -C -F -I -L -U -W -X -x"}},
    "dig": {"classes": ("network",)},
    "dirname": {"classes": ("read-only",), "names_only": True},
    "dirs": {"classes": ("read-only",)},
    "dnf": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {
            "install": ("autoremove downgrade erase install reinstall remove update upgrade")
        },
    },
    "doas": {"names_only": True, "privilege": True},
    "docker": {"family": "deploy", "handler": "docker", "verbs": {"deploy": "push"}},
    "dotnet": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"install": "add restore tool"},
    },
    "droid": {"agent_cli": True},
    "du": {"classes": ("read-only",), "names_only": True},
    "echo": {"classes": ("read-only",), "names_only": True},
    "ed": {"family": "code", "handler": "editor", "code_flags": "--cmd -S -T -U -W -c -i -s -u -w"},
    "egrep": {
        "classes": ("read-only",),
        "reader": {"values": "-A -B -C -m", "first_is_pattern": True},
        "search": "grep",
    },
    "elinks": {"classes": ("network",)},
    "emacs": {"family": "code", "handler": "editor"},
    "emacsclient": {"family": "code", "handler": "editor"},
    "eslint": {"family": "code", "handler": "formatter", "write_flags": "--fix"},
    "ex": {"family": "code", "handler": "editor", "code_flags": "--cmd -S -T -U -W -c -i -s -u -w"},
    "exit": {"classes": ("read-only",), "names_only": True},
    "expand": {"classes": ("read-only",), "reader": {"values": "-t"}},
    "expect": {"family": "code", "handler": "interpreter", "code_flags": "-c"},
    "export": {"family": "environment", "handler": "export", "names_only": True},
    "expr": {"classes": ("read-only",)},
    "fallocate": {"family": "files", "handler": "writes_all", "values": "--length --offset -l -o"},
    "false": {"classes": ("read-only",), "names_only": True},
    "fd": {"classes": ("read-only",), "names_only": True},
    "fdfind": {"classes": ("read-only",), "names_only": True},
    "fgrep": {
        "classes": ("read-only",),
        "reader": {"values": "-A -B -C -m", "first_is_pattern": True},
        "search": "grep",
    },
    "file": {"classes": ("read-only",), "reader": {"values": "-F -P -e -f -m"}},
    "file-rename": {"family": "files", "handler": "rename", "values": "-e"},
    "find": {"family": "files", "handler": "find", "names_only": True},
    "firebase": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {
            "deploy": (
                "database:push database:remove database:set database:update deploy "
                "firestore:delete functions:delete hosting:channel:deploy "
                "hosting:disable"
            )
        },
    },
    "flatpak": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"install": "install uninstall update"},
    },
    "fly": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {
            "deploy": (
                "apps certs deploy destroy ips launch machine machines releases "
                "restart scale secrets volumes"
            )
        },
    },
    "flyctl": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {
            "deploy": ("apps deploy destroy launch machine machines restart scale secrets volumes")
        },
    },
    "fmt": {"classes": ("read-only",), "reader": {"values": "-g -p -w"}},
    "fold": {"classes": ("read-only",), "reader": {"values": "--width -w"}},
    "free": {"classes": ("read-only",)},
    "ftp": {"classes": ("network",)},
    "g++": {"family": "code", "handler": "compiler"},
    "gawk": {
        "family": "text",
        "handler": "awk",
        "values": "-F -v -f -i --field-separator --assign --file --include",
    },
    "gcc": {"family": "code", "handler": "compiler"},
    "gcloud": {"family": "deploy", "handler": "deploy"},
    "gdb": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "--command --eval-command -ex -iex -ix -x",
        "stdin_opaque": False,
    },
    "gem": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {
            "install": "install uninstall update",
            "publish": "owner push yank",
            "registry": "fetch search",
        },
    },
    "gemini": {"agent_cli": True},
    "getconf": {"classes": ("read-only",)},
    "gh": {"family": "deploy", "handler": "gh"},
    "gh-pages": {"family": "deploy", "handler": "deploy", "deploys_always": True},
    "git": {"family": "git", "handler": "classify_git", "names_only": True},
    "gmake": {"family": "code", "handler": "make"},
    "gnutls-cli": {"classes": ("network",)},
    "go": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"install": "get install", "registry": "mod"},
    },
    "gofmt": {"family": "code", "handler": "formatter", "write_flags": "-w"},
    "goimports": {"family": "code", "handler": "formatter", "write_flags": "-w"},
    "goose": {"agent_cli": True},
    "grep": {
        "classes": ("read-only",),
        "reader": {
            "values": (
                "--binary-files --color --colour --context --devices --directories "
                "--label --max-count -A -B -C -D -d -m"
            ),
            "first_is_pattern": True,
        },
        "search": "grep",
    },
    "gsed": {
        "family": "text",
        "handler": "sed",
        "values": "-e -f -l --expression --file --line-length",
    },
    "gsutil": {"classes": ("network",)},
    "gunzip": {
        "family": "archives",
        "handler": "archive_tool",
        "values": "-d -x -i -P -S --suffix",
    },
    "gvim": {
        "family": "code",
        "handler": "editor",
        "code_flags": "--cmd -S -T -U -W -c -i -s -u -w",
    },
    "gzip": {"family": "archives", "handler": "archive_tool", "values": "-d -x -i -P -S --suffix"},
    "hash": {"classes": ("read-only",)},
    "head": {
        "classes": ("read-only",),
        "reader": {"values": "--bytes --lines -c -n"},
        "prints_reads": True,
    },
    "helm": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": "delete install push rollback uninstall upgrade"},
    },
    "heroku": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {
            "deploy": (
                "addons:create addons:destroy apps:destroy config:set config:unset "
                "create deploy destroy ps:scale releases:rollback"
            )
        },
    },
    "hexdump": {
        "classes": ("read-only",),
        "reader": {"values": "-e -f -n -s"},
        "prints_reads": True,
    },
    "history": {"classes": ("read-only",)},
    "host": {"classes": ("network",)},
    "hostname": {"classes": ("read-only",)},
    "http": {"classes": ("network",)},
    "httpie": {"classes": ("network",)},
    "https": {"classes": ("network",)},
    "iconv": {
        "family": "text",
        "handler": "iconv",
        "values": "-f -t -o --output --from-code --to-code",
    },
    "id": {"classes": ("read-only",)},
    "install": {
        "family": "files",
        "handler": "copy_like",
        "values": ("-t --target-directory -S --suffix -m --mode -o --owner -g --group"),
        "names_only": True,
    },
    "isort": {
        "family": "code",
        "handler": "formatter",
        "writes_by_default": True,
        "check_flags": "--check --check-only --diff -c",
    },
    "jobs": {"classes": ("read-only",)},
    "jq": {
        "classes": ("read-only",),
        "reader": {
            "values": ("--arg --argjson --args --indent --jsonargs --rawfile --slurpfile --tab"),
            "first_is_pattern": True,
        },
    },
    "julia": {"family": "code", "handler": "interpreter", "code_flags": "--eval -e"},
    "kill": {"names_only": True},
    "kiro": {"agent_cli": True},
    "kubectl": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {
            "deploy": (
                "annotate apply attach autoscale cordon cp create delete drain edit "
                "exec expose label patch replace rollout run scale set taint uncordon"
            )
        },
    },
    "less": {
        "classes": ("read-only",),
        "reader": {"values": "-O -T -b -h -j -o -p -t -x -y -z"},
        "prints_reads": True,
    },
    "link": {
        "family": "files",
        "handler": "copy_like",
        "values": ("-t --target-directory -S --suffix -m --mode -o --owner -g --group"),
    },
    "links": {"classes": ("network",)},
    "ln": {
        "family": "files",
        "handler": "copy_like",
        "values": ("-t --target-directory -S --suffix -m --mode -o --owner -g --group"),
        "names_only": True,
    },
    "local": {"family": "environment", "handler": "export", "names_only": True},
    "locale": {"classes": ("read-only",)},
    "look": {"classes": ("read-only",)},
    "ls": {"classes": ("read-only",), "names_only": True},
    "lsb_release": {"classes": ("read-only",)},
    "lsof": {"classes": ("read-only",)},
    "lua": {"family": "code", "handler": "interpreter", "code_flags": "-e"},
    "luajit": {"family": "code", "handler": "interpreter", "code_flags": "-e"},
    "lynx": {"classes": ("network",)},
    "make": {"family": "code", "handler": "make"},
    "mamba": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"install": "create env install remove update upgrade"},
    },
    "mawk": {
        "family": "text",
        "handler": "awk",
        "values": "-F -v -f -i --field-separator --assign --file --include",
    },
    "md5sum": {"classes": ("read-only",), "reader": {}},
    "micromamba": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"install": "create env install remove update"},
    },
    "mkdir": {
        "family": "files",
        "handler": "writes_all",
        "values": "--mode -m",
        "names_only": True,
    },
    "mkfifo": {
        "family": "files",
        "handler": "writes_all",
        "values": "--context --mode -Z -m",
        "names_only": True,
    },
    "mknod": {
        "family": "files",
        "handler": "mknod",
        "values": "-m --mode -Z --context",
        "names_only": True,
    },
    "mktemp": {"family": "files", "handler": "mktemp", "values": "-p --suffix"},
    "mmv": {"family": "files", "handler": "rename", "values": "-e"},
    "more": {"classes": ("read-only",), "reader": {"values": "-n"}, "prints_reads": True},
    "mtr": {"classes": ("network",)},
    "mv": {
        "family": "files",
        "handler": "copy_like",
        "values": ("-t --target-directory -S --suffix -m --mode -o --owner -g --group"),
        "names_only": True,
    },
    "nano": {"family": "code", "handler": "editor"},
    "nawk": {
        "family": "text",
        "handler": "awk",
        "values": "-F -v -f -i --field-separator --assign --file --include",
    },
    "nc": {"classes": ("network",)},
    "ncat": {"classes": ("network",)},
    "ncu": {"family": "packages", "handler": "upgrader"},
    "nerdctl": {"family": "deploy", "handler": "docker"},
    "netcat": {"classes": ("network",)},
    "netlify": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {
            "deploy": (
                "deploy env:set env:unset functions:deploy link sites:create sites:delete unlink"
            )
        },
    },
    "nix-env": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"install": "--install --uninstall --upgrade -e -i -iA -u"},
    },
    "nl": {
        "classes": ("read-only",),
        "reader": {"values": "-b -d -f -h -i -l -n -s -v -w"},
        "prints_reads": True,
    },
    "nmap": {"classes": ("network",)},
    "node": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "--eval --print -e -p -pe",
        "loaders": ("--env-file-if-exists --experimental-loader --import --loader --require -r"),
    },
    "nodejs": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "--eval --print -e -p",
        "loaders": ("--env-file-if-exists --experimental-loader --import --loader --require -r"),
    },
    "npm": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {
            "install": (
                "add ci cit clean-install create ddp dedupe i ic in init innit ins "
                "inst insta instal install install-ci-test install-clean install-test "
                "isnt isnta isntal isntall isntall-clean it link ln prune r rb "
                "rebuild remove rm udpate un uninstall unlink up update upgrade"
            ),
            "publish": (
                "access deprecate dist-tag org owner publish star team token unpublish unstar"
            ),
            "registry": (
                "add-user adduser audit bugs docs doctor find fund info login logout "
                "outdated ping repo s se search show v view whoami"
            ),
            "read": (
                "--version -v bin config explain get help la list ll ls prefix query "
                "root version why"
            ),
        },
    },
    "npm-check-updates": {"family": "packages", "handler": "upgrader"},
    "nproc": {"classes": ("read-only",)},
    "nslookup": {"classes": ("network",)},
    "ntl": {"family": "deploy", "handler": "deploy", "verbs": {"deploy": "deploy"}},
    "nvim": {
        "family": "code",
        "handler": "editor",
        "code_flags": "--cmd -S -T -U -W -c -i -s -u -w",
    },
    "nvm": {"classes": ("read-only",)},
    "oc": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {
            "deploy": (
                "annotate apply create delete edit expose label new-app patch replace "
                "rollout run scale set start-build"
            )
        },
    },
    "od": {
        "classes": ("read-only",),
        "reader": {"values": "-A -N -S -j -t -w"},
        "prints_reads": True,
    },
    "opencode": {"agent_cli": True},
    "openssl": {"family": "network", "handler": "openssl"},
    "osascript": {"family": "code", "handler": "interpreter", "code_flags": "-e"},
    "pacman": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
    },
    "parallel": {"family": "code", "handler": "opaque", "note": "runs the commands it is given"},
    "paste": {"classes": ("read-only",), "reader": {"values": "--delimiters -d"}},
    "patch": {
        "family": "files",
        "handler": "patch",
        "values": ("-p -i -o -d -r -B -D -F -V -z --input --output --directory --strip"),
    },
    "perl": {"family": "code", "handler": "perl", "values": "-e -E -M -m -I -x -0 -l"},
    "php": {"family": "code", "handler": "interpreter", "code_flags": "-r"},
    "pico": {"family": "code", "handler": "editor"},
    "ping": {"classes": ("network",)},
    "pip": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {
            "install": "install uninstall",
            "registry": "download index search wheel",
            "read": "--version -V check debug freeze help inspect list show",
        },
    },
    "pip3": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
    },
    "pipx": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {
            "install": (
                "inject install reinstall reinstall-all run uninject uninstall upgrade upgrade-all"
            )
        },
    },
    "pkexec": {"privilege": True},
    "pnpm": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {
            "install": (
                "add create dedupe env fetch i import init install install-test it "
                "link ln prune rb rebuild remove rm setup un uninstall unlink up "
                "update upgrade"
            ),
            "publish": "publish",
            "registry": "audit info login logout outdated search view whoami",
        },
    },
    "podman": {"family": "deploy", "handler": "docker", "verbs": {"deploy": "push"}},
    "poetry": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"install": "add init install lock new remove self update", "publish": "publish"},
    },
    "popd": {"classes": ("read-only",), "names_only": True},
    "powershell": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "-Command -EncodedCommand -c -command",
    },
    "prename": {"family": "files", "handler": "rename", "values": "-e"},
    "prettier": {"family": "code", "handler": "formatter", "write_flags": "--write -w"},
    "printenv": {"classes": ("env-dump", "secret-read")},
    "printf": {"classes": ("read-only",), "names_only": True},
    "ps": {"classes": ("read-only",)},
    "pulumi": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": "cancel config destroy import refresh stack up update"},
    },
    "pushd": {"classes": ("read-only",), "names_only": True},
    "pwd": {"classes": ("read-only",)},
    "pwsh": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "-Command -EncodedCommand -c -command",
    },
    "python": {
        "family": "code",
        "handler": "python",
        "opaque_modules": ("IPython cProfile code idlelib pdb profile pyclbr runpy timeit trace"),
    },
    "qwen": {"agent_cli": True},
    "railway": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": "delete deploy down redeploy up"},
    },
    "rclone": {"classes": ("network",)},
    "readlink": {"classes": ("read-only",), "names_only": True},
    "readonly": {"family": "environment", "handler": "export", "names_only": True},
    "realpath": {"classes": ("read-only",), "names_only": True},
    "red": {
        "family": "code",
        "handler": "editor",
        "code_flags": "--cmd -S -T -U -W -c -i -s -u -w",
    },
    "rename": {"family": "files", "handler": "rename", "values": "-e"},
    "return": {"classes": ("read-only",), "names_only": True},
    "rev": {"classes": ("read-only",), "reader": {}},
    "rg": {
        "classes": ("read-only",),
        "reader": {
            "values": (
                "--after-context --before-context --color --colors --context "
                "--encoding --engine --glob --iglob --max-columns --max-count "
                "--max-depth --replace --sort --sortr --type --type-add --type-not -A "
                "-B -C -E -M -T -d -g -j -m -r -t"
            ),
            "first_is_pattern": True,
        },
        "search": "ripgrep",
    },
    "rimraf": {"family": "files", "handler": "rm", "values": "-n --iterations -s --size"},
    "rm": {
        "family": "files",
        "handler": "rm",
        "values": "-n --iterations -s --size",
        "names_only": True,
    },
    "rmdir": {
        "family": "files",
        "handler": "rm",
        "values": "-n --iterations -s --size",
        "names_only": True,
    },
    "rsync": {
        "family": "network",
        "handler": "remote_copy",
        "values": (
            "--address --backup-dir --block-size --bwlimit --cc --checksum-choice "
            "--checksum-seed --chmod --chown --compare-dest --compress-choice "
            "--compress-level --contimeout --copy-dest --debug --exclude "
            "--exclude-from --files-from --filter --groupmap --iconv --include "
            "--include-from --info --link-dest --log-file --log-file-format "
            "--max-delete --max-size --min-size --mkpath-mode --modify-window "
            "--only-write-batch --out-format --outbuf --partial-dir --password-file "
            "--port --protocol --read-batch --remote-option --rsh --rsync-path "
            "--skip-compress --sockopts --stop-after --stop-at --suffix --temp-dir "
            "--timeout --usermap --write-batch --zc --zl -@ -B -M -T -e -f"
        ),
        "prints_reads": True,
    },
    "ruby": {"family": "code", "handler": "interpreter", "code_flags": "-e"},
    "ruff": {"family": "code", "handler": "formatter"},
    "run0": {"privilege": True},
    "runuser": {"privilege": True},
    "rustfmt": {
        "family": "code",
        "handler": "formatter",
        "writes_by_default": True,
        "check_flags": "--check",
    },
    "rustup": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"install": "component default install target toolchain update"},
    },
    "s3cmd": {"classes": ("network",)},
    "sam": {"family": "deploy", "handler": "deploy", "verbs": {"deploy": "delete deploy sync"}},
    "scp": {
        "family": "network",
        "handler": "remote_copy",
        "values": (
            "-e --rsh -i -P -p -F -o -c -l -S -J --port --exclude --include --filter "
            "-f --timeout --password-file --files-from --exclude-from --include-from "
            "--log-file --backup-dir --temp-dir --partial-dir --chmod --chown -T "
            "--bwlimit --max-size --min-size"
        ),
        "prints_reads": True,
    },
    "script": {
        "family": "files",
        "handler": "script_log",
        "values": (
            "-c --command -E --echo -I -O -B -T --log-in --log-out --log-io "
            "--log-timing -t --timing -m --logging-format"
        ),
    },
    "sed": {
        "family": "text",
        "handler": "sed",
        "values": "-e -f -l --expression --file --line-length",
    },
    "seq": {"classes": ("read-only",)},
    "serverless": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": "deploy remove rollback"},
    },
    "set": {"family": "environment", "handler": "export", "names_only": True},
    "setfacl": {"family": "files", "handler": "chmod"},
    "sftp": {
        "family": "network",
        "handler": "remote_copy",
        "values": (
            "-e --rsh -i -P -p -F -o -c -l -S -J --port --exclude --include --filter "
            "-f --timeout --password-file --files-from --exclude-from --include-from "
            "--log-file --backup-dir --temp-dir --partial-dir --chmod --chown -T "
            "--bwlimit --max-size --min-size"
        ),
    },
    "sha1sum": {"classes": ("read-only",), "reader": {}},
    "sha256sum": {"classes": ("read-only",), "reader": {}},
    "sha512sum": {"classes": ("read-only",), "reader": {}},
    "shift": {"classes": ("read-only",)},
    "shred": {
        "family": "files",
        "handler": "rm",
        "values": "-n --iterations -s --size",
        "names_only": True,
    },
    "shuf": {"family": "text", "handler": "output_option", "output_options": "-o --output"},
    "sleep": {"classes": ("read-only",), "names_only": True},
    "sls": {"family": "deploy", "handler": "deploy", "verbs": {"deploy": "deploy remove rollback"}},
    "snap": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"install": "install refresh remove"},
    },
    "socat": {"classes": ("network",)},
    "sort": {
        "family": "text",
        "handler": "sort_split",
        "reader": {"values": "--field-separator --key --output --parallel -S -T -k -o -t"},
    },
    "source": {"reader": {}, "prints_reads": True},
    "split": {
        "family": "text",
        "handler": "sort_split",
        "values": (
            "-a -b -C -l -n -t --additional-suffix --numeric-suffixes --hex-suffixes "
            "--suffix-length --bytes --line-bytes --lines --number --separator "
            "--filter"
        ),
    },
    "sqlite3": {"family": "code", "handler": "sqlite"},
    "ssh": {
        "family": "network",
        "handler": "ssh",
        "values": "-i -F -p -l -o -L -R -D -J -W -b -c -E -e -m -O -Q -S -w -B -I",
    },
    "ssh-keygen": {
        "family": "network",
        "handler": "ssh_keygen",
        "values": (
            "-f -t -b -C -N -P -F -R -E -O -Z -a -m -n -I -V -z -s -h -w -Y -D -r -g "
            "-M -S -W -G -T -K -j -J"
        ),
    },
    "stat": {"classes": ("read-only",), "names_only": True},
    "strings": {
        "classes": ("read-only",),
        "reader": {"values": "--bytes --encoding --radix -e -n -t"},
        "prints_reads": True,
    },
    "su": {"privilege": True},
    "sudo": {"names_only": True, "privilege": True},
    "sudoedit": {"privilege": True},
    "surge": {"family": "deploy", "handler": "deploy", "deploys_always": True},
    "tac": {
        "classes": ("read-only",),
        "reader": {"values": "--separator -s"},
        "prints_reads": True,
    },
    "tail": {
        "classes": ("read-only",),
        "reader": {"values": "--bytes --lines --pid --sleep-interval -c -n -s"},
        "prints_reads": True,
    },
    "tar": {"family": "archives", "handler": "tar"},
    "taze": {"family": "packages", "handler": "upgrader"},
    "tcc": {"family": "code", "handler": "compiler"},
    "tclsh": {"family": "code", "handler": "interpreter", "code_flags": ""},
    "tee": {"family": "files", "handler": "tee", "names_only": True},
    "telnet": {"classes": ("network",)},
    "terraform": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": ("apply destroy force-unlock import state taint untaint workspace")},
    },
    "terragrunt": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": "apply destroy import run-all state taint"},
    },
    "test": {"classes": ("read-only",), "names_only": True},
    "tftp": {"classes": ("network",)},
    "tofu": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": ("apply destroy force-unlock import state taint untaint workspace")},
    },
    "tokei": {"classes": ("read-only",)},
    "touch": {
        "family": "files",
        "handler": "writes_all",
        "values": "--date --reference -d -r -t",
        "names_only": True,
    },
    "tput": {"classes": ("read-only",)},
    "tr": {"classes": ("read-only",)},
    "traceroute": {"classes": ("network",)},
    "tree": {"classes": ("read-only",), "output_options": True, "names_only": True},
    "true": {"classes": ("read-only",), "names_only": True},
    "truncate": {
        "family": "files",
        "handler": "writes_all",
        "values": "--reference --size -r -s",
        "names_only": True,
    },
    "ts-node": {"family": "code", "handler": "interpreter", "code_flags": "--eval --print -e -p"},
    "tsx": {"family": "code", "handler": "interpreter", "code_flags": "--eval --print -e -p"},
    "twine": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"publish": "register upload"},
    },
    "type": {"classes": ("read-only",), "names_only": True},
    "typeset": {"family": "environment", "handler": "export", "names_only": True},
    "ugrep": {"search": "ripgrep"},
    "ulimit": {"classes": ("read-only",)},
    "umask": {"classes": ("read-only",)},
    "uname": {"classes": ("read-only",)},
    "unexpand": {"classes": ("read-only",), "reader": {"values": "-t"}},
    "uniq": {
        "classes": ("read-only",),
        "reader": {"values": "--check-chars --skip-chars --skip-fields -f -s -w"},
    },
    "unlink": {
        "family": "files",
        "handler": "rm",
        "values": "-n --iterations -s --size",
        "names_only": True,
    },
    "unset": {"family": "environment", "handler": "export", "names_only": True},
    "unxz": {"family": "archives", "handler": "archive_tool", "values": "-d -x -i -P -S --suffix"},
    "unzip": {"family": "archives", "handler": "archive_tool", "values": "-d -x -i -P -S --suffix"},
    "uptime": {"classes": ("read-only",)},
    "uv": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {
            "install": "add init lock pip python remove sync tool venv",
            "publish": "publish",
        },
    },
    "vc": {"family": "deploy", "handler": "deploy"},
    "vercel": {"family": "deploy", "handler": "deploy"},
    "vi": {"family": "code", "handler": "editor", "code_flags": "--cmd -S -T -U -W -c -i -s -u -w"},
    "view": {
        "family": "code",
        "handler": "editor",
        "code_flags": "--cmd -S -T -U -W -c -i -s -u -w",
    },
    "vim": {
        "family": "code",
        "handler": "editor",
        "code_flags": "--cmd -S -T -U -W -c -i -s -u -w",
    },
    "vimdiff": {
        "family": "code",
        "handler": "editor",
        "code_flags": "--cmd -S -T -U -W -c -i -s -u -w",
    },
    "w3m": {"classes": ("network",)},
    "wait": {"classes": ("read-only",), "names_only": True},
    "wc": {"classes": ("read-only",), "reader": {}},
    "wget": {
        "family": "network",
        "handler": "wget",
        "values": (
            "-O --output-document -o --output-file -P --directory-prefix -i "
            "--input-file --post-file --body-file -a --append-output -U --user-agent "
            "--header -t -T"
        ),
    },
    "which": {"classes": ("read-only",), "names_only": True},
    "whoami": {"classes": ("read-only",)},
    "whois": {"classes": ("network",)},
    "wrangler": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {
            "deploy": (
                "d1 delete deploy kv kv:bulk kv:key kv:namespace publish queues r2 "
                "rollback secret triggers versions"
            )
        },
    },
    "xh": {"classes": ("network",)},
    "xxd": {
        "classes": ("read-only",),
        "reader": {"values": "-C -c -cols -g -l -len -n -o -s -seek"},
        "prints_reads": True,
    },
    "xz": {"family": "archives", "handler": "archive_tool", "values": "-d -x -i -P -S --suffix"},
    "yarn": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {
            "install": (
                "add create dedupe global import init install link remove unlink up "
                "upgrade upgrade-interactive"
            ),
            "publish": "publish",
            "registry": "audit info login logout npm outdated search",
        },
    },
    "yes": {"classes": ("read-only",)},
    "yq": {
        "family": "text",
        "handler": "yq",
        "values": (
            "-I --indent -p --input-format -o --output-format --from-file --split-exp "
            "-s --expression --front-matter -f"
        ),
    },
    "yum": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {
            "install": ("autoremove downgrade erase install reinstall remove update upgrade")
        },
    },
    "zgrep": {"search": "grep"},
    "zip": {"family": "archives", "handler": "archive_tool", "values": "-d -x -i -P -S --suffix"},
    "zstd": {"family": "archives", "handler": "archive_tool", "values": "-d -x -i -P -S --suffix"},
    "zypper": {
        "family": "packages",
        "handler": "package",
        "values": (
            "--access --cache --cache-folder --config --cwd --dir --directory "
            "--extra-index-url --filter --global-folder --globalconfig --index-url "
            "--loglevel --manifest-path --modules-folder --otp --prefix --project "
            "--python --registry --root --scope --tag --target --use-yarnrc "
            "--userconfig --workspace -C -F -i -t -w"
        ),
        "verbs": {"install": "dist-upgrade dup in install remove rm up update"},
    },
}

# Programs that run another program, by the shape of their arguments (``shapes.py``
# reads them; wrappers with logic of their own are code in ``wrappers.py``, ``shells.py``,
# ``project.py``). Keys of an entry:
# - ``shape``: ``simple`` lets unknown options through as flags; ``strict`` makes a
#   command with an option outside its lists opaque rather than guess at it.
# - ``flags`` take no value; ``values`` take one (attached or the next word); ``attached``
#   take an optional value only when attached (``-n10``, ``--nofile=10``).
# - ``positionals``: operands between the options and the command (``timeout 5 CMD``);
#   ``lead``: operands before the options (``setarch ARCH [options] CMD``), which the
#   ``aliases`` name already (``linux32 CMD`` is ``setarch linux32 CMD``).
# - ``nocmd``: options that mean no command runs (the wrapper is judged as itself);
#   ``refuse``: options that run a shell or on another system (opaque).
# - ``cwd_opts`` move the command to a folder the guard cannot establish; with
#   ``keep_cwd``, the command keeps the current folder only when one of those is given.
# - ``long_any`` accepts any ``--name[=value]``; ``bare_opaque``: without a command the
#   wrapper starts a shell (opaque).
# - ``examples``: a command line -> the command it runs (its words), or ``"opaque"``;
#   ``tests/test_wrappers.py`` checks every one.
WRAPPERS: dict[str, dict[str, object]] = {
    "nohup": {"shape": "simple", "examples": {"nohup rm -rf build": "rm -rf build"}},
    "setsid": {"shape": "simple", "examples": {"setsid -f ls": "ls"}},
    "unbuffer": {"shape": "simple", "examples": {"unbuffer ls -l": "ls -l"}},
    "chronic": {"shape": "simple", "examples": {"chronic git status": "git status"}},
    "builtin": {"shape": "simple", "examples": {"builtin echo hi": "echo hi"}},
    "command": {
        "shape": "simple",
        "examples": {"command rm -f x": "rm -f x", "command -v git": "command -v git"},
    },
    "exec": {"shape": "simple", "values": "-a", "examples": {"exec -a name sleep 1": "sleep 1"}},
    "nice": {
        "shape": "simple",
        "values": "-n --adjustment",
        "examples": {"nice -n 10 ls": "ls", "nice ls -l": "ls -l"},
    },
    "time": {
        "shape": "simple",
        "values": "-f --format -o --output",
        "examples": {"time -o t.txt ls": "ls"},
    },
    "timeout": {
        "shape": "simple",
        "values": "-k --kill-after -s --signal",
        "positionals": 1,
        "examples": {
            "timeout 5 rm -rf x": "rm -rf x",
            "timeout -s KILL 5 curl x": "curl x",
            "timeout 5": "timeout 5",
        },
    },
    "stdbuf": {
        "shape": "simple",
        "values": "-i -o -e",
        "examples": {"stdbuf -o L grep x f": "grep x f"},
    },
    "ionice": {
        "shape": "simple",
        "values": "-c -n -t --class --classdata",
        "examples": {"ionice -c 3 ls": "ls"},
    },
    "caffeinate": {"shape": "simple", "values": "-t -w", "examples": {"caffeinate -t 60 ls": "ls"}},
    "strace": {
        "shape": "simple",
        "values": "-o -e -s -u -p",
        "examples": {"strace -o trace.txt ls": "ls", "strace -f ls": "ls"},
    },
    "ltrace": {
        "shape": "simple",
        "values": "-o -e -s -u -p",
        "examples": {"ltrace -e malloc ls": "ls"},
    },
    "chroot": {
        "shape": "simple",
        "values": "--userspec --groups",
        "positionals": 1,
        "examples": {"chroot /srv/root ls": "ls"},
    },
    # ``runuser USER -c STRING`` is code (``shapes._runuser``); ``runuser -u USER CMD`` this shape.
    "runuser": {
        "shape": "strict",
        "flags": "-l --login -m -p --preserve-environment -P --pty -f",
        "values": "-u --user -g --group -G --supp-group -s --shell -w --whitelist-environment",
        "nocmd": "-h --help -V --version",
        "examples": {
            "runuser -u bob -- rm x": "rm x",
            "runuser bob -c 'rm x'": "rm x",
            "runuser bob": "opaque",
        },
    },
    "run0": {
        "shape": "strict",
        "flags": "--no-ask-password --slice-inherit --pty --pipe --empower",
        "values": (
            "-u --user -g --group --nice -D --chdir --setenv --unit --property --description "
            "--slice --background --shell-prompt-prefix --lightweight --area"
        ),
        "nocmd": "-h --help --version",
        "refuse": "-i --via-shell --machine",
        "cwd_opts": "-D --chdir",
        "bare_opaque": True,
        "examples": {
            "run0 rm -rf /srv": "rm -rf /srv",
            "run0 -u bob ls": "ls",
            "run0 -D /tmp ls": "ls",
            "run0": "opaque",
            "run0 --machine=h ls": "opaque",
            "run0 --bogus ls": "opaque",
            "run0 --help": "run0 --help",
        },
    },
    "setarch": {
        "shape": "strict",
        "flags": (
            "-v --verbose -3 --3gb -B --32bit -F --fdpic-funcptrs -Z --mmap-page-zero -L "
            "--addr-compat-layout -R --addr-no-randomize -S --whole-seconds -T "
            "--sticky-timeouts -X --read-implies-exec -I --short-inode --uname-2.6"
        ),
        "lead": 1,
        "nocmd": "-h --help -V --version --list",
        "bare_opaque": True,
        "aliases": "linux32 linux64 i386 x86_64 uname26",
        "examples": {
            "setarch x86_64 -R ls": "ls",
            "setarch --list": "setarch --list",
            "setarch x86_64": "opaque",
            "linux32 ls": "ls",
            "linux64": "opaque",
        },
    },
    "taskset": {
        "shape": "strict",
        "flags": "-a --all-tasks -c --cpu-list",
        "positionals": 1,
        "nocmd": "-p --pid -h --help -V --version",
        "examples": {
            "taskset 0x1 ls": "ls",
            "taskset -c 0-3 ls": "ls",
            "taskset -p 123": "taskset -p 123",
        },
    },
    "chrt": {
        "shape": "strict",
        "flags": (
            "-a --all-tasks -b --batch -d --deadline -f --fifo -i --idle -o --other -r --rr -R "
            "--reset-on-fork -v --verbose"
        ),
        "values": "-T --sched-runtime -P --sched-period -D --sched-deadline",
        "positionals": 1,
        "nocmd": "-p --pid -m --max -h --help -V --version",
        "examples": {
            "chrt -f 10 ls": "ls",
            "chrt -T 5 -d 0 ls": "ls",
            "chrt -p 123": "chrt -p 123",
        },
    },
    "prlimit": {
        "shape": "strict",
        "flags": "--noheadings --raw --verbose",
        "values": "-o --output",
        "attached": (
            "-c --core -d --data -e --nice -f --fsize -i --sigpending -l --memlock -m --rss -n "
            "--nofile -q --msgqueue -r --rtprio -s --stack -t --cpu -u --nproc -v --as -x "
            "--locks -y --rttime"
        ),
        "nocmd": "-p --pid -h --help -V --version",
        "examples": {
            "prlimit --nofile=1024 ls": "ls",
            "prlimit -n1024 ls": "ls",
            "prlimit --pid 1": "prlimit --pid 1",
        },
    },
    "unshare": {
        "shape": "strict",
        "flags": "-f --fork -r --map-root-user -c --map-current-user --map-auto --keep-caps",
        "values": (
            "--propagation --setgroups -S --setuid -G --setgid --map-user --map-group "
            "--map-users --map-groups --monotonic --boottime -l --load-interp -R --root -w --wd"
        ),
        "attached": (
            "-m --mount -u --uts -i --ipc -n --net -p --pid -U --user -C --cgroup -T --time "
            "--kill-child --mount-proc"
        ),
        "nocmd": "-h --help -V --version",
        "cwd_opts": "-R --root -w --wd",
        "bare_opaque": True,
        "examples": {
            "unshare -r ls": "ls",
            "unshare -n ls": "ls",
            "unshare": "opaque",
            "unshare --bogus make": "opaque",
        },
    },
    "numactl": {
        "shape": "strict",
        "flags": "-a --all -l --localalloc -b --balancing",
        "values": (
            "-i --interleave -w --weighted-interleave -m --membind -N --cpunodebind -C "
            "--physcpubind -p --preferred -P --preferred-many"
        ),
        "nocmd": "-H --hardware -s --show -S --shm -f --file -h --help -V --version",
        "examples": {"numactl -N 0 ls": "ls", "numactl --hardware": "numactl --hardware"},
    },
    "nsenter": {
        "shape": "strict",
        "flags": (
            "-a --all -F --no-fork --preserve-credentials -Z --follow-context -e --env -c "
            "--join-cgroup"
        ),
        "values": "-t --target -S --setuid -G --setgid",
        "attached": (
            "-m --mount -u --uts -i --ipc -n --net -p --pid -U --user -C --cgroup -T --time -r "
            "--root -w --wd"
        ),
        "nocmd": "-h --help -V --version",
        "cwd_opts": "-r --root -w --wd",
        "bare_opaque": True,
        "examples": {"nsenter -t 1 -m ls": "ls", "nsenter": "opaque"},
    },
    "systemd-run": {
        "shape": "strict",
        "flags": (
            "--user --system --scope -r --remain-after-exit --send-sighup -t --pty -P --pipe -q "
            "--quiet -G --collect --no-block --wait --no-ask-password -d --same-dir"
        ),
        "values": (
            "-u --unit -p --property --description --slice -E --setenv --uid --gid --nice "
            "--on-active --on-boot --on-startup --on-unit-active --on-unit-inactive "
            "--on-calendar --on-clock-change --on-timezone-change --path-property "
            "--socket-property --timer-property --working-directory --service-type --job-mode"
        ),
        "nocmd": "-h --help --version",
        "refuse": "-S --shell -H --host -M --machine",
        "cwd_opts": "--working-directory",
        "keep_cwd": "--scope -d --same-dir",
        "examples": {
            "systemd-run --scope ls": "ls",
            "systemd-run --shell": "opaque",
            "systemd-run -M box ls": "opaque",
        },
    },
    "fakeroot": {
        "shape": "strict",
        "flags": "-u --unknown-is-real",
        "values": "-l --lib --faked -s -i -b",
        "nocmd": "-h --help -v --version",
        "bare_opaque": True,
        "examples": {"fakeroot ls -l": "ls -l", "fakeroot": "opaque"},
    },
    "firejail": {
        "shape": "strict",
        "cwd_opts": "--chroot --private --private-cwd --overlay --overlay-named --overlay-tmpfs",
        "long_any": True,
        "bare_opaque": True,
        "examples": {"firejail --net=none curl x": "curl x", "firejail": "opaque"},
    },
    "proot": {
        "shape": "strict",
        "flags": "-0 --root-id --link2symlink -L --kill-on-exit",
        "values": (
            "-r --rootfs -b --bind -m --mount -q --qemu -w --pwd --cwd -k --kernel-release -p "
            "--port -R -S -i -v --verbose"
        ),
        "nocmd": "-h --help -V --version",
        "cwd_opts": "-r --rootfs -R -S -w --pwd --cwd",
        "bare_opaque": True,
        "examples": {"proot -r /srv ls": "ls", "proot": "opaque"},
    },
    "valgrind": {
        "shape": "strict",
        "flags": "-q -v -d",
        "nocmd": "-h --help --version",
        "long_any": True,
        "examples": {"valgrind -q --leak-check=full ls": "ls", "valgrind -x ls": "opaque"},
    },
    "pkexec": {
        "shape": "strict",
        "flags": "--disable-internal-agent --keep-cwd",
        "values": "--user",
        "nocmd": "--help --version",
        "keep_cwd": "--keep-cwd",
        "bare_opaque": True,
        "examples": {"pkexec rm -rf /srv": "rm -rf /srv", "pkexec": "opaque"},
    },
    "setpriv": {
        "shape": "strict",
        "flags": (
            "-d --dump --nnp --no-new-privs --clear-groups --init-groups --keep-groups --reset-env"
        ),
        "values": (
            "--inh-caps --ambient-caps --bounding-set --reuid --regid --ruid --rgid --euid "
            "--egid --groups --securebits --pdeathsig --selinux-label --apparmor-profile "
            "--landlock-access --landlock-rule"
        ),
        "nocmd": "-h --help -V --version",
        "examples": {"setpriv --reuid 1000 ls": "ls", "setpriv -x ls": "opaque"},
    },
    "eatmydata": {
        "shape": "strict",
        "examples": {
            "eatmydata apt-get install x": "apt-get install x",
            "eatmydata -x ls": "opaque",
        },
    },
    "catchsegv": {"shape": "strict", "examples": {"catchsegv ls": "ls"}},
    "nocache": {"shape": "strict", "examples": {"nocache cp a b": "cp a b"}},
    "torsocks": {
        "shape": "strict",
        "flags": "-i --isolate -q --quiet -d --debug",
        "values": "-u --user -p --pass -a --address -P --port",
        "nocmd": "-h --help --version",
        "examples": {"torsocks curl x": "curl x", "torsocks -P 9050 curl x": "curl x"},
    },
    "proxychains": {
        "shape": "strict",
        "flags": "-q",
        "values": "-f",
        "examples": {"proxychains -q curl x": "curl x"},
    },
    "proxychains4": {
        "shape": "strict",
        "flags": "-q",
        "values": "-f",
        "examples": {"proxychains4 -f p.conf curl x": "curl x"},
    },
    "faketime": {
        "shape": "strict",
        "flags": "-m --exclude-monotonic",
        "values": "-f",
        "positionals": 1,
        "examples": {"faketime 2020-01-01 date": "date"},
    },
    "dbus-run-session": {
        "shape": "strict",
        "values": "--config-file --dbus-daemon",
        "nocmd": "--help --version",
        "examples": {"dbus-run-session -- ls": "ls"},
    },
    "xvfb-run": {
        "shape": "strict",
        "flags": "-a --auto-servernum -l --listen-tcp",
        "values": (
            "-n --server-num -s --server-args -f --auth-file -e --error-file -p "
            "--xauth-protocol -w --wait"
        ),
        "nocmd": "-h --help",
        "examples": {"xvfb-run -a ls": "ls", "xvfb-run --bogus make": "opaque"},
    },
}

# Variables whose value is code or decides which code runs, and the guard's own.
ENVIRONMENT: dict[str, object] = {
    "code_vars": (
        "BASHOPTS BASH_ENV BROWSER CDPATH EDITOR ENV GIT_ASKPASS GIT_CONFIG "
        "GIT_CONFIG_COUNT GIT_CONFIG_GLOBAL GIT_CONFIG_PARAMETERS GIT_CONFIG_SYSTEM "
        "GIT_EDITOR GIT_EXEC_PATH GIT_EXTERNAL_DIFF GIT_PAGER GIT_PROXY_COMMAND "
        "GIT_SEQUENCE_EDITOR GIT_SSH GIT_SSH_COMMAND GIT_TEMPLATE_DIR IFS "
        "JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS LESSCLOSE LESSOPEN MANPAGER NODE_OPTIONS "
        "NODE_PATH PAGER PATH PERL5LIB PERL5OPT PERLLIB PROMPT_COMMAND PS4 PYTHONHOME "
        "PYTHONINSPECT PYTHONPATH PYTHONSTARTUP RUBYLIB RUBYOPT SHELLOPTS SSH_ASKPASS "
        "VISUAL _JAVA_OPTIONS"
    ),
    "code_var_prefixes": ("LD_", "DYLD_", "GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_", "NPM_CONFIG_"),
    "node_options_safe": (
        "--dns-result-order --enable-source-maps --experimental-specifier-resolution "
        "--experimental-vm-modules --expose-gc --heapsnapshot-near-heap-limit "
        "--max-http-header-size --max-old-space-size --max-semi-space-size "
        "--no-deprecation --no-experimental-fetch --no-warnings "
        "--openssl-legacy-provider --stack-size --stack-trace-limit "
        "--trace-deprecation --trace-uncaught --trace-warnings --unhandled-rejections"
    ),
    "tamper_vars": ("AGENTGUARD", "CLAUDE_CONFIG_DIR", "CODEX_HOME"),
    "declarers": "declare export local readonly typeset",
}

# What changes another agent CLI's configuration (and so its hooks).
AGENTS: dict[str, object] = {
    "config_vars": (
        "AIDER_CONFIG CLAUDE_CODE_USE_BEDROCK CLAUDE_CONFIG_DIR CODEX_HOME "
        "GEMINI_CONFIG_DIR HOME XDG_CONFIG_HOME"
    ),
    "tamper_flags": (
        "--allow-dangerously-skip-permissions --allowed-tools --allowedTools "
        "--config-dir --dangerously-bypass-approvals-and-sandbox "
        "--dangerously-skip-permissions --disallowed-tools --disallowedTools "
        "--full-auto --permission-prompt-tool --plugin-dir --setting-sources "
        "--settings --yolo"
    ),
}

GIT: dict[str, object] = {
    "read_only": (
        "--help --version annotate blame cat-file check-attr check-ignore "
        "check-mailmap check-ref-format cherry count-objects describe diff diff-files "
        "diff-index diff-tree for-each-ref fsck get-tar-commit-id grep help log "
        "ls-files ls-remote ls-tree merge-base name-rev range-diff rev-list rev-parse "
        "shortlog show show-branch show-ref status var verify-commit verify-tag "
        "version whatchanged"
    ),
    "network": ("clone daemon fetch instaweb lfs ls-remote pull push request-pull send-email svn"),
    "known": (
        "add am apply archive backfill bisect branch bundle checkout cherry-pick "
        "citool clean commit commit-tree config credential difftool filter-branch "
        "filter-repo format-patch gc gitk gui hash-object hook init maintenance merge "
        "mergetool mktag mktree mv notes pack-refs prune range-diff read-tree rebase "
        "reflog remote repack replace rerere reset restore revert rm sparse-checkout "
        "stash submodule switch symbolic-ref tag update-index update-ref worktree "
        "write-tree"
    ),
    "force_push": ("--delete --force --force-if-includes --force-with-lease --mirror --prune"),
    "code_keys": (
        "core.hookspath",
        "core.pager",
        "core.fsmonitor",
        "core.editor",
        "core.sshcommand",
        "core.gitproxy",
        "core.askpass",
        "core.alternaterefscommand",
        "alias.",
        "include.",
        "includeif.",
        "diff.external",
        "filter.",
        "credential.",
        "sequence.editor",
        "gpg.",
        "pager.",
        "protocol.",
        "uploadpack.",
        "receivepack.",
        "remote.",
        "url.",
        "merge.",
        "difftool.",
        "mergetool.",
        "interactive.difffilter",
        "core.worktree",
        "status.",
        "ssh.",
        "http.proxy",
        "sendemail.",
        "tag.gpgsign",
        "commit.gpgsign",
        "gc.",
        "core.attributesfile",
        "submodule.",
        "web.browser",
        "browser.",
        "man.",
        "instaweb.",
        "init.templatedir",
    ),
    "code_key_suffixes": (".textconv", ".command", ".cmd", ".driver", ".program", ".helper"),
    "commit_value_letters": "mFCctS",
}
