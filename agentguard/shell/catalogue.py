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
  flags that load code first, and whether a program from standard input is opaque;
  ``code_reader``: the reader of visible code (``javascript``: ``programs/jscode.py``).
- ``write_flags``, ``writes_by_default``, ``check_flags``: when a formatter rewrites files.
- ``note``, ``opaque_modules``: why a program is opaque; python's code-running modules.
- ``names_only``: takes file names only as names (never prints a file's content), so an
  operand naming an existing file is not a read.
- ``agent_cli``: another agent's command line; ``privilege``: runs a command as another
  user; ``prints_reads``: prints what it reads (an unknown read target may be a secret);
  ``search``: a recursive searcher, ``grep`` (reads dot-files) or ``ripgrep`` (skips them).
- ``credential_options``: a network program's options whose file it authenticates with
  (``ssh -i KEY``): used, not sent, when the line's send rule looks at what it reads.
- data clients (``family: data``): ``read_options``/``write_options`` name the files a
  client reads or writes, ``host_options``/``host_operands``/``host_variables`` where its
  target is named (a production host or variable there adds ``production-data``),
  ``reads_operands`` (``pg_restore DUMP``), ``local_verbs`` (``clickhouse local``: opaque).
"""

PROGRAMS: dict[str, dict[str, object]] = {
    ".": {
        "reader": {},
        "prints_reads": True,
        "examples": {". ./env.sh": {"classes": ("opaque",), "reads": ("env.sh",)}},
    },
    "7z": {
        "family": "archives",
        "handler": "sevenzip",
        "examples": {
            "7z x pkg.7z": {"classes": ("file-write",), "writes": (".",), "reads": ("pkg.7z",)},
            "7z a out.7z a.txt": {
                "classes": ("file-write",),
                "writes": ("out.7z",),
                "reads": ("a.txt",),
            },
            "7z l pkg.7z": {"classes": ("read-only",), "reads": ("pkg.7z",)},
        },
    },
    "7za": {
        "family": "archives",
        "handler": "sevenzip",
        "examples": {
            "7za x pkg.7z": {"classes": ("file-write",), "writes": (".",), "reads": ("pkg.7z",)}
        },
    },
    "7zr": {
        "family": "archives",
        "handler": "sevenzip",
        "examples": {
            "7zr a out.7z a.txt": {
                "classes": ("file-write",),
                "writes": ("out.7z",),
                "reads": ("a.txt",),
            }
        },
    },
    ":": {"classes": ("read-only",), "examples": {":": {"classes": ("read-only",)}}},
    "Rscript": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "-e",
        "examples": {
            "Rscript model.R": {"classes": ()},
            "Rscript -e 'q()'": {"classes": ("opaque",)},
        },
    },
    "[": {
        "classes": ("read-only",),
        "names_only": True,
        "lenient_exit": True,
        "examples": {"[": {"classes": ()}},
    },
    "[[": {"names_only": True, "examples": {"[[ -f a.txt ]]": {"classes": ()}}},
    "ack": {
        "classes": ("read-only",),
        "reader": {"values": "--type -A -B -C -m", "first_is_pattern": True},
        "search": "ripgrep",
        "examples": {"ack TODO a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "ag": {
        "classes": ("read-only",),
        "reader": {"values": "--depth --ignore -A -B -C -G -m", "first_is_pattern": True},
        "search": "ripgrep",
        "examples": {"ag TODO a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "agentguard": {
        "verbs": {
            "read": (
                "--help --version -h compile demo doctor explain help lint logs "
                "memory metrics schema test verify version"
            )
        },
        "examples": {
            "agentguard lint": {"classes": ("read-only",)},
            "agentguard install": {"classes": ("guard-tamper",)},
        },
    },
    "aider": {
        "agent_cli": True,
        "examples": {
            "aider a.py": {"classes": ("agent-cli",)},
            "aider --yolo": {"classes": ("agent-cli", "guard-tamper")},
        },
    },
    "amp": {"agent_cli": True, "examples": {"amp": {"classes": ("agent-cli",)}}},
    "ansible-playbook": {
        "family": "deploy",
        "handler": "deploy",
        "deploys_always": True,
        "examples": {"ansible-playbook site.yml": {"classes": ("deploy", "network")}},
    },
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
        "examples": {
            "apk add curl": {"classes": ("network", "package-install")},
            "apk info": {"classes": ()},
        },
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
        "examples": {
            "apt install curl": {"classes": ("network", "package-install")},
            "apt list": {"classes": ()},
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
        "examples": {"apt-get install curl": {"classes": ("network", "package-install")}},
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
        "examples": {"aptitude install curl": {"classes": ("network", "package-install")}},
    },
    "arch": {"classes": ("read-only",), "examples": {"arch": {"classes": ("read-only",)}}},
    "aria2c": {
        "classes": ("network",),
        "examples": {"aria2c example.com": {"classes": ("network",)}},
    },
    "astro": {
        "family": "packages",
        "handler": "astro",
        "examples": {
            "astro add react": {"classes": ("network", "package-install")},
            "astro build": {"classes": ()},
        },
    },
    "at": {"classes": ("opaque",), "examples": {"at now": {"classes": ("opaque",)}}},
    "awk": {
        "family": "text",
        "handler": "awk",
        "values": "-F -v -f -i --field-separator --assign --file --include",
        "examples": {
            "awk '{print $1}' data.txt": {"classes": ("read-only",), "reads": ("data.txt",)},
            "awk -i inplace '{print}' data.txt": {
                "classes": ("file-write",),
                "writes": ("data.txt",),
                "reads": ("data.txt",),
            },
            "awk 'BEGIN{system(\"id\")}'": {"classes": ("opaque",)},
        },
    },
    "aws": {
        "family": "deploy",
        "handler": "deploy",
        "examples": {
            "aws s3 ls": {"classes": ("network",)},
            "aws s3 cp a.txt s3://bucket/": {"classes": ("deploy", "network")},
        },
    },
    "axel": {"classes": ("network",), "examples": {"axel example.com": {"classes": ("network",)}}},
    "az": {
        "family": "deploy",
        "handler": "deploy",
        "examples": {
            "az group list": {"classes": ("network",)},
            "az group delete -n x": {"classes": ("deploy", "network")},
        },
    },
    "azcopy": {
        "classes": ("network",),
        "examples": {"azcopy example.com": {"classes": ("network",)}},
    },
    "b2sum": {
        "classes": ("read-only",),
        "reader": {},
        "examples": {"b2sum a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "base32": {
        "classes": ("read-only",),
        "reader": {"values": "--wrap -w"},
        "prints_reads": True,
        "examples": {"base32 a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "base64": {
        "classes": ("read-only",),
        "reader": {"values": "--wrap -w"},
        "prints_reads": True,
        "examples": {"base64 a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "basename": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"basename": {"classes": ("read-only",)}},
    },
    "bat": {
        "classes": ("read-only",),
        "reader": {"values": "--language --line-range --style --theme -H -l -r"},
        "prints_reads": True,
        "examples": {"bat a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "batcat": {
        "classes": ("read-only",),
        "reader": {"values": "--language --line-range --style --theme -l -r"},
        "prints_reads": True,
        "examples": {"batcat a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "batch": {"classes": ("opaque",), "examples": {"batch": {"classes": ("opaque",)}}},
    "bc": {"classes": ("read-only",), "examples": {"bc": {"classes": ("read-only",)}}},
    "biome": {
        "family": "code",
        "handler": "formatter",
        "write_flags": "--write --apply --fix",
        "examples": {
            "biome check --write src": {"classes": ("file-write",), "writes": ("src",)},
            "biome check src": {"classes": ()},
        },
    },
    "black": {
        "family": "code",
        "handler": "formatter",
        "writes_by_default": True,
        "check_flags": "--check --diff",
        "examples": {
            "black src": {"classes": ("file-write",), "writes": ("src",)},
            "black --check src": {"classes": ()},
        },
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
        "examples": {
            "brew install jq": {"classes": ("network", "package-install")},
            "brew list": {"classes": ()},
            "brew bundle check": {"classes": ()},
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
        "examples": {
            "bun install": {"classes": ("network", "package-install")},
            "bun -e 'console.log(1)'": {"classes": ("opaque",)},
            "bun publish": {"classes": ("deploy", "network")},
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
        "examples": {
            "bundle install": {"classes": ("network", "package-install")},
            "bundle exec rake": {"classes": ()},
        },
    },
    "bunzip2": {
        "family": "archives",
        "handler": "archive_tool",
        "values": "-d -x -i -P -S --suffix",
        "examples": {
            "bunzip2 data.bz2": {
                "classes": ("file-delete", "file-write"),
                "writes": ("data.bz2",),
                "deletes": ("data.bz2",),
            }
        },
    },
    "bw": {
        "classes": ("credential-read", "network"),
        "examples": {"bw get password github": {"classes": ("credential-read", "network")}},
    },
    "bzip2": {
        "family": "archives",
        "handler": "archive_tool",
        "values": "-d -x -i -P -S --suffix",
        "examples": {
            "bzip2 data.txt": {
                "classes": ("file-delete", "file-write"),
                "writes": ("data.txt",),
                "deletes": ("data.txt",),
            },
            "bzip2 -c data.txt": {"classes": (), "reads": ("data.txt",)},
        },
    },
    "c++": {
        "family": "code",
        "handler": "compiler",
        "examples": {"c++ -o app main.c": {"classes": ("file-write",), "writes": ("app",)}},
    },
    "cal": {"classes": ("read-only",), "examples": {"cal": {"classes": ("read-only",)}}},
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
        "examples": {
            "cargo add serde": {"classes": ("network", "package-install")},
            "cargo build": {"classes": ()},
            "cargo publish": {"classes": ("deploy", "network")},
        },
    },
    "cat": {
        "classes": ("read-only",),
        "reader": {},
        "prints_reads": True,
        "examples": {"cat a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "cc": {
        "family": "code",
        "handler": "compiler",
        "examples": {"cc -o app main.c": {"classes": ("file-write",), "writes": ("app",)}},
    },
    "cd": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"cd src": {"classes": ("read-only",)}},
    },
    "cdk": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": "bootstrap deploy destroy"},
        "examples": {
            "cdk deploy": {"classes": ("deploy", "network")},
            "cdk diff": {"classes": ("network",)},
        },
    },
    "chattr": {
        "family": "files",
        "handler": "chmod",
        "examples": {"chattr +i a.txt": {"classes": ("file-write",), "writes": ("a.txt",)}},
    },
    "chgrp": {
        "family": "files",
        "handler": "chmod",
        "names_only": True,
        "examples": {"chgrp staff a.txt": {"classes": ("file-write",), "writes": ("a.txt",)}},
    },
    "chmod": {
        "family": "files",
        "handler": "chmod",
        "names_only": True,
        "examples": {
            "chmod +x run.sh": {"classes": ("file-write",), "writes": ("run.sh",)},
            "chmod --reference=a.txt b.txt": {"classes": ("file-write",), "writes": ("b.txt",)},
        },
    },
    "chown": {
        "family": "files",
        "handler": "chmod",
        "names_only": True,
        "examples": {"chown user:group a.txt": {"classes": ("file-write",), "writes": ("a.txt",)}},
    },
    "cksum": {
        "classes": ("read-only",),
        "reader": {},
        "examples": {"cksum a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "clang": {
        "family": "code",
        "handler": "compiler",
        "examples": {"clang -o app main.c": {"classes": ("file-write",), "writes": ("app",)}},
    },
    "clang++": {
        "family": "code",
        "handler": "compiler",
        "examples": {"clang++ -o app main.c": {"classes": ("file-write",), "writes": ("app",)}},
    },
    "claude": {
        "agent_cli": True,
        "examples": {
            "claude -p hi": {"classes": ("agent-cli",)},
            "claude --dangerously-skip-permissions": {"classes": ("agent-cli", "guard-tamper")},
        },
    },
    "clear": {"classes": ("read-only",), "examples": {"clear": {"classes": ("read-only",)}}},
    "cline": {"agent_cli": True, "examples": {"cline": {"classes": ("agent-cli",)}}},
    "cloc": {"classes": ("read-only",), "examples": {"cloc": {"classes": ("read-only",)}}},
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
        "examples": {
            "cmake -E remove a.txt": {"classes": ("file-delete",), "deletes": ("a.txt",)},
            "cmake -E copy a.txt b.txt": {"classes": ("file-write",), "writes": ("b.txt",)},
            "cmake --build build": {"classes": ("opaque",)},
            "cmake --version": {"classes": ("read-only",)},
        },
    },
    "cmp": {
        "lenient_exit": True,
        "classes": ("read-only",),
        "reader": {"values": "--bytes --ignore-initial -i -n"},
        "examples": {"cmp a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "codex": {
        "agent_cli": True,
        "examples": {
            "codex exec hi": {"classes": ("agent-cli",)},
            "codex -c model=x": {"classes": ("agent-cli", "guard-tamper")},
        },
    },
    "column": {
        "classes": ("read-only",),
        "reader": {"values": "-E -N -R -W -c -o -s -t"},
        "examples": {"column a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "comm": {
        "classes": ("read-only",),
        "reader": {"values": "--output-delimiter"},
        "examples": {"comm a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "command": {"names_only": True, "examples": {"command -v git": {"classes": ()}}},
    "compgen": {
        "classes": ("env-dump", "secret-read"),
        "examples": {"compgen -v": {"classes": ("env-dump", "secret-read")}},
    },
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
        "examples": {
            "composer require x/y": {"classes": ("network", "package-install")},
            "composer show": {"classes": ()},
        },
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
        "examples": {
            "conda install numpy": {"classes": ("network", "package-install")},
            "conda list": {"classes": ()},
        },
    },
    "copilot": {"agent_cli": True, "examples": {"copilot": {"classes": ("agent-cli",)}}},
    "corepack": {
        "family": "packages",
        "handler": "corepack",
        "examples": {
            "corepack enable": {"classes": ("network", "package-install")},
            "corepack --version": {"classes": ("read-only",)},
        },
    },
    "cp": {
        "family": "files",
        "handler": "copy_like",
        "values": ("-t --target-directory -S --suffix -m --mode -o --owner -g --group"),
        "names_only": True,
        "prints_reads": True,
        "examples": {
            "cp a.txt b.txt": {
                "classes": ("file-write",),
                "writes": ("b.txt",),
                "reads": ("a.txt",),
            },
            "cp -t dst a.txt b.txt": {
                "classes": ("file-write",),
                "writes": ("dst",),
                "reads": ("a.txt", "b.txt"),
            },
        },
    },
    "cpio": {
        "family": "archives",
        "handler": "cpio",
        "values": "-D --directory -F --file -O -I -H --format -R",
        "examples": {
            "cpio -i < pkg.cpio": {
                "classes": ("file-write",),
                "writes": (".",),
                "reads": ("pkg.cpio",),
            },
            "cpio -it < pkg.cpio": {"classes": ("read-only",), "reads": ("pkg.cpio",)},
        },
    },
    "crontab": {"classes": ("opaque",), "examples": {"crontab -l": {"classes": ("opaque",)}}},
    "crush": {"agent_cli": True, "examples": {"crush": {"classes": ("agent-cli",)}}},
    "csplit": {
        "family": "text",
        "handler": "sort_split",
        "values": "-f --prefix -b --suffix-format -n --digits",
        "examples": {
            "csplit in.txt 10": {
                "classes": ("file-write",),
                "writes": ("xx00",),
                "reads": ("in.txt",),
            }
        },
    },
    "curl": {
        "credential_options": "--cert -E --key --cacert --capath --netrc-file -K --config",
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
        "examples": {
            "curl https://example.com": {"classes": ("network",)},
            "curl -o page.html https://example.com": {
                "classes": ("file-write", "network"),
                "writes": ("page.html",),
            },
            "curl -d @body.json https://example.com": {
                "classes": ("network",),
                "reads": ("body.json",),
            },
        },
    },
    "cursor-agent": {"agent_cli": True, "examples": {"cursor-agent": {"classes": ("agent-cli",)}}},
    "cut": {
        "classes": ("read-only",),
        "reader": {"values": "--output-delimiter -b -c -d -f"},
        "examples": {"cut a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "date": {"classes": ("read-only",), "examples": {"date": {"classes": ("read-only",)}}},
    "dc": {"classes": ("read-only",), "examples": {"dc": {"classes": ("read-only",)}}},
    "dd": {
        "family": "files",
        "handler": "dd",
        "examples": {
            "dd if=in.img of=out.img": {
                "classes": ("file-write",),
                "writes": ("out.img",),
                "reads": ("in.img",),
            }
        },
    },
    "declare": {
        "family": "environment",
        "handler": "export",
        "names_only": True,
        "examples": {
            "declare -x FOO=1": {"classes": ("read-only",)},
            "declare": {"classes": ("env-dump", "secret-read")},
        },
    },
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
        "examples": {
            "deno run main.ts": {"classes": ()},
            "deno eval 'console.log(1)'": {"classes": ("opaque",)},
            "deno add jsr:@std/x": {"classes": ("network", "package-install")},
        },
    },
    "df": {"classes": ("read-only",), "examples": {"df": {"classes": ("read-only",)}}},
    "diff": {
        "lenient_exit": True,
        "classes": ("read-only",),
        "reader": {"values": "--label -C -F -I -L -U -W -X -x"},
        "examples": {"diff a.txt b.txt": {"classes": ("read-only",), "reads": ("a.txt", "b.txt")}},
    },
    "dig": {"classes": ("network",), "examples": {"dig example.com": {"classes": ("network",)}}},
    "dirname": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"dirname": {"classes": ("read-only",)}},
    },
    "dirs": {"classes": ("read-only",), "examples": {"dirs": {"classes": ("read-only",)}}},
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
        "examples": {"dnf install curl": {"classes": ("network", "package-install")}},
    },
    "doas": {
        "names_only": True,
        "privilege": True,
        "examples": {"doas ls": {"classes": ("privilege",)}},
    },
    "docker": {
        "family": "deploy",
        "handler": "docker",
        "verbs": {"deploy": "push"},
        "examples": {
            "docker run alpine": {"classes": ("opaque",)},
            "docker push img": {"classes": ("deploy", "network")},
            "docker ps": {"classes": ()},
        },
    },
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
        "examples": {
            "dotnet add package X": {"classes": ("network", "package-install")},
            "dotnet build": {"classes": ()},
            "dotnet tool list": {"classes": ()},
        },
    },
    "droid": {"agent_cli": True, "examples": {"droid": {"classes": ("agent-cli",)}}},
    "du": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"du": {"classes": ("read-only",)}},
    },
    "echo": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"echo hi": {"classes": ("read-only",)}},
    },
    "ed": {
        "family": "code",
        "handler": "editor",
        "code_flags": "--cmd -S -T -U -W -c -i -s -u -w",
        "examples": {
            "ed a.txt": {
                "classes": ("file-write", "opaque"),
                "writes": ("a.txt",),
                "reads": ("a.txt",),
            }
        },
    },
    "egrep": {
        "lenient_exit": True,
        "classes": ("read-only",),
        "reader": {"values": "-A -B -C -m", "first_is_pattern": True},
        "search": "grep",
        "examples": {"egrep TODO a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "elinks": {
        "classes": ("network",),
        "examples": {"elinks example.com": {"classes": ("network",)}},
    },
    "emacs": {
        "family": "code",
        "handler": "editor",
        "examples": {
            "emacs a.txt": {"classes": ("file-write",), "writes": ("a.txt",), "reads": ("a.txt",)}
        },
    },
    "emacsclient": {
        "family": "code",
        "handler": "editor",
        "examples": {
            "emacsclient a.txt": {
                "classes": ("file-write",),
                "writes": ("a.txt",),
                "reads": ("a.txt",),
            }
        },
    },
    "eslint": {
        "family": "code",
        "handler": "formatter",
        "write_flags": "--fix",
        "examples": {
            "eslint --fix src": {"classes": ("file-write",), "writes": ("src",)},
            "eslint src": {"classes": ()},
        },
    },
    "ex": {
        "family": "code",
        "handler": "editor",
        "code_flags": "--cmd -S -T -U -W -c -i -s -u -w",
        "examples": {
            "ex a.txt": {
                "classes": ("file-write", "opaque"),
                "writes": ("a.txt",),
                "reads": ("a.txt",),
            }
        },
    },
    "exit": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"exit": {"classes": ("read-only",)}},
    },
    "expand": {
        "classes": ("read-only",),
        "reader": {"values": "-t"},
        "examples": {"expand a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "expect": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "-c",
        "examples": {"expect run.exp": {"classes": ()}},
    },
    "export": {
        "family": "environment",
        "handler": "export",
        "names_only": True,
        "examples": {
            "export FOO=1": {"classes": ("read-only",)},
            "export": {"classes": ("env-dump", "secret-read")},
            "export PATH=/tmp/bin": {"classes": ("opaque",)},
        },
    },
    "expr": {"classes": ("read-only",), "examples": {"expr": {"classes": ("read-only",)}}},
    "fallocate": {
        "family": "files",
        "handler": "writes_all",
        "values": "--length --offset -l -o",
        "examples": {
            "fallocate -l 1G big.img": {"classes": ("file-write",), "writes": ("big.img",)}
        },
    },
    "false": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"false": {"classes": ("read-only",)}},
    },
    "fd": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"fd": {"classes": ("read-only",)}},
    },
    "fdfind": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"fdfind": {"classes": ("read-only",)}},
    },
    "fgrep": {
        "lenient_exit": True,
        "classes": ("read-only",),
        "reader": {"values": "-A -B -C -m", "first_is_pattern": True},
        "search": "grep",
        "examples": {"fgrep TODO a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "file": {
        "classes": ("read-only",),
        "reader": {"values": "-F -P -e -f -m"},
        "examples": {"file a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "file-rename": {
        "family": "files",
        "handler": "rename",
        "values": "-e",
        "examples": {
            "file-rename 's/a/b/' a.txt": {
                "classes": ("file-delete", "file-write"),
                "deletes": ("a.txt",),
            }
        },
    },
    "find": {
        "lenient_exit": True,
        "family": "files",
        "handler": "find",
        "names_only": True,
        "examples": {
            "find . -name '*.py'": {"classes": ("read-only",)},
            # -delete deletes the selection the walk finds (``shell/findsel.py``): none
            # in an empty folder, where no starting point exists.
            "find build -delete": {"classes": ("file-delete",)},
            "find build -newer x -delete": {"classes": ("file-delete",)},
        },
    },
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
        "examples": {
            "firebase deploy": {"classes": ("deploy", "network")},
            "firebase login": {"classes": ("network",)},
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
        "examples": {"flatpak install app": {"classes": ("network", "package-install")}},
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
        "examples": {
            "fly deploy": {"classes": ("deploy", "network")},
            "fly status": {"classes": ("network",)},
        },
    },
    "flyctl": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {
            "deploy": ("apps deploy destroy launch machine machines restart scale secrets volumes")
        },
        "examples": {"flyctl deploy": {"classes": ("deploy", "network")}},
    },
    "fmt": {
        "classes": ("read-only",),
        "reader": {"values": "-g -p -w"},
        "examples": {"fmt a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "fold": {
        "classes": ("read-only",),
        "reader": {"values": "--width -w"},
        "examples": {"fold a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "free": {"classes": ("read-only",), "examples": {"free": {"classes": ("read-only",)}}},
    "ftp": {"classes": ("network",), "examples": {"ftp example.com": {"classes": ("network",)}}},
    "g++": {
        "family": "code",
        "handler": "compiler",
        "examples": {"g++ -o app main.c": {"classes": ("file-write",), "writes": ("app",)}},
    },
    "gawk": {
        "family": "text",
        "handler": "awk",
        "values": "-F -v -f -i --field-separator --assign --file --include",
        "examples": {
            "gawk -F: '{print $1}' data.txt": {"classes": ("read-only",), "reads": ("data.txt",)}
        },
    },
    "gcc": {
        "family": "code",
        "handler": "compiler",
        "examples": {
            "gcc -o app main.c": {"classes": ("file-write",), "writes": ("app",)},
            "gcc -c main.c": {"classes": ()},
            "gcc main.c": {"classes": ("file-write",), "writes": ("a.out",)},
        },
    },
    "gcloud": {
        "family": "deploy",
        "handler": "deploy",
        "examples": {
            "gcloud config list": {"classes": ("network",)},
            "gcloud run deploy svc": {"classes": ("deploy", "network")},
        },
    },
    "gdb": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "--command --eval-command -ex -iex -ix -x",
        "stdin_opaque": False,
        "examples": {"gdb ./app": {"classes": ()}, "gdb -ex run ./app": {"classes": ("opaque",)}},
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
        "examples": {
            "gem install rails": {"classes": ("network", "package-install")},
            "gem push x.gem": {"classes": ("deploy", "network")},
            "gem list": {"classes": ()},
        },
    },
    "gemini": {
        "agent_cli": True,
        "examples": {
            "gemini": {"classes": ("agent-cli",)},
            "gemini -y -p hi": {"classes": ("agent-cli", "guard-tamper")},
            "gemini -p hi -y": {"classes": ("agent-cli", "guard-tamper")},
            "gemini --approval-mode=yolo -p hi": {"classes": ("agent-cli", "guard-tamper")},
        },
    },
    "getconf": {"classes": ("read-only",), "examples": {"getconf": {"classes": ("read-only",)}}},
    "gh": {
        "family": "deploy",
        "handler": "gh",
        "examples": {
            "gh pr list": {"classes": ("network",)},
            "gh release create v1": {"classes": ("deploy", "network")},
            "gh pr merge 12": {"classes": ("merge", "network")},
            "gh auth token": {"classes": ("credential-read", "network")},
        },
    },
    "gh-pages": {
        "family": "deploy",
        "handler": "deploy",
        "deploys_always": True,
        "examples": {"gh-pages -d dist": {"classes": ("deploy", "network")}},
    },
    "git": {
        "lenient_exit": "diff grep",
        "family": "git",
        "handler": "classify_git",
        "names_only": True,
        "examples": {
            "git status": {"classes": ("read-only",)},
            "git push --force origin main": {"classes": ("git-destructive", "network")},
            "git checkout -- a.txt": {"classes": ("file-write",), "writes": ("a.txt",)},
            "git commit -m wip": {"classes": ()},
            "HUSKY=0 git commit -m wip": {"classes": ("guard-tamper",)},
            "SKIP=eslint git commit -m wip": {"classes": ("guard-tamper",)},
        },
    },
    "gmake": {
        "family": "code",
        "handler": "make",
        "examples": {"gmake test": {"classes": ("opaque",)}},
    },
    "gnutls-cli": {
        "classes": ("network",),
        "examples": {"gnutls-cli example.com": {"classes": ("network",)}},
    },
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
        "examples": {
            "go get example.com/x": {"classes": ("network", "package-install")},
            "go build ./...": {"classes": ()},
            "go mod tidy": {"classes": ("file-write", "network"), "writes": ("go.mod",)},
            "go run example.com/x@latest": {"classes": ("network", "package-install")},
        },
    },
    "gofmt": {
        "family": "code",
        "handler": "formatter",
        "write_flags": "-w",
        "examples": {
            "gofmt -w main.go": {"classes": ("file-write",), "writes": ("main.go",)},
            "gofmt main.go": {"classes": ()},
        },
    },
    "goimports": {
        "family": "code",
        "handler": "formatter",
        "write_flags": "-w",
        "examples": {"goimports -w main.go": {"classes": ("file-write",), "writes": ("main.go",)}},
    },
    "goose": {"agent_cli": True, "examples": {"goose": {"classes": ("agent-cli",)}}},
    "gopass": {
        "classes": ("credential-read",),
        "examples": {"gopass show github/token": {"classes": ("credential-read",)}},
    },
    "grep": {
        "lenient_exit": True,
        "classes": ("read-only",),
        "reader": {
            "values": (
                "--binary-files --color --colour --context --devices --directories "
                "--label --max-count -A -B -C -D -d -m"
            ),
            "first_is_pattern": True,
        },
        "search": "grep",
        "examples": {
            "grep TODO a.txt": {"classes": ("read-only",), "reads": ("a.txt",)},
            "grep -r TODO src": {"classes": ("read-only",), "reads": ("src",)},
            # Filters are globs, not files; engine/search.py judges what they select.
            "grep -rn TODO --include=*.ts --exclude=.env src": {
                "classes": ("read-only",),
                "reads": ("src",),
            },
        },
    },
    "gsed": {
        "family": "text",
        "handler": "sed",
        "values": "-e -f -l --expression --file --line-length",
        "examples": {
            "gsed -i 's/a/b/' a.txt": {
                "classes": ("file-write",),
                "writes": ("a.txt",),
                "reads": ("a.txt",),
            }
        },
    },
    "gsutil": {
        "classes": ("network",),
        "examples": {"gsutil example.com": {"classes": ("network",)}},
    },
    "gunzip": {
        "family": "archives",
        "handler": "archive_tool",
        "values": "-d -x -i -P -S --suffix",
        "examples": {
            "gunzip data.gz": {
                "classes": ("file-delete", "file-write"),
                "writes": ("data.gz",),
                "deletes": ("data.gz",),
            }
        },
    },
    "gvim": {
        "family": "code",
        "handler": "editor",
        "code_flags": "--cmd -S -T -U -W -c -i -s -u -w",
        "examples": {
            "gvim a.txt": {"classes": ("file-write",), "writes": ("a.txt",), "reads": ("a.txt",)}
        },
    },
    "gzip": {
        "family": "archives",
        "handler": "archive_tool",
        "values": "-d -x -i -P -S --suffix",
        "examples": {
            "gzip data.txt": {
                "classes": ("file-delete", "file-write"),
                "writes": ("data.txt",),
                "deletes": ("data.txt",),
            },
            "gzip -l data.gz": {"classes": (), "reads": ("data.gz",)},
        },
    },
    "hash": {"classes": ("read-only",), "examples": {"hash": {"classes": ("read-only",)}}},
    "head": {
        "classes": ("read-only",),
        "reader": {"values": "--bytes --lines -c -n"},
        "prints_reads": True,
        "examples": {"head -n 5 a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "helm": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": "delete install push rollback uninstall upgrade"},
        "examples": {
            "helm upgrade app ./chart": {"classes": ("deploy", "network")},
            "helm list": {"classes": ("network",)},
        },
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
        "examples": {
            "heroku releases:rollback": {"classes": ("deploy", "network")},
            "heroku logs": {"classes": ("network",)},
        },
    },
    "hexdump": {
        "classes": ("read-only",),
        "reader": {"values": "-e -f -n -s"},
        "prints_reads": True,
        "examples": {"hexdump a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "history": {"classes": ("read-only",), "examples": {"history": {"classes": ("read-only",)}}},
    "host": {"classes": ("network",), "examples": {"host example.com": {"classes": ("network",)}}},
    "hostname": {"classes": ("read-only",), "examples": {"hostname": {"classes": ("read-only",)}}},
    "http": {"classes": ("network",), "examples": {"http example.com": {"classes": ("network",)}}},
    "httpie": {
        "classes": ("network",),
        "examples": {"httpie example.com": {"classes": ("network",)}},
    },
    "https": {
        "classes": ("network",),
        "examples": {"https example.com": {"classes": ("network",)}},
    },
    "iconv": {
        "family": "text",
        "handler": "iconv",
        "values": "-f -t -o --output --from-code --to-code",
        "examples": {
            "iconv -f latin1 -t utf-8 -o out.txt in.txt": {
                "classes": ("file-write",),
                "writes": ("out.txt",),
                "reads": ("in.txt",),
            }
        },
    },
    "id": {"classes": ("read-only",), "examples": {"id": {"classes": ("read-only",)}}},
    "install": {
        "family": "files",
        "handler": "copy_like",
        "values": ("-t --target-directory -S --suffix -m --mode -o --owner -g --group"),
        "names_only": True,
        "examples": {
            "install -m 755 run.sh bin/run": {
                "classes": ("file-write",),
                "writes": ("bin/run",),
                "reads": ("run.sh",),
            },
            "install -d build": {"classes": ("file-write",), "writes": ("build",)},
        },
    },
    "isort": {
        "family": "code",
        "handler": "formatter",
        "writes_by_default": True,
        "check_flags": "--check --check-only --diff -c",
        "examples": {
            "isort src": {"classes": ("file-write",), "writes": ("src",)},
            "isort --check src": {"classes": ()},
        },
    },
    # Test runners read the test files they are given and run the project's code (not
    # followed, as for ``npm test``); snapshot updates (``-u``) are not seen.
    "jest": {
        "classes": (),
        "examples": {"jest tests/search.test.ts": {"classes": ()}, "jest --ci": {"classes": ()}},
    },
    "jobs": {"classes": ("read-only",), "examples": {"jobs": {"classes": ("read-only",)}}},
    "jq": {
        "classes": ("read-only",),
        "reader": {
            "values": ("--arg --argjson --args --indent --jsonargs --rawfile --slurpfile --tab"),
            "first_is_pattern": True,
        },
        "examples": {
            "jq .name package.json": {"classes": ("read-only",), "reads": ("package.json",)},
            "jq -n env": {"classes": ("env-dump", "read-only", "secret-read")},
        },
    },
    "julia": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "--eval -e",
        "examples": {"julia run.jl": {"classes": ()}},
    },
    "kill": {"names_only": True, "examples": {"kill 123": {"classes": ()}}},
    "kiro": {"agent_cli": True, "examples": {"kiro": {"classes": ("agent-cli",)}}},
    "keyring": {
        "classes": ("credential-read",),
        "examples": {"keyring get github me": {"classes": ("credential-read",)}},
    },
    "kubectl": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {
            "deploy": (
                "annotate apply attach autoscale cordon cp create delete drain edit "
                "exec expose label patch replace rollout run scale set taint uncordon"
            )
        },
        "examples": {
            "kubectl apply -f app.yaml": {"classes": ("deploy", "network")},
            "kubectl get pods": {"classes": ("network",)},
        },
    },
    "less": {
        "classes": ("read-only",),
        "reader": {"values": "-O -T -b -h -j -o -p -t -x -y -z"},
        "prints_reads": True,
        "examples": {"less a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "link": {
        "family": "files",
        "handler": "copy_like",
        "values": ("-t --target-directory -S --suffix -m --mode -o --owner -g --group"),
        "examples": {
            "link a.txt b.txt": {
                "classes": ("file-write",),
                "writes": ("a.txt", "b.txt"),
                "reads": ("a.txt",),
            }
        },
    },
    "links": {
        "classes": ("network",),
        "examples": {"links example.com": {"classes": ("network",)}},
    },
    "ln": {
        "family": "files",
        "handler": "copy_like",
        "values": ("-t --target-directory -S --suffix -m --mode -o --owner -g --group"),
        "names_only": True,
        "examples": {
            "ln -s a.txt link": {
                "classes": ("file-write",),
                "writes": ("a.txt", "link"),
                "reads": ("a.txt",),
            },
            "ln a.txt b.txt": {
                "classes": ("file-write",),
                "writes": ("a.txt", "b.txt"),
                "reads": ("a.txt",),
            },
        },
    },
    "local": {
        "family": "environment",
        "handler": "export",
        "names_only": True,
        "examples": {"local x=1": {"classes": ("read-only",)}},
    },
    "locale": {"classes": ("read-only",), "examples": {"locale": {"classes": ("read-only",)}}},
    "look": {"classes": ("read-only",), "examples": {"look": {"classes": ("read-only",)}}},
    "lpass": {
        "classes": ("credential-read", "network"),
        "examples": {"lpass show github": {"classes": ("credential-read", "network")}},
    },
    "ls": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"ls -la src": {"classes": ("read-only",)}},
    },
    "lsb_release": {
        "classes": ("read-only",),
        "examples": {"lsb_release": {"classes": ("read-only",)}},
    },
    "lsof": {"classes": ("read-only",), "examples": {"lsof": {"classes": ("read-only",)}}},
    "lua": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "-e",
        "examples": {"lua run.lua": {"classes": ()}, "lua -e 'print(1)'": {"classes": ("opaque",)}},
    },
    "luajit": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "-e",
        "examples": {"luajit run.lua": {"classes": ()}},
    },
    "lynx": {"classes": ("network",), "examples": {"lynx example.com": {"classes": ("network",)}}},
    "make": {
        "family": "code",
        "handler": "make",
        "examples": {"make": {"classes": ("opaque",)}, "make -n": {"classes": ("read-only",)}},
    },
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
        "examples": {"mamba install numpy": {"classes": ("network", "package-install")}},
    },
    "mawk": {
        "family": "text",
        "handler": "awk",
        "values": "-F -v -f -i --field-separator --assign --file --include",
        "examples": {
            "mawk '{print}' data.txt": {"classes": ("read-only",), "reads": ("data.txt",)}
        },
    },
    "md5sum": {
        "classes": ("read-only",),
        "reader": {},
        "examples": {"md5sum a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
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
        "examples": {"micromamba install numpy": {"classes": ("network", "package-install")}},
    },
    "mkdir": {
        "family": "files",
        "handler": "writes_all",
        "values": "--mode -m",
        "names_only": True,
        "examples": {"mkdir -p build/out": {"classes": ("file-write",), "writes": ("build/out",)}},
    },
    "mkfifo": {
        "family": "files",
        "handler": "writes_all",
        "values": "--context --mode -Z -m",
        "names_only": True,
        "examples": {"mkfifo pipe": {"classes": ("file-write",), "writes": ("pipe",)}},
    },
    "mknod": {
        "family": "files",
        "handler": "mknod",
        "values": "-m --mode -Z --context",
        "names_only": True,
        "examples": {"mknod pipe p": {"classes": ("file-write",), "writes": ("pipe",)}},
    },
    "mktemp": {
        "family": "files",
        "handler": "mktemp",
        "values": "-p --suffix",
        "examples": {
            "mktemp": {"classes": ()},
            "mktemp tmp.XXXX": {"classes": ("file-write",), "writes": ("tmp.XXXX",)},
            "mktemp -p build": {"classes": ("file-write",), "writes": ("build/tmp.XXXXXXXXXX",)},
        },
    },
    "mmv": {
        "family": "files",
        "handler": "rename",
        "values": "-e",
        "examples": {
            "mmv a.txt b.txt": {"classes": ("file-delete", "file-write"), "deletes": ("b.txt",)}
        },
    },
    "mocha": {
        "classes": (),
        "examples": {"mocha tests/search.spec.js": {"classes": ()}},
    },
    "more": {
        "classes": ("read-only",),
        "reader": {"values": "-n"},
        "prints_reads": True,
        "examples": {"more a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "mtr": {"classes": ("network",), "examples": {"mtr example.com": {"classes": ("network",)}}},
    "mv": {
        "family": "files",
        "handler": "copy_like",
        "values": ("-t --target-directory -S --suffix -m --mode -o --owner -g --group"),
        "names_only": True,
        "examples": {
            "mv a.txt b.txt": {
                "classes": ("file-delete", "file-write"),
                "writes": ("b.txt",),
                "reads": ("a.txt",),
                "deletes": ("a.txt",),
            }
        },
    },
    "createdb": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-h --host -p --port -U --username -T --template -O --owner -E --encoding "
            "-D --tablespace -l --locale --maintenance-db"
        ),
        "host_options": "-h --host --maintenance-db",
        "host_variables": "PGHOST PGHOSTADDR PGSERVICE",
        "examples": {
            "createdb -h localhost app_test": {
                "classes": ("network",),
            },
            "createdb -h prod-db.internal app_copy": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "dropdb": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": "-h --host -p --port -U --username --maintenance-db",
        "host_options": "-h --host --maintenance-db",
        "host_variables": "PGHOST PGHOSTADDR PGSERVICE",
        "examples": {
            "dropdb -h localhost app_test": {
                "classes": ("network",),
            },
            "dropdb -h prod-db.internal app": {
                "classes": ("network", "production-data"),
            },
            "PGHOST=db.production.example.com dropdb app": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "mycli": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": "-h --host -P --port -u --user -D --database -e --execute -S --socket",
        "host_options": "-h --host",
        "host_variables": "MYSQL_HOST",
        "examples": {
            "mycli -h 127.0.0.1 app": {"classes": ("network",)},
            "mycli -h mysql.production.example.com app": {
                "classes": ("network", "production-data")
            },
        },
    },
    "nano": {
        "family": "code",
        "handler": "editor",
        "examples": {
            "nano a.txt": {"classes": ("file-write",), "writes": ("a.txt",), "reads": ("a.txt",)}
        },
    },
    "nawk": {
        "family": "text",
        "handler": "awk",
        "values": "-F -v -f -i --field-separator --assign --file --include",
        "examples": {
            "nawk '{print}' data.txt": {"classes": ("read-only",), "reads": ("data.txt",)}
        },
    },
    "nc": {"classes": ("network",), "examples": {"nc example.com": {"classes": ("network",)}}},
    "ncat": {"classes": ("network",), "examples": {"ncat example.com": {"classes": ("network",)}}},
    "ncu": {
        "family": "packages",
        "handler": "upgrader",
        "examples": {
            "ncu": {"classes": ("network",)},
            "ncu -u": {
                "classes": ("file-write", "network", "package-install"),
                "writes": ("package.json",),
            },
        },
    },
    "nerdctl": {
        "family": "deploy",
        "handler": "docker",
        "examples": {"nerdctl run alpine": {"classes": ("opaque",)}},
    },
    "netcat": {
        "classes": ("network",),
        "examples": {"netcat example.com": {"classes": ("network",)}},
    },
    "netlify": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {
            "deploy": (
                "deploy env:set env:unset functions:deploy link sites:create sites:delete unlink"
            )
        },
        "examples": {
            "netlify deploy --prod": {"classes": ("deploy", "network")},
            "netlify status": {"classes": ("network",)},
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
        "examples": {
            "nix-env -i hello": {"classes": ("network", "package-install")},
            "nix-env -q": {"classes": ()},
        },
    },
    "nl": {
        "classes": ("read-only",),
        "reader": {"values": "-b -d -f -h -i -l -n -s -v -w"},
        "prints_reads": True,
        "examples": {"nl a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "nmap": {"classes": ("network",), "examples": {"nmap example.com": {"classes": ("network",)}}},
    "node": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "--eval --print -e -p -pe",
        "code_reader": "javascript",
        "loaders": ("--env-file-if-exists --experimental-loader --import --loader --require -r"),
        "examples": {
            "node app.js": {"classes": ()},
            "node -e 'process.exit()'": {"classes": ()},
            "node -e 'eval(process.argv[1])'": {"classes": ("opaque",)},
            'node -e \'require("fs").rmSync("dist", {recursive: true})\'': {
                "classes": ("file-delete",),
                "deletes": ("dist",),
            },
            'node -e \'require("child_process").execSync("git status")\'': {
                "classes": ("read-only",)
            },
            "node --require ./hook.js app.js": {"classes": ("opaque",)},
        },
    },
    "nodejs": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "--eval --print -e -p",
        "code_reader": "javascript",
        "loaders": ("--env-file-if-exists --experimental-loader --import --loader --require -r"),
        "examples": {"nodejs app.js": {"classes": ()}},
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
        "examples": {
            "npm install": {"classes": ("network", "package-install")},
            "npm test": {"classes": ()},
            "npm publish": {"classes": ("deploy", "network")},
            "npm view react": {"classes": ("network",)},
            "npm ls": {"classes": ("read-only",)},
            "npm config set registry https://x": {
                "classes": ("file-write", "opaque"),
                "writes": ("/nonexistent-home/.npmrc",),
            },
            "npm version patch": {"classes": ("file-write",), "writes": ("package.json",)},
        },
    },
    "npm-check-updates": {
        "family": "packages",
        "handler": "upgrader",
        "examples": {
            "npm-check-updates -u": {
                "classes": ("file-write", "network", "package-install"),
                "writes": ("package.json",),
            }
        },
    },
    "nproc": {"classes": ("read-only",), "examples": {"nproc": {"classes": ("read-only",)}}},
    "nslookup": {
        "classes": ("network",),
        "examples": {"nslookup example.com": {"classes": ("network",)}},
    },
    "ntl": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": "deploy"},
        "examples": {"ntl deploy": {"classes": ("deploy", "network")}},
    },
    "nvim": {
        "family": "code",
        "handler": "editor",
        "code_flags": "--cmd -S -T -U -W -c -i -s -u -w",
        "examples": {
            "nvim a.txt": {"classes": ("file-write",), "writes": ("a.txt",), "reads": ("a.txt",)}
        },
    },
    "nvm": {"classes": ("read-only",), "examples": {"nvm": {"classes": ("read-only",)}}},
    "oc": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {
            "deploy": (
                "annotate apply create delete edit expose label new-app patch replace "
                "rollout run scale set start-build"
            )
        },
        "examples": {
            "oc apply -f app.yaml": {"classes": ("deploy", "network")},
            "oc get pods": {"classes": ("network",)},
        },
    },
    "od": {
        "classes": ("read-only",),
        "reader": {"values": "-A -N -S -j -t -w"},
        "prints_reads": True,
        "examples": {"od a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "opencode": {"agent_cli": True, "examples": {"opencode": {"classes": ("agent-cli",)}}},
    "op": {
        "classes": ("credential-read", "network"),
        "examples": {
            "op read op://vault/github/token": {"classes": ("credential-read", "network")}
        },
    },
    "openssl": {
        "family": "network",
        "handler": "openssl",
        "examples": {
            "openssl rand -out key.bin 32": {"classes": ("file-write",), "writes": ("key.bin",)},
            "openssl s_client -connect example.com:443": {"classes": ("network",)},
        },
    },
    "osascript": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "-e",
        "examples": {"osascript -e 'beep'": {"classes": ("opaque",)}},
    },
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
        "examples": {
            "pacman -S curl": {"classes": ("network", "package-install")},
            "pacman -Q": {"classes": ()},
        },
    },
    "parallel": {
        "family": "code",
        "handler": "opaque",
        "note": "runs the commands it is given",
        "examples": {"parallel echo ::: a b": {"classes": ("opaque",)}},
    },
    "pass": {
        "classes": ("credential-read",),
        "examples": {"pass show github/token": {"classes": ("credential-read",)}},
    },
    "paste": {
        "classes": ("read-only",),
        "reader": {"values": "--delimiters -d"},
        "examples": {"paste a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "patch": {
        "family": "files",
        "handler": "patch",
        "values": ("-p -i -o -d -r -B -D -F -V -z --input --output --directory --strip"),
        "examples": {
            "patch -p1 -i fix.diff": {"classes": ("file-write",), "reads": ("fix.diff",)},
            "patch a.txt fix.diff": {"classes": ("file-write",), "writes": ("a.txt",)},
        },
    },
    "perl": {
        "family": "code",
        "handler": "perl",
        "values": "-e -E -M -m -I -x -0 -l",
        "examples": {
            "perl run.pl": {"classes": ()},
            "perl -e 'print 1'": {"classes": ("opaque",)},
            "perl -pi -e 's/a/b/' a.txt": {
                "classes": ("file-write", "opaque"),
                "writes": ("a.txt",),
            },
        },
    },
    "mysqladmin": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-h --host -P --port -u --user -S --socket --defaults-file "
            "--defaults-extra-file --login-path"
        ),
        "read_options": "--defaults-file --defaults-extra-file",
        "host_options": "-h --host",
        "profile_options": "--login-path",
        "credential_options": "--defaults-file --defaults-extra-file",
        "host_variables": "MYSQL_HOST",
        "examples": {
            "mysqladmin -h 127.0.0.1 status": {
                "classes": ("network",),
            },
            "mysqladmin -h mysql-prod-1 drop app": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "mysqlsh": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-h --host -P --port -u --user --uri -D --schema -e --execute -f --file --login-path"
        ),
        "read_options": "-f --file",
        "host_options": "-h --host --uri",
        "host_operands": True,
        "profile_options": "--login-path",
        "examples": {
            "mysqlsh --uri root@localhost:3306 --sql -e 'select 1'": {
                "classes": ("network",),
            },
            "mysqlsh --uri root@prod-db:3306 --sql -e 'drop database app'": {
                "classes": ("network", "production-data"),
            },
            "mysqlsh root@mysql.prod.example.com": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "pg_basebackup": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-h --host -p --port -U --username -d --dbname -D --pgdata -F --format "
            "-X --wal-method -c --checkpoint -l --label -t --target -Z --compress"
        ),
        "write_options": "-D --pgdata",
        "host_options": "-h --host -d --dbname",
        "host_variables": "PGHOST PGHOSTADDR PGSERVICE",
        "examples": {
            "pg_basebackup -h localhost -D backup": {
                "classes": ("file-write", "network"),
                "writes": ("backup",),
            },
            "pg_basebackup -h prod-db.internal -D backup": {
                "classes": ("file-write", "network", "production-data"),
                "writes": ("backup",),
            },
        },
    },
    "pgcli": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": "-h --host -p --port -U --username -u --user -d --dbname -D --dsn -l --list",
        "host_options": "-h --host",
        "host_variables": "PGHOST PGHOSTADDR PGSERVICE",
        "examples": {
            "pgcli -h localhost app": {"classes": ("network",)},
            "pgcli -h db.prod.example.com app": {"classes": ("network", "production-data")},
        },
    },
    "php": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "-r",
        "examples": {
            "php index.php": {"classes": ()},
            "php -r 'echo 1;'": {"classes": ("opaque",)},
        },
    },
    "pico": {
        "family": "code",
        "handler": "editor",
        "examples": {
            "pico a.txt": {"classes": ("file-write",), "writes": ("a.txt",), "reads": ("a.txt",)}
        },
    },
    "ping": {"classes": ("network",), "examples": {"ping example.com": {"classes": ("network",)}}},
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
        "examples": {
            "pip install requests": {"classes": ("network", "package-install")},
            "pip list": {"classes": ("read-only",)},
            "pip download x": {"classes": ("network",)},
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
        "examples": {
            "pip3 install requests": {"classes": ("network", "package-install")},
            "pip3 freeze": {"classes": ("read-only",)},
        },
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
        "examples": {
            "pipx install black": {"classes": ("network", "package-install")},
            "pipx list": {"classes": ()},
        },
    },
    "pkexec": {"privilege": True, "examples": {"pkexec ls": {"classes": ("privilege",)}}},
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
        "examples": {
            "pnpm add react": {"classes": ("network", "package-install")},
            "pnpm run build": {"classes": ()},
            "pnpm publish": {"classes": ("deploy", "network")},
        },
    },
    "podman": {
        "family": "deploy",
        "handler": "docker",
        "verbs": {"deploy": "push"},
        "examples": {"podman push img": {"classes": ("deploy", "network")}},
    },
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
        "examples": {
            "poetry add requests": {"classes": ("network", "package-install")},
            "poetry run pytest": {"classes": ()},
            "poetry publish": {"classes": ("deploy", "network")},
        },
    },
    "popd": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"popd": {"classes": ("read-only",)}},
    },
    "powershell": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "-Command -EncodedCommand -c -command",
        "examples": {"powershell -c Get-Date": {"classes": ("opaque",)}},
    },
    "prename": {
        "family": "files",
        "handler": "rename",
        "values": "-e",
        "examples": {
            "prename 's/a/b/' a.txt": {
                "classes": ("file-delete", "file-write"),
                "deletes": ("a.txt",),
            }
        },
    },
    "prettier": {
        "family": "code",
        "handler": "formatter",
        "write_flags": "--write -w",
        "examples": {
            "prettier --write src": {"classes": ("file-write",), "writes": ("src",)},
            "prettier --check src": {"classes": ()},
        },
    },
    "printenv": {
        "classes": ("env-dump", "secret-read"),
        "examples": {
            "printenv": {"classes": ("env-dump", "secret-read")},
            "printenv HOME": {"classes": ("env-dump", "secret-read")},
        },
    },
    "printf": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"printf": {"classes": ("read-only",)}},
    },
    "ps": {
        "classes": ("read-only",),
        "examples": {
            "ps aux": {"classes": ("read-only",)},
            "ps e": {"classes": ("env-dump", "read-only", "secret-read")},
        },
    },
    "pulumi": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": "cancel config destroy import refresh stack up update"},
        "examples": {
            "pulumi up": {"classes": ("deploy", "network")},
            "pulumi preview": {"classes": ("network",)},
        },
    },
    "pushd": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"pushd": {"classes": ("read-only",)}},
    },
    "pwd": {"classes": ("read-only",), "examples": {"pwd": {"classes": ("read-only",)}}},
    "pwsh": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "-Command -EncodedCommand -c -command",
        "examples": {"pwsh -c Get-Date": {"classes": ("opaque",)}, "pwsh run.ps1": {"classes": ()}},
    },
    "pytest": {
        "classes": (),
        "examples": {
            "pytest tests/test_search.py -q": {"classes": ()},
            "pytest -k search": {"classes": ()},
        },
    },
    "python": {
        "family": "code",
        "handler": "python",
        "opaque_modules": ("IPython cProfile code idlelib pdb profile pyclbr runpy timeit trace"),
        "examples": {
            "python run.py": {"classes": ()},
            "python -c 'print(1)'": {"classes": ()},
            "python -c 'import os; os.remove(os.environ[\"X\"])'": {"classes": ("opaque",)},
            "python -c 'exec(input())'": {"classes": ("opaque",)},
            "python -c 'import os; os.remove(\"x\")'": {
                "classes": ("file-delete",),
                "deletes": ("x",),
            },
            'python -c \'open("x", "w")\'': {"classes": ("file-write",), "writes": ("x",)},
            "python3 - <<'EOF'\nimport shutil\nshutil.move('a', 'b')\nEOF": {
                "classes": ("file-delete", "file-write"),
                "deletes": ("a",),
                "writes": ("b",),
            },
            "python -c 'import urllib.request'": {"classes": ("network",)},
            "python -c 'import subprocess; subprocess.run([\"ls\"])'": {"classes": ("read-only",)},
            "python -c 'import os; os.system(\"rm x\")'": {
                "classes": ("file-delete",),
                "deletes": ("x",),
            },
            "python -c 'import os; os.system(\"rm \" + x)'": {"classes": ("opaque",)},
            "python -m pip install x": {"classes": ("network", "package-install")},
            "python -m http.server": {"classes": ("network",)},
            "python -m venv .venv": {"classes": ("file-write",), "writes": (".venv",)},
        },
    },
    "qwen": {"agent_cli": True, "examples": {"qwen": {"classes": ("agent-cli",)}}},
    "railway": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": "delete deploy down redeploy up"},
        "examples": {
            "railway up": {"classes": ("deploy", "network")},
            "railway status": {"classes": ("network",)},
        },
    },
    "rclone": {
        "classes": ("network",),
        "examples": {"rclone example.com": {"classes": ("network",)}},
    },
    "readlink": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"readlink": {"classes": ("read-only",)}},
    },
    "readonly": {
        "family": "environment",
        "handler": "export",
        "names_only": True,
        "examples": {"readonly X=1": {"classes": ("read-only",)}},
    },
    "realpath": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"realpath": {"classes": ("read-only",)}},
    },
    "red": {
        "family": "code",
        "handler": "editor",
        "code_flags": "--cmd -S -T -U -W -c -i -s -u -w",
        "examples": {
            "red a.txt": {
                "classes": ("file-write", "opaque"),
                "writes": ("a.txt",),
                "reads": ("a.txt",),
            }
        },
    },
    "rename": {
        "family": "files",
        "handler": "rename",
        "values": "-e",
        "examples": {
            "rename 's/a/b/' a.txt": {
                "classes": ("file-delete", "file-write"),
                "deletes": ("a.txt",),
            }
        },
    },
    "return": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"return": {"classes": ("read-only",)}},
    },
    "rev": {
        "classes": ("read-only",),
        "reader": {},
        "examples": {"rev a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "rg": {
        "lenient_exit": True,
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
        "examples": {
            "rg TODO src": {"classes": ("read-only",), "reads": ("src",)},
            "rg -g '*.md' -g '!drafts' -t ts --type-not md TODO src": {
                "classes": ("read-only",),
                "reads": ("src",),
            },
        },
    },
    "rimraf": {
        "family": "files",
        "handler": "rm",
        "values": "-n --iterations -s --size",
        "examples": {"rimraf dist": {"classes": ("file-delete",), "deletes": ("dist",)}},
    },
    "rm": {
        "family": "files",
        "handler": "rm",
        "values": "-n --iterations -s --size",
        "names_only": True,
        "examples": {
            "rm a.txt": {"classes": ("file-delete",), "deletes": ("a.txt",)},
            "rm -rf build": {"classes": ("file-delete",), "deletes": ("build",)},
        },
    },
    "rmdir": {
        "family": "files",
        "handler": "rm",
        "values": "-n --iterations -s --size",
        "names_only": True,
        "examples": {"rmdir build": {"classes": ("file-delete",), "deletes": ("build",)}},
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
        "examples": {
            "rsync -a src/ host:dst": {"classes": ("network",), "reads": ("src",)},
            "rsync -a src/ backup/": {
                "classes": ("file-write",),
                "writes": ("backup",),
                "reads": ("src",),
            },
            "rsync --delete -a host:src/ dst/": {
                "classes": ("file-delete", "file-write", "network"),
                "writes": ("dst",),
                "deletes": ("dst",),
            },
        },
    },
    "ruby": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "-e",
        "examples": {"ruby app.rb": {"classes": ()}, "ruby -e 'p 1'": {"classes": ("opaque",)}},
    },
    "ruff": {
        "family": "code",
        "handler": "formatter",
        "examples": {
            "ruff format src": {"classes": ("file-write",), "writes": ("src",)},
            "ruff check src": {"classes": ()},
            "ruff check --fix src": {"classes": ("file-write",), "writes": ("src",)},
        },
    },
    "run0": {"privilege": True, "examples": {"run0 ls": {"classes": ("privilege",)}}},
    "runuser": {
        "privilege": True,
        "examples": {"runuser -u app -- ls": {"classes": ("privilege",)}},
    },
    "rustfmt": {
        "family": "code",
        "handler": "formatter",
        "writes_by_default": True,
        "check_flags": "--check",
        "examples": {
            "rustfmt main.rs": {"classes": ("file-write",), "writes": ("main.rs",)},
            "rustfmt --check main.rs": {"classes": ()},
        },
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
        "examples": {
            "rustup update": {"classes": ("network", "package-install")},
            "rustup show": {"classes": ()},
        },
    },
    "s3cmd": {
        "classes": ("network",),
        "examples": {"s3cmd example.com": {"classes": ("network",)}},
    },
    "sam": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": "delete deploy sync"},
        "examples": {
            "sam deploy": {"classes": ("deploy", "network")},
            "sam build": {"classes": ("network",)},
        },
    },
    "scp": {
        "credential_options": "-i -F",
        "family": "network",
        "handler": "remote_copy",
        "values": (
            "-e --rsh -i -P -p -F -o -c -l -S -J --port --exclude --include --filter "
            "-f --timeout --password-file --files-from --exclude-from --include-from "
            "--log-file --backup-dir --temp-dir --partial-dir --chmod --chown -T "
            "--bwlimit --max-size --min-size"
        ),
        "prints_reads": True,
        "examples": {
            "scp a.txt host:b.txt": {"classes": ("network",), "reads": ("a.txt",)},
            "scp host:b.txt a.txt": {"classes": ("file-write", "network"), "writes": ("a.txt",)},
        },
    },
    "script": {
        "family": "files",
        "handler": "script_log",
        "values": (
            "-c --command -E --echo -I -O -B -T --log-in --log-out --log-io "
            "--log-timing -t --timing -m --logging-format"
        ),
        "examples": {
            "script -c make session.log": {"classes": ("opaque",)},
            "script": {"classes": ("file-write",), "writes": ("typescript",)},
        },
    },
    "secret-tool": {
        "classes": ("credential-read",),
        "examples": {"secret-tool lookup service github": {"classes": ("credential-read",)}},
    },
    "security": {
        "classes": ("credential-read",),
        "examples": {
            "security find-generic-password -s github -w": {"classes": ("credential-read",)}
        },
    },
    "sed": {
        "family": "text",
        "handler": "sed",
        "values": "-e -f -l --expression --file --line-length",
        "examples": {
            "sed 's/a/b/' a.txt": {"classes": ("read-only",), "reads": ("a.txt",)},
            "sed -i 's/a/b/' a.txt": {
                "classes": ("file-write",),
                "writes": ("a.txt",),
                "reads": ("a.txt",),
            },
            "sed 'w out.txt' a.txt": {
                "classes": ("file-write", "opaque"),
                "writes": ("out.txt",),
                "reads": ("a.txt",),
            },
            "sed 'e id' a.txt": {"classes": ("opaque",), "reads": ("a.txt",)},
        },
    },
    "seq": {"classes": ("read-only",), "examples": {"seq": {"classes": ("read-only",)}}},
    "serverless": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": "deploy remove rollback"},
        "examples": {"serverless deploy": {"classes": ("deploy", "network")}},
    },
    "set": {
        "family": "environment",
        "handler": "export",
        "names_only": True,
        "examples": {
            "set -e": {"classes": ("read-only",)},
            "set": {"classes": ("env-dump", "secret-read")},
        },
    },
    "setfacl": {
        "family": "files",
        "handler": "chmod",
        "examples": {"setfacl -b a.txt": {"classes": ("file-write",), "writes": ("a.txt",)}},
    },
    "sftp": {
        "credential_options": "-i -F",
        "family": "network",
        "handler": "remote_copy",
        "values": (
            "-e --rsh -i -P -p -F -o -c -l -S -J --port --exclude --include --filter "
            "-f --timeout --password-file --files-from --exclude-from --include-from "
            "--log-file --backup-dir --temp-dir --partial-dir --chmod --chown -T "
            "--bwlimit --max-size --min-size"
        ),
        "examples": {"sftp host:f.txt .": {"classes": ("file-write", "network"), "writes": (".",)}},
    },
    "sha1sum": {
        "classes": ("read-only",),
        "reader": {},
        "examples": {"sha1sum a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "sha256sum": {
        "classes": ("read-only",),
        "reader": {},
        "examples": {"sha256sum a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "sha512sum": {
        "classes": ("read-only",),
        "reader": {},
        "examples": {"sha512sum a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "shift": {"classes": ("read-only",), "examples": {"shift": {"classes": ("read-only",)}}},
    "shred": {
        "family": "files",
        "handler": "rm",
        "values": "-n --iterations -s --size",
        "names_only": True,
        "examples": {
            "shred a.txt": {"classes": ("file-write",), "writes": ("a.txt",)},
            "shred -u a.txt": {"classes": ("file-delete",), "deletes": ("a.txt",)},
        },
    },
    "shuf": {
        "family": "text",
        "handler": "output_option",
        "output_options": "-o --output",
        "examples": {
            "shuf -o out.txt in.txt": {"classes": ("file-write",), "writes": ("out.txt",)},
            "shuf in.txt": {"classes": ()},
        },
    },
    "sleep": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"sleep": {"classes": ("read-only",)}},
    },
    "sls": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": "deploy remove rollback"},
        "examples": {
            "sls deploy": {"classes": ("deploy", "network")},
            "sls info": {"classes": ("network",)},
        },
    },
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
        "examples": {
            "snap install jq": {"classes": ("network", "package-install")},
            "snap list": {"classes": ()},
        },
    },
    "socat": {
        "classes": ("network",),
        "examples": {"socat example.com": {"classes": ("network",)}},
    },
    "sort": {
        "family": "text",
        "handler": "sort_split",
        "reader": {"values": "--field-separator --key --output --parallel -S -T -k -o -t"},
        "examples": {
            "sort in.txt": {"classes": ("read-only",), "reads": ("in.txt",)},
            "sort -o out.txt in.txt": {
                "classes": ("file-write",),
                "writes": ("out.txt",),
                "reads": ("in.txt",),
            },
        },
    },
    "source": {
        "reader": {},
        "prints_reads": True,
        "examples": {"source ./env.sh": {"classes": ("opaque",), "reads": ("env.sh",)}},
    },
    "split": {
        "family": "text",
        "handler": "sort_split",
        "values": (
            "-a -b -C -l -n -t --additional-suffix --numeric-suffixes --hex-suffixes "
            "--suffix-length --bytes --line-bytes --lines --number --separator "
            "--filter"
        ),
        "examples": {
            "split -l 100 in.txt part": {
                "classes": ("file-write",),
                "writes": ("partaa",),
                "reads": ("in.txt",),
            }
        },
    },
    # Data clients (shell/programs/data.py): a network service; production data when the
    # target names a production host or variable.
    "clickhouse": {
        "family": "data",
        "handler": "client_or_local",
        "names_only": True,
        "values": (
            "-h --host --port -u --user --password -d --database -q --query "
            "--queries-file --config-file -C --format -f"
        ),
        "read_options": "--queries-file --config-file -C",
        "host_options": "-h --host",
        "local_verbs": "local",
        "examples": {
            "clickhouse client -h localhost -q 'select 1'": {
                "classes": ("network",),
            },
            "clickhouse client --host=clickhouse.prod.example.com": {
                "classes": ("network", "production-data"),
            },
            "clickhouse local -q 'select 1'": {
                "classes": ("opaque",),
            },
        },
    },
    "clickhouse-client": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-h --host --port -u --user --password -d --database -q --query "
            "--queries-file --config-file -C --format -f"
        ),
        "read_options": "--queries-file --config-file -C",
        "host_options": "-h --host",
        "profile_options": "--config-file -C",
        "examples": {
            "clickhouse-client -h localhost -q 'select 1'": {
                "classes": ("network",),
            },
            "clickhouse-client --host ch-prod-1 --queries-file drop.sql": {
                "classes": ("network", "production-data"),
                "reads": ("drop.sql",),
            },
            "clickhouse-client --config-file prod.xml -q 'select 1'": {
                "classes": ("network", "production-data"),
                "reads": ("prod.xml",),
            },
        },
    },
    "cqlsh": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-u --username -p --password -k --keyspace -e --execute -f --file "
            "--cqlshrc --request-timeout --connect-timeout"
        ),
        "read_options": "-f --file --cqlshrc",
        "host_operands": True,
        "host_variables": "CQLSH_HOST",
        "credential_options": "--cqlshrc",
        "examples": {
            "cqlsh localhost -e 'describe keyspaces'": {
                "classes": ("network",),
            },
            "cqlsh cassandra.prod.example.com -f migrate.cql": {
                "classes": ("network", "production-data"),
                "reads": ("migrate.cql",),
            },
            "CQLSH_HOST=cassandra-prod-1 cqlsh -e 'describe keyspaces'": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "influx": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--host -host -t --token -o --org -b --bucket -f --file --configs-path "
            "-c --active-config -database -execute"
        ),
        "read_options": "-f --file --configs-path",
        "host_options": "--host -host",
        "host_variables": "INFLUX_HOST",
        "profile_options": "-c --active-config",
        "examples": {
            "influx query --host http://localhost:8086 -f q.flux": {
                "classes": ("network",),
                "reads": ("q.flux",),
            },
            "influx delete --host https://influx.prod.example.com --bucket app": {
                "classes": ("network", "production-data"),
            },
            "influx query -c production -f q.flux": {
                "classes": ("network", "production-data"),
                "reads": ("q.flux",),
            },
        },
    },
    "kafka-acls": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--bootstrap-server --broker-list --zookeeper --topic --group "
            "--producer.config --consumer.config --command-config --property "
            "--partition --offset --max-messages --timeout-ms --offset-json-file "
            "--config --entity-type --entity-name --add-config "
            "--reassignment-json-file"
        ),
        "read_options": (
            "--producer.config --consumer.config --command-config "
            "--offset-json-file --reassignment-json-file"
        ),
        "host_options": "--bootstrap-server --broker-list --zookeeper",
        "profile_options": "--command-config --producer.config --consumer.config",
        "credential_options": "--producer.config --consumer.config --command-config",
        "examples": {
            "kafka-acls --bootstrap-server localhost:9092 --topic t": {
                "classes": ("network",),
            },
            "kafka-acls --bootstrap-server kafka-prod-1:9092,k2:9092": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kafka-acls.sh": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--bootstrap-server --broker-list --zookeeper --topic --group "
            "--producer.config --consumer.config --command-config --property "
            "--partition --offset --max-messages --timeout-ms --offset-json-file "
            "--config --entity-type --entity-name --add-config "
            "--reassignment-json-file"
        ),
        "read_options": (
            "--producer.config --consumer.config --command-config "
            "--offset-json-file --reassignment-json-file"
        ),
        "host_options": "--bootstrap-server --broker-list --zookeeper",
        "profile_options": "--command-config --producer.config --consumer.config",
        "credential_options": "--producer.config --consumer.config --command-config",
        "examples": {
            "kafka-acls.sh --bootstrap-server localhost:9092 --topic t": {
                "classes": ("network",),
            },
            "kafka-acls.sh --bootstrap-server kafka-prod-1:9092,k2:9092": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kafka-configs": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--bootstrap-server --broker-list --zookeeper --topic --group "
            "--producer.config --consumer.config --command-config --property "
            "--partition --offset --max-messages --timeout-ms --offset-json-file "
            "--config --entity-type --entity-name --add-config "
            "--reassignment-json-file"
        ),
        "read_options": (
            "--producer.config --consumer.config --command-config "
            "--offset-json-file --reassignment-json-file"
        ),
        "host_options": "--bootstrap-server --broker-list --zookeeper",
        "profile_options": "--command-config --producer.config --consumer.config",
        "credential_options": "--producer.config --consumer.config --command-config",
        "examples": {
            "kafka-configs --bootstrap-server localhost:9092 --topic t": {
                "classes": ("network",),
            },
            "kafka-configs --bootstrap-server kafka-prod-1:9092,k2:9092": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kafka-configs.sh": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--bootstrap-server --broker-list --zookeeper --topic --group "
            "--producer.config --consumer.config --command-config --property "
            "--partition --offset --max-messages --timeout-ms --offset-json-file "
            "--config --entity-type --entity-name --add-config "
            "--reassignment-json-file"
        ),
        "read_options": (
            "--producer.config --consumer.config --command-config "
            "--offset-json-file --reassignment-json-file"
        ),
        "host_options": "--bootstrap-server --broker-list --zookeeper",
        "profile_options": "--command-config --producer.config --consumer.config",
        "credential_options": "--producer.config --consumer.config --command-config",
        "examples": {
            "kafka-configs.sh --bootstrap-server localhost:9092 --topic t": {
                "classes": ("network",),
            },
            "kafka-configs.sh --bootstrap-server kafka-prod-1:9092,k2:9092": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kafka-console-consumer": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--bootstrap-server --broker-list --zookeeper --topic --group "
            "--producer.config --consumer.config --command-config --property "
            "--partition --offset --max-messages --timeout-ms --offset-json-file "
            "--config --entity-type --entity-name --add-config "
            "--reassignment-json-file"
        ),
        "read_options": (
            "--producer.config --consumer.config --command-config "
            "--offset-json-file --reassignment-json-file"
        ),
        "host_options": "--bootstrap-server --broker-list --zookeeper",
        "profile_options": "--command-config --producer.config --consumer.config",
        "credential_options": "--producer.config --consumer.config --command-config",
        "examples": {
            "kafka-console-consumer --bootstrap-server localhost:9092 --topic t": {
                "classes": ("network",),
            },
            "kafka-console-consumer --bootstrap-server kafka-prod-1:9092,k2:9092": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kafka-console-consumer.sh": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--bootstrap-server --broker-list --zookeeper --topic --group "
            "--producer.config --consumer.config --command-config --property "
            "--partition --offset --max-messages --timeout-ms --offset-json-file "
            "--config --entity-type --entity-name --add-config "
            "--reassignment-json-file"
        ),
        "read_options": (
            "--producer.config --consumer.config --command-config "
            "--offset-json-file --reassignment-json-file"
        ),
        "host_options": "--bootstrap-server --broker-list --zookeeper",
        "profile_options": "--command-config --producer.config --consumer.config",
        "credential_options": "--producer.config --consumer.config --command-config",
        "examples": {
            "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t": {
                "classes": ("network",),
            },
            "kafka-console-consumer.sh --bootstrap-server kafka-prod-1:9092,k2:9092": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kafka-console-producer": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--bootstrap-server --broker-list --zookeeper --topic --group "
            "--producer.config --consumer.config --command-config --property "
            "--partition --offset --max-messages --timeout-ms --offset-json-file "
            "--config --entity-type --entity-name --add-config "
            "--reassignment-json-file"
        ),
        "read_options": (
            "--producer.config --consumer.config --command-config "
            "--offset-json-file --reassignment-json-file"
        ),
        "host_options": "--bootstrap-server --broker-list --zookeeper",
        "profile_options": "--command-config --producer.config --consumer.config",
        "credential_options": "--producer.config --consumer.config --command-config",
        "examples": {
            "kafka-console-producer --bootstrap-server localhost:9092 --topic t": {
                "classes": ("network",),
            },
            "kafka-console-producer --bootstrap-server kafka-prod-1:9092,k2:9092": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kafka-console-producer.sh": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--bootstrap-server --broker-list --zookeeper --topic --group "
            "--producer.config --consumer.config --command-config --property "
            "--partition --offset --max-messages --timeout-ms --offset-json-file "
            "--config --entity-type --entity-name --add-config "
            "--reassignment-json-file"
        ),
        "read_options": (
            "--producer.config --consumer.config --command-config "
            "--offset-json-file --reassignment-json-file"
        ),
        "host_options": "--bootstrap-server --broker-list --zookeeper",
        "profile_options": "--command-config --producer.config --consumer.config",
        "credential_options": "--producer.config --consumer.config --command-config",
        "examples": {
            "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t": {
                "classes": ("network",),
            },
            "kafka-console-producer.sh --bootstrap-server kafka-prod-1:9092,k2:9092": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kafka-consumer-groups": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--bootstrap-server --broker-list --zookeeper --topic --group "
            "--producer.config --consumer.config --command-config --property "
            "--partition --offset --max-messages --timeout-ms --offset-json-file "
            "--config --entity-type --entity-name --add-config "
            "--reassignment-json-file"
        ),
        "read_options": (
            "--producer.config --consumer.config --command-config "
            "--offset-json-file --reassignment-json-file"
        ),
        "host_options": "--bootstrap-server --broker-list --zookeeper",
        "profile_options": "--command-config --producer.config --consumer.config",
        "credential_options": "--producer.config --consumer.config --command-config",
        "examples": {
            "kafka-consumer-groups --bootstrap-server localhost:9092 --topic t": {
                "classes": ("network",),
            },
            "kafka-consumer-groups --bootstrap-server kafka-prod-1:9092,k2:9092": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kafka-consumer-groups.sh": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--bootstrap-server --broker-list --zookeeper --topic --group "
            "--producer.config --consumer.config --command-config --property "
            "--partition --offset --max-messages --timeout-ms --offset-json-file "
            "--config --entity-type --entity-name --add-config "
            "--reassignment-json-file"
        ),
        "read_options": (
            "--producer.config --consumer.config --command-config "
            "--offset-json-file --reassignment-json-file"
        ),
        "host_options": "--bootstrap-server --broker-list --zookeeper",
        "profile_options": "--command-config --producer.config --consumer.config",
        "credential_options": "--producer.config --consumer.config --command-config",
        "examples": {
            "kafka-consumer-groups.sh --bootstrap-server localhost:9092 --topic t": {
                "classes": ("network",),
            },
            "kafka-consumer-groups.sh --bootstrap-server kafka-prod-1:9092,k2:9092": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kafka-delete-records": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--bootstrap-server --broker-list --zookeeper --topic --group "
            "--producer.config --consumer.config --command-config --property "
            "--partition --offset --max-messages --timeout-ms --offset-json-file "
            "--config --entity-type --entity-name --add-config "
            "--reassignment-json-file"
        ),
        "read_options": (
            "--producer.config --consumer.config --command-config "
            "--offset-json-file --reassignment-json-file"
        ),
        "host_options": "--bootstrap-server --broker-list --zookeeper",
        "profile_options": "--command-config --producer.config --consumer.config",
        "credential_options": "--producer.config --consumer.config --command-config",
        "examples": {
            "kafka-delete-records --bootstrap-server localhost:9092 --topic t": {
                "classes": ("network",),
            },
            "kafka-delete-records --bootstrap-server kafka-prod-1:9092,k2:9092": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kafka-delete-records.sh": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--bootstrap-server --broker-list --zookeeper --topic --group "
            "--producer.config --consumer.config --command-config --property "
            "--partition --offset --max-messages --timeout-ms --offset-json-file "
            "--config --entity-type --entity-name --add-config "
            "--reassignment-json-file"
        ),
        "read_options": (
            "--producer.config --consumer.config --command-config "
            "--offset-json-file --reassignment-json-file"
        ),
        "host_options": "--bootstrap-server --broker-list --zookeeper",
        "profile_options": "--command-config --producer.config --consumer.config",
        "credential_options": "--producer.config --consumer.config --command-config",
        "examples": {
            "kafka-delete-records.sh --bootstrap-server localhost:9092 --topic t": {
                "classes": ("network",),
            },
            "kafka-delete-records.sh --bootstrap-server kafka-prod-1:9092,k2:9092": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kafka-reassign-partitions": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--bootstrap-server --broker-list --zookeeper --topic --group "
            "--producer.config --consumer.config --command-config --property "
            "--partition --offset --max-messages --timeout-ms --offset-json-file "
            "--config --entity-type --entity-name --add-config "
            "--reassignment-json-file"
        ),
        "read_options": (
            "--producer.config --consumer.config --command-config "
            "--offset-json-file --reassignment-json-file"
        ),
        "host_options": "--bootstrap-server --broker-list --zookeeper",
        "profile_options": "--command-config --producer.config --consumer.config",
        "credential_options": "--producer.config --consumer.config --command-config",
        "examples": {
            "kafka-reassign-partitions --bootstrap-server localhost:9092 --topic t": {
                "classes": ("network",),
            },
            "kafka-reassign-partitions --bootstrap-server kafka-prod-1:9092,k2:9092": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kafka-reassign-partitions.sh": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--bootstrap-server --broker-list --zookeeper --topic --group "
            "--producer.config --consumer.config --command-config --property "
            "--partition --offset --max-messages --timeout-ms --offset-json-file "
            "--config --entity-type --entity-name --add-config "
            "--reassignment-json-file"
        ),
        "read_options": (
            "--producer.config --consumer.config --command-config "
            "--offset-json-file --reassignment-json-file"
        ),
        "host_options": "--bootstrap-server --broker-list --zookeeper",
        "profile_options": "--command-config --producer.config --consumer.config",
        "credential_options": "--producer.config --consumer.config --command-config",
        "examples": {
            "kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --topic t": {
                "classes": ("network",),
            },
            "kafka-reassign-partitions.sh --bootstrap-server kafka-prod-1:9092,k2:9092": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kafka-topics": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--bootstrap-server --broker-list --zookeeper --topic --group "
            "--producer.config --consumer.config --command-config --property "
            "--partition --offset --max-messages --timeout-ms --offset-json-file "
            "--config --entity-type --entity-name --add-config "
            "--reassignment-json-file"
        ),
        "read_options": (
            "--producer.config --consumer.config --command-config "
            "--offset-json-file --reassignment-json-file"
        ),
        "host_options": "--bootstrap-server --broker-list --zookeeper",
        "profile_options": "--command-config --producer.config --consumer.config",
        "credential_options": "--producer.config --consumer.config --command-config",
        "examples": {
            "kafka-topics --bootstrap-server localhost:9092 --topic t": {
                "classes": ("network",),
            },
            "kafka-topics --bootstrap-server kafka-prod-1:9092,k2:9092": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kafka-topics.sh": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--bootstrap-server --broker-list --zookeeper --topic --group "
            "--producer.config --consumer.config --command-config --property "
            "--partition --offset --max-messages --timeout-ms --offset-json-file "
            "--config --entity-type --entity-name --add-config "
            "--reassignment-json-file"
        ),
        "read_options": (
            "--producer.config --consumer.config --command-config "
            "--offset-json-file --reassignment-json-file"
        ),
        "host_options": "--bootstrap-server --broker-list --zookeeper",
        "profile_options": "--command-config --producer.config --consumer.config",
        "credential_options": "--producer.config --consumer.config --command-config",
        "examples": {
            "kafka-topics.sh --bootstrap-server localhost:9092 --topic t": {
                "classes": ("network",),
            },
            "kafka-topics.sh --bootstrap-server kafka-prod-1:9092,k2:9092": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kafkacat": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": "-b -t -p -o -F -X -G -c -K -D -s -f",
        "read_options": "-F",
        "host_options": "-b",
        "credential_options": "-F",
        "examples": {
            "kafkacat -b localhost:9092 -t orders -C": {
                "classes": ("network",),
            },
            "kafkacat -b broker.production.example.com:9092 -t orders -P": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "kcat": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": "-b -t -p -o -F -X -G -c -K -D -s -f",
        "read_options": "-F",
        "host_options": "-b",
        "profile_options": "-F",
        "credential_options": "-F",
        "examples": {
            "kcat -b localhost:9092 -t orders -C": {
                "classes": ("network",),
            },
            "kcat -b broker.production.example.com:9092 -t orders -P": {
                "classes": ("network", "production-data"),
            },
            "kcat -F prod.conf -t orders -C": {
                "classes": ("network", "production-data"),
                "reads": ("prod.conf",),
            },
        },
    },
    "mariadb": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-h --host -P --port -u --user -D --database -e --execute -S --socket "
            "--defaults-file --defaults-extra-file --tee --login-path"
        ),
        "read_options": "--defaults-file --defaults-extra-file",
        "write_options": "--tee",
        "host_options": "-h --host",
        "profile_options": "--login-path",
        "credential_options": "--defaults-file --defaults-extra-file",
        "host_variables": "MYSQL_HOST",
        "examples": {
            "mariadb -h 127.0.0.1 -e 'show tables' app": {
                "classes": ("network",),
            },
            "mariadb -h prod-db -e 'drop database app'": {
                "classes": ("network", "production-data"),
            },
            "mariadb --defaults-file=ci.cnf --tee=session.log app": {
                "classes": ("file-write", "network"),
                "reads": ("ci.cnf",),
                "writes": ("session.log",),
            },
        },
    },
    "mariadb-dump": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-h --host -P --port -u --user -r --result-file -S --socket "
            "--defaults-file --defaults-extra-file -T --tab --where -w"
        ),
        "read_options": "--defaults-file --defaults-extra-file",
        "write_options": "-r --result-file -T --tab",
        "host_options": "-h --host",
        "credential_options": "--defaults-file --defaults-extra-file",
        "host_variables": "MYSQL_HOST",
        "examples": {
            "mariadb-dump -h localhost -r dump.sql app": {
                "classes": ("file-write", "network"),
                "writes": ("dump.sql",),
            },
            "mariadb-dump -h mysql.production.example.com app": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "mongo": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--host --port -u --username -p --password --eval -f --file "
            "--authenticationDatabase --tlsCertificateKeyFile --tlsCAFile"
        ),
        "read_options": "-f --file",
        "host_options": "--host",
        "host_operands": True,
        "credential_options": "--tlsCertificateKeyFile",
        "examples": {
            "mongo --eval 'db.stats()' mongodb://localhost/app": {
                "classes": ("network",),
            },
            'mongo "$MONGO_URL_PROD"': {
                "classes": ("network", "production-data"),
            },
            "mongo mongodb+srv://app:pw@cluster0.prod.example.net/app": {
                "classes": ("network", "production-data"),
            },
            "mongo --file seed.js mongodb://localhost/app": {
                "classes": ("network",),
                "reads": ("seed.js",),
            },
        },
    },
    "mongodump": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--uri -h --host --port -d --db -c --collection -o --out -q --query -f "
            "--fields --type -u --username -p --password --file --archive --gzip "
            "--dir"
        ),
        "read_options": "--file --dir",
        "write_options": "-o --out",
        "host_options": "--uri -h --host",
        "examples": {
            "mongodump --uri mongodb://localhost/app -o backup": {
                "classes": ("file-write", "network"),
                "writes": ("backup",),
            },
            "mongodump --uri mongodb+srv://app@prod-cluster.example.net/app": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "mongoexport": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--uri -h --host --port -d --db -c --collection -o --out -q --query -f "
            "--fields --type -u --username -p --password --file --archive --gzip "
            "--dir"
        ),
        "read_options": "--file --dir",
        "write_options": "-o --out",
        "host_options": "--uri -h --host",
        "examples": {
            "mongoexport --uri mongodb://localhost/app -c users -o users.json": {
                "classes": ("file-write", "network"),
                "writes": ("users.json",),
            },
            "mongoexport --host live-mongo -c users": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "mongoimport": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--uri -h --host --port -d --db -c --collection -o --out -q --query -f "
            "--fields --type -u --username -p --password --file --archive --gzip "
            "--dir"
        ),
        "read_options": "--file --dir",
        "write_options": "-o --out",
        "host_options": "--uri -h --host",
        "examples": {
            "mongoimport --uri mongodb://localhost/app -c users --file users.json": {
                "classes": ("network",),
                "reads": ("users.json",),
            },
        },
    },
    "mongorestore": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--uri -h --host --port -d --db -c --collection -o --out -q --query -f "
            "--fields --type -u --username -p --password --file --archive --gzip "
            "--dir"
        ),
        "read_options": "--file --dir",
        "write_options": "-o --out",
        "host_options": "--uri -h --host",
        "examples": {
            "mongorestore --uri mongodb://localhost/app --dir backup": {
                "classes": ("network",),
                "reads": ("backup",),
            },
        },
    },
    "mongosh": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "--host --port -u --username -p --password --eval -f --file "
            "--authenticationDatabase --tlsCertificateKeyFile --tlsCAFile"
        ),
        "read_options": "-f --file",
        "host_options": "--host",
        "host_operands": True,
        "credential_options": "--tlsCertificateKeyFile",
        "examples": {
            "mongosh --eval 'db.stats()' mongodb://localhost/app": {
                "classes": ("network",),
            },
            'mongosh "$MONGO_URL_PROD"': {
                "classes": ("network", "production-data"),
            },
            "mongosh mongodb+srv://app:pw@cluster0.prod.example.net/app": {
                "classes": ("network", "production-data"),
            },
            "mongosh --file seed.js mongodb://localhost/app": {
                "classes": ("network",),
                "reads": ("seed.js",),
            },
        },
    },
    "mysql": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-h --host -P --port -u --user -D --database -e --execute -S --socket "
            "--defaults-file --defaults-extra-file --tee --login-path"
        ),
        "read_options": "--defaults-file --defaults-extra-file",
        "write_options": "--tee",
        "host_options": "-h --host",
        "profile_options": "--login-path",
        "credential_options": "--defaults-file --defaults-extra-file",
        "host_variables": "MYSQL_HOST",
        "examples": {
            "mysql -h 127.0.0.1 -e 'show tables' app": {
                "classes": ("network",),
            },
            "mysql -h prod-db -e 'drop database app'": {
                "classes": ("network", "production-data"),
            },
            "mysql --defaults-file=ci.cnf --tee=session.log app": {
                "classes": ("file-write", "network"),
                "reads": ("ci.cnf",),
                "writes": ("session.log",),
            },
            "mysql --login-path=production app": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "mysqldump": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-h --host -P --port -u --user -r --result-file -S --socket "
            "--defaults-file --defaults-extra-file -T --tab --where -w"
        ),
        "read_options": "--defaults-file --defaults-extra-file",
        "write_options": "-r --result-file -T --tab",
        "host_options": "-h --host",
        "credential_options": "--defaults-file --defaults-extra-file",
        "host_variables": "MYSQL_HOST",
        "examples": {
            "mysqldump -h localhost -r dump.sql app": {
                "classes": ("file-write", "network"),
                "writes": ("dump.sql",),
            },
            "mysqldump -h mysql.production.example.com app": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "nats": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-s --server --creds --nkey --tlscert --tlskey --tlsca --context --user --password"
        ),
        "read_options": "--creds --nkey",
        "host_options": "-s --server",
        "profile_options": "--context",
        "credential_options": "--creds --nkey --tlscert --tlskey",
        "examples": {
            "nats pub -s nats://localhost:4222 orders hi": {
                "classes": ("network",),
            },
            "nats pub -s nats://prod-nats:4222 orders hi": {
                "classes": ("network", "production-data"),
            },
            "nats pub --context prod orders hi": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "pg_dump": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-h --host -p --port -U --username -d --dbname -f --file -t --table -n "
            "--schema -F --format -j --jobs -Z --compress -T --exclude-table -N "
            "--exclude-schema -E --encoding"
        ),
        "write_options": "-f --file",
        "host_options": "-h --host -d --dbname",
        "host_variables": "PGHOST PGHOSTADDR PGSERVICE",
        "examples": {
            "pg_dump -h localhost -f dump.sql": {
                "classes": ("file-write", "network"),
                "writes": ("dump.sql",),
            },
            "pg_dump -h prod-db -f dump.sql": {
                "classes": ("file-write", "network", "production-data"),
                "writes": ("dump.sql",),
            },
        },
    },
    "pg_dumpall": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-h --host -p --port -U --username -d --dbname -f --file -t --table -n "
            "--schema -F --format -j --jobs -Z --compress -T --exclude-table -N "
            "--exclude-schema -E --encoding"
        ),
        "write_options": "-f --file",
        "host_options": "-h --host -d --dbname",
        "host_variables": "PGHOST PGHOSTADDR PGSERVICE",
        "examples": {
            "pg_dumpall -h localhost -f dump.sql": {
                "classes": ("file-write", "network"),
                "writes": ("dump.sql",),
            },
            "pg_dumpall -h prod-db -f dump.sql": {
                "classes": ("file-write", "network", "production-data"),
                "writes": ("dump.sql",),
            },
        },
    },
    "pg_restore": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-h --host -p --port -U --username -d --dbname -f --file -t --table -n "
            "--schema -j --jobs -F --format -L --use-list -I --index -P --function "
            "-T --trigger"
        ),
        "read_options": "-L --use-list",
        "write_options": "-f --file",
        "host_options": "-h --host -d --dbname",
        "reads_operands": True,
        "host_variables": "PGHOST PGHOSTADDR PGSERVICE",
        "examples": {
            "pg_restore -h localhost -d app app.dump": {
                "classes": ("network",),
                "reads": ("app.dump",),
            },
            "pg_restore -d postgres://admin@prod-db.example.com/app app.dump": {
                "classes": ("network", "production-data"),
                "reads": ("app.dump",),
            },
        },
    },
    "psql": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-h --host -p --port -U --username -d --dbname -c --command -f --file "
            "-o --output -L --log-file -v --set --variable -P --pset -F "
            "--field-separator -R --record-separator"
        ),
        "read_options": "-f --file",
        "write_options": "-o --output -L --log-file",
        "host_options": "-h --host",
        "host_variables": "PGHOST PGHOSTADDR PGSERVICE",
        "examples": {
            "psql -h db.internal -c 'select 1'": {
                "classes": ("network",),
            },
            "psql -f schema.sql app": {
                "classes": ("network",),
                "reads": ("schema.sql",),
            },
            "psql -o out.txt -c 'select 1'": {
                "classes": ("file-write", "network"),
                "writes": ("out.txt",),
            },
            "psql -h prod-db.internal -c 'drop table users'": {
                "classes": ("network", "production-data"),
            },
            "psql postgres://app@db.prod.example.com/app": {
                "classes": ("network", "production-data"),
            },
            'psql "$DATABASE_URL_PROD" -c "select 1"': {
                "classes": ("network", "production-data"),
            },
            "psql --host=product-db -c 'select 1'": {
                "classes": ("network",),
            },
            "PGHOST=prod-db.internal psql -c 'drop table users'": {
                "classes": ("network", "production-data"),
            },
            "psql 'host=prod-db.internal dbname=app'": {
                "classes": ("network", "production-data"),
            },
            "psql 'host=localhost dbname=app'": {
                "classes": ("network",),
            },
            "PGSERVICE=production psql -c 'select 1'": {
                "classes": ("network", "production-data"),
            },
            "psql 'service=prod dbname=app'": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "rabbitmqadmin": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-H --host -P --port -u --username -p --password -V --vhost -c "
            "--config -N --node -f --format"
        ),
        "read_options": "-c --config",
        "host_options": "-H --host",
        "profile_options": "-N --node -c --config",
        "examples": {
            "rabbitmqadmin -H localhost list queues": {
                "classes": ("network",),
            },
            "rabbitmqadmin -H rabbit-prod.internal purge queue name=orders": {
                "classes": ("network", "production-data"),
            },
            "rabbitmqadmin -N production list queues": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "redis-cli": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-h -p -a -u -n -s --user --pass --rdb --functions-rdb --tls --cacert "
            "--cert --key -i -r"
        ),
        "write_options": "--rdb --functions-rdb",
        "host_options": "-h -u",
        "credential_options": "--cert --key",
        "examples": {
            "redis-cli -h localhost ping": {
                "classes": ("network",),
            },
            "redis-cli -u redis://prod-cache:6379 FLUSHALL": {
                "classes": ("network", "production-data"),
            },
            "redis-cli -h cache.prd.example.com KEYS '*'": {
                "classes": ("network", "production-data"),
            },
            "redis-cli --rdb dump.rdb": {
                "classes": ("file-write", "network"),
                "writes": ("dump.rdb",),
            },
        },
    },
    "sqlcmd": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": "-S -U -P -d -Q -q -i -o -H -l -t -s -W -h",
        "read_options": "-i",
        "write_options": "-o",
        "host_options": "-S",
        "host_variables": "SQLCMDSERVER",
        "examples": {
            "sqlcmd -S localhost -i setup.sql": {
                "classes": ("network",),
                "reads": ("setup.sql",),
            },
            "sqlcmd -S prod-sql.example.com -Q 'select 1' -o out.txt": {
                "classes": ("file-write", "network", "production-data"),
                "writes": ("out.txt",),
            },
            "sqlcmd -S tcp:app-prod.database.windows.net,1433 -Q 'select 1'": {
                "classes": ("network", "production-data"),
            },
            "SQLCMDSERVER=sql-prod-1 sqlcmd -Q 'select 1'": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "usql": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": "-c --command -f --file -o --out -J -C -v --set -P --pset",
        "read_options": "-f --file",
        "write_options": "-o --out",
        "host_operands": True,
        "examples": {
            "usql postgres://localhost/app -c 'select 1'": {
                "classes": ("network",),
            },
            "usql postgres://app@prod-db.internal/app -c 'drop table users'": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "valkey-cli": {
        "family": "data",
        "handler": "client",
        "names_only": True,
        "values": (
            "-h -p -a -u -n -s --user --pass --rdb --functions-rdb --tls --cacert "
            "--cert --key -i -r"
        ),
        "write_options": "--rdb --functions-rdb",
        "host_options": "-h -u",
        "credential_options": "--cert --key",
        "examples": {
            "valkey-cli -h localhost ping": {
                "classes": ("network",),
            },
            "valkey-cli -u redis://cache-prod:6379 FLUSHALL": {
                "classes": ("network", "production-data"),
            },
        },
    },
    "sqlite3": {
        "family": "code",
        "handler": "sqlite",
        "examples": {
            "sqlite3 app.db 'select 1'": {"classes": ("file-write",), "writes": ("app.db",)},
            "sqlite3 app.db": {"classes": ("file-write", "opaque"), "writes": ("app.db",)},
        },
    },
    "ssh": {
        "credential_options": "-i -F",
        "family": "network",
        "handler": "ssh",
        "values": "-i -F -p -l -o -L -R -D -J -W -b -c -E -e -m -O -Q -S -w -B -I",
        "examples": {
            "ssh host": {"classes": ("network",)},
            "ssh -i key host uptime": {"classes": ("network",), "reads": ("key",)},
        },
    },
    "ssh-keygen": {
        "family": "network",
        "handler": "ssh_keygen",
        "values": (
            "-f -t -b -C -N -P -F -R -E -O -Z -a -m -n -I -V -z -s -h -w -Y -D -r -g "
            "-M -S -W -G -T -K -j -J"
        ),
        "examples": {
            "ssh-keygen -f key": {"classes": ("file-write",), "writes": ("key", "key.pub")},
            "ssh-keygen -l -f key.pub": {"classes": (), "reads": ("key.pub",)},
        },
    },
    "stat": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"stat": {"classes": ("read-only",)}},
    },
    "strings": {
        "classes": ("read-only",),
        "reader": {"values": "--bytes --encoding --radix -e -n -t"},
        "prints_reads": True,
        "examples": {"strings a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "su": {"privilege": True, "examples": {"su -c ls app": {"classes": ("privilege",)}}},
    "sudo": {
        "names_only": True,
        "privilege": True,
        "examples": {
            "sudo ls": {"classes": ("privilege",)},
            "sudo rm -rf build": {"classes": ("file-delete", "privilege"), "deletes": ("build",)},
        },
    },
    "sudoedit": {
        "privilege": True,
        "examples": {
            "sudoedit /etc/hosts": {
                "classes": ("file-write", "privilege"),
                "writes": ("/etc/hosts",),
                "reads": ("/etc/hosts",),
            }
        },
    },
    "surge": {
        "family": "deploy",
        "handler": "deploy",
        "deploys_always": True,
        "examples": {"surge dist": {"classes": ("deploy", "network")}},
    },
    "tac": {
        "classes": ("read-only",),
        "reader": {"values": "--separator -s"},
        "prints_reads": True,
        "examples": {"tac a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "tail": {
        "classes": ("read-only",),
        "reader": {"values": "--bytes --lines --pid --sleep-interval -c -n -s"},
        "prints_reads": True,
        "examples": {"tail -f log.txt": {"classes": ("read-only",), "reads": ("log.txt",)}},
    },
    "tar": {
        "family": "archives",
        "handler": "tar",
        "examples": {
            "tar czf out.tgz src": {
                "classes": ("file-write",),
                "writes": ("out.tgz",),
                "reads": ("src",),
            },
            "tar -xf pkg.tar -C dst": {
                "classes": ("file-write",),
                "writes": ("dst",),
                "reads": ("pkg.tar",),
            },
            "tar tf pkg.tar": {"classes": ("read-only",), "reads": ("pkg.tar",)},
        },
    },
    "taze": {
        "family": "packages",
        "handler": "upgrader",
        "examples": {"taze": {"classes": ("network",)}},
    },
    "tcc": {
        "family": "code",
        "handler": "compiler",
        "examples": {"tcc -o app main.c": {"classes": ("file-write",), "writes": ("app",)}},
    },
    "tclsh": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "",
        "examples": {"tclsh run.tcl": {"classes": ()}, "tclsh": {"classes": ("opaque",)}},
    },
    "tee": {
        "family": "files",
        "handler": "tee",
        "names_only": True,
        "examples": {
            "tee out.log": {"classes": ("file-write",), "writes": ("out.log",)},
            "tee -a out.log": {"classes": ("file-write",), "writes": ("out.log",)},
        },
    },
    "telnet": {
        "classes": ("network",),
        "examples": {"telnet example.com": {"classes": ("network",)}},
    },
    "terraform": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": ("apply destroy force-unlock import state taint untaint workspace")},
        "examples": {
            "terraform apply": {"classes": ("deploy", "network")},
            "terraform plan": {"classes": ("network",)},
            "terraform workspace list": {"classes": ("network",)},
        },
    },
    "terragrunt": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": "apply destroy import run-all state taint"},
        "examples": {"terragrunt apply": {"classes": ("deploy", "network")}},
    },
    "test": {
        "lenient_exit": True,
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"test": {"classes": ("read-only",)}},
    },
    "tftp": {"classes": ("network",), "examples": {"tftp example.com": {"classes": ("network",)}}},
    "tofu": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {"deploy": ("apply destroy force-unlock import state taint untaint workspace")},
        "examples": {
            "tofu destroy": {"classes": ("deploy", "network")},
            "tofu plan": {"classes": ("network",)},
        },
    },
    "tokei": {"classes": ("read-only",), "examples": {"tokei": {"classes": ("read-only",)}}},
    "touch": {
        "family": "files",
        "handler": "writes_all",
        "values": "--date --reference -d -r -t",
        "names_only": True,
        "examples": {"touch a.txt": {"classes": ("file-write",), "writes": ("a.txt",)}},
    },
    "tput": {"classes": ("read-only",), "examples": {"tput": {"classes": ("read-only",)}}},
    "tr": {"classes": ("read-only",), "examples": {"tr": {"classes": ("read-only",)}}},
    "traceroute": {
        "classes": ("network",),
        "examples": {"traceroute example.com": {"classes": ("network",)}},
    },
    "tree": {
        "classes": ("read-only",),
        "output_options": True,
        "names_only": True,
        "examples": {
            "tree src": {"classes": ("read-only",)},
            "tree -o tree.txt src": {"classes": ("file-write",), "writes": ("tree.txt",)},
        },
    },
    "true": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"true": {"classes": ("read-only",)}},
    },
    "truncate": {
        "family": "files",
        "handler": "writes_all",
        "values": "--reference --size -r -s",
        "names_only": True,
        "examples": {"truncate -s 0 a.txt": {"classes": ("file-write",), "writes": ("a.txt",)}},
    },
    "ts-node": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "--eval --print -e -p",
        "examples": {"ts-node app.ts": {"classes": ()}},
    },
    "tsx": {
        "family": "code",
        "handler": "interpreter",
        "code_flags": "--eval --print -e -p",
        "examples": {
            "tsx app.ts": {"classes": ()},
            "tsx -e 'console.log(1)'": {"classes": ("opaque",)},
        },
    },
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
        "examples": {
            "twine upload dist/*": {"classes": ("deploy", "network")},
            "twine check dist/x.whl": {"classes": ()},
        },
    },
    "type": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"type": {"classes": ("read-only",)}},
    },
    "typeset": {
        "family": "environment",
        "handler": "export",
        "names_only": True,
        "examples": {"typeset -i n=1": {"classes": ("read-only",)}},
    },
    "ugrep": {"search": "ripgrep", "examples": {"ugrep -r TODO src": {"classes": ()}}},
    "ulimit": {"classes": ("read-only",), "examples": {"ulimit": {"classes": ("read-only",)}}},
    "umask": {"classes": ("read-only",), "examples": {"umask": {"classes": ("read-only",)}}},
    "uname": {"classes": ("read-only",), "examples": {"uname": {"classes": ("read-only",)}}},
    "unexpand": {
        "classes": ("read-only",),
        "reader": {"values": "-t"},
        "examples": {"unexpand a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "uniq": {
        "classes": ("read-only",),
        "reader": {"values": "--check-chars --skip-chars --skip-fields -f -s -w"},
        "examples": {
            "uniq in.txt out.txt": {
                "classes": ("file-write",),
                "writes": ("out.txt",),
                "reads": ("in.txt",),
            }
        },
    },
    "unlink": {
        "family": "files",
        "handler": "rm",
        "values": "-n --iterations -s --size",
        "names_only": True,
        "examples": {"unlink a.txt": {"classes": ("file-delete",), "deletes": ("a.txt",)}},
    },
    "unset": {
        "family": "environment",
        "handler": "export",
        "names_only": True,
        "examples": {
            "unset FOO": {"classes": ("read-only",)},
            "unset AGENTGUARD_OFF": {"classes": ("guard-tamper",)},
        },
    },
    "unxz": {
        "family": "archives",
        "handler": "archive_tool",
        "values": "-d -x -i -P -S --suffix",
        "examples": {
            "unxz data.xz": {
                "classes": ("file-delete", "file-write"),
                "writes": ("data.xz",),
                "deletes": ("data.xz",),
            }
        },
    },
    "unzip": {
        "family": "archives",
        "handler": "archive_tool",
        "values": "-d -x -i -P -S --suffix",
        "examples": {
            "unzip -d out pkg.zip": {
                "classes": ("file-write",),
                "writes": ("out",),
                "reads": ("pkg.zip",),
            },
            "unzip -l pkg.zip": {"classes": ("read-only",)},
        },
    },
    "uptime": {"classes": ("read-only",), "examples": {"uptime": {"classes": ("read-only",)}}},
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
        "examples": {
            "uv add requests": {"classes": ("network", "package-install")},
            "uv run pytest": {"classes": ()},
            "uv pip install x": {"classes": ("network", "package-install")},
            "uv lock": {"classes": ("network",)},
            "uv venv": {"classes": ()},
        },
    },
    "vc": {
        "family": "deploy",
        "handler": "deploy",
        "examples": {"vc deploy": {"classes": ("deploy", "network")}},
    },
    "vercel": {
        "family": "deploy",
        "handler": "deploy",
        "examples": {
            "vercel --prod": {"classes": ("deploy", "network")},
            "vercel": {"classes": ("deploy", "network")},
            "vercel env ls": {"classes": ("network",)},
        },
    },
    "vi": {
        "family": "code",
        "handler": "editor",
        "code_flags": "--cmd -S -T -U -W -c -i -s -u -w",
        "examples": {
            "vi a.txt": {"classes": ("file-write",), "writes": ("a.txt",), "reads": ("a.txt",)}
        },
    },
    "view": {
        "family": "code",
        "handler": "editor",
        "code_flags": "--cmd -S -T -U -W -c -i -s -u -w",
        "examples": {
            "view a.txt": {"classes": ("file-write",), "writes": ("a.txt",), "reads": ("a.txt",)}
        },
    },
    "vim": {
        "family": "code",
        "handler": "editor",
        "code_flags": "--cmd -S -T -U -W -c -i -s -u -w",
        "examples": {
            "vim a.txt": {"classes": ("file-write",), "writes": ("a.txt",), "reads": ("a.txt",)},
            "vim -c ':!id' a.txt": {
                "classes": ("file-write", "opaque"),
                "writes": ("a.txt",),
                "reads": ("a.txt",),
            },
        },
    },
    "vimdiff": {
        "family": "code",
        "handler": "editor",
        "code_flags": "--cmd -S -T -U -W -c -i -s -u -w",
        "examples": {
            "vimdiff a.txt b.txt": {
                "classes": ("file-write",),
                "writes": ("a.txt", "b.txt"),
                "reads": ("a.txt", "b.txt"),
            }
        },
    },
    "vitest": {
        "classes": (),
        "examples": {
            "vitest run tests/search.spec.ts": {"classes": ()},
            "vitest --run": {"classes": ()},
        },
    },
    "w3m": {"classes": ("network",), "examples": {"w3m example.com": {"classes": ("network",)}}},
    "wait": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"wait": {"classes": ("read-only",)}},
    },
    "wc": {
        "classes": ("read-only",),
        "reader": {},
        "examples": {"wc -l a.txt": {"classes": ("read-only",), "reads": ("a.txt",)}},
    },
    "wget": {
        "credential_options": "--certificate --private-key --ca-certificate",
        "family": "network",
        "handler": "wget",
        "values": (
            "-O --output-document -o --output-file -P --directory-prefix -i "
            "--input-file --post-file --body-file -a --append-output -U --user-agent "
            "--header -t -T"
        ),
        "examples": {
            "wget https://example.com/f.tgz": {
                "classes": ("file-write", "network"),
                "writes": ("f.tgz",),
            },
            "wget -O out.html https://example.com": {
                "classes": ("file-write", "network"),
                "writes": ("out.html",),
            },
        },
    },
    "which": {
        "classes": ("read-only",),
        "names_only": True,
        "examples": {"which": {"classes": ("read-only",)}},
    },
    "whoami": {"classes": ("read-only",), "examples": {"whoami": {"classes": ("read-only",)}}},
    "whois": {
        "classes": ("network",),
        "examples": {"whois example.com": {"classes": ("network",)}},
    },
    "wrangler": {
        "family": "deploy",
        "handler": "deploy",
        "verbs": {
            "deploy": (
                "d1 delete deploy kv kv:bulk kv:key kv:namespace publish queues r2 "
                "rollback secret triggers versions"
            )
        },
        "examples": {
            "wrangler deploy": {"classes": ("deploy", "network")},
            "wrangler pages deploy dist": {"classes": ("deploy", "network")},
            "wrangler dev": {"classes": ("network",)},
        },
    },
    "xh": {"classes": ("network",), "examples": {"xh example.com": {"classes": ("network",)}}},
    "xxd": {
        "classes": ("read-only",),
        "reader": {"values": "-C -c -cols -g -l -len -n -o -s -seek"},
        "prints_reads": True,
        "examples": {
            "xxd in.bin out.hex": {
                "classes": ("file-write",),
                "writes": ("out.hex",),
                "reads": ("in.bin",),
            }
        },
    },
    "xz": {
        "family": "archives",
        "handler": "archive_tool",
        "values": "-d -x -i -P -S --suffix",
        "examples": {
            "xz data.txt": {
                "classes": ("file-delete", "file-write"),
                "writes": ("data.txt",),
                "deletes": ("data.txt",),
            }
        },
    },
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
        "examples": {
            "yarn": {"classes": ("network", "package-install")},
            "yarn add react": {"classes": ("network", "package-install")},
            "yarn test": {"classes": ("read-only",)},
        },
    },
    "yes": {"classes": ("read-only",), "examples": {"yes": {"classes": ("read-only",)}}},
    "yq": {
        "family": "text",
        "handler": "yq",
        "values": (
            "-I --indent -p --input-format -o --output-format --from-file --split-exp "
            "-s --expression --front-matter -f"
        ),
        "examples": {
            "yq '.a' conf.yaml": {"classes": ("read-only",), "reads": ("conf.yaml",)},
            "yq -i '.a = 1' conf.yaml": {
                "classes": ("file-write",),
                "writes": ("conf.yaml",),
                "reads": ("conf.yaml",),
            },
        },
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
        "examples": {"yum install curl": {"classes": ("network", "package-install")}},
    },
    "zgrep": {"search": "grep", "examples": {"zgrep TODO log.gz": {"classes": ()}}},
    "zip": {
        "family": "archives",
        "handler": "archive_tool",
        "values": "-d -x -i -P -S --suffix",
        "examples": {
            "zip out.zip a.txt b.txt": {
                "classes": ("file-write",),
                "writes": ("out.zip",),
                "reads": ("a.txt", "b.txt"),
            }
        },
    },
    "zstd": {
        "family": "archives",
        "handler": "archive_tool",
        "values": "-d -x -i -P -S --suffix",
        "examples": {"zstd -c data.txt": {"classes": (), "reads": ("data.txt",)}},
    },
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
        "examples": {"zypper install curl": {"classes": ("network", "package-install")}},
    },
}

# Programs that run another program, with the shape of their arguments (``shapes.py``
# reads them). Keys of an entry:
# - ``shape``: ``simple`` lets unknown options through as flags; ``strict`` makes a
#   command with an option outside its lists opaque rather than guess at it; ``code``:
#   the handler in ``module`` (``wrappers``, ``shells`` or ``project``) reads the line.
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
    # Wrappers with logic of their own: ``module`` holds the handler (``values``, where
    # given, are the options that take a value, read by that handler).
    "env": {
        "shape": "code",
        "module": "wrappers",
        "examples": {
            "env FOO=1 rm x": "rm x",
            "env -i LANG=C ls": "ls",
            "env -S 'rm x'": "rm x",
            "env": "env",
            "env -Q ls": "opaque",
        },
    },
    "sudo": {
        "shape": "code",
        "module": "wrappers",
        "values": (
            "-u -g -C -D -h -p -r -t -U -T --user --group --chdir --host --prompt --role --type "
            "--other-user --close-from --command-timeout"
        ),
        "examples": {
            "sudo rm -rf /srv": "rm -rf /srv",
            "sudo -u bob ls": "ls",
            "sudo sh -c 'rm x'": "rm x",
            "sudo -s": "opaque",
            "sudo $CMD": "opaque",
        },
    },
    "sudoedit": {
        "shape": "code",
        "module": "wrappers",
        "examples": {"sudoedit /etc/hosts": "sudoedit /etc/hosts"},
    },
    "doas": {"shape": "code", "module": "wrappers", "examples": {"doas -u bob ls": "ls"}},
    "xargs": {
        "shape": "code",
        "module": "feeds",
        "values": (
            "-a -d -E -e -I -L -l -n -P -s --arg-file --delimiter --eof --replace --max-lines "
            "--max-args --max-procs --max-chars --process-slot-var"
        ),
        "examples": {
            "xargs rm": "rm {stdin}",
            "xargs -I F mv F old": "mv F old",
            # A visible producer (a here-string, ``echo``/``printf``/``find`` piped in).
            "xargs rm <<< 'a b'": "rm a b",
            "xargs -n 1 rm <<< 'a b'": "rm b",
            "xargs": "echo {stdin}",
        },
    },
    "find": {
        "shape": "code",
        "module": "feeds",
        # The selection is walked (``shell/findsel.py``): the paths stand for ``{}``; an
        # unevaluated test (``-newer``) leaves the placeholder, an unresolved target.
        "examples": {
            "find . -maxdepth 0 -exec rm {} +": "rm .",
            "find . -newer stamp -exec rm {} +": "rm {}",
            "find . -name x": "find . -name x",
        },
    },
    "watch": {
        "shape": "code",
        "module": "wrappers",
        "examples": {"watch -n 5 'ls -l'": "ls -l", "watch -x ls": "ls"},
    },
    "su": {
        "shape": "code",
        "module": "wrappers",
        "examples": {"su -c 'rm x' bob": "rm x", "su bob": "su bob"},
    },
    "script": {"shape": "code", "module": "wrappers", "examples": {"script -c ls out.log": "ls"}},
    "flock": {
        "shape": "code",
        "module": "wrappers",
        "examples": {"flock /tmp/l -c ls": "ls", "flock /tmp/l rm x": "rm x"},
    },
    "busybox": {"shape": "code", "module": "wrappers", "examples": {"busybox rm x": "rm x"}},
    "toybox": {"shape": "code", "module": "wrappers", "examples": {"toybox ls": "ls"}},
    "corepack": {
        "shape": "code",
        "module": "wrappers",
        "examples": {"corepack pnpm@8 install": "pnpm install"},
    },
    "bwrap": {
        "shape": "code",
        "module": "wrappers",
        "examples": {"bwrap --ro-bind / / ls": "opaque"},
    },
    "bash": {
        "shape": "code",
        "module": "shells",
        "examples": {
            "bash -c 'rm x'": "rm x",
            "bash -o pipefail -c ls": "ls",
            "bash script.sh": "opaque",
            "bash <<< ls": "ls",
        },
    },
    "sh": {"shape": "code", "module": "shells", "examples": {"sh -c 'rm x'": "rm x"}},
    "zsh": {"shape": "code", "module": "shells", "examples": {"zsh -c 'rm x'": "rm x"}},
    "dash": {"shape": "code", "module": "shells", "examples": {"dash -c 'rm x'": "rm x"}},
    "ksh": {"shape": "code", "module": "shells", "examples": {"ksh -c 'rm x'": "rm x"}},
    "mksh": {"shape": "code", "module": "shells", "examples": {"mksh -c 'rm x'": "rm x"}},
    "ash": {"shape": "code", "module": "shells", "examples": {"ash -c 'rm x'": "rm x"}},
    "rbash": {"shape": "code", "module": "shells", "examples": {"rbash -c 'rm x'": "rm x"}},
    "fish": {"shape": "code", "module": "shells", "examples": {"fish -c 'rm x'": "rm x"}},
    "eval": {
        "shape": "code",
        "module": "shells",
        "examples": {"eval 'rm x'": "rm x", 'eval "$CMD"': "opaque"},
    },
    "trap": {
        "shape": "code",
        "module": "shells",
        "examples": {"trap 'rm x' EXIT": "rm x", "trap -l": "trap -l"},
    },
    "npm": {
        "shape": "code",
        "module": "project",
        "examples": {"npm exec -- eslint .": "eslint .", "npm test": "npm test"},
    },
    "pnpm": {
        "shape": "code",
        "module": "project",
        "examples": {"pnpm dlx cowsay hi": "cowsay hi", "pnpm lint": "lint"},
    },
    "yarn": {"shape": "code", "module": "project", "examples": {"yarn dlx cowsay hi": "cowsay hi"}},
    "bun": {"shape": "code", "module": "project", "examples": {"bun x cowsay hi": "cowsay hi"}},
    "node": {
        "shape": "code",
        "module": "entrypoints",
        "examples": {
            "node node_modules/.bin/eslint --fix src": "eslint --fix src",
            "node node_modules/prettier/bin/prettier.cjs --write a.ts": "prettier --write a.ts",
        },
    },
    "python": {
        "shape": "code",
        "module": "entrypoints",
        "examples": {"python -m black src": "black src"},
    },
    "python3": {
        "shape": "code",
        "module": "entrypoints",
        "examples": {"python3 -m ruff format src": "ruff format src"},
    },
    "npx": {
        "shape": "code",
        "module": "project",
        "examples": {"npx eslint .": "eslint .", "npx --bogus eslint": "opaque"},
    },
    "bunx": {"shape": "code", "module": "project", "examples": {"bunx cowsay hi": "cowsay hi"}},
    "pnpx": {"shape": "code", "module": "project", "examples": {"pnpx cowsay hi": "cowsay hi"}},
    "uvx": {
        "shape": "code",
        "module": "project",
        "examples": {
            "uvx ruff check": "ruff check",
            "uvx --from ruff==0.5 ruff check": "ruff check",
        },
    },
    "uv": {
        "shape": "code",
        "module": "project",
        "examples": {"uv run pytest": "pytest", "uv tool run ruff check": "ruff check"},
    },
    "poetry": {"shape": "code", "module": "project", "examples": {"poetry run pytest": "pytest"}},
    "pipenv": {"shape": "code", "module": "project", "examples": {"pipenv run pytest": "pytest"}},
    "bundle": {"shape": "code", "module": "project", "examples": {"bundle exec rake": "rake"}},
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
    # Variables that switch a repository's git hooks off (husky, lefthook, pre-commit,
    # overcommit): name -> the values that do ("" for any non-empty value). Set for a git
    # command, or exported, they skip the hooks as --no-verify does.
    "hook_switches": {
        "HUSKY": "0",
        "HUSKY_SKIP_HOOKS": "",
        "LEFTHOOK": "0 false",
        "LEFTHOOK_EXCLUDE": "",
        "SKIP": "",
        "PRE_COMMIT_ALLOW_NO_CONFIG": "",
        "OVERCOMMIT_DISABLE": "",
    },
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
    # Sub-command -> the module (``shell/programs/<name>.py``) whose handler reads it;
    # a sub-command not listed is judged by the tables above.
    "subcommands": {
        "push": "git_refs",
        "fetch": "git_refs",
        "pull": "git_refs",
        "merge": "git_refs",
        "rebase": "git_refs",
        "cherry-pick": "git_refs",
        "am": "git_refs",
        "reset": "git_refs",
        "branch": "git_refs",
        "tag": "git_refs",
        "checkout": "git_refs",
        "switch": "git_refs",
        "restore": "git_refs",
        "stash": "git_tree",
        "clean": "git_tree",
        "rm": "git_tree",
        "mv": "git_tree",
        "apply": "git_tree",
        "config": "git",
        "remote": "git",
        "symbolic-ref": "git_refs",
        "update-ref": "git_refs",
        "reflog": "git",
        "gc": "git",
        "prune": "git",
        "filter-branch": "git",
        "filter-repo": "git",
        "replace": "git",
        "worktree": "git_tree",
        "commit": "git_refs",
        "clone": "git_tree",
        "submodule": "git_tree",
        "bisect": "git_refs",
        "format-patch": "git_tree",
        "archive": "git_tree",
        "credential": "git",
        "init": "git_tree",
        "read-tree": "git_tree",
        "sparse-checkout": "git_tree",
        "hash-object": "git_tree",
        "maintenance": "git_tree",
        "bundle": "git_tree",
        "difftool": "git",
        "mergetool": "git",
    },
}
