# Stepping for lldb_stops.py: lldb's `step` (thread step-in), `finish` (thread step-out) and `next`
# (thread step-over) from a breakpoint's first hit, each stop recorded with the command and finish's
# return value, by gdb_stops.py's rules (which it states): the C library is stepped as code without
# lines (a command that ends outside the program's source is followed by finish, then, back in the
# calling statement, by the same command; a program function the library called is finished); a
# breakpoint hit on the way ends the command; $STOPS_SKIP_ADDRESSES ("0x401136,...", file addresses
# of the executable) are gone on from. And lldb's own:
# - a command lldb ends at once, reporting a breakpoint where the previous command stopped without
#   hitting it, is run again (resume says why);
# - a step or next that returns into the middle of the calling statement goes on, as gdb's does:
#   lldb stops at the return address, where the ABI decides whether code of the statement is left
#   (x86-64 returns a small struct in registers, stored after the call; wasm32 through memory, with
#   nothing after the call);
# - finish in main records nothing, as gdb refuses it (lldb would return into glibc natively and into
#   the runtime's C in an AOT build, neither the program);
# - once main has returned, the program runs on to its end;
# - the value a function returns to the C library (a qsort comparator's) is not recorded.
import json
import os

import lldb

SOURCE = os.environ["STOPS_SOURCE"]
SKIP_ADDRESSES = {int(a, 16) for a in os.environ.get("STOPS_SKIP_ADDRESSES", "").split(",") if a}
MAX_LIBRARY_HOPS = 16
COMMANDS = {"step": "thread step-in", "next": "thread step-over", "finish": "thread step-out"}


class Refused(Exception):
    """The command was not run (finish in main): the program did not move."""


def alive(process):
    return process.GetState() == lldb.eStateStopped


def run_command(debugger, process, command, describe):
    """Runs one stepping command on the selected thread; returns the value finish returned, described, or None."""
    thread = process.GetSelectedThread()
    if command == "finish" and thread.GetFrameAtIndex(0).GetFunctionName() == "main":
        raise Refused()
    if not resume(process, lambda: handle(debugger, COMMANDS[command])):
        raise Refused()
    if command == "finish" and describe is not None and alive(process):
        value = process.GetSelectedThread().GetStopReturnValue()
        if value.IsValid():
            return describe(value)
    return None


def resume(process, action):
    """Runs `action` (a command, or continue), again if lldb ended it at once at a breakpoint where the
    thread had stopped without hitting it; returns what the action returned (False: refused).

    A stop that reached a breakpoint's address by stepping, before executing it, is a plan's stop in
    lldb, and the hit is reported by the next command, at once, without moving; gdb reports the
    breakpoint with the stop that reaches it. Which of the two lldb does depends on how it stepped
    there (a run to the range's end, or single steps: the code's shape), not on the line table."""
    thread = process.GetSelectedThread()
    unhit = not at_breakpoint(process) and thread.GetFrameAtIndex(0).GetPC() in breakpoint_addresses(process.GetTarget())
    before = (thread.GetFrameAtIndex(0).GetPC(), frame_key(thread.GetFrameAtIndex(0)))
    done = action()
    if unhit and done and alive(process) and at_breakpoint(process):
        now = process.GetSelectedThread().GetFrameAtIndex(0)
        if (now.GetPC(), frame_key(now)) == before:
            done = action()
    return done


def breakpoint_addresses(target):
    return {target.GetBreakpointAtIndex(i).GetLocationAtIndex(j).GetLoadAddress()
            for i in range(target.GetNumBreakpoints()) for j in range(target.GetBreakpointAtIndex(i).GetNumLocations())}


def handle(debugger, command):
    result = lldb.SBCommandReturnObject()
    debugger.GetCommandInterpreter().HandleCommand(command, result)
    return result.Succeeded()


def in_program(frame):
    entry = frame.GetLineEntry()
    return entry.IsValid() and entry.GetFileSpec().GetFilename() == SOURCE


def frame_key(frame):
    return frame.GetCFA(), frame.GetFunctionName()


def at_breakpoint(process):
    return process.GetSelectedThread().GetStopReason() == lldb.eStopReasonBreakpoint


def finish_to_caller(debugger, process):
    """Runs finish; whether it returned to the caller (rather than stopping at a breakpoint on the way)."""
    thread = process.GetSelectedThread()
    caller = thread.GetFrameAtIndex(1)
    expected = frame_key(caller) if caller.IsValid() else None
    try:
        run_command(debugger, process, "finish", None)
    except Refused:
        return False
    if not alive(process):
        return False
    return expected is not None and frame_key(process.GetSelectedThread().GetFrameAtIndex(0)) == expected


def returned_to_caller(frame, start, known):
    """Whether a step or next ended in a caller of the frame it began in."""
    return frame_key(frame) != start and frame_key(frame) in known


def in_calling_statement(target, frame):
    """Whether a frame just returned to is still on the line of the call it returned from."""
    before = target.ResolveLoadAddress(frame.GetPC() - 1).GetLineEntry()
    return before.IsValid() and before.GetLine() == frame.GetLineEntry().GetLine()


def at_entry(target, frame):
    """Whether frame is where `break FUNCTION` stops: the function's entry, after its prologue."""
    function = frame.GetFunction()
    if not function.IsValid():
        return False
    return frame.GetPC() == function.GetStartAddress().GetLoadAddress(target) + function.GetPrologueByteSize()


def entered_from_library(target, frame, known):
    """Whether frame is a program function called by library code, and new since the command began
    (a new call at the same depth has the same frame id as the last: it is new if at its entry)."""
    caller = frame.GetThread().GetFrameAtIndex(frame.GetFrameID() + 1)
    return caller.IsValid() and not in_program(caller) and (frame_key(frame) not in known or at_entry(target, frame))


def step_from_here(debugger, process, steps, output, record, describe):
    """Runs `steps` from where the selected thread stopped; writes each stop, as record(command,
    returned) makes it (finish's value described by describe), to output."""
    target = process.GetTarget()
    for command in steps:
        thread = process.GetSelectedThread()
        # The frame stepped from and its callers: a stop in one of them is a stop lldb would make.
        known = {frame_key(thread.GetFrameAtIndex(i)) for i in range(min(thread.GetNumFrames(), 64))}
        start = frame_key(thread.GetFrameAtIndex(0))
        try:
            returned = run_command(debugger, process, command, describe)
        except Refused:
            continue  # nothing happened, nothing to record
        if returned is not None and alive(process) and not in_program(process.GetSelectedThread().GetFrameAtIndex(0)):
            # A value returned to the C library (a qsort comparator's) is the library's business:
            # which pair it compared depends on the library, as StopComparison says of the prints.
            returned = None
        returned_from_library = False
        for _ in range(MAX_LIBRARY_HOPS):
            if not alive(process) or at_breakpoint(process):
                break
            thread = process.GetSelectedThread()
            frame = thread.GetFrameAtIndex(0)
            if not any(in_program(thread.GetFrameAtIndex(i)) for i in range(min(thread.GetNumFrames(), 64))):
                # main has returned: what runs now is the C library's (and in an AOT build the
                # runtime's, whose outermost frames have no caller to finish to), to the end.
                process.Continue()
                continue
            if not in_program(frame) or entered_from_library(target, frame, known):
                returned_from_library = finish_to_caller(debugger, process)
            elif command != "finish" and (
                    ((returned_from_library or returned_to_caller(frame, start, known)) and in_calling_statement(target, frame))
                    or frame.GetPCAddress().GetFileAddress() in SKIP_ADDRESSES):
                returned_from_library = False
                try:
                    run_command(debugger, process, command, describe)
                except Refused:
                    break
            else:
                break
        if not alive(process):
            output.write(json.dumps({"after": command, "exited": True}) + "\n")
            return
        output.write(record(command, returned) + "\n")
