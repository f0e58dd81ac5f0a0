#!/usr/bin/env bash
# Regenerates the report screenshots the user guide shows (docs/img/*.png): the browser test of
# the HTML reports saves them (tests/html_report_test.py; needs chromium, chromium-driver and
# python3-selenium, which .ci/setup installs).
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/setup >/dev/null
/usr/bin/python3 tests/html_report_test.py build/cli/pasidcheck . docs/img
