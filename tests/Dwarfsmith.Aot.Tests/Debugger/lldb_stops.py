# Run by python3 with lldb-22's module path (python3 lldb_stops.py EXE ARGS...): breaks at the lines in
# $STOPS_LINES ("file:line,..."), runs the program, and at each stop writes one JSON line to
# $STOPS_OUTPUT, in the shape gdb_stops.py writes: the backtrace up to main (function, file, line),
# the values of the arguments, locals and function statics in scope and of the source file's own
# globals and statics, with each variable's type as declared and its kind as lldb takes it
# ("kinds": argument, local, static). Pointers are compared by null-ness (their values differ
# between a native and an AOT build), what they point to is followed one level for non-null
# pointers to scalars. A local declared at or after the stop's line has no value yet.
#
# Beyond gdb_stops.py's shape, "prints" holds what `p` prints for the frame's variables
# (lldb_prints.py). $STOPS_EXTENSION, when set, is imported first (`command script import`), as
# `dwarfsmith lldb` does. With $STOPS_STEPS ("step,finish,next,..."), the first time each breakpoint
# is hit the commands are run from there one by one and every stop they reach is recorded too, by
# the rules lldb_stepping.py states.
import json
import os
import sys

import lldb

import lldb_prints
import lldb_stepping

MAX_STOPS = int(os.environ.get("STOPS_MAX", "12"))
SOURCE = os.environ["STOPS_SOURCE"]
STEPS = [c for c in os.environ.get("STOPS_STEPS", "").split(",") if c]
_SCALAR_CLASSES = (lldb.eTypeClassBuiltin, lldb.eTypeClassEnumeration)


def error_text(value):
    text = value.GetError().GetCString() or "error"
    # lldb says "variable not available" where a location list has no entry for the pc (optimized out).
    if "optimized out" in text or "variable not available" in text:
        return "<optimized out>"
    return "error: " + text.split(" at address")[0].split(" (0x")[0]


def scalar(value):
    canonical = value.GetType().GetCanonicalType()
    type_class = canonical.GetTypeClass()
    if canonical.IsPointerType():
        if value.GetValueAsUnsigned(0) == 0:
            return "null"
        target = canonical.GetPointeeType().GetCanonicalType()
        if target.GetTypeClass() in _SCALAR_CLASSES and target.GetBasicType() != lldb.eBasicTypeVoid:
            pointee = value.Dereference()
            if not pointee.GetError().Success():
                return error_text(pointee)
            return "-> " + str(pointee.GetValue())
        return "nonnull"
    if type_class in (lldb.eTypeClassStruct, lldb.eTypeClassUnion, lldb.eTypeClassClass):
        return {value.GetChildAtIndex(i).GetName(): describe(value.GetChildAtIndex(i))
                for i in range(value.GetNumChildren()) if value.GetChildAtIndex(i).GetName()}
    if type_class == lldb.eTypeClassArray:
        return [describe(value.GetChildAtIndex(i)) for i in range(min(value.GetNumChildren(), 16))]
    if type_class == lldb.eTypeClassFunction:
        return "function"
    return str(value.GetValue())


def describe(value):
    if not value.GetError().Success():
        return error_text(value)
    return scalar(value)


def global_keys(target):
    """(name, file, line) of every variable declared at file level, in any unit."""
    keys = set()
    for value in target.FindGlobalVariables(".*", 100000, lldb.eMatchTypeRegex):
        declaration = value.GetDeclaration()
        keys.add((value.GetName(), declaration.GetFileSpec().GetFilename(), declaration.GetLine()))
    return keys


def key(value):
    declaration = value.GetDeclaration()
    return value.GetName(), declaration.GetFileSpec().GetFilename(), declaration.GetLine()


# What lldb takes each variable of the frame for (from its location: one holding a DW_OP_addr
# outside a location list is a static's), as `frame variable` sorts them (-a, -l, -s).
_KINDS = {lldb.eValueTypeVariableArgument: "argument", lldb.eValueTypeVariableLocal: "local",
          lldb.eValueTypeVariableStatic: "static", lldb.eValueTypeVariableGlobal: "global"}


def variables(frame, types, kinds, file_level):
    found = {}
    line = frame.GetLineEntry().GetLine()
    for value in frame.GetVariables(True, True, True, True):
        name = value.GetName()
        if name in found or key(value) in file_level:
            continue
        types[name] = value.GetDisplayTypeName()
        kind = value.GetValueType()
        kinds[name] = _KINDS.get(kind, str(kind))
        if kind == lldb.eValueTypeVariableLocal and value.GetDeclaration().GetLine() >= line:
            found[name] = "<not yet declared>"
        else:
            found[name] = describe(value)
    return found


def globals_of_source(target):
    found = {}
    for value in target.FindGlobalVariables(".*", 100000, lldb.eMatchTypeRegex):
        if value.GetDeclaration().GetFileSpec().GetFilename() == SOURCE and value.GetName() not in found:
            found[value.GetName()] = describe(value)
    return found


def backtrace(thread):
    frames = []
    for frame in thread.frames[:32]:
        entry = frame.GetLineEntry()
        frames.append({
            "function": frame.GetFunctionName(),
            "file": entry.GetFileSpec().GetFilename() if entry.IsValid() else None,
            "line": entry.GetLine() if entry.IsValid() else 0,
        })
        if frame.GetFunctionName() == "main":
            break
    return frames


def stopped_thread(process):
    for thread in process.threads:
        if thread.GetStopReason() == lldb.eStopReasonBreakpoint:
            return thread
    return None


def record(debugger, target, thread, file_level, after=None, returned=None):
    frame = thread.GetFrameAtIndex(0)
    thread.SetSelectedFrame(0)
    types = {}
    kinds = {}
    shown = variables(frame, types, kinds, file_level)
    stop = {
        "frames": backtrace(thread),
        "variables": shown,
        "globals": globals_of_source(target),
        "types": types,
        "kinds": kinds,
        "prints": lldb_prints.prints(debugger, frame, shown),
    }
    if after is not None:
        stop["after"] = after
    if returned is not None:
        stop["returned"] = returned
    return json.dumps(stop, sort_keys=True, ensure_ascii=False)


def main():
    debugger = lldb.SBDebugger.Create()
    debugger.SetAsync(False)
    extension = os.environ.get("STOPS_EXTENSION")
    if extension:
        debugger.HandleCommand('command script import "%s"' % extension)
    target = debugger.CreateTarget(sys.argv[1])
    for location in os.environ["STOPS_LINES"].split(","):
        file, line = location.rsplit(":", 1)
        target.BreakpointCreateByLocation(file, int(line))
    launch = lldb.SBLaunchInfo(sys.argv[2:])
    launch.SetWorkingDirectory(os.getcwd())
    # The program gets this script's environment, as under gdb (a launch from the API inherits none).
    launch.SetEnvironmentEntries(["%s=%s" % item for item in os.environ.items()], True)
    error = lldb.SBError()
    process = target.Launch(launch, error)
    file_level = global_keys(target)
    with open(os.environ["STOPS_OUTPUT"], "w") as output:
        stops = 0
        stepped_from = set()
        while stops < MAX_STOPS and error.Success() and lldb_stepping.alive(process):
            thread = stopped_thread(process)
            if thread is None:
                process.Continue()
                continue
            process.SetSelectedThread(thread)
            output.write(record(debugger, target, thread, file_level) + "\n")
            stops += 1
            label = thread.GetFrameAtIndex(0).GetLineEntry().GetLine()
            if STEPS and label not in stepped_from:
                stepped_from.add(label)
                lldb_stepping.step_from_here(
                    debugger, process, STEPS, output,
                    lambda command, returned: record(debugger, target, process.GetSelectedThread(), file_level, command, returned),
                    describe)
                if not lldb_stepping.alive(process):
                    break
            if stops == MAX_STOPS:
                break
            lldb_stepping.resume(process, lambda: process.Continue().Success())
    if process.IsValid() and process.GetState() not in (lldb.eStateExited, lldb.eStateDetached):
        process.Kill()


main()
