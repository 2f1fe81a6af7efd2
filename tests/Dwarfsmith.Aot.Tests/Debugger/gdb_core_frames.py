# What gdb shows of a native core dump, for comparison with a wasm core dump read by Dwarfsmith.
# Loaded as `gdb -batch -nx EXECUTABLE CORE -x gdb_core_frames.py`. Walks the backtrace from the
# youngest frame and keeps the frames in the program's own source file (CORE_SOURCE, a full path),
# at most CORE_MAX_FRAMES of them, but for the pseudo-frame a -fsanitize-trap check shows
# (__clang_trap_msg$…, "inlined" at the trapping call): function, line, inlined or not, and every variable in scope as
# `info args` and `info locals` show it (inner scopes first, a name shadowed by an inner one left
# out), function statics included. Prints one line: @@FRAMES@@ followed by JSON.
import json
import os

import gdb

source = os.environ["CORE_SOURCE"]
limit = int(os.environ.get("CORE_MAX_FRAMES", "64"))


def variables_of(frame):
    variables = {}
    try:
        block = frame.block()
    except RuntimeError:
        return variables
    while block is not None:
        for symbol in block:
            if not (symbol.is_argument or symbol.is_variable) or symbol.name in variables:
                continue
            try:
                value = symbol.value(frame).format_string()
            except gdb.error as error:
                value = "<error: %s>" % error
            variables[symbol.name] = value
        if block.function is not None:
            break
        block = block.superblock
    return variables


frames = []
frame = gdb.newest_frame()
while frame is not None and len(frames) < limit:
    sal = frame.find_sal()
    name = frame.name() or ""
    if sal.symtab is not None and sal.symtab.fullname() == source and not name.startswith("__clang_trap_msg"):
        frames.append({
            "function": name,
            "line": sal.line,
            "inlined": frame.type() == gdb.INLINE_FRAME,
            "variables": variables_of(frame),
        })
    frame = frame.older()
print("@@FRAMES@@" + json.dumps(frames))
