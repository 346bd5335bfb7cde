# SPDX-License-Identifier: GPL-2.0
# bench/stackcount_wrap.py STACKCOUNT ARGS...: run bcc's stackcount script
# unchanged, with its stdout fully buffered as usual, but flushed at the
# two moments make bench times, with CLOCK_MONOTONIC stamps in the format
# bench/trial.c reads:
#   "bench: timing: attached T"     when stackcount starts to sleep (it has
#                                   attached and printed "Tracing ...")
#   "bench: timing: window_end T"   when that sleep (its -D window) ends
#   "bench: timing: output_done T"  when it calls exit() after its output
# stackcount imports sleep and calls the builtin exit(): both are wrapped
# before the script runs.
import builtins
import sys
import time


def stamp(what):
    t = time.clock_gettime(time.CLOCK_MONOTONIC)
    print("bench: timing: %s %.6f" % (what, t))
    sys.stdout.flush()


real_sleep = time.sleep
real_exit = builtins.exit


def sleep(seconds):
    stamp("attached")
    real_sleep(seconds)
    stamp("window_end")


def exit(*args):
    stamp("output_done")
    real_exit(*args)


time.sleep = sleep
builtins.exit = exit
sys.argv = sys.argv[1:]
with open(sys.argv[0]) as f:
    code = compile(f.read(), sys.argv[0], "exec")
exec(code, {"__name__": "__main__", "__file__": sys.argv[0]})
