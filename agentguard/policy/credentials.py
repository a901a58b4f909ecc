"""Where tools keep credentials outside the checkout: the built-in ``credential-stores`` class.

Cold path, data. A path class with ``builtin: credential-stores`` matches these patterns as
well as its own ``match``; the compiler expands them, so the hook sees plain patterns. They
are gitignore patterns matched, as every path class is, against a path inside the worktree
or against an absolute path without its leading ``/`` (``home/u/.ssh/id_ed25519``), so a
store is found in any home folder and under any ``HOME`` an agent sets.

Each group names the tools whose files it covers; ``EXAMPLES`` must match and
``NOT_EXAMPLES`` must not (tests/test_credentials.py checks both).
"""

from __future__ import annotations

PATTERNS: tuple[str, ...] = (
    # ssh: keys, config, known hosts, agent sockets
    "**/.ssh/**",
    # cloud CLIs: aws, gcloud, azure, doctl, oci
    "**/.aws/credentials",
    "**/.aws/config",
    "**/.aws/sso/cache/**",
    "**/.aws/cli/cache/**",
    "**/.config/gcloud/**",
    "**/.azure/**",
    "**/.config/doctl/**",
    "**/.oci/**",
    # containers and clusters: docker, kube, helm
    "**/.docker/config.json",
    "**/.kube/config",
    "**/.config/helm/repositories.yaml",
    "**/.config/helm/registry/**",
    # package registries: npm, pypi, yarn, cargo, gem, maven, gradle, nuget
    "**/.npmrc",
    "**/.pypirc",
    "**/.yarnrc",
    "**/.yarnrc.yml",
    "**/.cargo/credentials",
    "**/.cargo/credentials.toml",
    "**/.gem/credentials",
    "**/.m2/settings.xml",
    "**/.gradle/gradle.properties",
    "**/.nuget/NuGet/NuGet.Config",
    # git and the forges: git credential stores, gh, glab
    "**/.git-credentials",
    "**/.config/git/credentials",
    "**/.config/gh/hosts.yml",
    "**/.config/glab-cli/config.yml",
    # hosting and deploy CLIs: wrangler, vercel, netlify, fly (heroku keeps .netrc)
    "**/.wrangler/config/**",
    "**/.config/.wrangler/**",
    "**/com.vercel.cli/**",
    "**/.config/netlify/**",
    "**/.netlify/config.json",
    "**/.fly/config.yml",
    # databases: postgres, mysql
    "**/.pgpass",
    "**/.my.cnf",
    "**/.mylogin.cnf",
    # netrc (curl, git, heroku, ftp), terraform, rclone, vault
    "**/.netrc",
    "**/_netrc",
    "**/.terraform.d/credentials.tfrc.json",
    "**/.config/rclone/rclone.conf",
    "**/.vault-token",
    # password stores and keyrings: pass, gnupg, GNOME keyring, macOS keychains
    "**/.password-store/**",
    "**/.gnupg/**",
    "**/.local/share/keyrings/**",
    "**/Library/Keychains/**",
)

EXAMPLES: tuple[str, ...] = (
    "home/u/.ssh/id_ed25519",
    "home/u/.ssh/config",
    "root/.aws/credentials",
    "home/u/.config/gcloud/application_default_credentials.json",
    "home/u/.azure/msal_token_cache.json",
    "home/u/.config/doctl/config.yaml",
    "home/u/.docker/config.json",
    "home/u/.kube/config",
    "home/u/.config/helm/repositories.yaml",
    "home/u/.npmrc",
    "home/u/.pypirc",
    "home/u/.yarnrc.yml",
    "home/u/.cargo/credentials.toml",
    "home/u/.git-credentials",
    "home/u/.config/gh/hosts.yml",
    "home/u/.config/glab-cli/config.yml",
    "home/u/.config/.wrangler/config/default.toml",
    "home/u/.local/share/com.vercel.cli/auth.json",
    "home/u/.config/netlify/config.json",
    "home/u/.fly/config.yml",
    "home/u/.pgpass",
    "home/u/.my.cnf",
    "home/u/.netrc",
    "home/u/.terraform.d/credentials.tfrc.json",
    "home/u/.config/rclone/rclone.conf",
    "home/u/.password-store/github.gpg",
    "home/u/.gnupg/private-keys-v1.d/A1.key",
    "home/u/.local/share/keyrings/login.keyring",
    "Users/u/Library/Keychains/login.keychain-db",
    ".npmrc",
)

NOT_EXAMPLES: tuple[str, ...] = (
    "src/aws.ts",
    "home/u/.config/nvim/init.lua",
    "home/u/.aws-notes.md",
    "docs/ssh.md",
    "home/u/.kube/cache/discovery/x.json",
    "home/u/.docker/cli-plugins/docker-buildx",
    ".github/workflows/deploy.yml",
)
