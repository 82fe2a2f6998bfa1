#!/usr/bin/env python3
"""Idle CPU of the real sockscope GUI (issue 10), run by hand, not by ctest.

Starts the app (under xvfb-run when there is no display, or with -offscreen), lets it
settle, then reads utime+stime of the whole process (every thread) from /proc/<pid>/stat
over a window and prints the share of one core. Two scenarios:

  starter  the first-start window: a listening upper server and a client connected to it
  busy     the same plus the system sockets pane and the Watch TCP dock open, and a second
           listening server pane on screen

    tests/bench/idle_cpu.py build/app/sockscope [--seconds 10] [--settle 3] [--offscreen]

Budgets (issue 10): starter <= 0.5 %, busy <= 1 %. Exit status 1 when one is exceeded.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

SCENARIOS = [
    ("starter", [], 0.5),
    ("busy", ["--show", "sockets", "--show", "watch", "--show", "server"], 1.0),
]


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # After the command name: state is field 3, utime 14 and stime 15 (1-based).
    return int(fields[11]) + int(fields[12])


def measure(binary, extra, seconds, settle, offscreen):
    env = dict(os.environ)
    # A private settings folder: a user's saved state must not change the figures.
    env["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="sockscope-bench-")
    cmd = [binary] + extra
    pidfile = os.path.join(env["XDG_CONFIG_HOME"], "pid")
    wrapped = False
    if offscreen:
        env["QT_QPA_PLATFORM"] = "offscreen"
    elif not env.get("DISPLAY"):
        if not shutil.which("xvfb-run"):
            sys.exit("no DISPLAY and no xvfb-run: use --offscreen")
        env["QT_QPA_PLATFORM"] = "xcb"
        # The app in the background of a shell that notes its pid: the pid we watch is
        # the app's, not xvfb-run's or the shell's.
        script = f'"$0" "$@" 2>/dev/null & echo $! >{pidfile}; wait'
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "sh", "-c", script] + cmd
        wrapped = True
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pid = proc.pid
    if wrapped:
        deadline = time.monotonic() + 20
        while not os.path.exists(pidfile) or not open(pidfile).read().strip():
            if time.monotonic() > deadline or proc.poll() is not None:
                sys.exit("the app did not start under xvfb-run")
            time.sleep(0.05)
        pid = int(open(pidfile).read())
    try:
        time.sleep(settle)
        hz = os.sysconf("SC_CLK_TCK")
        t0, c0 = time.monotonic(), cpu_ticks(pid)
        time.sleep(seconds)
        t1, c1 = time.monotonic(), cpu_ticks(pid)
        return 100.0 * (c1 - c0) / hz / (t1 - t0)
    finally:
        try:
            os.kill(pid, 15)
        except ProcessLookupError:
            pass
        proc.wait(timeout=20)
        shutil.rmtree(env["XDG_CONFIG_HOME"], ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--settle", type=float, default=3.0)
    parser.add_argument("--offscreen", action="store_true")
    parser.add_argument("--runs", type=int, default=1, help="repeat each scenario; the median is judged")
    args = parser.parse_args()
    failed = False
    for name, extra, budget in SCENARIOS:
        figures = sorted(measure(args.binary, extra, args.seconds, args.settle, args.offscreen) for _ in range(args.runs))
        median = figures[len(figures) // 2]
        verdict = "ok" if median <= budget else "OVER"
        failed = failed or median > budget
        runs = ", ".join(f"{f:.2f}" for f in figures)
        print(f"{name:8s} {median:5.2f} % of a core over {args.seconds:g} s (runs: {runs}; budget {budget} %) {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
