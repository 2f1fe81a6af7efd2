# Dwarfsmith debugtest: steps one program in lldb (its Python SB API) and writes a JSON-lines transcript,
# one record per stop. Run as: python3 lldb_driver.py CONFIG.json, with PYTHONPATH from `lldb-22 -P`.
# The configuration and the records are those of gdb_driver.py; the stepping rules are the same:
# StepInto (lldb's `step`); a stop outside the program's own sources is left with StepOut (`finish`).
import json
import os
import sys

import lldb

cfg = json.load(open(sys.argv[1]))
sources = set(cfg["sources"])
out = open(cfg["transcript"], "w")
MAX_LEAVES = 32
MAX_OUTSIDE = 64
# Native statement rows no wasm engine can stop at (UnsteppableStatements.cs): stepped on from, not recorded.
SKIP = set(cfg.get("skip_addresses", []))
# A pointer into the stack below the innermost frame's stack pointer points into frames that have returned
# (ExclusionRules in StepComparer.cs); set at each stop.
DEAD_STACK_WINDOW = 64 << 20
DEAD_FRAME = "<dead frame>"
stack_pointer = None


def emit(record):
    out.write(json.dumps(record, separators=(",", ":")) + "\n")
    out.flush()


def in_sources(frame):
    if frame is None or not frame.IsValid():
        return False
    entry = frame.GetLineEntry()
    if not entry.IsValid() or entry.GetLine() == 0:
        return False
    return entry.GetFileSpec().GetFilename() in sources


def scalar(value, type_):
    cls = type_.GetTypeClass()
    if cls == lldb.eTypeClassEnumeration:
        basic = type_.GetEnumerationIntegerType().GetBasicType()
    elif cls == lldb.eTypeClassBuiltin:
        basic = type_.GetBasicType()
    else:
        return None
    if basic == lldb.eBasicTypeBool:
        return "1" if value.GetValueAsUnsigned() else "0"
    if basic in (lldb.eBasicTypeFloat, lldb.eBasicTypeDouble, lldb.eBasicTypeLongDouble):
        text = value.GetValue()
        try:
            return repr(float(text))
        except (TypeError, ValueError):
            return text
    if basic in (lldb.eBasicTypeUnsignedChar, lldb.eBasicTypeUnsignedShort, lldb.eBasicTypeUnsignedInt,
                 lldb.eBasicTypeUnsignedLong, lldb.eBasicTypeUnsignedLongLong, lldb.eBasicTypeUnsignedInt128,
                 lldb.eBasicTypeChar16, lldb.eBasicTypeChar32, lldb.eBasicTypeWChar):
        return str(value.GetValueAsUnsigned())
    if basic in (lldb.eBasicTypeChar, lldb.eBasicTypeSignedChar):
        # Plain char is signed on both x86 and wasm32.
        return str(value.GetValueAsSigned())
    return str(value.GetValueAsSigned())


def unavailable(value):
    error = value.GetError()
    if error.Fail():
        message = error.GetCString() or "error"
        if "optimized out" in message or "not available" in message:
            return "<optimized out>"
        return "<unreadable>"
    return None


def flatten(path, value, leaves, depth):
    if len(leaves) >= MAX_LEAVES:
        return
    bad = unavailable(value)
    if bad is not None:
        leaves.append([path, bad])
        return
    type_ = value.GetType().GetCanonicalType()
    text = scalar(value, type_)
    if text is not None:
        bad = unavailable(value)
        leaves.append([path, bad if bad is not None else text])
        return
    cls = type_.GetTypeClass()
    if cls == lldb.eTypeClassPointer:
        if value.GetValueAsUnsigned() == 0:
            leaves.append([path, "null"])
            return
        leaves.append([path, "nonnull"])
        address = value.GetValueAsUnsigned()
        if stack_pointer is not None and stack_pointer - DEAD_STACK_WINDOW <= address < stack_pointer:
            leaves.append(["*" + path, DEAD_FRAME])
        elif depth < 2:
            flatten("*" + path, value.Dereference(), leaves, depth + 1)
    elif cls == lldb.eTypeClassArray:
        for i in range(value.GetNumChildren()):
            if len(leaves) >= MAX_LEAVES:
                break
            flatten("%s[%d]" % (path, i), value.GetChildAtIndex(i), leaves, depth)
    elif cls in (lldb.eTypeClassStruct, lldb.eTypeClassUnion, lldb.eTypeClassClass):
        for i in range(value.GetNumChildren()):
            child = value.GetChildAtIndex(i)
            flatten("%s.%s" % (path, child.GetName()), child, leaves, depth)
    else:
        leaves.append([path, "<" + type_.GetName() + ">"])


def variable(value):
    leaves = []
    name = value.GetName()
    flatten(name, value, leaves, 0)
    declaration = value.GetDeclaration()
    line = declaration.GetLine() if declaration.IsValid() else 0
    return {"n": name, "l": line, "v": leaves}


def collect(values, keep):
    result = []
    seen = set()
    for i in range(values.GetSize()):
        value = values.GetValueAtIndex(i)
        if value.GetName() in seen or not keep(value):
            continue
        seen.add(value.GetName())
        result.append(variable(value))
    return result


def frame_variables(frame):
    return collect(frame.GetVariables(True, True, False, True), lambda value: True)


def own_global(value):
    declaration = value.GetDeclaration()
    return (declaration.IsValid() and declaration.GetFileSpec().GetFilename() in sources
            and value.GetValueType() in (lldb.eValueTypeVariableGlobal, lldb.eValueTypeVariableStatic))


def frame_globals(frame):
    result = collect(frame.GetVariables(False, False, True, True), own_global)
    result.sort(key=lambda v: v["n"])
    return result


def depth_of(thread):
    depth = 0
    for i in range(thread.GetNumFrames()):
        if not in_sources(thread.GetFrameAtIndex(i)):
            break
        depth += 1
    return depth


def record(thread, index, with_globals):
    global stack_pointer
    frame = thread.GetFrameAtIndex(0)
    stack_pointer = frame.GetSP() or None
    entry = frame.GetLineEntry()
    column = entry.GetColumn()
    rec = {
        "kind": "stop",
        "i": index,
        "function": frame.GetFunctionName(),
        "file": entry.GetFileSpec().GetFilename(),
        "line": entry.GetLine(),
        "column": column if column else None,
        "depth": depth_of(thread),
        "vars": frame_variables(frame),
    }
    if with_globals:
        rec["globals"] = frame_globals(frame)
    emit(rec)


def alive(process):
    return process.IsValid() and process.GetState() == lldb.eStateStopped


def leave_outside(process):
    for _ in range(MAX_OUTSIDE):
        if not alive(process):
            return False
        thread = process.GetSelectedThread()
        frame = thread.GetFrameAtIndex(0)
        if in_sources(frame):
            if frame.GetPC() not in SKIP:
                return True
            thread.StepInto()
            continue
        if thread.GetNumFrames() > 1:
            thread.StepOut()
        else:
            thread.StepInto()
    return alive(process) and in_sources(process.GetSelectedThread().GetFrameAtIndex(0))


def main():
    debugger = lldb.SBDebugger.Create(False)
    debugger.SetAsync(False)
    interpreter = debugger.GetCommandInterpreter()
    result = lldb.SBCommandReturnObject()
    if cfg.get("jit"):
        interpreter.HandleCommand("settings set plugin.jit-loader.gdb.enable on", result)
    # The target's own commands (e.g. the aot engine's extension for 4-byte pointers), before the target exists,
    # so that its formatters are in place when the first value is read.
    for command in cfg.get("lldb_init", []):
        interpreter.HandleCommand(command, result)
        if not result.Succeeded():
            emit({"kind": "error", "message": "lldb: %s: %s" % (command, result.GetError())})
            return
    program = cfg["program"]
    target = debugger.CreateTarget(program[0])
    if not target.IsValid():
        emit({"kind": "error", "message": "lldb cannot load " + program[0]})
        return
    target.BreakpointCreateByLocation(cfg["sources"][0], cfg["entry_line"])
    interpreter.HandleCommand("settings set target.inherit-env false", result)
    info = lldb.SBLaunchInfo(program[1:])
    # The same environment for both sides (see gdb_driver.py).
    info.SetEnvironmentEntries(["%s=%s" % item for item in sorted(cfg["env"].items())], False)
    info.SetWorkingDirectory(os.getcwd())
    info.AddOpenFileAction(0, "/dev/null", True, False)
    info.AddOpenFileAction(1, cfg["stdout"], False, True)
    info.AddOpenFileAction(2, "/dev/null", False, True)
    if cfg.get("jit"):
        info.SetLaunchFlags(info.GetLaunchFlags() | lldb.eLaunchFlagStopAtEntry)
    error = lldb.SBError()
    process = target.Launch(info, error)
    if not error.Success():
        emit({"kind": "error", "message": "launch failed: " + str(error.GetCString())})
        return
    if cfg.get("jit"):
        signals = process.GetUnixSignals()
        for name in ("SIGSEGV", "SIGUSR1", "SIGUSR2", "SIGPWR", "SIGXCPU", "SIGILL"):
            number = signals.GetSignalNumberFromName(name)
            signals.SetShouldStop(number, False)
            signals.SetShouldNotify(number, False)
            signals.SetShouldSuppress(number, False)
        process.Continue()
    if not alive(process):
        emit({"kind": "error", "message": "the program ended before reaching line %d" % cfg["entry_line"]})
        return
    target.DeleteAllBreakpoints()
    every = max(1, cfg.get("globals_every", 10))
    index = 0
    while index < cfg["steps"]:
        if not leave_outside(process):
            break
        thread = process.GetSelectedThread()
        record(thread, index, index % every == 0)
        index += 1
        thread.StepInto()
    if alive(process):
        emit({"kind": "end", "reason": "steps", "stops": index})
        process.Kill()
    else:
        code = process.GetExitStatus() if process.GetState() == lldb.eStateExited else None
        emit({"kind": "end", "reason": "exit", "stops": index, "exit_code": code})
    lldb.SBDebugger.Destroy(debugger)


try:
    main()
except Exception as e:  # noqa: BLE001 - the transcript says what went wrong
    emit({"kind": "error", "message": "%s: %s" % (type(e).__name__, e)})
finally:
    out.close()
