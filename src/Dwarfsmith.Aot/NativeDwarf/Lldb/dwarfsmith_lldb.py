# lldb extension for executables from `dwarfsmith aot -g` (issue 17; docs/ARCHITECTURE.md, "lldb").
# `dwarfsmith lldb EXE [ARGS]` loads it; by hand: `command script import PATH/dwarfsmith_lldb.py`.
#
# What it adds, for the program's wasm32 pointers (4 bytes, which lldb-22 reads as 8):
#   - a synthetic provider on every pointer type (wasm32_pointers.WasmPointerProvider): `frame
#     variable`, backtraces, struct members and `char *` strings show the pointer's 4-byte value; and
#     one on arrays of pointers (WasmArrayProvider), whose elements are 4 bytes apart;
#   - `p` and `print` (wasm32_print): variable paths through pointers (`*n`, `n->next->value`, `s[1]`,
#     `&x`, `x = 5`) evaluated with 4-byte pointers; anything else goes to lldb's dwim-print; `v`
#     (frame variable) the same for its paths.
import lldb

import wasm32_pointers
import wasm32_print

CATEGORY = "dwarfsmith"


def __lldb_init_module(debugger, internal_dict):
    # lldb looks the names up from its own namespace, where this module is imported under its name.
    here = __name__
    run = debugger.HandleCommand
    run("type synthetic add --recognizer-function --python-class %s.wasm32_pointers.WasmPointerProvider "
        "--category %s %s.wasm32_pointers.is_pointer_type" % (here, CATEGORY, here))
    run("type synthetic add --recognizer-function --python-class %s.wasm32_pointers.WasmArrayProvider "
        "--category %s %s.wasm32_pointers.is_array_of_pointers" % (here, CATEGORY, here))
    run("type category enable %s" % CATEGORY)
    for alias, function in (("p", "print_command"), ("print", "print_command"), ("v", "variable_command")):
        run("command unalias %s" % alias)
        run("command script add --overwrite --function %s.wasm32_print.%s %s" % (here, function, alias))
