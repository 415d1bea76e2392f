"""The commands: each puts the stages together for one thing a user asks for (build, check --fix, import, new).

Only :mod:`.build` and its commit write into ``outputs/``."""
