#!/usr/bin/env bash
# Install what the tests and benchmarks need: system packages (as root or with sudo), then a
# virtual environment in .venv with digitcam and its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

# ffmpeg serves loopback MJPEG/RTSP streams to the stream tests; Xvfb + xdotool drive the
# window tests; the fonts are the families synthetic scenes are rendered in (the held-out
# families the accuracy tests read must be present); ssocr and tesseract are the peer OCR
# tools the benchmarks compare against.
apt_packages=(
  ffmpeg xvfb xdotool ssocr tesseract-ocr
  fonts-dejavu-core fonts-liberation fonts-dseg fonts-freefont-ttf fonts-urw-base35
  fonts-crosextra-carlito fonts-crosextra-caladea fonts-open-sans fonts-lato
  fonts-roboto-unhinted fonts-noto-mono fonts-inconsolata fonts-hack fonts-firacode
  fonts-cantarell
)
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
else
  echo "setup-dev: no apt-get here; install the equivalents of: ${apt_packages[*]}" >&2
fi

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
# Editable: the tests import the package from src/, so a change is tested as soon as it is
# made (a plain install would leave the tests reading the copy made at install time).
.venv/bin/pip install -q -e '.[test]'
