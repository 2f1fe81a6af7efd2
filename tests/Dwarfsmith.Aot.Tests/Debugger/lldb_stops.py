# Run by python3 with lldb-22's module path (python3 lldb_stops.py EXE ARGS...): breaks at the lines in
# $STOPS_LINES ("file:line,..."), runs the program, and at each stop writes one JSON line to
# $STOPS_OUTPUT, in the shape gdb_stops.py writes: the backtrace up to main (function, file, line),
# the values of the arguments, locals and function statics in scope and of the source file's own
# globals and statics, with each variable's type as declared and its kind as lldb takes it (argument,
# local, static: "kinds"). Pointers are compared by null-ness
# (their values differ between a native and an AOT build), what they point to is followed one level
# for non-null pointers to scalars. A local declared at or after the stop's line has no value yet.
#
# Beyond gdb_stops.py's shape, "prints" holds what `p` prints for the frame's pointers (`p NAME`,
# `p *NAME`, `p NAME[0]`, and `p NAME->MEMBER` for each member of a pointed-to struct), arrays (`p NAME`,
# `p NAME[LAST]`, its members) and structs (`p NAME.MEMBER`), with addresses blanked:
# the command a user types, through whatever `p` is (lldb's dwim-print natively, the extension's in
# an AOT build). Only pointers to scalars and to the program's own types count: the C library's
# (FILE) are glibc's natively and musl's in wasm. $STOPS_EXTENSION, when set, is imported first
# (`command script import`), as `dwarfsmith lldb` does.
#
# With $STOPS_STEPS ("step,finish,next,..."), the first time each breakpoint is hit lldb's `step`
# (thread step-in), `finish` (thread step-out) and `next` (thread step-over) are run from there one by
# one, and every stop is recorded with the command ("after") and finish's return value ("returned"),
# by gdb_stops.py's rules (which it states): the C library is stepped as code without lines (a
# command that ends outside the program's source is followed by finish, then, back in the calling
# statement, by the same command; a program function the library called is finished); a breakpoint
# hit on the way ends the command; once main has returned, the program runs on to its end; $STOPS_SKIP_ADDRESSES ("0x401136,...", file addresses of the
# executable) are gone on from; a step or next that returns into the middle of the calling
# statement goes on, as gdb's does (lldb stops at the return address, where code of the statement is
# left or not by the ABI: x86-64 returns a small struct in registers, stored after the call, wasm32
# through memory, with nothing after the call); a command lldb ends at once, reporting a breakpoint where the
# previous command stopped without hitting it, is run again (resume says why). One rule is lldb's: finish in main records nothing, as gdb refuses it
# (lldb would return into glibc natively and into the runtime's C in an AOT build, neither the program).
import json
import os
import re
import sys

import lldb

MAX_STOPS = int(os.environ.get("STOPS_MAX", "12"))
SOURCE = os.environ["STOPS_SOURCE"]
STEPS = [c for c in os.environ.get("STOPS_STEPS", "").split(",") if c]
SKIP_ADDRESSES = {int(a, 16) for a in os.environ.get("STOPS_SKIP_ADDRESSES", "").split(",") if a}
MAX_LIBRARY_HOPS = 16
COMMANDS = {"step": "thread step-in", "next": "thread step-over", "finish": "thread step-out"}
ADDRESS = re.compile(r"0x[0-9a-f]{16}")
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


def printed(debugger, command):
    result = lldb.SBCommandReturnObject()
    debugger.GetCommandInterpreter().HandleCommand(command, result)
    text = result.GetOutput() if result.Succeeded() else "error"
    return ADDRESS.sub("0x…", text.strip())


def defines(source_text, sbtype):
    """Whether the program's source defines the struct, union or typedef `sbtype` names."""
    name = re.sub(r"^(const |volatile |struct |union )+", "", sbtype.GetUnqualifiedType().GetName())
    pattern = r"\b(struct|union)\s+%s\s*\{|\}\s*%s\s*;" % (re.escape(name), re.escape(name))
    return re.search(pattern, source_text) is not None


def prints(debugger, frame, variables_shown):
    found = {}
    source_path = frame.GetLineEntry().GetFileSpec().fullpath
    source_text = open(source_path, encoding="utf-8").read() if source_path and os.path.exists(source_path) else ""
    for value in frame.GetVariables(True, True, False, True):
        name = value.GetName()
        if variables_shown.get(name) in (None, "null", "<not yet declared>", "<optimized out>"):
            continue
        canonical = value.GetType().GetCanonicalType()
        if canonical.IsPointerType():
            pointer_prints(debugger, name, value, source_text, found)
        elif canonical.IsArrayType():
            array_prints(debugger, name, value, source_text, found)
        elif canonical.GetTypeClass() in (lldb.eTypeClassStruct, lldb.eTypeClassUnion) \
                and (defines(source_text, value.GetType()) or defines(source_text, canonical)):
            member_prints(debugger, name, ".", canonical, found)
    return found


def printable(sbtype, declared, source_text):
    """Whether what a pointer or array holds is printed: scalars, pointers, the program's own types."""
    canonical = sbtype.GetCanonicalType()
    if canonical.GetBasicType() == lldb.eBasicTypeVoid or canonical.GetTypeClass() == lldb.eTypeClassFunction:
        return False
    return canonical.GetTypeClass() in _SCALAR_CLASSES or canonical.GetTypeClass() == lldb.eTypeClassPointer \
        or defines(source_text, declared) or defines(source_text, sbtype)


def pointer_prints(debugger, name, value, source_text, found):
    """`p NAME`, `p *NAME`, `p NAME[0]`, and `p NAME->MEMBER` for each member of a pointed-to struct."""
    pointee = value.GetType().GetCanonicalType().GetPointeeType()
    if not printable(pointee, value.GetType().GetPointeeType(), source_text):
        return
    for command in ("p " + name, "p *" + name, "p %s[0]" % name):
        found[command] = printed(debugger, command)
    if pointee.GetCanonicalType().GetTypeClass() in (lldb.eTypeClassStruct, lldb.eTypeClassUnion):
        member_prints(debugger, name, "->", pointee.GetCanonicalType(), found)


def array_prints(debugger, name, value, source_text, found):
    """`p NAME` and `p NAME[LAST]` (its last element), through the members of a struct element."""
    canonical = value.GetType().GetCanonicalType()
    element = canonical.GetArrayElementType()
    length = value.GetNumChildren()
    if length == 0 or not printable(element, element, source_text):
        return
    if element.GetCanonicalType().IsPointerType():
        # A function pointer is its wasm table index in an AOT build (docs/ARCHITECTURE.md, "lldb").
        if element.GetCanonicalType().GetPointeeType().GetCanonicalType().GetTypeClass() == lldb.eTypeClassFunction:
            return
        # The extension's array provider gives an array of pointers synthetic elements, which lldb
        # prints one per line with their addresses where natively it prints the array on one line:
        # its elements are compared, not that layout.
    else:
        found["p " + name] = printed(debugger, "p " + name)
    last = "%s[%d]" % (name, length - 1)
    found["p " + last] = printed(debugger, "p " + last)
    if element.GetCanonicalType().GetTypeClass() in (lldb.eTypeClassStruct, lldb.eTypeClassUnion):
        member_prints(debugger, last, ".", element.GetCanonicalType(), found)


def member_prints(debugger, path, operator, struct_type, found):
    for index in range(struct_type.GetNumberOfFields()):
        member = struct_type.GetFieldAtIndex(index).GetName()
        if member:
            command = "p %s%s%s" % (path, operator, member)
            found[command] = printed(debugger, command)


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
        "prints": prints(debugger, frame, shown),
    }
    if after is not None:
        stop["after"] = after
    if returned is not None:
        stop["returned"] = returned
    return json.dumps(stop, sort_keys=True, ensure_ascii=False)


class Refused(Exception):
    """The command was not run (finish in main): the program did not move."""


def alive(process):
    return process.GetState() == lldb.eStateStopped


def run_command(debugger, process, command):
    """Runs one stepping command on the selected thread; returns the value finish returned, described, or None."""
    thread = process.GetSelectedThread()
    if command == "finish" and thread.GetFrameAtIndex(0).GetFunctionName() == "main":
        raise Refused()
    if not resume(process, lambda: handle(debugger, COMMANDS[command])):
        raise Refused()
    if command == "finish" and alive(process):
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
        run_command(debugger, process, "finish")
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


def step_from_here(debugger, target, process, file_level, output):
    for command in STEPS:
        thread = process.GetSelectedThread()
        # The frame stepped from and its callers: a stop in one of them is a stop lldb would make.
        known = {frame_key(thread.GetFrameAtIndex(i)) for i in range(min(thread.GetNumFrames(), 64))}
        start = frame_key(thread.GetFrameAtIndex(0))
        try:
            returned = run_command(debugger, process, command)
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
                    run_command(debugger, process, command)
                except Refused:
                    break
            else:
                break
        if not alive(process):
            output.write(json.dumps({"after": command, "exited": True}) + "\n")
            return
        output.write(record(debugger, target, process.GetSelectedThread(), file_level, command, returned) + "\n")


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
        while stops < MAX_STOPS and error.Success() and alive(process):
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
                step_from_here(debugger, target, process, file_level, output)
                if not alive(process):
                    break
            if stops == MAX_STOPS:
                break
            resume(process, lambda: process.Continue().Success())
    if process.IsValid() and process.GetState() not in (lldb.eStateExited, lldb.eStateDetached):
        process.Kill()


main()
