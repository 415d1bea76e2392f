#!/usr/bin/env bash
# Install everything doctools needs on a fresh Debian machine, then build the
# example packages (documents land in outputs/).  Safe to run again.
#
#   ./install.sh                  system packages (apt), then .venv/ from requirements.lock, then the examples
#   ./install.sh --download DIR   on a connected machine: the wheels of the lock (DIR/wheels) and the
#                                 .deb files of the system packages with their dependencies (DIR/debs)
#   ./install.sh --offline DIR    the same install as the first line, from DIR only (no internet)
#   ./install.sh --relock         rewrite requirements.lock from setup.cfg (keeps the locked versions that
#                                 still fit; --upgrade moves all to the newest), then update .venv/ from it
#   ./install.sh --list-debs      the Debian packages --download fetches: the system packages and all they need
#   --no-apt                      with any of the above: leave the system packages alone
#   --no-examples                 do not build the examples
#   PYTHON=python3.13 VENV=.venv-3.13 ./install.sh ...   another interpreter, another environment folder
set -euo pipefail
cd "$(dirname "$0")"

MODE=install DIR="" APT=yes UPGRADE="" EXAMPLES=yes
while [ $# -gt 0 ]; do
    case "$1" in
        --offline|--download) MODE="${1#--}"; DIR="${2:?$1 needs a folder}"; shift ;;
        --relock) MODE=relock; APT=no ;;
        --list-debs) MODE=list-debs ;;
        --upgrade) UPGRADE=--upgrade ;;
        --no-apt) APT=no ;;
        --no-examples) EXAMPLES=no ;;
        *) echo "install.sh: unknown option $1 (see the top of install.sh)" >&2; exit 2 ;;
    esac
    shift
done
[ -z "$DIR" ] || DIR="$(mkdir -p "$DIR" && cd "$DIR" && pwd)"

LOCK=requirements.lock
PYTHON="${PYTHON:-python3}"
VENV="${VENV:-.venv}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# system packages: Python, Graphviz, CJK fonts, LibreOffice (for --pdf), poppler (PDF to PNG), locales (the GBK
# locale tests compile zh_CN.GBK with localedef from its charmaps), python3-uno and chromium (the workbench's
# preview and its browser tests)
DEBS="python3 python3-venv python3-pip graphviz fonts-noto-cjk fonts-arphic-ukai
      libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils locales python3-uno chromium"

all_debs() {     # every package the system packages need, down to libc: the offline machine may have none of them
    # shellcheck disable=SC2086
    apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
        --no-enhances $DEBS | grep '^[a-z0-9]' | sort -u
}

relock() {
    # uv resolves once for every supported Python (3.11 up, --universal) and every platform, and records the
    # hash of each file; setup.cfg's extras test and dev are in it, and so is the build backend
    # (pyproject.toml's build-system), so the project itself installs without the index too.
    [ -x "$VENV/bin/uv" ] || { "$PYTHON" -m venv "$VENV" && "$VENV/bin/python" -m pip install -q uv; }
    "$VENV/bin/python" - > "$VENV/build-requires.txt" <<'EOF'
import tomllib
print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))
EOF
    "$VENV/bin/uv" pip compile -q $UPGRADE --universal --python-version 3.11 --generate-hashes \
        --extra test --extra dev --custom-compile-command "./install.sh --relock" \
        --output-file "$LOCK" setup.cfg "$VENV/build-requires.txt"
    sed -i "s|$VENV/build-requires\.txt|pyproject.toml build-system|" "$LOCK"
}

venv() {        # $VENV holding exactly the lock, then doctools itself (editable, built without isolation)
    local from=() isolated=()
    if [ "$MODE" = offline ]; then from=(--no-index --find-links "$DIR/wheels"); isolated=(--isolated); fi
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip "${isolated[@]}" install -q "${from[@]}" --require-hashes -r "$LOCK"
    "$VENV/bin/python" -m pip "${isolated[@]}" install -q "${from[@]}" --no-deps --no-build-isolation -e .
}

case "$MODE" in
    list-debs)
        all_debs ;;
    relock)
        relock
        venv
        echo "install.sh: $LOCK written; $VENV/ holds it" ;;
    download)
        "$PYTHON" -m pip download -q --require-hashes -r "$LOCK" -d "$DIR/wheels"
        if [ "$APT" = yes ]; then
            mkdir -p "$DIR/debs"
            # shellcheck disable=SC2046
            (cd "$DIR/debs" && apt-get download $(all_debs))
        fi
        echo "install.sh: $DIR holds what ./install.sh --offline $DIR needs" ;;
    install|offline)
        if [ "$APT" = yes ] && [ "$MODE" = offline ]; then
            if ! compgen -G "$DIR/debs/*.deb" >/dev/null; then
                echo "install.sh: no .deb files in $DIR/debs (made with --no-apt?); add --no-apt to skip them" >&2
                exit 2
            fi
            $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                "$DIR"/debs/*.deb >/dev/null
        elif [ "$APT" = yes ]; then
            $SUDO apt-get update -qq
            # shellcheck disable=SC2086
            $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $DEBS >/dev/null
        fi
        # doctools and the exact versions it was tested with, in a virtual environment of its own
        venv
        # the example packages, with PDFs
        if [ "$EXAMPLES" = yes ]; then "$VENV/bin/doctools" build --pdf inputs/*; fi ;;
esac
