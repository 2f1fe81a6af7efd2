# Run by gdb (gdb -batch -nx -x gdb_stops.py EXE): breaks at the lines in $STOPS_LINES ("file:line,..."),
# runs the program, and at each stop writes one JSON line to $STOPS_OUTPUT: the backtrace up to main
# (function, file, line), and the values of the arguments, locals, function statics and the source
# file's own globals and statics, with each variable's type as declared (typedefs unresolved: the
# data models differ, uint64_t is unsigned long natively and unsigned long long in wasm32).
# Pointers are compared by null-ness (their values differ between a native and an AOT build), what
# they point to is followed one level for non-null pointers to scalars. A local declared at or after
# the stop's line has no value yet: it is recorded as such.
#
# With $STOPS_STEPS ("step,step,finish,next,..."), the first time each breakpoint is hit the commands
# are run from there one by one, and every stop they reach is recorded too, with the command
# ("after") and, after finish, the value returned (a command gdb refuses, finish in main, records
# nothing). The C library differs between the platforms (and glibc may or may not have line
# information installed), so it is stepped as code without line information is, which is what gdb
# does over a function it has no lines for:
# - a command that ends in library code is followed by finish until the program's code is reached,
#   and then, back in the middle of the statement that called the library, by the same step or next
#   (gdb stops only where another line begins);
# - a program function that library code called (a qsort comparator) is not stopped in on entry by a
#   step that passed through the library: it is finished too (with no lines in the library, gdb would
#   have run through it);
# - a breakpoint hit on the way stops the command, as it stops gdb's own stepping.
# With $STOPS_SKIP_ADDRESSES ("0x401136,..."), a step or next that ends at one of them goes on as if
# no row began there.
import json
import os

import gdb

MAX_STOPS = int(os.environ.get("STOPS_MAX", "12"))
SOURCE = os.environ["STOPS_SOURCE"]
STEPS = [c for c in os.environ.get("STOPS_STEPS", "").split(",") if c]
# Addresses a step or next goes on from rather than stopping at.
SKIP_ADDRESSES = {int(a, 16) for a in os.environ.get("STOPS_SKIP_ADDRESSES", "").split(",") if a}
MAX_LIBRARY_HOPS = 16
LAST_STOP = {"breakpoint": False}


def on_stop(event):
    # A user breakpoint (finish's own temporary breakpoint is not one of them).
    LAST_STOP["breakpoint"] = isinstance(event, gdb.BreakpointEvent) and any(b.number > 0 and b.visible for b in event.breakpoints)


gdb.events.stop.connect(on_stop)


def scalar(value):
    code = value.type.strip_typedefs().code
    if code == gdb.TYPE_CODE_PTR:
        try:
            if int(value) == 0:
                return "null"
            target = value.type.strip_typedefs().target().strip_typedefs()
            if target.code in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_CHAR, gdb.TYPE_CODE_FLT, gdb.TYPE_CODE_ENUM, gdb.TYPE_CODE_BOOL):
                return "-> " + str(value.dereference())
            return "nonnull"
        except gdb.error as e:
            return "error: " + str(e).split(" at address")[0]
    if code in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
        return {f.name: describe(value[f]) for f in value.type.strip_typedefs().fields() if f.name}
    if code == gdb.TYPE_CODE_ARRAY:
        low, high = value.type.strip_typedefs().range()
        return [describe(value[i]) for i in range(low, min(high, low + 16) + 1)]
    if code == gdb.TYPE_CODE_FUNC:
        return "function"
    return str(value)


def describe(value):
    try:
        if value.is_optimized_out:
            return "<optimized out>"
        return scalar(value)
    except gdb.error as e:
        return "error: " + str(e).split(" at address")[0]


def variables(frame, types):
    found = {}
    try:
        block = frame.block()
    except RuntimeError:
        return found
    line = frame.find_sal().line
    while block is not None:
        for symbol in block:
            if (symbol.is_argument or symbol.is_variable) and symbol.name not in found:
                types[symbol.name] = str(symbol.type)
                if symbol.is_variable and not symbol.is_argument and symbol.addr_class != gdb.SYMBOL_LOC_STATIC and symbol.line >= line:
                    found[symbol.name] = "<not yet declared>"
                else:
                    found[symbol.name] = describe(symbol.value(frame))
        if block.function is not None:
            break
        block = block.superblock
    return found


def globals_of_source(frame):
    found = {}
    try:
        block = frame.block()
    except RuntimeError:
        return found
    for scope in (block.static_block, block.global_block):
        if scope is None:
            continue
        for symbol in scope:
            if symbol.is_variable and symbol.symtab is not None and symbol.symtab.filename.endswith(SOURCE):
                found[symbol.name] = describe(symbol.value(frame))
    return found


def backtrace():
    frames = []
    frame = gdb.newest_frame()
    while frame is not None and len(frames) < 32:
        sal = frame.find_sal()
        frames.append({
            "function": frame.name(),
            "file": os.path.basename(sal.symtab.filename) if sal.symtab else None,
            "line": sal.line,
        })
        if frame.name() == "main":
            break
        frame = frame.older()
    return frames


def in_program(frame):
    sal = frame.find_sal()
    return sal.symtab is not None and sal.symtab.filename.endswith(SOURCE)


def finish_to_caller():
    """Runs finish; whether it returned to the caller (rather than stopping at a breakpoint on the way)."""
    caller = current_frame().older()
    try:
        run_command("finish")
    except Refused:
        return False
    frame = current_frame()
    return frame is not None and caller is not None and frame == caller


def in_calling_statement(frame):
    """Whether a frame just returned to is still on the line of the call it returned from."""
    return gdb.find_pc_line(frame.pc() - 1).line == frame.find_sal().line


def current_frame():
    """The selected frame, or None when the program has exited."""
    try:
        return gdb.selected_frame()
    except gdb.error:
        return None


def record(after=None, returned=None):
    frame = gdb.selected_frame()
    types = {}
    stop = {
        "frames": backtrace(),
        "variables": variables(frame, types),
        "globals": globals_of_source(frame),
        "types": types,
    }
    if after is not None:
        stop["after"] = after
    if returned is not None:
        stop["returned"] = returned
    return json.dumps(stop, sort_keys=True)


class Refused(Exception):
    """gdb refused the command (finish in the outermost frame): the program did not move."""


def run_command(command):
    """Runs one stepping command; returns the value finish returned, described, or None."""
    try:
        text = gdb.execute(command, to_string=True)
    except gdb.error as e:
        raise Refused(str(e))
    if command == "finish" and "Value returned" in text:
        return describe(gdb.history(0))
    return None


def step_from_here(output):
    for command in STEPS:
        start = current_frame()
        # The frame stepped from and its callers: a stop in one of them is a stop gdb would make.
        known = [start]
        while known[-1].older() is not None and len(known) < 64:
            known.append(known[-1].older())
        try:
            returned = run_command(command)
        except Refused:
            continue  # nothing happened, nothing to record
        returned_from_library = False
        for _ in range(MAX_LIBRARY_HOPS):
            frame = current_frame()
            if frame is None or LAST_STOP["breakpoint"]:
                break
            if not in_program(frame) or entered_from_library(frame, known):
                returned_from_library = finish_to_caller()
            elif command != "finish" and (
                    (returned_from_library and in_calling_statement(frame))
                    or frame.pc() in SKIP_ADDRESSES):
                returned_from_library = False
                try:
                    run_command(command)
                except Refused:
                    break
            else:
                break
        if current_frame() is None:
            output.write(json.dumps({"after": command, "exited": True}) + "\n")
            return
        output.write(record(command, returned) + "\n")


def entered_from_library(frame, known):
    """Whether frame is a program function called by library code, and new since the command began
    (a new call at the same depth has the same frame id as the last: it is new if at its entry)."""
    caller = frame.older()
    return caller is not None and not in_program(caller) and (frame not in known or at_entry(frame))


ENTRIES = {}


def at_entry(frame):
    """Whether frame is where `break FUNCTION` stops: the function's entry, after its prologue."""
    function = frame.function()
    if function is None or function.symtab is None:
        return False
    key = function.symtab.filename + ":" + function.name
    if key not in ENTRIES:
        # Where gdb would put the breakpoint (decode_line gives the function's first address, before the prologue).
        probe = gdb.Breakpoint(key, internal=True)
        ENTRIES[key] = {location.address for location in probe.locations}
        probe.delete()
    return frame.pc() in ENTRIES[key]


def main():
    gdb.execute("set pagination off")
    gdb.execute("set confirm off")
    for location in os.environ["STOPS_LINES"].split(","):
        gdb.execute("break " + location, to_string=True)
    with open(os.environ["STOPS_OUTPUT"], "w") as output:
        gdb.execute("run", to_string=True)
        stops = 0
        stepped_from = set()
        while stops < MAX_STOPS:
            frame = current_frame()
            if frame is None:
                break  # the program exited
            output.write(record() + "\n")
            stops += 1
            label = frame.find_sal().line
            if STEPS and label not in stepped_from:
                stepped_from.add(label)
                step_from_here(output)
                if current_frame() is None:
                    break
            if stops == MAX_STOPS:
                break  # gdb -batch kills the program: the rest of its run is not needed
            try:
                gdb.execute("continue", to_string=True)
            except gdb.error:
                break


main()
