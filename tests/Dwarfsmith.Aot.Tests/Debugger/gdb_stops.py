# Run by gdb (gdb -batch -nx -x gdb_stops.py EXE): breaks at the lines in $STOPS_LINES ("file:line,..."),
# runs the program, and at each stop writes one JSON line to $STOPS_OUTPUT: the backtrace up to main
# (function, file, line), and the values of the arguments, locals, function statics and the source
# file's own globals and statics, with each variable's type as declared (typedefs unresolved: the
# data models differ, uint64_t is unsigned long natively and unsigned long long in wasm32). Pointers are compared by null-ness (their values differ between a native and an AOT
# build), what they point to is followed one level for non-null pointers to scalars. A local
# declared at or after the stop's line has no value yet: it is recorded as such.
import json
import os

import gdb

MAX_STOPS = int(os.environ.get("STOPS_MAX", "12"))
SOURCE = os.environ["STOPS_SOURCE"]


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


def main():
    gdb.execute("set pagination off")
    gdb.execute("set confirm off")
    for location in os.environ["STOPS_LINES"].split(","):
        gdb.execute("break " + location, to_string=True)
    with open(os.environ["STOPS_OUTPUT"], "w") as output:
        gdb.execute("run", to_string=True)
        stops = 0
        while stops < MAX_STOPS:
            try:
                frame = gdb.selected_frame()
            except gdb.error:
                break  # the program exited
            types = {}
            record = {
                "frames": backtrace(),
                "variables": variables(frame, types),
                "globals": globals_of_source(frame),
                "types": types,
            }
            output.write(json.dumps(record, sort_keys=True) + "\n")
            stops += 1
            try:
                gdb.execute("continue", to_string=True)
            except gdb.error:
                break


main()
