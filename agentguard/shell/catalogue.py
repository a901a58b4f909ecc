"""What agentguard knows about programs, as data: every entry a literal, with examples.

Hot path, and data only: dicts, tuples, strings, numbers, booleans and ``None``. No calls,
no functions, no imports (``tests/test_catalogue.py`` walks this module's syntax tree to
keep it so), so loading it costs one ``.pyc`` read. Option sets are one space-separated
string each, split where they are read.

Sections:
- ``PROGRAMS``: program name -> its facts (family module, classes, value options, options
  that write or read a file, lenient exit, verbs) and ``examples``: a command line -> what
  it must yield (classes, writes, reads), checked by one parametrised test.
- ``WRAPPERS``: programs that run another program (``timeout``, ``env``, ``nice`` …): the
  shape of their arguments, with examples of what the wrapped command is.
- ``GIT``: git's sub-command tables.
"""

PROGRAMS: dict[str, dict[str, object]] = {}

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

GIT: dict[str, object] = {}
