# Dwarfsmith debugtest: steps one program in gdb and writes a JSON-lines transcript, one record per stop.
# Run as: gdb -batch -nx -x gdb_driver.py, with DWARFSMITH_DEBUGTEST_CONFIG naming a JSON file:
#   {"program": [exe, args...], "sources": ["prog.c"], "steps": N, "globals_every": K,
#    "entry_line": L, "jit": bool, "lldb_init": [lldb commands], "transcript": path, "stdout": path,
#    "env": {NAME: VALUE}, "skip_addresses": [pc, ...]}
#   (lldb_init: run by lldb_driver.py before it creates the target; gdb ignores it)
# It breaks at SOURCE:L (main's definition line; the debugger moves it past the prologue).
# Stepping: `step`; a stop outside the program's own sources (no line info, libc, csmith's headers) is left
# with `finish` and is not recorded; so is a stop at one of skip_addresses, which is stepped on from (native
# statement rows no wasm engine can stop at: UnsteppableStatements.cs). Each recorded stop: function, file, line, column, depth, locals and
# arguments in scope with their values flattened to scalars, and the file's globals every K stops.
import gdb
import json
import os

cfg = json.load(open(os.environ["DWARFSMITH_DEBUGTEST_CONFIG"]))
sources = set(cfg["sources"])
out = open(cfg["transcript"], "w")
MAX_LEAVES = 32
MAX_OUTSIDE = 64
SKIP = set(cfg.get("skip_addresses", []))
# A pointer into the stack below the innermost frame's stack pointer points into frames that have returned:
# what it reads there is whatever the stack held (ExclusionRules in StepComparer.cs). Set at each stop.
DEAD_STACK_WINDOW = 64 << 20
stack_pointer = None


def emit(record):
    out.write(json.dumps(record, separators=(",", ":")) + "\n")
    out.flush()


def ex(command):
    return gdb.execute(command, to_string=True)


def in_sources(frame):
    try:
        sal = frame.find_sal()
    except gdb.error:
        return False
    return sal.symtab is not None and sal.line > 0 and os.path.basename(sal.symtab.filename) in sources


def alive():
    inferior = gdb.selected_inferior()
    return inferior is not None and inferior.pid != 0 and len(inferior.threads()) > 0


def scalar(value):
    code = value.type.strip_typedefs().code
    if code == gdb.TYPE_CODE_BOOL:
        return "1" if bool(value) else "0"
    if code in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_CHAR, gdb.TYPE_CODE_ENUM):
        return str(int(value))
    if code == gdb.TYPE_CODE_FLT:
        return repr(float(value))
    return None


def flatten(path, value, leaves, depth):
    if len(leaves) >= MAX_LEAVES:
        return
    try:
        if value.is_optimized_out:
            leaves.append([path, "<optimized out>"])
            return
        type_ = value.type.strip_typedefs()
        code = type_.code
        text = scalar(value)
        if text is not None:
            leaves.append([path, text])
        elif code == gdb.TYPE_CODE_PTR:
            if int(value) == 0:
                leaves.append([path, "null"])
            else:
                leaves.append([path, "nonnull"])
                if in_dead_frame(int(value)):
                    leaves.append(["*" + path, DEAD_FRAME])
                elif depth < 2:
                    try:
                        flatten("*" + path, value.dereference(), leaves, depth + 1)
                    except gdb.error:
                        leaves.append(["*" + path, "<unreadable>"])
        elif code == gdb.TYPE_CODE_ARRAY:
            low, high = type_.range()
            for i in range(low, high + 1):
                if len(leaves) >= MAX_LEAVES:
                    break
                flatten("%s[%d]" % (path, i), value[i], leaves, depth)
        elif code in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
            for field in type_.fields():
                if field.name is None or not hasattr(field, "bitpos"):  # static members have no position
                    continue
                flatten("%s.%s" % (path, field.name), value[field.name], leaves, depth)
        else:
            leaves.append([path, "<" + str(type_) + ">"])
    except gdb.MemoryError:
        leaves.append([path, "<unreadable>"])
    except gdb.error as e:
        leaves.append([path, error_text(e)])


DEAD_FRAME = "<dead frame>"


def in_dead_frame(address):
    return stack_pointer is not None and stack_pointer - DEAD_STACK_WINDOW <= address < stack_pointer


def error_text(error):
    lines = str(error).splitlines()
    return "<error: %s>" % lines[0] if lines else "<error>"


def variable(name, line, value_thunk):
    leaves = []
    try:
        flatten(name, value_thunk(), leaves, 0)
    except gdb.error as e:
        leaves.append([name, error_text(e)])
    return {"n": name, "l": line, "v": leaves}


def frame_variables(frame):
    result = []
    seen = set()
    try:
        block = frame.block()
    except RuntimeError:
        return result
    while block is not None:
        for symbol in block:
            if not (symbol.is_variable or symbol.is_argument) or symbol.name in seen:
                continue
            seen.add(symbol.name)
            result.append(variable(symbol.name, symbol.line, lambda s=symbol: s.value(frame)))
        if block.function is not None:
            break
        block = block.superblock
    return result


def frame_globals(frame):
    result = []
    try:
        block = frame.block()
    except RuntimeError:
        return result
    seen = set()
    for scope in (block.static_block, block.global_block):
        if scope is None:
            continue
        for symbol in scope:
            if not symbol.is_variable or symbol.name in seen or symbol.symtab is None:
                continue
            if os.path.basename(symbol.symtab.filename) not in sources:
                continue
            seen.add(symbol.name)
            result.append(variable(symbol.name, symbol.line, lambda s=symbol: s.value(frame)))
    result.sort(key=lambda v: v["n"])
    return result


def depth_of(frame):
    depth = 0
    while frame is not None and in_sources(frame):
        depth += 1
        frame = frame.older()
    return depth


def record(index, with_globals):
    global stack_pointer
    frame = gdb.selected_frame()
    try:
        stack_pointer = int(gdb.parse_and_eval("$sp"))
    except gdb.error:
        stack_pointer = None
    sal = frame.find_sal()
    name = frame.name()
    rec = {
        "kind": "stop",
        "i": index,
        "function": name,
        "file": os.path.basename(sal.symtab.filename),
        "line": sal.line,
        "column": None,
        "depth": depth_of(frame),
        "vars": frame_variables(frame),
    }
    if with_globals:
        rec["globals"] = frame_globals(frame)
    emit(rec)


def leave_outside():
    # Returns False when the program is gone.
    for _ in range(MAX_OUTSIDE):
        if not alive():
            return False
        frame = gdb.selected_frame()
        if in_sources(frame):
            if frame.pc() not in SKIP:
                return True
            ex("step")
            continue
        try:
            ex("finish")
        except gdb.error:
            ex("step")
    return alive() and in_sources(gdb.selected_frame())


def main():
    ex("set pagination off")
    ex("set confirm off")
    ex("set breakpoint pending on")
    ex("set step-mode off")
    ex("set print finish off")
    if cfg.get("jit"):
        ex("handle SIGSEGV SIGUSR1 SIGUSR2 SIGPWR SIGXCPU SIGILL nostop noprint pass")
    program = cfg["program"]
    ex("file " + program[0])
    # The program's environment is the configuration's, the same for both sides: it sits at the top of the
    # stack, and a different length would move every stack address (and what dangling pointers see).
    ex("unset environment")
    for key, value in sorted(cfg["env"].items()):
        ex("set environment %s=%s" % (key, value))
    args = " ".join("'" + a.replace("'", "'\\''") + "'" for a in program[1:])
    ex("set args %s > '%s'" % (args, cfg["stdout"]))
    source = cfg["sources"][0]
    ex("break %s:%d" % (source, cfg["entry_line"]))
    ex("run")
    if not alive():
        emit({"kind": "error", "message": "the program ended before reaching line %d" % cfg["entry_line"]})
        return
    every = max(1, cfg.get("globals_every", 10))
    index = 0
    ex("delete")
    while index < cfg["steps"]:
        if not leave_outside():
            break
        record(index, index % every == 0)
        index += 1
        ex("step")
    if alive():
        emit({"kind": "end", "reason": "steps", "stops": index})
    else:
        try:
            code = int(gdb.parse_and_eval("$_exitcode"))
        except (gdb.error, TypeError, ValueError):
            code = None
        emit({"kind": "end", "reason": "exit", "stops": index, "exit_code": code})


try:
    main()
except Exception as e:  # noqa: BLE001 - the transcript says what went wrong
    emit({"kind": "error", "message": "%s: %s" % (type(e).__name__, e)})
finally:
    out.close()
    try:
        gdb.execute("kill", to_string=True)
    except gdb.error:
        pass
