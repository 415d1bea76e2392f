#!/usr/bin/env bash
# Install everything doctools needs on a fresh Debian machine, then build the
# example packages (documents land in outputs/).  Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# system packages: Python, Graphviz, CJK fonts, LibreOffice (for --pdf), poppler (PDF to PNG)
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    python3 python3-venv python3-pip graphviz fonts-noto-cjk fonts-arphic-ukai \
    libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils \
    python3-uno chromium >/dev/null

# doctools and its Python dependencies, in a virtual environment of its own
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

# the example packages, with PDFs
.venv/bin/doctools build --pdf inputs/*
