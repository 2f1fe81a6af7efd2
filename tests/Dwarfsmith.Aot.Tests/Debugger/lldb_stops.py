# Run by python3 with lldb-22's module path (python3 lldb_stops.py EXE ARGS...): breaks at the lines in
# $STOPS_LINES ("file:line,..."), runs the program, and at each stop writes one JSON line to
# $STOPS_OUTPUT, in the shape gdb_stops.py writes: the backtrace up to main (function, file, line),
# the values of the arguments, locals and function statics in scope and of the source file's own
# globals and statics, with each variable's type as declared. Pointers are compared by null-ness
# (their values differ between a native and an AOT build), what they point to is followed one level
# for non-null pointers to scalars. A local declared at or after the stop's line has no value yet.
#
# Beyond gdb_stops.py's shape, "prints" holds what `p` prints for the pointers in the frame (`p NAME`,
# `p *NAME`, and `p NAME->MEMBER` for each member of a pointed-to struct), with addresses blanked:
# the command a user types, through whatever `p` is (lldb's dwim-print natively, the extension's in
# an AOT build). Only pointers to scalars and to the program's own types count: the C library's
# (FILE) are glibc's natively and musl's in wasm. $STOPS_EXTENSION, when set, is imported first
# (`command script import`), as `dwarfsmith lldb` does.
import json
import os
import re
import sys

import lldb

MAX_STOPS = int(os.environ.get("STOPS_MAX", "12"))
SOURCE = os.environ["STOPS_SOURCE"]
ADDRESS = re.compile(r"0x[0-9a-f]{16}")
_SCALAR_CLASSES = (lldb.eTypeClassBuiltin, lldb.eTypeClassEnumeration)


def error_text(value):
    text = value.GetError().GetCString() or "error"
    if "optimized out" in text:
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


def variables(frame, types, file_level):
    found = {}
    line = frame.GetLineEntry().GetLine()
    for value in frame.GetVariables(True, True, True, True):
        name = value.GetName()
        if name in found or key(value) in file_level:
            continue
        types[name] = value.GetDisplayTypeName()
        kind = value.GetValueType()
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
        canonical = value.GetType().GetCanonicalType()
        if variables_shown.get(name) in (None, "null", "<not yet declared>", "<optimized out>") \
                or not canonical.IsPointerType():
            continue
        declared = value.GetType().GetCanonicalType().GetPointeeType()
        pointee = canonical.GetPointeeType().GetCanonicalType()
        if pointee.GetBasicType() == lldb.eBasicTypeVoid or pointee.GetTypeClass() == lldb.eTypeClassFunction:
            continue
        if pointee.GetTypeClass() not in _SCALAR_CLASSES and pointee.GetTypeClass() != lldb.eTypeClassPointer \
                and not defines(source_text, declared) and not defines(source_text, value.GetType().GetPointeeType()):
            continue
        found["p " + name] = printed(debugger, "p " + name)
        found["p *" + name] = printed(debugger, "p *" + name)
        if pointee.GetTypeClass() in (lldb.eTypeClassStruct, lldb.eTypeClassUnion):
            for index in range(pointee.GetNumberOfFields()):
                member = pointee.GetFieldAtIndex(index).GetName()
                if member:
                    command = "p %s->%s" % (name, member)
                    found[command] = printed(debugger, command)
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
        while stops < MAX_STOPS and error.Success() and process.GetState() == lldb.eStateStopped:
            thread = stopped_thread(process)
            if thread is None:
                process.Continue()
                continue
            process.SetSelectedThread(thread)
            frame = thread.GetFrameAtIndex(0)
            thread.SetSelectedFrame(0)
            types = {}
            shown = variables(frame, types, file_level)
            record = {
                "frames": backtrace(thread),
                "variables": shown,
                "globals": globals_of_source(target),
                "types": types,
                "prints": prints(debugger, frame, shown),
            }
            output.write(json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n")
            stops += 1
            process.Continue()
    if process.IsValid() and process.GetState() not in (lldb.eStateExited, lldb.eStateDetached):
        process.Kill()


main()
