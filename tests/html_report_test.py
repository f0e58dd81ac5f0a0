#!/usr/bin/python3
"""The HTML reports in a real browser (Debian's chromium, headless, through chromium-driver and
python3-selenium): no console errors from file://; the table has the cells and verdicts of
matrix.json; clicking a violated cell draws its timeline with the trace's steps and the violating
step highlighted; `replay --html` draws scenarios 04 (stale PSC) and 05 (fast-KVA W+X); the page
works with JavaScript off (the table) and by keyboard. Screenshots go to ARTIFACTS.

usage: html_report_test.py PASIDCHECK SOURCE_DIR ARTIFACTS_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

BIN, SRC, ART = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(ART, exist_ok=True)
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*args):
    r = subprocess.run([BIN, *args], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def browser(javascript=True):
    o = Options()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1600,1000"):
        o.add_argument(a)
    if not javascript:
        o.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


def console_errors(d):
    return [e for e in d.get_log("browser") if e["level"] == "SEVERE"]


def timeline_checks(d, trace_file, what):
    """The drawn timeline against the trace's replay: one column per step, the violating one."""
    with open(trace_file) as f:
        t = json.load(f)
    table = d.find_element(By.CSS_SELECTOR, "#timeline table.tl")
    steps = int(table.get_attribute("data-steps"))
    check(steps == len(t["steps"]), f"{what}: {steps} timeline steps, trace has {len(t['steps'])}")
    heads = d.find_elements(By.CSS_SELECTOR, "#timeline th.step")
    check(len(heads) == len(t["steps"]) + 1, f"{what}: {len(heads)} step headers")
    for i, s in enumerate(t["steps"]):
        check(heads[i + 1].text.split(": ")[1] == s["op"], f"{what}: step {i} header is {heads[i + 1].text}")
    want = t.get("expect", {}).get("step")
    hl = d.find_elements(By.CSS_SELECTOR, "#timeline th.step.violating")
    if t.get("expect", {}).get("verdict") == "violated":
        check(len(hl) == 1 and hl[0].get_attribute("data-step") == str(want),
              f"{what}: the violating step highlighted is {[h.get_attribute('data-step') for h in hl]}, want {want}")
        check(len(d.find_elements(By.CSS_SELECTOR, "#timeline td.bar.via, #timeline td.access.via")) > 0,
              f"{what}: no path outlined")
    # hover/focus shows the explain sentence
    heads[1].send_keys("")  # focus
    d.execute_script("arguments[0].focus()", heads[1])
    sentence = d.find_element(By.CSS_SELECTOR, "#timeline .sentence").text
    check(sentence.startswith("Step 0: "), f"{what}: focused step sentence is {sentence!r}")


with tempfile.TemporaryDirectory() as tmp:
    # The matrix report on two variants (small: a few seconds).
    out = os.path.join(tmp, "m")
    rc, text = run("matrix", "--presets", "linux-6.12,revamp", "--states", "20000", "--kcore-states",
                   "30000", "--focus-kcore-states", "30000", "--runs", "200", "--out", out,
                   "-q", "--html")
    check(rc == 0, f"matrix --html: exit {rc}: {text}")
    page = os.path.join(out, "index.html")
    rc, text = run("report", out, "-o", os.path.join(tmp, "again.html"))
    check(rc == 0, f"report: exit {rc}: {text}")
    check(os.path.getsize(page) < 5 << 20, "report over 5 MB")
    with open(os.path.join(out, "matrix.json")) as f:
        mx = json.load(f)
    d = browser()
    try:
        d.get("file://" + page)
        check(not console_errors(d), f"console errors: {console_errors(d)}")
        cells = d.find_elements(By.CSS_SELECTOR, "#verdicts tbody td.c")
        want = [(r["variant"], p, r["cells"][p]["verdict"]) for r in mx["rows"] for p in mx["properties"]]
        check(len(cells) == len(want), f"{len(cells)} cells, matrix.json has {len(want)}")
        got = [c.get_attribute("data-verdict") for c in cells]
        check(got == [w[2] for w in want], "cell verdicts differ from matrix.json")
        d.save_screenshot(os.path.join(ART, "report-table.png"))
        # Filters: one variant, one property.
        d.execute_script("var f=document.getElementById('filters'); f.variant.value='revamp';"
                         "f.property.value='0'; f.dispatchEvent(new Event('change'));")
        shown = [c for c in d.find_elements(By.CSS_SELECTOR, "#verdicts tbody td.c") if c.is_displayed()]
        check(len(shown) == sum(1 for r in mx["rows"] if r["variant"] == "revamp"),
              f"filters: {len(shown)} cells shown")
        d.execute_script("var f=document.getElementById('filters'); f.variant.value='';"
                         "f.property.value=''; f.dispatchEvent(new Event('change'));")
        # Open a violated cell (by keyboard: focus and Enter) and check its timeline.
        links = d.find_elements(By.CSS_SELECTOR, "#verdicts td.violated a")
        check(len(links) == sum(1 for w in want if w[2] == "violated"), "not every violated cell opens")
        target = None
        for r in mx["rows"]:
            for p in mx["properties"]:
                c = r["cells"][p]
                if c["verdict"] == "violated" and c["length"] >= 3 and target is None:
                    target = (r, p, c)
        a = links[[i for i, w in enumerate([w for w in want if w[2] == "violated"])
                   if (w[0], w[1]) == (target[0]["variant"], target[1])][0]] if target else links[0]
        a.send_keys(Keys.ENTER)
        check(d.find_element(By.ID, "timeline").is_displayed(), "the timeline did not open")
        trace = os.path.join(out, target[0]["variant"], os.path.basename(target[2]["trace"]))
        timeline_checks(d, trace, "matrix cell")
        check(not console_errors(d), f"console errors after opening: {console_errors(d)}")
        d.find_element(By.ID, "timeline").screenshot(os.path.join(ART, "report-timeline.png"))
    finally:
        d.quit()
    # With JavaScript off the table is still there (static HTML).
    d = browser(javascript=False)
    try:
        d.get("file://" + page)
        check(len(d.find_elements(By.CSS_SELECTOR, "#verdicts tbody td.c")) == len(want),
              "the table needs JavaScript")
    finally:
        d.quit()
    # replay --html on scenarios 04 and 05, and on a trace that holds.
    d = browser()
    try:
        for name in ("04-sva-stale-psc", "05-kva-fast-module-load-wx", "04-sva-stale-psc.mitigated"):
            trace = os.path.join(SRC, "corpora", "scenarios", name + ".json")
            html = os.path.join(tmp, name + ".html")
            rc, text = run("replay", "-q", "--html", html, trace)
            check(rc == 0, f"replay --html {name}: exit {rc}: {text}")
            d.get("file://" + html)
            check(not console_errors(d), f"{name}: console errors: {console_errors(d)}")
            timeline_checks(d, trace, name)
            if not name.endswith("mitigated"):
                d.find_element(By.ID, "timeline").screenshot(os.path.join(ART, f"timeline-{name}.png"))
    finally:
        d.quit()

print("html report: %d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
